"""Pause: stops claims, airdrops and every module's issues (sales too); never transfers, membership or delegation;
only the DAO (DEFAULT_ADMIN_ROLE) resumes."""
import brownie

from backend.chain.merkle import allowlist_tree
from stamp_helpers import err, unauthorized


def test_pause_emits_and_reports(stamps, deployer):
    tx = stamps.pause({"from": deployer})
    assert stamps.paused()
    assert tx.events["Paused"] == {"account": deployer}


def test_pause_refuses_non_pauser(stamps, ops):
    with brownie.reverts(unauthorized(ops, "PAUSER_ROLE")):
        stamps.pause({"from": ops})


def test_unpause_refuses_non_admin(stamps, deployer, ops):
    stamps.pause({"from": deployer})
    with brownie.reverts(unauthorized(ops, "DEFAULT_ADMIN_ROLE")):
        stamps.unpause({"from": ops})


def test_unpause_refuses_a_pauser_that_is_not_admin(stamps, deployer, accounts):
    # A guardian (PAUSER_ROLE alone) stops issuance; resuming it is the DAO's call.
    guardian = accounts[9]
    stamps.grantRole(stamps.PAUSER_ROLE(), guardian, {"from": deployer})
    stamps.pause({"from": guardian})
    with brownie.reverts(unauthorized(guardian, "DEFAULT_ADMIN_ROLE")):
        stamps.unpause({"from": guardian})
    assert stamps.paused()


def test_unpause_refuses_when_not_paused(stamps, deployer):
    with brownie.reverts(err("ExpectedPause")):
        stamps.unpause({"from": deployer})


def test_pause_refuses_when_paused(stamps, deployer):
    stamps.pause({"from": deployer})
    with brownie.reverts(err("EnforcedPause")):
        stamps.pause({"from": deployer})


def test_unpause_resumes_claims_and_sales(stamps, shop, journey, members, voucher, relayer, deployer, ops):
    tree = allowlist_tree([str(members[2])])
    stamps.setAllowlistRoot(102, tree.root, {"from": ops})
    stamps.pause({"from": deployer})
    tx = stamps.unpause({"from": deployer})
    assert tx.events["Unpaused"] == {"account": deployer}
    stamps.claim(*voucher(members[0], 101, 1).claim_args(), {"from": relayer})
    shop.purchase(103, 1, {"from": members[1], "value": 10**16})
    stamps.claimAllowlisted(members[2], 102, 0, tree.proof(0), {"from": relayer})
    stamps.airdrop(101, [members[3]], {"from": ops})
    assert [stamps.balanceOf(m, s) for m, s in ((members[0], 101), (members[1], 103), (members[2], 102), (members[3], 101))] == [1] * 4


def test_pause_leaves_transfers_join_and_delegation_open(stamps, shop, journey, members, deployer):
    shop.purchase(103, 1, {"from": members[0], "value": 10**16})
    stamps.pause({"from": deployer})
    stamps.safeTransferFrom(members[0], members[1], 103, 1, "", {"from": members[0]})
    stamps.join({"from": members[2]})
    stamps.delegate(members[2], {"from": members[1]})
    assert stamps.getVotes(members[2]) == 40
    assert stamps.isMember(members[2])


def test_pause_leaves_withdrawals_open(stamps, shop, journey, members, deployer, treasury):
    shop.purchase(103, 1, {"from": members[0], "value": 10**16})
    stamps.pause({"from": deployer})
    before = treasury.balance()
    shop.withdrawProceeds({"from": members[0]})
    assert treasury.balance() - before == 10**16
