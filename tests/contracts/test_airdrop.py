"""Ops airdrops: one stamp type to many members in one transaction, skipping holders, within supply."""
import secrets

import brownie
from brownie import accounts

from backend.chain.protocol import ClaimMethod
from stamp_helpers import err, unauthorized


def test_airdrop_gives_stamp_to_every_recipient(stamps, journey, members, ops):
    tx = stamps.airdrop(101, members, {"from": ops})
    assert all(stamps.balanceOf(m, 101) == 1 for m in members)
    assert all(stamps.pointsOf(m) == 10 for m in members)
    assert tx.return_value == len(members)
    assert stamps.stampType(101)[3] == len(members)


def test_airdrop_emits_stamp_claimed_per_recipient(stamps, journey, members, ops):
    tx = stamps.airdrop(101, members[:2], {"from": ops})
    assert [dict(e) for e in tx.events["StampClaimed"]] == [
        {"member": m, "stampId": 101, "method": ClaimMethod.AIRDROP, "quantity": 1, "ref": 0} for m in members[:2]
    ]


def test_airdrop_joins_new_members_with_implicit_self_delegation(stamps, journey, members, ops):
    stamps.airdrop(101, members[:2], {"from": ops})
    assert stamps.memberCount() == 2
    assert stamps.delegates(members[1]) == members[1]
    assert stamps.getVotes(members[1]) == 10


def test_airdrop_skips_holders_without_reverting(stamps, journey, members, ops, voucher, relayer):
    stamps.claim(*voucher(members[1], 101, 1).claim_args(), {"from": relayer})
    tx = stamps.airdrop(101, members[:3], {"from": ops})
    assert tx.return_value == 2
    assert tx.events["AirdropSkipped"] == {"member": members[1], "stampId": 101}
    assert stamps.balanceOf(members[1], 101) == 1
    assert stamps.pointsOf(members[1]) == 10
    assert stamps.stampType(101)[3] == 3


def test_airdrop_skips_duplicates_in_one_batch(stamps, journey, members, ops):
    tx = stamps.airdrop(101, [members[0], members[0], members[1]], {"from": ops})
    assert tx.return_value == 2
    assert stamps.balanceOf(members[0], 101) == 1
    assert len(tx.events["AirdropSkipped"]) == 1


def test_airdrop_rerun_mints_nobody_twice(stamps, journey, members, ops):
    stamps.airdrop(101, members[:3], {"from": ops})
    tx = stamps.airdrop(101, members, {"from": ops})
    assert tx.return_value == 2
    assert all(stamps.balanceOf(m, 101) == 1 for m in members)
    assert stamps.stampType(101)[3] == 5


def test_airdrop_fills_supply_exactly(stamps, journey, members, ops):
    stamps.airdrop(102, members[:3], {"from": ops})
    assert stamps.stampType(102)[3] == 3


def test_airdrop_refuses_batch_beyond_supply(stamps, journey, members, ops):
    with brownie.reverts(err("OdysseySoldOut", 102, 3)):
        stamps.airdrop(102, members[:4], {"from": ops})
    assert stamps.stampType(102)[3] == 0
    assert stamps.balanceOf(members[0], 102) == 0


def test_airdrop_skipped_holders_take_no_supply(stamps, journey, members, ops):
    stamps.airdrop(102, members[:2], {"from": ops})
    tx = stamps.airdrop(102, members[:3], {"from": ops})
    assert tx.return_value == 1
    assert stamps.stampType(102)[3] == 3


def test_airdrop_refuses_non_manager(stamps, journey, members, issuer, deployer):
    with brownie.reverts(unauthorized(issuer, "JOURNEY_MANAGER_ROLE")):
        stamps.airdrop(101, members, {"from": issuer})
    with brownie.reverts(unauthorized(members[0], "JOURNEY_MANAGER_ROLE")):
        stamps.airdrop(101, members, {"from": members[0]})


def test_airdrop_refuses_unknown_stamp(stamps, journey, members, ops):
    with brownie.reverts(err("OdysseyUnknownStamp", 999)):
        stamps.airdrop(999, members, {"from": ops})


def test_airdrop_refuses_while_paused(stamps, journey, members, ops, deployer):
    stamps.pause({"from": deployer})
    with brownie.reverts(err("EnforcedPause")):
        stamps.airdrop(101, members, {"from": ops})


def test_airdrop_ignores_journey_window(stamps, members, ops, timed_journey):
    timed_journey(5, 501, start_in=-7200, end_in=-3600)
    stamps.airdrop(501, members[:1], {"from": ops})
    assert stamps.balanceOf(members[0], 501) == 1


def test_airdrop_of_empty_batch_issues_nothing(stamps, journey, ops):
    tx = stamps.airdrop(101, [], {"from": ops})
    assert tx.return_value == 0


def test_airdrop_reaches_fifty_new_members_in_one_transaction(stamps, journey, ops):
    recipients = [accounts.add("0x" + secrets.token_hex(32)) for _ in range(50)]
    tx = stamps.airdrop(101, recipients, {"from": ops})
    assert len(tx.events["StampClaimed"]) == 50  # (not tx.return_value: tracing a 50-mint call takes minutes)
    assert stamps.memberCount() == 50
    assert all(stamps.pointsOf(r) == 10 for r in recipients)
