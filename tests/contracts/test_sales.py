"""Limited-edition sales: exact price, supply and per-wallet caps, proceeds for the treasury, co-creator share."""
import brownie
import pytest
from brownie import web3

from stamp_helpers import PURCHASE, err, unauthorized

PRICE = 10**16  # stamp 103: 40 points, supply 5, two per wallet


def test_purchase_with_exact_payment_mints_stamp(stamps, journey, members):
    tx = stamps.purchase(103, 2, {"from": members[0], "value": 2 * PRICE})
    assert stamps.balanceOf(members[0], 103) == 2
    assert stamps.pointsOf(members[0]) == 80
    assert stamps.getVotes(members[0]) == 80
    assert stamps.isMember(members[0])
    assert stamps.stampType(103)[3] == 2
    assert stamps.proceeds() == 2 * PRICE
    assert stamps.balance() == 2 * PRICE
    assert tx.events["StampPurchased"] == {
        "buyer": members[0], "stampId": 103, "quantity": 2, "paid": 2 * PRICE, "creatorShare": 0,
    }
    assert tx.events["StampClaimed"] == {
        "member": members[0], "stampId": 103, "method": PURCHASE, "quantity": 2, "ref": 0,
    }


def test_purchase_refuses_underpayment(stamps, journey, members):
    with brownie.reverts(err("OdysseyWrongPayment", PRICE, PRICE - 1)):
        stamps.purchase(103, 1, {"from": members[0], "value": PRICE - 1})


def test_purchase_refuses_overpayment(stamps, journey, members):
    with brownie.reverts(err("OdysseyWrongPayment", 2 * PRICE, 3 * PRICE)):
        stamps.purchase(103, 2, {"from": members[0], "value": 3 * PRICE})


def test_purchase_refuses_zero_quantity(stamps, journey, members):
    with brownie.reverts(err("OdysseyZeroQuantity")):
        stamps.purchase(103, 0, {"from": members[0]})


def test_purchase_refuses_beyond_wallet_cap_at_once(stamps, journey, members):
    with brownie.reverts(err("OdysseyWalletCapExceeded", members[0], 103, 2)):
        stamps.purchase(103, 3, {"from": members[0], "value": 3 * PRICE})


def test_purchase_refuses_beyond_wallet_cap_over_time(stamps, journey, members):
    stamps.purchase(103, 1, {"from": members[0], "value": PRICE})
    stamps.purchase(103, 1, {"from": members[0], "value": PRICE})
    with brownie.reverts(err("OdysseyWalletCapExceeded", members[0], 103, 2)):
        stamps.purchase(103, 1, {"from": members[0], "value": PRICE})


def test_wallet_cap_counts_purchases_not_holdings(stamps, journey, members):
    stamps.purchase(103, 2, {"from": members[0], "value": 2 * PRICE})
    stamps.safeTransferFrom(members[0], members[1], 103, 2, "", {"from": members[0]})
    with brownie.reverts(err("OdysseyWalletCapExceeded", members[0], 103, 2)):
        stamps.purchase(103, 1, {"from": members[0], "value": PRICE})


def test_wallet_cap_ignores_stamps_received_by_transfer(stamps, journey, members):
    stamps.purchase(103, 2, {"from": members[0], "value": 2 * PRICE})
    stamps.safeTransferFrom(members[0], members[1], 103, 2, "", {"from": members[0]})
    stamps.purchase(103, 2, {"from": members[1], "value": 2 * PRICE})
    assert stamps.balanceOf(members[1], 103) == 4


def test_purchase_without_wallet_cap(stamps, journey, members, ops):
    stamps.updateStampType(103, "Open", 0, PRICE, 0, {"from": ops})
    stamps.purchase(103, 7, {"from": members[0], "value": 7 * PRICE})
    assert stamps.balanceOf(members[0], 103) == 7


def test_purchase_refuses_when_sold_out(stamps, journey, members):
    stamps.purchase(103, 2, {"from": members[0], "value": 2 * PRICE})
    stamps.purchase(103, 2, {"from": members[1], "value": 2 * PRICE})
    with brownie.reverts(err("OdysseySoldOut", 103, 5)):
        stamps.purchase(103, 2, {"from": members[2], "value": 2 * PRICE})
    stamps.purchase(103, 1, {"from": members[2], "value": PRICE})
    with brownie.reverts(err("OdysseySoldOut", 103, 5)):
        stamps.purchase(103, 1, {"from": members[3], "value": PRICE})
    assert stamps.stampType(103)[3] == 5


def test_purchase_refuses_stamp_not_for_sale(stamps, journey, members):
    with brownie.reverts(err("OdysseyNotForSale", 101)):
        stamps.purchase(101, 1, {"from": members[0], "value": 0})


def test_purchase_refuses_unknown_stamp(stamps, journey, members):
    with brownie.reverts(err("OdysseyUnknownStamp", 999)):
        stamps.purchase(999, 1, {"from": members[0], "value": PRICE})


def test_purchase_refuses_outside_window(stamps, members, timed_journey):
    start, end = timed_journey(5, 501, start_in=3600, end_in=7200, price=PRICE)
    with brownie.reverts(err("OdysseyOutsideWindow", 5, start, end)):
        stamps.purchase(501, 1, {"from": members[0], "value": PRICE})


def test_purchase_refuses_while_paused(stamps, journey, members, deployer):
    stamps.pause({"from": deployer})
    with brownie.reverts(err("EnforcedPause")):
        stamps.purchase(103, 1, {"from": members[0], "value": PRICE})


def test_withdraw_proceeds_pays_treasury_whoever_calls(stamps, journey, members, treasury):
    stamps.purchase(103, 2, {"from": members[0], "value": 2 * PRICE})
    before = treasury.balance()
    tx = stamps.withdrawProceeds({"from": members[1]})
    assert treasury.balance() - before == 2 * PRICE
    assert stamps.balance() == 0
    assert stamps.proceeds() == 0
    assert tx.events["ProceedsWithdrawn"] == {"treasury": treasury, "amount": 2 * PRICE}


def test_withdraw_proceeds_refuses_when_nothing_held(stamps, journey, members):
    with brownie.reverts(err("OdysseyNothingToWithdraw")):
        stamps.withdrawProceeds({"from": members[0]})


def test_withdraw_proceeds_follows_treasury_change(stamps, journey, members, deployer, accounts, treasury):
    stamps.purchase(103, 1, {"from": members[0], "value": PRICE})
    new_treasury = accounts[3]
    tx = stamps.setTreasury(new_treasury, {"from": deployer})
    assert tx.events["TreasuryChanged"] == {"previousTreasury": treasury, "newTreasury": new_treasury}
    before = new_treasury.balance()
    stamps.withdrawProceeds({"from": members[0]})
    assert new_treasury.balance() - before == PRICE


def test_set_treasury_refuses_non_admin(stamps, members, ops):
    with brownie.reverts(unauthorized(ops, "DEFAULT_ADMIN_ROLE")):
        stamps.setTreasury(ops, {"from": ops})


def test_set_treasury_refuses_zero_address(stamps, deployer):
    with brownie.reverts(err("OdysseyZeroAddress")):
        stamps.setTreasury(brownie.ZERO_ADDRESS, {"from": deployer})


def test_contract_refuses_plain_ether(stamps, members):
    # No receive() or fallback(): plain ether bounces. Checked with an eth_call, because Brownie's revert
    # tracing fails on a revert outside any function on a fresh build (TypeError in its source lookup).
    with pytest.raises(ValueError, match="VM Exception while processing transaction: revert"):
        web3.eth.call({"from": members[0].address, "to": stamps.address, "value": PRICE})
    assert web3.eth.get_balance(stamps.address) == 0


def test_creator_share_is_set_aside_from_proceeds(stamps, journey, members, ops, accounts):
    creator = accounts[3]
    tx = stamps.setCreatorShare(103, creator, 1_000, {"from": ops})
    assert tx.events["CreatorShareSet"] == {"stampId": 103, "creator": creator, "shareBps": 1_000}
    assert tuple(stamps.creatorShare(103)) == (creator, 1_000)
    tx = stamps.purchase(103, 2, {"from": members[0], "value": 2 * PRICE})
    assert tx.events["StampPurchased"]["creatorShare"] == 2 * PRICE // 10
    assert stamps.creatorEarnings(creator) == 2 * PRICE // 10
    assert stamps.proceeds() == 2 * PRICE * 9 // 10


def test_creator_withdraws_own_share_and_treasury_the_rest(stamps, journey, members, ops, accounts, treasury):
    creator = accounts[3]
    stamps.setCreatorShare(103, creator, 2_500, {"from": ops})
    stamps.purchase(103, 2, {"from": members[0], "value": 2 * PRICE})
    creator_before, treasury_before = creator.balance(), treasury.balance()
    tx = stamps.withdrawCreatorEarnings({"from": creator})
    assert tx.events["CreatorEarningsWithdrawn"] == {"creator": creator, "amount": PRICE // 2}
    assert creator.balance() - creator_before == PRICE // 2 - tx.gas_used * tx.gas_price
    stamps.withdrawProceeds({"from": members[1]})
    assert treasury.balance() - treasury_before == 2 * PRICE - PRICE // 2
    assert stamps.balance() == 0


def test_creator_withdrawal_refuses_anyone_without_earnings(stamps, journey, members, ops, accounts):
    stamps.setCreatorShare(103, accounts[3], 1_000, {"from": ops})
    stamps.purchase(103, 1, {"from": members[0], "value": PRICE})
    with brownie.reverts(err("OdysseyNothingToWithdraw")):
        stamps.withdrawCreatorEarnings({"from": members[0]})
    with brownie.reverts(err("OdysseyNothingToWithdraw")):
        stamps.withdrawCreatorEarnings({"from": members[1]})


def test_creator_share_refuses_above_100_percent(stamps, journey, ops, accounts):
    with brownie.reverts(err("OdysseyInvalidBps", 10_001)):
        stamps.setCreatorShare(103, accounts[3], 10_001, {"from": ops})


def test_creator_share_refuses_zero_creator(stamps, journey, ops):
    with brownie.reverts(err("OdysseyZeroAddress")):
        stamps.setCreatorShare(103, brownie.ZERO_ADDRESS, 100, {"from": ops})


def test_creator_share_refuses_unknown_stamp(stamps, ops, accounts):
    with brownie.reverts(err("OdysseyUnknownStamp", 999)):
        stamps.setCreatorShare(999, accounts[3], 100, {"from": ops})


def test_creator_share_refuses_non_manager(stamps, journey, members):
    with brownie.reverts(unauthorized(members[0], "JOURNEY_MANAGER_ROLE")):
        stamps.setCreatorShare(103, members[0], 100, {"from": members[0]})
