"""After the draw: winners claim their stamp through OdysseyStamps.issue, losers of a paid drop get their deposit
back in full, anyone may submit either for the entrant, and claimed prices go to the treasury only."""
import brownie
from brownie import chain

from drop_helpers import (  # noqa: F401
    PRICE, SIREN, SIREN_JOURNEY, SIREN_POINTS, enter_and_draw, open_drop, plain, siren,
    winners_and_losers,
)
from backend.chain.protocol import ClaimMethod, EntryStatus
from stamp_helpers import err


def drawn(drops, ops, members, price=0, supply=2):
    """Drop 1 of `supply` Siren stamps entered by members 0-3 and drawn; returns (winners, losers)."""
    open_drop(drops, ops, price=price, supply=supply)
    enter_and_draw(drops, 1, members[:4], members[0], price)
    return winners_and_losers(drops, 1, members[:4])


def test_winner_claims_the_stamp(drops, stamps, siren, ops, members):
    (winner, _), _ = drawn(drops, ops, members)
    points = stamps.pointsOf(winner)
    tx = drops.claim(1, winner, {"from": winner})
    assert stamps.balanceOf(winner, SIREN) == 1
    assert stamps.pointsOf(winner) == points + SIREN_POINTS
    position = drops.entry(1, winner)[0]
    assert tx.events["DropClaimed"] == {"dropId": 1, "member": winner, "position": position}
    assert tx.events["StampClaimed"] == {"member": winner, "stampId": SIREN, "method": ClaimMethod.DROP, "quantity": 1, "ref": 1}
    assert plain(drops.entry(1, winner)) == (position, EntryStatus.CLAIMED)


def test_anyone_submits_a_claim_and_the_stamp_goes_to_the_winner(drops, stamps, siren, ops, members, relayer):
    (winner, _), _ = drawn(drops, ops, members)
    balance = winner.balance()
    drops.claim(1, winner, {"from": relayer})
    assert stamps.balanceOf(winner, SIREN) == 1
    assert stamps.balanceOf(relayer, SIREN) == 0
    assert winner.balance() == balance


def test_a_loser_cannot_claim(drops, siren, ops, members):
    _, (loser, _) = drawn(drops, ops, members)
    with brownie.reverts(err("DropNotWinner", 1, loser)):
        drops.claim(1, loser, {"from": loser})


def test_a_win_is_claimed_once(drops, siren, ops, members):
    (winner, _), _ = drawn(drops, ops, members)
    drops.claim(1, winner, {"from": winner})
    with brownie.reverts(err("DropAlreadyClaimed", 1, winner)):
        drops.claim(1, winner, {"from": winner})


def test_claims_wait_for_the_draw(drops, siren, ops, members):
    open_drop(drops, ops)
    drops.enter(1, {"from": members[0]})
    with brownie.reverts(err("DropNotDrawn", 1)):
        drops.claim(1, members[0], {"from": members[0]})
    with brownie.reverts(err("DropNotDrawn", 1)):
        drops.refund(1, members[0], {"from": members[0]})


def test_someone_who_did_not_enter_claims_and_refunds_nothing(drops, siren, ops, members):
    drawn(drops, ops, members, price=PRICE)
    with brownie.reverts(err("DropNotEntered", 1, members[4])):
        drops.claim(1, members[4], {"from": members[4]})
    with brownie.reverts(err("DropNotEntered", 1, members[4])):
        drops.refund(1, members[4], {"from": members[4]})


def test_pausing_issuance_stops_claims_not_refunds(drops, stamps, siren, ops, members, deployer):
    (winner, _), (loser, _) = drawn(drops, ops, members, price=PRICE)
    stamps.pause({"from": deployer})
    with brownie.reverts(err("EnforcedPause")):
        drops.claim(1, winner, {"from": winner})
    drops.refund(1, loser, {"from": loser})
    stamps.unpause({"from": deployer})
    drops.claim(1, winner, {"from": winner})  # nothing was lost while paused
    assert stamps.balanceOf(winner, SIREN) == 1


def test_claims_respect_the_journey_window(drops, stamps, siren, ops, members):
    (winner, _), _ = drawn(drops, ops, members)
    now = chain.time()
    stamps.updateJourney(SIREN_JOURNEY, "Siren Collection", "ipfs://siren", now + 3600, 0, {"from": ops})
    with brownie.reverts(err("OdysseyOutsideWindow", SIREN_JOURNEY, now + 3600, 0)):
        drops.claim(1, winner, {"from": winner})


def test_a_loser_gets_the_deposit_back_in_full(drops, siren, ops, members, relayer):
    _, (loser, _) = drawn(drops, ops, members, price=PRICE)
    balance = loser.balance()
    tx = drops.refund(1, loser, {"from": relayer})  # relayed: the loser pays no gas
    assert loser.balance() == balance + PRICE
    position = drops.entry(1, loser)[0]
    assert tx.events["DropRefunded"] == {"dropId": 1, "member": loser, "position": position, "amount": PRICE}
    assert plain(drops.entry(1, loser)) == (position, EntryStatus.REFUNDED)


def test_a_deposit_is_refunded_once(drops, siren, ops, members):
    _, (loser, _) = drawn(drops, ops, members, price=PRICE)
    drops.refund(1, loser, {"from": loser})
    with brownie.reverts(err("DropAlreadyRefunded", 1, loser)):
        drops.refund(1, loser, {"from": loser})
    with brownie.reverts(err("DropAlreadyRefunded", 1, loser)):
        drops.claim(1, loser, {"from": loser})


def test_a_winner_claims_rather_than_refunds(drops, siren, ops, members):
    (winner, _), _ = drawn(drops, ops, members, price=PRICE)
    with brownie.reverts(err("DropWon", 1, winner)):
        drops.refund(1, winner, {"from": winner})
    drops.claim(1, winner, {"from": winner})
    with brownie.reverts(err("DropAlreadyClaimed", 1, winner)):
        drops.refund(1, winner, {"from": winner})


def test_a_winner_is_refunded_once_the_stamp_is_sold_out(drops, stamps, siren, ops, members):
    (winner, _), _ = drawn(drops, ops, members, price=PRICE)
    minted = stamps.stampType(SIREN)[3]
    stamps.updateStampType(SIREN, "Siren", minted + 1, {"from": ops})
    stamps.airdrop(SIREN, [members[4]], {"from": ops})  # the last one, issued another way
    balance = winner.balance()
    drops.refund(1, winner, {"from": members[4]})
    assert winner.balance() == balance + PRICE


def test_a_winner_is_refunded_once_the_journey_has_ended(drops, stamps, siren, ops, members):
    (winner, _), _ = drawn(drops, ops, members, price=PRICE)
    stamps.updateJourney(SIREN_JOURNEY, "Siren Collection", "ipfs://siren", 0, chain.time() - 10, {"from": ops})
    balance = winner.balance()
    drops.refund(1, winner, {"from": members[4]})
    assert winner.balance() == balance + PRICE


def test_a_free_drop_has_nothing_to_refund(drops, siren, ops, members):
    _, (loser, _) = drawn(drops, ops, members)
    with brownie.reverts(err("DropNothingToRefund", 1)):
        drops.refund(1, loser, {"from": loser})


def test_claimed_prices_go_to_the_treasury_and_nowhere_else(drops, stamps, siren, ops, members, treasury):
    winners, losers = drawn(drops, ops, members, price=PRICE)
    for winner in winners:
        drops.claim(1, winner, {"from": winner})
    for loser in losers:
        drops.refund(1, loser, {"from": loser})
    assert drops.proceeds() == 2 * PRICE
    before = treasury.balance()
    tx = drops.withdrawProceeds({"from": ops})  # anyone may send them; they go to the treasury
    assert treasury.balance() == before + 2 * PRICE
    assert tx.events["ProceedsWithdrawn"] == {"treasury": stamps.treasury(), "amount": 2 * PRICE}
    assert drops.balance() == 0 and drops.proceeds() == 0
    with brownie.reverts(err("DropNothingToWithdraw")):
        drops.withdrawProceeds({"from": ops})


def test_unclaimed_wins_stay_in_escrow(drops, siren, ops, members):
    drawn(drops, ops, members, price=PRICE)
    assert drops.balance() == 4 * PRICE
    with brownie.reverts(err("DropNothingToWithdraw")):
        drops.withdrawProceeds({"from": ops})
