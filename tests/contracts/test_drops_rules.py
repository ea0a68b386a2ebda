"""Opening a drop: ops set supply, price, an entry window and sybil-resistant eligibility; every bad rule is refused
by name, and nothing changes a drop's rules after its first entry."""
import brownie
import pytest
from brownie import ZERO_ADDRESS

from backend.chain.protocol import SEED_DELAY, DropState
from drop_helpers import FARM_VISIT, QUIZ, SIREN, mine, open_drop, plain, rules, siren  # noqa: F401
from stamp_helpers import err, unauthorized


def test_open_records_the_rules_and_emits_every_field(drops, siren, ops):
    r = rules(required=QUIZ, price=10**16, supply=3, opens_in=5, window=30, min_level=1)
    tx = drops.openDrop(1, r, {"from": ops})
    stamp_id, required, price, supply, opens, closes, min_level = r
    assert tx.events["DropConfigured"] == {
        "dropId": 1, "stampId": SIREN, "supply": 3, "price": 10**16, "opensAt": opens, "closesAt": closes,
        "minLevel": 1, "minPoints": 10, "requiredStamp": QUIZ, "seedBlock": closes + SEED_DELAY,
    }
    assert plain(drops.drop(1)) == (r, 10, 0, closes + SEED_DELAY, "0x" + "00" * 32)
    assert drops.dropState(1) == DropState.UPCOMING


def test_deploying_without_a_stamps_contract_or_admin_is_refused(OdysseyDrops, stamps, forwarder, deployer):
    for stamps_, admin in ((ZERO_ADDRESS, deployer), (stamps, ZERO_ADDRESS)):
        with brownie.reverts(err("DropZeroAddress")):
            OdysseyDrops.deploy(stamps_, admin, forwarder, {"from": deployer})


def test_seed_delay_is_the_python_draws(drops):
    assert drops.SEED_DELAY() == SEED_DELAY


def test_open_refuses_anyone_but_the_drop_manager(drops, siren, members, issuer):
    for account in (members[0], issuer):
        with brownie.reverts(unauthorized(account, "DROP_MANAGER_ROLE")):
            drops.openDrop(1, rules(), {"from": account})


def test_open_refuses_a_taken_or_zero_id(drops, siren, ops):
    open_drop(drops, ops, 1)
    with brownie.reverts(err("DropExists", 1)):
        open_drop(drops, ops, 1)
    with brownie.reverts(err("DropInvalidId", 0)):
        open_drop(drops, ops, 0)


def test_unknown_drop_is_refused_by_name(drops, siren, ops, members):
    with brownie.reverts(err("DropUnknown", 9)):
        drops.updateDrop(9, rules(), {"from": ops})
    with brownie.reverts(err("DropUnknown", 9)):
        drops.enter(9, {"from": members[0]})
    with brownie.reverts(err("DropUnknown", 9)):
        drops.draw(9, {"from": members[0]})
    assert drops.dropState(9) == DropState.NONE


def test_open_refuses_an_unknown_stamp(drops, siren, ops):
    with brownie.reverts(err("DropUnknownStamp", 999)):
        open_drop(drops, ops, stamp_id=999)
    with brownie.reverts(err("DropUnknownStamp", 998)):
        open_drop(drops, ops, required=998)


def test_open_refuses_zero_supply(drops, siren, ops):
    with brownie.reverts(err("DropZeroSupply")):
        open_drop(drops, ops, supply=0)


def test_open_refuses_more_stamps_than_the_stamp_type_has_left(drops, stamps, siren, ops, members):
    stamps.airdrop(FARM_VISIT, [members[0]], {"from": ops})  # supply 3, one minted
    with brownie.reverts(err("DropSupplyUnavailable", FARM_VISIT, 3, 2)):
        open_drop(drops, ops, stamp_id=FARM_VISIT, supply=3)
    open_drop(drops, ops, stamp_id=FARM_VISIT, supply=2)


@pytest.mark.parametrize("opens_in, window", [(0, 10), (-5, 10), (3, -1)])
def test_open_refuses_a_window_in_the_past_or_inverted(drops, siren, ops, opens_in, window):
    r = rules(opens_in=opens_in, window=window)
    with brownie.reverts(err("DropInvalidWindow", r[4], r[5])):
        drops.openDrop(1, r, {"from": ops})


def test_open_refuses_a_level_that_does_not_exist(drops, stamps, siren, ops):
    levels = len(stamps.levelThresholds())
    with brownie.reverts(err("DropInvalidLevel", levels + 1, levels)):
        open_drop(drops, ops, min_level=levels + 1)


def test_open_refuses_rules_any_fresh_wallet_meets(drops, siren, ops):
    with brownie.reverts(err("DropNoEligibility")):
        open_drop(drops, ops, min_level=0, required=0)


def test_open_refuses_a_collectible_as_the_required_stamp(drops, siren, ops):
    # A collectible passes from wallet to wallet: each would enter in turn.
    with brownie.reverts(err("DropStampNotSoulbound", FARM_VISIT)):
        open_drop(drops, ops, required=FARM_VISIT, min_level=0)


def test_update_before_the_first_entry_changes_the_rules(drops, siren, ops):
    open_drop(drops, ops, supply=2)
    r = rules(supply=5, price=10**15, window=40)
    tx = drops.updateDrop(1, r, {"from": ops})
    assert tx.events["DropConfigured"]["supply"] == 5
    assert plain(drops.drop(1)[0]) == r
    assert drops.drop(1)[3] == r[5] + SEED_DELAY


def test_rules_are_fixed_after_the_first_entry(drops, siren, ops, members):
    open_drop(drops, ops)
    drops.enter(1, {"from": members[0]})
    with brownie.reverts(err("DropRulesFixed", 1, 1)):
        drops.updateDrop(1, rules(supply=50), {"from": ops})


def test_rules_are_fixed_once_drawn_even_without_entries(drops, siren, ops, members):
    open_drop(drops, ops, window=2)
    mine(2 + SEED_DELAY + 1)
    drops.draw(1, {"from": members[0]})
    with brownie.reverts(err("DropRulesFixed", 1, 0)):
        drops.updateDrop(1, rules(), {"from": ops})


def test_update_refuses_anyone_but_the_drop_manager(drops, siren, ops, members):
    open_drop(drops, ops)
    with brownie.reverts(unauthorized(members[0], "DROP_MANAGER_ROLE")):
        drops.updateDrop(1, rules(), {"from": members[0]})


def test_new_level_thresholds_do_not_change_who_may_enter(drops, stamps, siren, ops, deployer, members):
    open_drop(drops, ops, min_level=1)  # level 1 needs 10 points when opened
    stamps.setLevelThresholds([20, 50, 150, 400, 1000], {"from": deployer})
    drops.enter(1, {"from": members[0]})  # 10 points: still level 1 by the drop's rules
    assert plain(drops.entry(1, members[0])) == (0, 1)
