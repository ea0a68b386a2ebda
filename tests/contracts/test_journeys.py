"""Journeys and stamp types: explicit ids, claim windows, fixed points and soulbound flag, role checks."""
import brownie

from stamp_helpers import err, unauthorized


def test_create_journey_stores_and_emits_every_field(stamps, ops):
    tx = stamps.createJourney(7, "Holiday", "ipfs://holiday", 100, 200, {"from": ops})
    assert tuple(stamps.journey(7)) == ("Holiday", "ipfs://holiday", 100, 200)
    assert tx.events["JourneyConfigured"] == {
        "journeyId": 7, "name": "Holiday", "uri": "ipfs://holiday", "start": 100, "end": 200,
    }


def test_create_journey_accepts_open_ended_window(stamps, ops):
    stamps.createJourney(7, "Always", "", 0, 0, {"from": ops})
    assert tuple(stamps.journey(7)) == ("Always", "", 0, 0)


def test_create_journey_refuses_id_zero(stamps, ops):
    with brownie.reverts(err("OdysseyInvalidId", 0)):
        stamps.createJourney(0, "Zero", "", 0, 0, {"from": ops})


def test_create_journey_refuses_id_above_32_bits(stamps, ops):
    with brownie.reverts(err("OdysseyInvalidId", 2**32)):
        stamps.createJourney(2**32, "Big", "", 0, 0, {"from": ops})


def test_create_journey_refuses_empty_name(stamps, ops):
    with brownie.reverts(err("OdysseyInvalidId", 7)):
        stamps.createJourney(7, "", "", 0, 0, {"from": ops})


def test_create_journey_refuses_existing_id(stamps, journey, ops):
    with brownie.reverts(err("OdysseyJourneyExists", 1)):
        stamps.createJourney(1, "Again", "", 0, 0, {"from": ops})


def test_create_journey_refuses_end_before_start(stamps, ops):
    with brownie.reverts(err("OdysseyInvalidWindow", 200, 100)):
        stamps.createJourney(7, "Backwards", "", 200, 100, {"from": ops})


def test_create_journey_refuses_non_manager(stamps, members):
    with brownie.reverts(unauthorized(members[0], "JOURNEY_MANAGER_ROLE")):
        stamps.createJourney(7, "Mine", "", 0, 0, {"from": members[0]})


def test_update_journey_changes_fields(stamps, journey, ops):
    tx = stamps.updateJourney(1, "Origins II", "ipfs://2", 10, 20, {"from": ops})
    assert tuple(stamps.journey(1)) == ("Origins II", "ipfs://2", 10, 20)
    assert tx.events["JourneyConfigured"]["name"] == "Origins II"


def test_update_journey_refuses_unknown_journey(stamps, ops):
    with brownie.reverts(err("OdysseyUnknownJourney", 9)):
        stamps.updateJourney(9, "Nope", "", 0, 0, {"from": ops})


def test_update_journey_refuses_non_manager(stamps, journey, issuer):
    with brownie.reverts(unauthorized(issuer, "JOURNEY_MANAGER_ROLE")):
        stamps.updateJourney(1, "Mine", "", 0, 0, {"from": issuer})


def test_create_stamp_type_stores_and_emits_every_field(stamps, journey, ops):
    tx = stamps.createStampType(201, 1, "Roastery", 30, False, 100, {"from": ops})
    assert tuple(stamps.stampType(201)) == (1, 30, 100, 0, False)
    assert stamps.stampName(201) == "Roastery"
    assert tx.events["StampTypeConfigured"] == {
        "stampId": 201, "journeyId": 1, "name": "Roastery", "points": 30, "maxSupply": 100, "soulbound": False,
    }
    assert "Locked" not in tx.events


def test_create_soulbound_stamp_type_emits_locked(stamps, journey, ops):
    tx = stamps.createStampType(201, 1, "Badge", 5, True, 0, {"from": ops})
    assert tx.events["Locked"] == {"tokenId": 201}
    assert stamps.locked(201)


def test_create_stamp_type_refuses_id_zero(stamps, journey, ops):
    with brownie.reverts(err("OdysseyInvalidId", 0)):
        stamps.createStampType(0, 1, "Zero", 5, True, 0, {"from": ops})


def test_create_stamp_type_refuses_existing_id(stamps, journey, ops):
    with brownie.reverts(err("OdysseyStampExists", 101)):
        stamps.createStampType(101, 1, "Again", 5, True, 0, {"from": ops})


def test_create_stamp_type_refuses_unknown_journey(stamps, ops):
    with brownie.reverts(err("OdysseyUnknownJourney", 9)):
        stamps.createStampType(201, 9, "Orphan", 5, True, 0, {"from": ops})


def test_create_stamp_type_refuses_non_manager(stamps, journey, deployer, members):
    with brownie.reverts(unauthorized(members[0], "JOURNEY_MANAGER_ROLE")):
        stamps.createStampType(201, 1, "Mine", 5, True, 0, {"from": members[0]})


def test_update_stamp_type_changes_name_and_supply(stamps, journey, ops):
    tx = stamps.updateStampType(103, "Renamed", 10, {"from": ops})
    assert tuple(stamps.stampType(103)) == (1, 40, 10, 0, False)
    assert stamps.stampName(103) == "Renamed"
    assert tx.events["StampTypeConfigured"]["maxSupply"] == 10


def test_update_stamp_type_keeps_points_and_soulbound_flag(stamps, journey, ops):
    stamps.updateStampType(101, "Renamed", 1, {"from": ops})
    stamp = stamps.stampType(101)
    assert stamp[1] == 10 and stamp[4] is True


def test_update_stamp_type_refuses_supply_below_minted(stamps, journey, ops, members, voucher, relayer):
    stamps.claim(*voucher(members[0], 102, 1).claim_args(), {"from": relayer})
    stamps.claim(*voucher(members[1], 102, 2).claim_args(), {"from": relayer})
    with brownie.reverts(err("OdysseySupplyBelowMinted", 102, 1, 2)):
        stamps.updateStampType(102, "Farm Visit", 1, {"from": ops})


def test_update_stamp_type_may_lift_supply_cap(stamps, journey, ops, members, voucher, relayer):
    stamps.claim(*voucher(members[0], 102, 1).claim_args(), {"from": relayer})
    stamps.updateStampType(102, "Farm Visit", 0, {"from": ops})
    assert stamps.stampType(102)[2] == 0


def test_update_stamp_type_refuses_unknown_stamp(stamps, journey, ops):
    with brownie.reverts(err("OdysseyUnknownStamp", 999)):
        stamps.updateStampType(999, "Nope", 0, {"from": ops})


def test_update_stamp_type_refuses_non_manager(stamps, journey, issuer):
    with brownie.reverts(unauthorized(issuer, "JOURNEY_MANAGER_ROLE")):
        stamps.updateStampType(101, "Mine", 0, {"from": issuer})


def test_unknown_stamp_type_reads_as_zero(stamps):
    assert tuple(stamps.stampType(999)) == (0, 0, 0, 0, False)
