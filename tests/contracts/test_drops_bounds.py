"""The DAO's bounds hold through drops: claims draw on the issuance budget like every mint, and the drop manager
cannot mint, rewrite a drop once entered, pick the seed, or take what entrants escrowed."""
import brownie
from brownie import chain

from drop_helpers import PRICE, SIREN, SIREN_POINTS, enter_and_draw, open_drop, rules, siren, winners_and_losers  # noqa: F401
from backend.chain.protocol import ClaimMethod
from stamp_helpers import err, unauthorized

WEEK = 7 * 86400


def test_claims_cannot_overdraw_the_daos_issuance_budget(drops, stamps, siren, ops, members, deployer):
    # A budget of one Siren stamp a week. Opening a drop of two is allowed: the budget refills over time, so what
    # is left today says nothing about the claims to come (docs/drops.md).
    stamps.setIssuanceBounds(1000, 0, SIREN_POINTS, WEEK, {"from": deployer})
    open_drop(drops, ops, supply=2)
    enter_and_draw(drops, 1, members[:4], members[0])
    first, second = winners_and_losers(drops, 1, members[:4])[0]
    drops.claim(1, first, {"from": first})
    with brownie.reverts(err("OdysseyIssuanceBudgetExceeded", SIREN_POINTS, 0)):
        drops.claim(1, second, {"from": second})
    assert drops.entry(1, second)[1] == 1  # still a win to claim
    chain.sleep(WEEK)
    drops.claim(1, second, {"from": second})
    assert stamps.balanceOf(second, SIREN) == 1


def test_the_drop_manager_cannot_mint(drops, stamps, siren, ops):
    with brownie.reverts(unauthorized(ops, "MINTER_ROLE")):
        stamps.issue(ops, SIREN, 1, ClaimMethod.DROP, 1, {"from": ops})
    with brownie.reverts(unauthorized(ops, "DEFAULT_ADMIN_ROLE")):
        stamps.grantRole(stamps.MINTER_ROLE(), ops, {"from": ops})


def test_the_drop_manager_cannot_enter_its_own_drop_without_eligibility(drops, siren, ops):
    open_drop(drops, ops)
    with brownie.reverts(err("DropLevelTooLow", 1, ops, 0, 10)):
        drops.enter(1, {"from": ops})


def test_the_drop_manager_cannot_hand_out_its_role(drops, siren, ops, members):
    with brownie.reverts(unauthorized(ops, "DEFAULT_ADMIN_ROLE")):
        drops.grantRole(drops.DROP_MANAGER_ROLE(), members[0], {"from": ops})


def test_the_drop_manager_cannot_shorten_or_redirect_an_entered_drop(drops, siren, ops, members):
    r = rules(price=PRICE, window=30)
    drops.openDrop(1, r, {"from": ops})
    drops.enter(1, {"from": members[0], "value": PRICE})
    cheaper = (r[0], r[1], 0, r[3], r[4], chain.height + 2, r[6])
    with brownie.reverts(err("DropRulesFixed", 1, 1)):
        drops.updateDrop(1, cheaper, {"from": ops})
    assert drops.drop(1)[0][5] == r[5]


def test_the_drop_manager_cannot_draw_early_or_move_a_readable_seed(drops, siren, ops, members):
    open_drop(drops, ops, window=2)
    drops.enter(1, {"from": members[0]})
    seed_block = drops.drop(1)[3]
    with brownie.reverts(err("DropSeedBlockNotReached", 1, seed_block)):
        drops.draw(1, {"from": ops})
    with brownie.reverts(err("DropSeedBlockNotExpired", 1, seed_block)):
        drops.moveSeedBlock(1, {"from": ops})


def test_the_drop_manager_cannot_take_the_escrow(drops, siren, ops, members, treasury):
    open_drop(drops, ops, price=PRICE)
    enter_and_draw(drops, 1, members[:4], members[0], PRICE)
    winners, losers = winners_and_losers(drops, 1, members[:4])
    ops_balance = ops.balance()
    with brownie.reverts(err("DropNotEntered", 1, ops)):
        drops.refund(1, ops, {"from": ops})
    with brownie.reverts(err("DropNothingToWithdraw")):
        drops.withdrawProceeds({"from": ops})
    drops.refund(1, losers[0], {"from": ops})  # submitted by ops, paid to the loser
    drops.claim(1, winners[0], {"from": ops})
    treasury_balance = treasury.balance()
    drops.withdrawProceeds({"from": ops})
    assert treasury.balance() == treasury_balance + PRICE
    assert ops.balance() < ops_balance  # ops only ever paid gas
    assert drops.balance() == 2 * PRICE  # one unclaimed win and one unrefunded loss
