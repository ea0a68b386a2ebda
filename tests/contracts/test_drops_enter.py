"""Entering a drop: one entry per eligible member inside the window, gasless through the forwarder when free, the
exact price escrowed when paid; each refusal by name."""
import brownie
from brownie import accounts, chain

from backend.chain.protocol import EntryStatus, domain_from_eip712
from drop_helpers import FARM_VISIT, PRICE, QUIZ, mine, open_drop, plain, rules, siren  # noqa: F401
from stamp_helpers import err


def test_eligible_member_enters_and_gets_the_next_position(drops, siren, ops, members):
    open_drop(drops, ops)
    tx = drops.enter(1, {"from": members[0]})
    assert tx.events["DropEntered"] == {"dropId": 1, "member": members[0], "position": 0, "paid": 0}
    drops.enter(1, {"from": members[1]})
    assert plain(drops.entry(1, members[0])) == (0, EntryStatus.ENTERED)
    assert plain(drops.entry(1, members[1])) == (1, EntryStatus.ENTERED)
    assert drops.drop(1)[2] == 2


def test_entry_before_the_window_is_refused(drops, siren, ops, members):
    r = rules(opens_in=5)
    drops.openDrop(1, r, {"from": ops})
    with brownie.reverts(err("DropOutsideEntryWindow", 1, r[4], r[5])):
        drops.enter(1, {"from": members[0]})


def test_entry_after_the_window_is_refused(drops, siren, ops, members):
    r = rules(window=3)
    drops.openDrop(1, r, {"from": ops})
    mine(r[5] - chain.height)  # the next block is past closesAt
    with brownie.reverts(err("DropOutsideEntryWindow", 1, r[4], r[5])):
        drops.enter(1, {"from": members[0]})


def test_entry_in_the_last_block_of_the_window_is_taken(drops, siren, ops, members):
    r = rules(window=3)
    drops.openDrop(1, r, {"from": ops})
    mine(r[5] - chain.height - 1)  # the next block is closesAt
    assert drops.enter(1, {"from": members[0]}).block_number == r[5]


def test_second_entry_is_refused(drops, siren, ops, members):
    open_drop(drops, ops)
    drops.enter(1, {"from": members[0]})
    with brownie.reverts(err("DropAlreadyEntered", 1, members[0])):
        drops.enter(1, {"from": members[0]})


def test_member_below_the_level_is_refused(drops, siren, ops, members):
    open_drop(drops, ops, min_level=1)
    with brownie.reverts(err("DropLevelTooLow", 1, members[4], 0, 10)):
        drops.enter(1, {"from": members[4]})


def test_level_counts_the_votes_held_at_the_block_before_entries_open(drops, stamps, siren, ops, members):
    r = rules(opens_in=3, min_level=1)
    drops.openDrop(1, r, {"from": ops})
    stamps.airdrop(QUIZ, [members[4]], {"from": ops})  # mined in block opensAt - 1: it counts
    assert chain.height == r[4] - 1
    drops.enter(1, {"from": members[4]})
    open_drop(drops, ops, 2, min_level=2)  # level 2: 50 points
    stamps.airdrop(FARM_VISIT, [members[4]], {"from": ops})  # 35 points now, after drop 2's snapshot
    with brownie.reverts(err("DropLevelTooLow", 2, members[4], 10, 50)):
        drops.enter(2, {"from": members[4]})


def test_a_collectible_passed_on_after_the_snapshot_qualifies_only_its_holder_then(
    drops, stamps, siren, ops, members, voucher, relayer
):
    stamps.claim(*voucher(members[4], FARM_VISIT, 1).claim_args(), {"from": relayer})  # 25 points: level 1
    open_drop(drops, ops, min_level=1)
    fresh = accounts.add()
    stamps.safeTransferFrom(members[4], fresh, FARM_VISIT, 1, "", {"from": members[4]})
    members[0].transfer(fresh, "1 ether")
    drops.enter(1, {"from": members[4]})  # held the collectible at the snapshot
    with brownie.reverts(err("DropLevelTooLow", 1, fresh, 0, 10)):
        drops.enter(1, {"from": fresh})


def test_required_soulbound_stamp_admits_its_holders_only(drops, siren, ops, members):
    open_drop(drops, ops, required=QUIZ, min_level=0)
    drops.enter(1, {"from": members[0]})
    with brownie.reverts(err("DropRequiredStampMissing", 1, members[4], QUIZ)):
        drops.enter(1, {"from": members[4]})


def test_level_and_stamp_together_need_both(drops, stamps, siren, ops, members, voucher, relayer):
    stamps.claim(*voucher(members[4], FARM_VISIT, 1).claim_args(), {"from": relayer})  # level 1, no quiz stamp
    open_drop(drops, ops, required=QUIZ, min_level=1)
    with brownie.reverts(err("DropRequiredStampMissing", 1, members[4], QUIZ)):
        drops.enter(1, {"from": members[4]})
    drops.enter(1, {"from": members[0]})


def test_paid_entry_escrows_the_exact_price(drops, siren, ops, members):
    open_drop(drops, ops, price=PRICE)
    balance = members[0].balance()
    tx = drops.enter(1, {"from": members[0], "value": PRICE})
    assert tx.events["DropEntered"]["paid"] == PRICE
    assert drops.balance() == PRICE
    assert members[0].balance() == balance - PRICE - tx.gas_used * tx.gas_price


def test_paid_entry_refuses_any_other_amount(drops, siren, ops, members):
    open_drop(drops, ops, price=PRICE)
    for paid in (0, PRICE - 1, PRICE + 1):
        with brownie.reverts(err("DropWrongPayment", PRICE, paid)):
            drops.enter(1, {"from": members[0], "value": paid})
    assert drops.balance() == 0


def test_free_entry_refuses_a_payment(drops, siren, ops, members):
    open_drop(drops, ops)
    with brownie.reverts(err("DropWrongPayment", 0, 1)):
        drops.enter(1, {"from": members[0], "value": 1})


def test_free_entry_is_gasless_through_the_forwarder(drops, siren, ops, forwarder, forward_request, members, member_key, relayer):
    open_drop(drops, ops)
    balance = members[0].balance()
    tx = forwarder.execute(forward_request(member_key(0), drops, drops.enter.encode_input(1)), {"from": relayer})
    assert tx.events["DropEntered"]["member"] == members[0]
    assert plain(drops.entry(1, members[0])) == (0, EntryStatus.ENTERED)
    assert drops.entry(1, relayer)[1] == 0
    assert members[0].balance() == balance


def test_a_replayed_forwarded_entry_is_refused(drops, siren, ops, forwarder, forward_request, member_key, relayer):
    open_drop(drops, ops)
    request = forward_request(member_key(0), drops, drops.enter.encode_input(1))
    forwarder.execute(request, {"from": relayer})
    with brownie.reverts(revert_pattern="ERC2771ForwarderInvalidSigner: .*"):
        forwarder.execute(request, {"from": relayer})
    assert drops.drop(1)[2] == 1


def test_an_expired_forwarded_entry_is_refused(drops, siren, ops, forwarder, forward_request, member_key, relayer):
    open_drop(drops, ops)
    deadline = chain.time() - 10
    request = forward_request(member_key(0), drops, drops.enter.encode_input(1), deadline=deadline)
    with brownie.reverts(err("ERC2771ForwarderExpiredRequest", deadline)):
        forwarder.execute(request, {"from": relayer})
    assert drops.drop(1)[2] == 0


def test_a_forwarded_entry_signed_for_another_chain_is_refused(
    drops, siren, ops, forwarder, forward_request, members, member_key, relayer
):
    open_drop(drops, ops)
    domain = {**domain_from_eip712(forwarder.eip712Domain()), "chainId": 1}
    request = forward_request(member_key(0), drops, drops.enter.encode_input(1), domain=domain)
    with brownie.reverts(revert_pattern=f"ERC2771ForwarderInvalidSigner: 0x[0-9a-f]{{40}}, {members[0].address.lower()}"):
        forwarder.execute(request, {"from": relayer})
    assert drops.drop(1)[2] == 0


def test_a_member_who_entered_through_the_forwarder_cannot_enter_again(
    drops, siren, ops, forwarder, forward_request, members, member_key, relayer
):
    open_drop(drops, ops)
    forwarder.execute(forward_request(member_key(0), drops, drops.enter.encode_input(1)), {"from": relayer})
    with brownie.reverts(err("DropAlreadyEntered", 1, members[0])):
        drops.enter(1, {"from": members[0]})
    # A second, freshly signed request fails inside the forwarded call (OZ 5.0.2 reports FailedInnerCall).
    with brownie.reverts(err("FailedInnerCall")):
        forwarder.execute(forward_request(member_key(0), drops, drops.enter.encode_input(1)), {"from": relayer})
    assert drops.drop(1)[2] == 1


def test_entries_continue_while_issuance_is_paused(drops, stamps, siren, ops, deployer, members):
    open_drop(drops, ops)
    stamps.pause({"from": deployer})
    drops.enter(1, {"from": members[0]})
    assert drops.drop(1)[2] == 1
