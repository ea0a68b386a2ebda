"""The shop: limited editions at an exact price, supply and per-wallet caps, proceeds for the treasury,
co-creator shares; stamps issued through the stamps contract's module path."""
import brownie
import pytest
from brownie import web3

from backend.chain.protocol import ClaimMethod
from stamp_helpers import err, unauthorized

PRICE = 10**16  # stamp 103: 40 points, supply 5, two per wallet


def test_purchase_with_exact_payment_mints_stamp(stamps, shop, journey, members):
    tx = shop.purchase(103, 2, {"from": members[0], "value": 2 * PRICE})
    assert stamps.balanceOf(members[0], 103) == 2
    assert stamps.pointsOf(members[0]) == 80
    assert stamps.getVotes(members[0]) == 80
    assert stamps.isMember(members[0])
    assert stamps.stampType(103)[3] == 2
    assert shop.proceeds() == 2 * PRICE
    assert shop.balance() == 2 * PRICE
    assert tx.events["StampPurchased"] == {
        "buyer": members[0], "stampId": 103, "quantity": 2, "paid": 2 * PRICE, "creatorShare": 0,
    }
    assert tx.events["StampClaimed"] == {
        "member": members[0], "stampId": 103, "method": ClaimMethod.PURCHASE, "quantity": 2, "ref": 0,
    }


def test_purchase_refuses_underpayment(shop, journey, members):
    with brownie.reverts(err("ShopWrongPayment", PRICE, PRICE - 1)):
        shop.purchase(103, 1, {"from": members[0], "value": PRICE - 1})


def test_purchase_refuses_overpayment(shop, journey, members):
    with brownie.reverts(err("ShopWrongPayment", 2 * PRICE, 3 * PRICE)):
        shop.purchase(103, 2, {"from": members[0], "value": 3 * PRICE})


def test_purchase_refuses_zero_quantity(shop, journey, members):
    with brownie.reverts(err("ShopZeroQuantity")):
        shop.purchase(103, 0, {"from": members[0]})


def test_purchase_refuses_beyond_wallet_cap_at_once(shop, journey, members):
    with brownie.reverts(err("ShopWalletCapExceeded", members[0], 103, 2)):
        shop.purchase(103, 3, {"from": members[0], "value": 3 * PRICE})


def test_purchase_refuses_beyond_wallet_cap_over_time(shop, journey, members):
    shop.purchase(103, 1, {"from": members[0], "value": PRICE})
    shop.purchase(103, 1, {"from": members[0], "value": PRICE})
    with brownie.reverts(err("ShopWalletCapExceeded", members[0], 103, 2)):
        shop.purchase(103, 1, {"from": members[0], "value": PRICE})


def test_wallet_cap_counts_purchases_not_holdings(stamps, shop, journey, members):
    shop.purchase(103, 2, {"from": members[0], "value": 2 * PRICE})
    stamps.safeTransferFrom(members[0], members[1], 103, 2, "", {"from": members[0]})
    with brownie.reverts(err("ShopWalletCapExceeded", members[0], 103, 2)):
        shop.purchase(103, 1, {"from": members[0], "value": PRICE})


def test_wallet_cap_ignores_stamps_received_by_transfer(stamps, shop, journey, members):
    shop.purchase(103, 2, {"from": members[0], "value": 2 * PRICE})
    stamps.safeTransferFrom(members[0], members[1], 103, 2, "", {"from": members[0]})
    shop.purchase(103, 2, {"from": members[1], "value": 2 * PRICE})
    assert stamps.balanceOf(members[1], 103) == 4


def test_purchase_without_wallet_cap(stamps, shop, journey, members, ops):
    stamps.updateStampType(103, "Open", 0, {"from": ops})
    shop.setListing(103, PRICE, 0, {"from": ops})
    shop.purchase(103, 7, {"from": members[0], "value": 7 * PRICE})
    assert stamps.balanceOf(members[0], 103) == 7


def test_purchase_refuses_when_sold_out(stamps, shop, journey, members):
    shop.purchase(103, 2, {"from": members[0], "value": 2 * PRICE})
    shop.purchase(103, 2, {"from": members[1], "value": 2 * PRICE})
    with brownie.reverts(err("OdysseySoldOut", 103, 5)):
        shop.purchase(103, 2, {"from": members[2], "value": 2 * PRICE})
    shop.purchase(103, 1, {"from": members[2], "value": PRICE})
    with brownie.reverts(err("OdysseySoldOut", 103, 5)):
        shop.purchase(103, 1, {"from": members[3], "value": PRICE})
    assert stamps.stampType(103)[3] == 5


def test_purchase_refuses_stamp_not_for_sale(shop, journey, members):
    with brownie.reverts(err("ShopNotForSale", 101)):
        shop.purchase(101, 1, {"from": members[0], "value": 0})


def test_purchase_refuses_unknown_stamp(shop, journey, members):
    with brownie.reverts(err("ShopNotForSale", 999)):
        shop.purchase(999, 1, {"from": members[0], "value": PRICE})


def test_purchase_refuses_outside_window(shop, members, timed_journey):
    start, end = timed_journey(5, 501, start_in=3600, end_in=7200, price=PRICE)
    with brownie.reverts(err("OdysseyOutsideWindow", 5, start, end)):
        shop.purchase(501, 1, {"from": members[0], "value": PRICE})


def test_purchase_refuses_while_paused(stamps, shop, journey, members, deployer):
    stamps.pause({"from": deployer})
    with brownie.reverts(err("EnforcedPause")):
        shop.purchase(103, 1, {"from": members[0], "value": PRICE})


def test_withdraw_proceeds_pays_treasury_whoever_calls(shop, journey, members, treasury):
    shop.purchase(103, 2, {"from": members[0], "value": 2 * PRICE})
    before = treasury.balance()
    tx = shop.withdrawProceeds({"from": members[1]})
    assert treasury.balance() - before == 2 * PRICE
    assert shop.balance() == 0
    assert shop.proceeds() == 0
    assert tx.events["ProceedsWithdrawn"] == {"treasury": treasury, "amount": 2 * PRICE}


def test_withdraw_proceeds_refuses_when_nothing_held(shop, journey, members):
    with brownie.reverts(err("ShopNothingToWithdraw")):
        shop.withdrawProceeds({"from": members[0]})


def test_withdraw_proceeds_follows_treasury_change(stamps, shop, journey, members, deployer, accounts, treasury):
    shop.purchase(103, 1, {"from": members[0], "value": PRICE})
    new_treasury = accounts[3]
    tx = stamps.setTreasury(new_treasury, {"from": deployer})
    assert tx.events["TreasuryChanged"] == {"previousTreasury": treasury, "newTreasury": new_treasury}
    before = new_treasury.balance()
    shop.withdrawProceeds({"from": members[0]})
    assert new_treasury.balance() - before == PRICE


def test_set_treasury_refuses_non_admin(stamps, members, ops):
    with brownie.reverts(unauthorized(ops, "DEFAULT_ADMIN_ROLE")):
        stamps.setTreasury(ops, {"from": ops})


def test_set_treasury_refuses_zero_address(stamps, deployer):
    with brownie.reverts(err("OdysseyZeroAddress")):
        stamps.setTreasury(brownie.ZERO_ADDRESS, {"from": deployer})


@pytest.mark.parametrize("name", ["stamps", "shop"])
def test_contract_refuses_plain_ether(stamps, shop, members, name):
    # No receive() or fallback(): plain ether bounces. Checked with an eth_call, because Brownie's revert
    # tracing fails on a revert outside any function on a fresh build (TypeError in its source lookup).
    contract = {"stamps": stamps, "shop": shop}[name]
    with pytest.raises(ValueError, match="VM Exception while processing transaction: revert"):
        web3.eth.call({"from": members[0].address, "to": contract.address, "value": PRICE})
    assert web3.eth.get_balance(contract.address) == 0


def test_creator_share_is_set_aside_from_proceeds(shop, journey, members, ops, accounts, deployer):
    creator = accounts[3]
    tx = shop.setCreatorShare(103, creator, 1_000, {"from": deployer})
    assert tx.events["CreatorShareSet"] == {"stampId": 103, "creator": creator, "shareBps": 1_000}
    assert tuple(shop.creatorShare(103)) == (creator, 1_000)
    tx = shop.purchase(103, 2, {"from": members[0], "value": 2 * PRICE})
    assert tx.events["StampPurchased"]["creatorShare"] == 2 * PRICE // 10
    assert shop.creatorEarnings(creator) == 2 * PRICE // 10
    assert shop.proceeds() == 2 * PRICE * 9 // 10


def test_creator_withdraws_own_share_and_treasury_the_rest(shop, journey, members, ops, accounts, treasury, deployer):
    creator = accounts[3]
    shop.setCreatorShare(103, creator, 2_500, {"from": deployer})
    shop.purchase(103, 2, {"from": members[0], "value": 2 * PRICE})
    creator_before, treasury_before = creator.balance(), treasury.balance()
    tx = shop.withdrawCreatorEarnings({"from": creator})
    assert tx.events["CreatorEarningsWithdrawn"] == {"creator": creator, "amount": PRICE // 2}
    assert creator.balance() - creator_before == PRICE // 2 - tx.gas_used * tx.gas_price
    shop.withdrawProceeds({"from": members[1]})
    assert treasury.balance() - treasury_before == 2 * PRICE - PRICE // 2
    assert shop.balance() == 0


def test_creator_withdrawal_refuses_anyone_without_earnings(shop, journey, members, ops, accounts, deployer):
    shop.setCreatorShare(103, accounts[3], 1_000, {"from": deployer})
    shop.purchase(103, 1, {"from": members[0], "value": PRICE})
    with brownie.reverts(err("ShopNothingToWithdraw")):
        shop.withdrawCreatorEarnings({"from": members[0]})
    with brownie.reverts(err("ShopNothingToWithdraw")):
        shop.withdrawCreatorEarnings({"from": members[1]})


def test_creator_share_refuses_above_100_percent(shop, journey, ops, accounts, deployer):
    with brownie.reverts(err("ShopInvalidBps", 10_001)):
        shop.setCreatorShare(103, accounts[3], 10_001, {"from": deployer})


def test_creator_share_refuses_zero_creator(shop, journey, ops, deployer):
    with brownie.reverts(err("ShopZeroAddress")):
        shop.setCreatorShare(103, brownie.ZERO_ADDRESS, 100, {"from": deployer})


def test_creator_share_refuses_unknown_stamp(shop, ops, accounts, deployer):
    with brownie.reverts(err("ShopUnknownStamp", 999)):
        shop.setCreatorShare(999, accounts[3], 100, {"from": deployer})


def test_creator_share_refuses_ops(shop, journey, ops):
    # Ops set prices; only the DAO and the idea board (CREATOR_SHARE_ROLE) give co-creators a share.
    with brownie.reverts(unauthorized(ops, "CREATOR_SHARE_ROLE")):
        shop.setCreatorShare(103, ops, 100, {"from": ops})


def test_set_listing_stores_and_emits(shop, journey, ops):
    tx = shop.setListing(102, 5 * 10**15, 3, {"from": ops})
    assert tuple(shop.listing(102)) == (5 * 10**15, 3)
    assert tx.events["ListingSet"] == {"stampId": 102, "price": 5 * 10**15, "walletCap": 3}


def test_set_listing_to_zero_takes_stamp_off_sale(shop, journey, ops, members):
    shop.setListing(103, 0, 0, {"from": ops})
    with brownie.reverts(err("ShopNotForSale", 103)):
        shop.purchase(103, 1, {"from": members[0], "value": 0})


def test_set_listing_refuses_unknown_stamp(shop, journey, ops):
    with brownie.reverts(err("ShopUnknownStamp", 999)):
        shop.setListing(999, PRICE, 0, {"from": ops})


def test_set_listing_refuses_non_manager(shop, journey, members):
    with brownie.reverts(unauthorized(members[0], "SHOP_MANAGER_ROLE")):
        shop.setListing(103, 1, 0, {"from": members[0]})


def test_purchased_counts_per_buyer(shop, journey, members):
    shop.purchase(103, 2, {"from": members[0], "value": 2 * PRICE})
    assert (shop.purchased(103, members[0]), shop.purchased(103, members[1])) == (2, 0)


def test_shop_without_minter_role_sells_nothing(stamps, shop, journey, members, deployer):
    stamps.revokeRole(stamps.MINTER_ROLE(), shop, {"from": deployer})
    with brownie.reverts(unauthorized(shop, "MINTER_ROLE")):
        shop.purchase(103, 1, {"from": members[0], "value": PRICE})
    assert shop.balance() == 0


def test_shop_refuses_zero_addresses(OdysseyShop, stamps, forwarder, deployer):
    with brownie.reverts(err("ShopZeroAddress")):
        OdysseyShop.deploy(brownie.ZERO_ADDRESS, deployer, forwarder, {"from": deployer})
    with brownie.reverts(err("ShopZeroAddress")):
        OdysseyShop.deploy(stamps, brownie.ZERO_ADDRESS, forwarder, {"from": deployer})
