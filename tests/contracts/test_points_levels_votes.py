"""Points in storage, levels from admin thresholds, points as OZ Votes with implicit self-delegation."""
import brownie
from brownie import chain
from eth_account import Account
from eth_account.messages import encode_typed_data

from backend.chain.protocol import domain_from_eip712
from stamp_helpers import err, unauthorized


def _earn(stamps, voucher, relayer, member, stamp_id, nonce):
    return stamps.claim(*voucher(member, stamp_id, nonce).claim_args(), {"from": relayer})


def test_points_sum_points_times_balance(stamps, shop, journey, members, voucher, relayer):
    _earn(stamps, voucher, relayer, members[0], 101, 1)
    _earn(stamps, voucher, relayer, members[0], 102, 2)
    shop.purchase(103, 2, {"from": members[0], "value": 2 * 10**16})
    assert stamps.pointsOf(members[0]) == 10 + 25 + 2 * 40
    assert stamps.memberOf(members[0])[2] == 115


def test_non_member_has_no_points_and_level_zero(stamps, members):
    assert stamps.pointsOf(members[0]) == 0
    assert stamps.levelOf(members[0]) == 0


def test_level_thresholds_read_back(stamps):
    assert list(stamps.levelThresholds()) == [10, 50, 150, 400, 1000]


def test_level_rises_at_each_threshold(stamps, shop, journey, members, ops, deployer):
    stamps.setLevelThresholds([40, 80, 120], {"from": deployer})
    stamps.updateStampType(103, "Open", 0, {"from": ops})
    shop.setListing(103, 10**16, 0, {"from": ops})
    levels = []
    for _ in range(4):
        shop.purchase(103, 1, {"from": members[0], "value": 10**16})
        levels.append(stamps.levelOf(members[0]))
    assert levels == [1, 2, 3, 3]


def test_level_just_below_threshold_stays(stamps, shop, journey, members, deployer):
    stamps.setLevelThresholds([11], {"from": deployer})
    shop.purchase(103, 1, {"from": members[0], "value": 10**16})
    stamps.setLevelThresholds([41], {"from": deployer})
    assert stamps.levelOf(members[0]) == 0
    stamps.setLevelThresholds([40], {"from": deployer})
    assert stamps.levelOf(members[0]) == 1


def test_set_level_thresholds_emits(stamps, deployer):
    tx = stamps.setLevelThresholds([5, 6], {"from": deployer})
    assert list(tx.events["LevelThresholdsSet"]["thresholds"]) == [5, 6]
    assert list(stamps.levelThresholds()) == [5, 6]


def test_set_level_thresholds_accepts_empty_list(stamps, shop, journey, members, deployer):
    shop.purchase(103, 1, {"from": members[0], "value": 10**16})
    stamps.setLevelThresholds([], {"from": deployer})
    assert stamps.levelOf(members[0]) == 0


def test_set_level_thresholds_refuses_descending(stamps, deployer):
    with brownie.reverts(err("OdysseyInvalidThresholds")):
        stamps.setLevelThresholds([10, 5], {"from": deployer})


def test_set_level_thresholds_refuses_equal_neighbours(stamps, deployer):
    with brownie.reverts(err("OdysseyInvalidThresholds")):
        stamps.setLevelThresholds([10, 10], {"from": deployer})


def test_set_level_thresholds_refuses_more_than_32(stamps, deployer):
    stamps.setLevelThresholds(list(range(1, 33)), {"from": deployer})
    with brownie.reverts(err("OdysseyInvalidThresholds")):
        stamps.setLevelThresholds(list(range(1, 34)), {"from": deployer})


def test_set_level_thresholds_refuses_non_admin(stamps, ops):
    with brownie.reverts(unauthorized(ops, "DEFAULT_ADMIN_ROLE")):
        stamps.setLevelThresholds([1], {"from": ops})


def test_points_vote_without_any_delegation_step(stamps, journey, members, voucher, relayer):
    assert stamps.delegates(members[0]) == members[0]
    _earn(stamps, voucher, relayer, members[0], 102, 1)
    assert stamps.delegates(members[0]) == members[0]
    assert stamps.getVotes(members[0]) == 25


def test_votes_are_checkpointed_by_block(stamps, journey, members, voucher, relayer):
    tx1 = _earn(stamps, voucher, relayer, members[0], 101, 1)
    tx2 = _earn(stamps, voucher, relayer, members[0], 102, 2)
    chain.mine()
    assert stamps.getPastVotes(members[0], tx1.block_number - 1) == 0
    assert stamps.getPastVotes(members[0], tx1.block_number) == 10
    assert stamps.getPastVotes(members[0], tx2.block_number) == 35
    assert stamps.getPastTotalSupply(tx2.block_number) == 35


def test_clock_is_block_number(stamps):
    assert stamps.clock() == chain.height
    assert stamps.CLOCK_MODE() == "mode=blocknumber&from=default"


def test_delegate_moves_votes_to_chosen_member(stamps, journey, members, voucher, relayer):
    _earn(stamps, voucher, relayer, members[0], 102, 1)
    tx = stamps.delegate(members[1], {"from": members[0]})
    assert stamps.delegates(members[0]) == members[1]
    assert (stamps.getVotes(members[0]), stamps.getVotes(members[1])) == (0, 25)
    assert tx.events["DelegateChanged"] == {
        "delegator": members[0], "fromDelegate": members[0], "toDelegate": members[1],
    }


def test_later_points_follow_chosen_delegate(stamps, journey, members, voucher, relayer):
    _earn(stamps, voucher, relayer, members[0], 102, 1)
    stamps.delegate(members[1], {"from": members[0]})
    _earn(stamps, voucher, relayer, members[0], 101, 2)
    assert stamps.getVotes(members[1]) == 35
    assert stamps.pointsOf(members[0]) == 35


def test_delegate_back_to_self_restores_votes(stamps, journey, members, voucher, relayer):
    _earn(stamps, voucher, relayer, members[0], 102, 1)
    stamps.delegate(members[1], {"from": members[0]})
    stamps.delegate(members[0], {"from": members[0]})
    assert (stamps.getVotes(members[0]), stamps.getVotes(members[1])) == (25, 0)


def test_delegation_chosen_before_first_stamp_is_kept(stamps, journey, members, voucher, relayer):
    stamps.delegate(members[1], {"from": members[0]})
    tx = _earn(stamps, voucher, relayer, members[0], 102, 1)
    assert stamps.delegates(members[0]) == members[1]
    assert stamps.getVotes(members[1]) == 25
    assert stamps.getVotes(members[0]) == 0
    assert "DelegateChanged" not in tx.events


def test_delegated_votes_add_to_delegates_own(stamps, journey, members, voucher, relayer):
    _earn(stamps, voucher, relayer, members[0], 102, 1)
    _earn(stamps, voucher, relayer, members[1], 101, 2)
    stamps.delegate(members[1], {"from": members[0]})
    assert stamps.getVotes(members[1]) == 35
    assert stamps.pointsOf(members[1]) == 10


def test_total_supply_of_votes_equals_total_points(stamps, shop, journey, members, voucher, relayer, ops):
    _earn(stamps, voucher, relayer, members[0], 102, 1)
    stamps.airdrop(101, members, {"from": ops})
    tx = shop.purchase(103, 2, {"from": members[3], "value": 2 * 10**16})
    chain.mine()
    total = sum(stamps.pointsOf(m) for m in members)
    assert total == 25 + 5 * 10 + 80
    assert stamps.getPastTotalSupply(tx.block_number) == total


def test_delegate_by_signature_needs_no_gas_from_member(stamps, shop, journey, members, member_key, relayer):
    shop.purchase(103, 1, {"from": members[0], "value": 10**16})
    expiry = chain.time() + 3600
    types = {"Delegation": [
        {"name": "delegatee", "type": "address"}, {"name": "nonce", "type": "uint256"}, {"name": "expiry", "type": "uint256"},
    ]}
    message = {"delegatee": members[1].address, "nonce": stamps.nonces(members[0]), "expiry": expiry}
    signed = Account.sign_message(
        encode_typed_data(domain_from_eip712(stamps.eip712Domain()), types, message), member_key(0)
    )
    balance = members[0].balance()
    tx = stamps.delegateBySig(members[1], message["nonce"], expiry, signed.v, signed.r.to_bytes(32, "big"),
                              signed.s.to_bytes(32, "big"), {"from": relayer})
    assert members[0].balance() == balance and tx.sender == relayer  # the relayer paid
    assert stamps.delegates(members[0]) == members[1]
    assert stamps.getVotes(members[1]) == 40
