"""The DAO's issuance bounds: no stamp type above the points cap, and every minted point — by voucher, allowlist,
airdrop, shop or any module — drawn from one budget of max(floor, bps of all points) that refills over a period."""
import brownie
import pytest
from brownie import chain

from backend.chain.merkle import allowlist_tree
from backend.chain.protocol import ClaimMethod
from stamp_helpers import err, unauthorized

CAP, BPS, FLOOR, PERIOD = 100, 1_000, 50, 86_400  # 10% of all points, at least 50, per day


@pytest.fixture
def tight(stamps, deployer):
    """Tight bounds: a budget of 50 points (no points exist yet) that refills by 50 a day."""
    stamps.setIssuanceBounds(CAP, BPS, FLOOR, PERIOD, {"from": deployer})


@pytest.fixture
def forty(stamps, shop, ops):
    """Journey 5 with stamp types 501..505 of 40 points each; 505 is on sale in the shop."""
    stamps.createJourney(5, "Forty", "", 0, 0, {"from": ops})
    for stamp_id in range(501, 506):
        stamps.createStampType(stamp_id, 5, f"Forty {stamp_id}", 40, False, 0, {"from": ops})
    shop.setListing(505, 10**15, 0, {"from": ops})


def test_set_issuance_bounds_stores_and_emits(stamps, deployer):
    tx = stamps.setIssuanceBounds(CAP, BPS, FLOOR, PERIOD, {"from": deployer})
    assert tuple(stamps.issuanceBounds())[:4] == (CAP, BPS, FLOOR, PERIOD)
    assert tx.events["IssuanceBoundsSet"] == {
        "maxStampPoints": CAP, "budgetBps": BPS, "budgetFloor": FLOOR, "budgetPeriod": PERIOD,
    }


@pytest.mark.parametrize("who", ["ops", "issuer", "relayer"])
def test_only_the_dao_sets_issuance_bounds(stamps, accounts, who):
    account = {"ops": accounts[2], "issuer": accounts[1], "relayer": accounts[3]}[who]
    with brownie.reverts(unauthorized(account, "DEFAULT_ADMIN_ROLE")):
        stamps.setIssuanceBounds(2**32 - 1, 10_000, 2**48 - 1, 1, {"from": account})


@pytest.mark.parametrize("bps, period", [(10_001, PERIOD), (BPS, 0)])
def test_set_issuance_bounds_refuses_impossible_values(stamps, deployer, bps, period):
    with brownie.reverts(err("OdysseyInvalidIssuanceBounds")):
        stamps.setIssuanceBounds(CAP, bps, FLOOR, period, {"from": deployer})


def test_nothing_with_points_exists_before_the_dao_sets_bounds(OdysseyStamps, forwarder, deployer, treasury):
    fresh = OdysseyStamps.deploy("u", deployer, treasury, 500, forwarder, {"from": deployer})
    fresh.createJourney(1, "J", "", 0, 0, {"from": deployer})
    assert fresh.issuanceAvailable() == 0
    with brownie.reverts(err("OdysseyPointsAboveCap", 1, 0)):
        fresh.createStampType(1, 1, "One point", 1, True, 0, {"from": deployer})


def test_first_bounds_start_the_budget_full(OdysseyStamps, forwarder, deployer, treasury):
    fresh = OdysseyStamps.deploy("u", deployer, treasury, 500, forwarder, {"from": deployer})
    fresh.setIssuanceBounds(CAP, BPS, FLOOR, PERIOD, {"from": deployer})
    assert fresh.issuanceAvailable() == FLOOR


def test_stamp_type_above_the_points_cap_is_refused(stamps, journey, ops, tight):
    # Audit finding (t1): ops created a stamp type worth 4,294,967,295 points.
    for points in (CAP + 1, 2**32 - 1):
        with brownie.reverts(err("OdysseyPointsAboveCap", points, CAP)):
            stamps.createStampType(901, 1, "Whale", points, True, 0, {"from": ops})
    stamps.createStampType(901, 1, "At the cap", CAP, True, 0, {"from": ops})
    assert stamps.stampType(901)[1] == CAP


def test_lowering_the_cap_keeps_existing_stamp_types(stamps, journey, members, ops, deployer):
    stamps.setIssuanceBounds(5, BPS, FLOOR, PERIOD, {"from": deployer})
    stamps.airdrop(102, [members[0]], {"from": ops})  # 25 points, created before the cap
    assert stamps.pointsOf(members[0]) == 25


def _mint_40(path, stamps, shop, members, voucher, relayer, ops, stamp_id, index):
    member = members[index]
    if path == "voucher":
        return stamps.claim(*voucher(member, stamp_id, 7000 + index).claim_args(), {"from": relayer})
    if path == "allowlist":
        tree = allowlist_tree([str(member)])
        stamps.setAllowlistRoot(stamp_id, tree.root, {"from": ops})
        return stamps.claimAllowlisted(member, stamp_id, 0, tree.proof(0), {"from": relayer})
    if path == "airdrop":
        return stamps.airdrop(stamp_id, [member], {"from": ops})
    if path == "shop":
        return shop.purchase(505, 1, {"from": member, "value": 10**15})
    raise AssertionError(path)


@pytest.mark.parametrize("path", ["voucher", "allowlist", "airdrop", "shop"])
def test_every_path_draws_from_the_one_budget(stamps, shop, members, voucher, relayer, ops, tight, forty, path):
    stamps.airdrop(501, [members[0]], {"from": ops})  # 40 of the 50
    assert stamps.issuanceAvailable() == FLOOR - 40
    with brownie.reverts(err("OdysseyIssuanceBudgetExceeded", 40, FLOOR - 40)):
        _mint_40(path, stamps, shop, members, voucher, relayer, ops, 502, 1)
    assert stamps.pointsOf(members[1]) == 0


def test_a_module_draws_from_the_budget_too(stamps, members, deployer, accounts, tight, forty):
    module = accounts[9]
    stamps.grantRole(stamps.MINTER_ROLE(), module, {"from": deployer})
    stamps.issue(members[0], 501, 1, ClaimMethod.AIRDROP, 0, {"from": module})
    with brownie.reverts(err("OdysseyIssuanceBudgetExceeded", 40, FLOOR - 40)):
        stamps.issue(members[1], 501, 1, ClaimMethod.AIRDROP, 0, {"from": module})


def test_an_airdrop_over_budget_issues_nobody(stamps, members, ops, tight, forty):
    with brownie.reverts(err("OdysseyIssuanceBudgetExceeded", 40, FLOOR - 40)):
        stamps.airdrop(501, members[:2], {"from": ops})
    assert [stamps.balanceOf(m, 501) for m in members[:2]] == [0, 0]
    assert stamps.issuanceAvailable() == FLOOR


def test_transfers_draw_nothing(stamps, members, ops, tight, forty):
    stamps.airdrop(501, [members[0]], {"from": ops})
    stamps.safeTransferFrom(members[0], members[1], 501, 1, "", {"from": members[0]})
    assert stamps.issuanceAvailable() == FLOOR - 40


def test_budget_refills_linearly_over_its_period(stamps, members, ops, tight, forty):
    stamps.airdrop(501, [members[0]], {"from": ops})
    chain.sleep(PERIOD // 2)
    chain.mine()
    # 10 left, plus 25 refilled over half a day (a few seconds more may add nothing: 50/day is 1 per 1,728 s)
    assert stamps.issuanceAvailable() == 10 + FLOOR // 2
    chain.sleep(PERIOD)
    chain.mine()
    assert stamps.issuanceAvailable() == FLOOR  # never above the budget's size


def test_budget_is_a_share_of_all_points_once_they_outgrow_the_floor(stamps, members, ops, deployer, forty):
    for stamp_id in range(501, 506):
        stamps.airdrop(stamp_id, members, {"from": ops})  # 5 × 5 × 40 = 1,000 points
    stamps.setIssuanceBounds(CAP, BPS, FLOOR, PERIOD, {"from": deployer})
    assert stamps.issuanceAvailable() == 1_000 * BPS // 10_000


def test_new_bounds_keep_what_was_drawn(stamps, members, ops, deployer, tight, forty):
    stamps.airdrop(501, [members[0]], {"from": ops})
    stamps.setIssuanceBounds(CAP, BPS, 1_000, PERIOD, {"from": deployer})
    # the budget is larger now but is not refilled by the change: 10 left, and a day to reach 1,000
    assert stamps.issuanceAvailable() == FLOOR - 40


def test_issue_is_for_modules_the_dao_trusts(stamps, journey, members, ops, issuer):
    for account in (ops, issuer, members[0]):
        with brownie.reverts(unauthorized(account, "MINTER_ROLE")):
            stamps.issue(members[0], 101, 1, ClaimMethod.AIRDROP, 0, {"from": account})


def test_issue_records_method_quantity_and_ref(stamps, journey, members, deployer, accounts):
    module = accounts[9]
    stamps.grantRole(stamps.MINTER_ROLE(), module, {"from": deployer})
    tx = stamps.issue(members[0], 102, 2, ClaimMethod.AIRDROP, 42, {"from": module})
    assert stamps.balanceOf(members[0], 102) == 2
    assert tx.events["StampClaimed"] == {"member": members[0], "stampId": 102, "method": ClaimMethod.AIRDROP, "quantity": 2, "ref": 42}


def test_issue_refuses_zero_quantity_unknown_stamp_closed_window_and_pause(stamps, journey, members, deployer, accounts, timed_journey):
    module = accounts[9]
    stamps.grantRole(stamps.MINTER_ROLE(), module, {"from": deployer})
    with brownie.reverts(err("OdysseyZeroQuantity")):
        stamps.issue(members[0], 101, 0, ClaimMethod.AIRDROP, 0, {"from": module})
    with brownie.reverts(err("OdysseyUnknownStamp", 999)):
        stamps.issue(members[0], 999, 1, ClaimMethod.AIRDROP, 0, {"from": module})
    start, end = timed_journey(6, 601, start_in=3600)
    with brownie.reverts(err("OdysseyOutsideWindow", 6, start, end)):
        stamps.issue(members[0], 601, 1, ClaimMethod.AIRDROP, 0, {"from": module})
    stamps.pause({"from": deployer})
    with brownie.reverts(err("EnforcedPause")):
        stamps.issue(members[0], 101, 1, ClaimMethod.AIRDROP, 0, {"from": module})
