"""Benefits: unlocked by the level at the benefit's snapshot block, for members only, redeemed once per member,
on-chain stock."""
import brownie
from brownie import chain

from stamp_helpers import err, unauthorized

UNLIMITED = 2**32 - 1


def _reach_level_2(shop, member):
    # 103 gives 40 points; thresholds [10, 50, ...]: two give level 2.
    shop.purchase(103, 2, {"from": member, "value": 2 * 10**16})


def test_create_benefit_stores_and_emits(benefits, deployer):
    tx = benefits.createBenefit(2, 10, "ipfs://coffee", {"from": deployer})
    snapshot = tx.block_number - 1
    assert tx.return_value == 1
    assert benefits.benefitCount() == 1
    assert tuple(benefits.benefit(1)) == (2, 10, 0, True, snapshot, "ipfs://coffee")
    assert tx.events["BenefitConfigured"] == {
        "benefitId": 1, "minLevel": 2, "stock": 10, "active": True, "uri": "ipfs://coffee", "snapshot": snapshot,
    }


def test_create_benefit_refuses_non_manager(benefits, members):
    with brownie.reverts(unauthorized(members[0], "BENEFIT_MANAGER_ROLE")):
        benefits.createBenefit(1, 1, "", {"from": members[0]})


def test_member_at_level_redeems_benefit(shop, benefits, journey, members, deployer):
    _reach_level_2(shop, members[0])
    benefits.createBenefit(2, 10, "ipfs://coffee", {"from": deployer})
    tx = benefits.redeem(1, {"from": members[0]})
    assert benefits.redeemed(1, members[0])
    assert tuple(benefits.benefit(1))[1:3] == (9, 1)
    assert tx.events["BenefitRedeemed"] == {"benefitId": 1, "member": members[0], "stockLeft": 9}


def test_member_above_level_redeems_benefit(shop, benefits, journey, members, deployer):
    _reach_level_2(shop, members[0])
    benefits.createBenefit(1, 10, "", {"from": deployer})
    benefits.redeem(1, {"from": members[0]})
    assert benefits.redeemed(1, members[0])


def test_redeem_refuses_member_below_level(shop, benefits, journey, members, deployer):
    _reach_level_2(shop, members[0])
    benefits.createBenefit(3, 10, "", {"from": deployer})
    with brownie.reverts(err("BenefitLevelTooLow", members[0], 2, 3)):
        benefits.redeem(1, {"from": members[0]})


def test_level_reached_after_the_snapshot_does_not_count(shop, benefits, journey, members, deployer):
    benefits.createBenefit(2, 10, "", {"from": deployer})
    _reach_level_2(shop, members[0])
    with brownie.reverts(err("BenefitLevelTooLow", members[0], 0, 2)):
        benefits.redeem(1, {"from": members[0]})


def test_update_measures_levels_anew(shop, benefits, journey, members, deployer):
    benefits.createBenefit(2, 10, "", {"from": deployer})
    _reach_level_2(shop, members[0])
    tx = benefits.updateBenefit(1, 2, 10, True, "", {"from": deployer})
    assert benefits.benefit(1)[4] == tx.block_number - 1
    benefits.redeem(1, {"from": members[0]})
    assert benefits.redeemed(1, members[0])


def test_one_collectible_passed_between_wallets_redeems_once(stamps, shop, benefits, journey, members, deployer):
    # Audit finding (t3): a level-2 set of collectibles moved from wallet to wallet redeemed a benefit in each.
    _reach_level_2(shop, members[0])
    for member in members[1:4]:
        stamps.join({"from": member})
    benefits.createBenefit(2, 10, "ipfs://vip-seat", {"from": deployer})
    benefits.redeem(1, {"from": members[0]})
    for giver, taker in zip(members[0:3], members[1:4]):
        stamps.safeTransferFrom(giver, taker, 103, 2, "", {"from": giver})
        chain.mine()
        assert stamps.levelOf(taker) == 2
        with brownie.reverts(err("BenefitLevelTooLow", taker, 0, 2)):
            benefits.redeem(1, {"from": taker})
    assert benefits.benefit(1)[2] == 1


def test_delegated_points_count_for_the_delegate(stamps, shop, benefits, journey, members, deployer):
    _reach_level_2(shop, members[0])
    stamps.join({"from": members[1]})
    stamps.delegate(members[1], {"from": members[0]})
    benefits.createBenefit(2, 10, "", {"from": deployer})
    with brownie.reverts(err("BenefitLevelTooLow", members[0], 0, 2)):
        benefits.redeem(1, {"from": members[0]})
    benefits.redeem(1, {"from": members[1]})
    assert benefits.redeemed(1, members[1])


def test_redeem_refuses_non_member_even_for_level_zero(benefits, members, deployer):
    benefits.createBenefit(0, 10, "", {"from": deployer})
    with brownie.reverts(err("BenefitNotMember", members[0])):
        benefits.redeem(1, {"from": members[0]})


def test_redeem_refuses_second_redemption(shop, benefits, journey, members, deployer):
    _reach_level_2(shop, members[0])
    benefits.createBenefit(2, 10, "", {"from": deployer})
    benefits.redeem(1, {"from": members[0]})
    with brownie.reverts(err("BenefitAlreadyRedeemed", 1, members[0])):
        benefits.redeem(1, {"from": members[0]})


def test_redeem_refuses_when_out_of_stock(shop, benefits, journey, members, deployer):
    _reach_level_2(shop, members[0])
    _reach_level_2(shop, members[1])
    benefits.createBenefit(2, 1, "", {"from": deployer})
    benefits.redeem(1, {"from": members[0]})
    with brownie.reverts(err("BenefitOutOfStock", 1)):
        benefits.redeem(1, {"from": members[1]})


def test_unlimited_stock_never_runs_out(stamps, benefits, members, deployer):
    for member in members[:3]:
        stamps.join({"from": member})
    benefits.createBenefit(0, UNLIMITED, "", {"from": deployer})
    for member in members[:3]:
        benefits.redeem(1, {"from": member})
    assert tuple(benefits.benefit(1))[1:3] == (UNLIMITED, 3)


def test_redeem_refuses_inactive_benefit(stamps, benefits, members, deployer):
    stamps.join({"from": members[0]})
    benefits.createBenefit(0, 10, "", {"from": deployer})
    benefits.updateBenefit(1, 0, 10, False, "", {"from": deployer})
    with brownie.reverts(err("BenefitInactive", 1)):
        benefits.redeem(1, {"from": members[0]})


def test_redeem_refuses_unknown_benefit(benefits, members, deployer):
    benefits.createBenefit(0, 10, "", {"from": deployer})
    for benefit_id in (0, 2):
        with brownie.reverts(err("BenefitUnknown", benefit_id)):
            benefits.redeem(benefit_id, {"from": members[0]})


def test_update_benefit_changes_every_field(benefits, deployer):
    benefits.createBenefit(2, 10, "a", {"from": deployer})
    tx = benefits.updateBenefit(1, 3, 4, False, "b", {"from": deployer})
    snapshot = tx.block_number - 1
    assert tuple(benefits.benefit(1)) == (3, 4, 0, False, snapshot, "b")
    assert tx.events["BenefitConfigured"] == {
        "benefitId": 1, "minLevel": 3, "stock": 4, "active": False, "uri": "b", "snapshot": snapshot,
    }


def test_update_benefit_refuses_unknown_benefit(benefits, deployer):
    with brownie.reverts(err("BenefitUnknown", 1)):
        benefits.updateBenefit(1, 0, 0, True, "", {"from": deployer})


def test_update_benefit_refuses_non_manager(benefits, members, deployer):
    benefits.createBenefit(0, 10, "", {"from": deployer})
    with brownie.reverts(unauthorized(members[0], "BENEFIT_MANAGER_ROLE")):
        benefits.updateBenefit(1, 0, 0, True, "", {"from": members[0]})


def test_benefits_read_levels_from_stamps(benefits, stamps):
    assert benefits.stamps() == stamps
