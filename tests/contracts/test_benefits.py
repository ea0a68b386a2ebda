"""Benefits: unlocked by level, redeemed once per member, on-chain stock."""
import brownie

from stamp_helpers import unauthorized

UNLIMITED = 2**32 - 1


def _reach_level_2(stamps, member):
    # 103 gives 40 points; thresholds [10, 50, ...]: two give level 2.
    stamps.purchase(103, 2, {"from": member, "value": 2 * 10**16})


def _benefit_err(name, *args):
    from stamp_helpers import err

    return err(name, *args)


def test_create_benefit_stores_and_emits(benefits, deployer):
    tx = benefits.createBenefit(2, 10, "ipfs://coffee", {"from": deployer})
    assert tx.return_value == 1
    assert benefits.benefitCount() == 1
    assert tuple(benefits.benefit(1)) == (2, 10, 0, True, "ipfs://coffee")
    assert tx.events["BenefitConfigured"] == {
        "benefitId": 1, "minLevel": 2, "stock": 10, "active": True, "uri": "ipfs://coffee",
    }


def test_create_benefit_refuses_non_manager(benefits, members):
    with brownie.reverts(unauthorized(members[0], "BENEFIT_MANAGER_ROLE")):
        benefits.createBenefit(1, 1, "", {"from": members[0]})


def test_member_at_level_redeems_benefit(stamps, benefits, journey, members, deployer):
    benefits.createBenefit(2, 10, "ipfs://coffee", {"from": deployer})
    _reach_level_2(stamps, members[0])
    tx = benefits.redeem(1, {"from": members[0]})
    assert benefits.redeemed(1, members[0])
    assert tuple(benefits.benefit(1))[1:3] == (9, 1)
    assert tx.events["BenefitRedeemed"] == {"benefitId": 1, "member": members[0], "stockLeft": 9}


def test_member_above_level_redeems_benefit(stamps, benefits, journey, members, deployer):
    benefits.createBenefit(1, 10, "", {"from": deployer})
    _reach_level_2(stamps, members[0])
    benefits.redeem(1, {"from": members[0]})
    assert benefits.redeemed(1, members[0])


def test_redeem_refuses_member_below_level(stamps, benefits, journey, members, deployer):
    benefits.createBenefit(3, 10, "", {"from": deployer})
    _reach_level_2(stamps, members[0])
    with brownie.reverts(_benefit_err("BenefitLevelTooLow", members[0], 2, 3)):
        benefits.redeem(1, {"from": members[0]})


def test_redeem_refuses_non_member_for_levelled_benefit(benefits, members, deployer):
    benefits.createBenefit(1, 10, "", {"from": deployer})
    with brownie.reverts(_benefit_err("BenefitLevelTooLow", members[0], 0, 1)):
        benefits.redeem(1, {"from": members[0]})


def test_redeem_refuses_second_redemption(stamps, benefits, journey, members, deployer):
    benefits.createBenefit(2, 10, "", {"from": deployer})
    _reach_level_2(stamps, members[0])
    benefits.redeem(1, {"from": members[0]})
    with brownie.reverts(_benefit_err("BenefitAlreadyRedeemed", 1, members[0])):
        benefits.redeem(1, {"from": members[0]})


def test_redeem_refuses_when_out_of_stock(stamps, benefits, journey, members, deployer):
    benefits.createBenefit(2, 1, "", {"from": deployer})
    _reach_level_2(stamps, members[0])
    _reach_level_2(stamps, members[1])
    benefits.redeem(1, {"from": members[0]})
    with brownie.reverts(_benefit_err("BenefitOutOfStock", 1)):
        benefits.redeem(1, {"from": members[1]})


def test_unlimited_stock_never_runs_out(stamps, benefits, journey, members, deployer):
    benefits.createBenefit(0, UNLIMITED, "", {"from": deployer})
    for member in members[:3]:
        benefits.redeem(1, {"from": member})
    assert tuple(benefits.benefit(1))[1:3] == (UNLIMITED, 3)


def test_redeem_refuses_inactive_benefit(benefits, members, deployer):
    benefits.createBenefit(0, 10, "", {"from": deployer})
    benefits.updateBenefit(1, 0, 10, False, "", {"from": deployer})
    with brownie.reverts(_benefit_err("BenefitInactive", 1)):
        benefits.redeem(1, {"from": members[0]})


def test_redeem_refuses_unknown_benefit(benefits, members, deployer):
    benefits.createBenefit(0, 10, "", {"from": deployer})
    for benefit_id in (0, 2):
        with brownie.reverts(_benefit_err("BenefitUnknown", benefit_id)):
            benefits.redeem(benefit_id, {"from": members[0]})


def test_update_benefit_changes_every_field(benefits, deployer):
    benefits.createBenefit(2, 10, "a", {"from": deployer})
    tx = benefits.updateBenefit(1, 3, 4, False, "b", {"from": deployer})
    assert tuple(benefits.benefit(1)) == (3, 4, 0, False, "b")
    assert tx.events["BenefitConfigured"] == {"benefitId": 1, "minLevel": 3, "stock": 4, "active": False, "uri": "b"}


def test_update_benefit_refuses_unknown_benefit(benefits, deployer):
    with brownie.reverts(_benefit_err("BenefitUnknown", 1)):
        benefits.updateBenefit(1, 0, 0, True, "", {"from": deployer})


def test_update_benefit_refuses_non_manager(benefits, members, deployer):
    benefits.createBenefit(0, 10, "", {"from": deployer})
    with brownie.reverts(unauthorized(members[0], "BENEFIT_MANAGER_ROLE")):
        benefits.updateBenefit(1, 0, 0, True, "", {"from": members[0]})


def test_benefits_read_levels_from_stamps(benefits, stamps):
    assert benefits.stamps() == stamps
