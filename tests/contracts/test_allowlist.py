"""Claims by allowlist: OZ StandardMerkleTree leaves (index, member), one claim per entry and stamp type, per-root
bitmap."""
import brownie

from backend.chain.merkle import StandardMerkleTree, allowlist_tree, leaf_hash, verify_proof
from backend.chain.protocol import ClaimMethod
from stamp_helpers import err, unauthorized


def _publish(stamps, ops, stamp_id, addresses):
    tree = allowlist_tree([str(a) for a in addresses])
    stamps.setAllowlistRoot(stamp_id, tree.root, {"from": ops})
    return tree


def test_merkle_builder_matches_openzeppelin_reference_root():
    # The example of @openzeppelin/merkle-tree's README.
    tree = StandardMerkleTree.of(
        [["0x1111111111111111111111111111111111111111", "5000000000000000000"],
         ["0x2222222222222222222222222222222222222222", "2500000000000000000"]],
        ["address", "uint256"],
    )
    assert tree.root_hex == "0xd4dee0beab2d53f2cc83e567171bd2820e49898130a22622b10ead383e90bd77"


def test_merkle_builder_proofs_verify_off_chain(members):
    tree = allowlist_tree([str(m) for m in members])
    for i in range(len(members)):
        assert verify_proof(tree.root, tree.leaf(i), tree.proof(i))
        assert tree.leaf(i) == leaf_hash(["uint256", "address"], [i, str(members[i])])


def test_allowlist_claim_with_valid_proof(stamps, journey, members, ops, relayer):
    tree = _publish(stamps, ops, 101, members)
    tx = stamps.claimAllowlisted(members[2], 101, 2, tree.proof(2), {"from": relayer})
    assert stamps.balanceOf(members[2], 101) == 1
    assert stamps.pointsOf(members[2]) == 10
    assert stamps.allowlistClaimed(101, 2)
    assert not stamps.allowlistClaimed(101, 1)
    assert tx.events["StampClaimed"] == {
        "member": members[2], "stampId": 101, "method": ClaimMethod.ALLOWLIST, "quantity": 1, "ref": 2,
    }


def test_allowlist_claim_by_member_themself(stamps, journey, members, ops):
    tree = _publish(stamps, ops, 101, members)
    stamps.claimAllowlisted(members[0], 101, 0, tree.proof(0), {"from": members[0]})
    assert stamps.balanceOf(members[0], 101) == 1


def test_allowlist_claim_with_single_entry_list(stamps, journey, members, ops, relayer):
    tree = _publish(stamps, ops, 101, members[:1])
    assert tree.proof(0) == []
    stamps.claimAllowlisted(members[0], 101, 0, [], {"from": relayer})
    assert stamps.balanceOf(members[0], 101) == 1


def test_allowlist_claim_refuses_proof_of_another_entry(stamps, journey, members, ops, relayer):
    tree = _publish(stamps, ops, 101, members)
    with brownie.reverts(err("OdysseyInvalidProof", members[1], 101, 1)):
        stamps.claimAllowlisted(members[1], 101, 1, tree.proof(0), {"from": relayer})


def test_allowlist_claim_refuses_unlisted_member(stamps, journey, members, ops, relayer, accounts):
    tree = _publish(stamps, ops, 101, members[:3])
    with brownie.reverts(err("OdysseyInvalidProof", members[4], 101, 0)):
        stamps.claimAllowlisted(members[4], 101, 0, tree.proof(0), {"from": relayer})


def test_allowlist_claim_refuses_wrong_index(stamps, journey, members, ops, relayer):
    tree = _publish(stamps, ops, 101, members)
    with brownie.reverts(err("OdysseyInvalidProof", members[1], 101, 2)):
        stamps.claimAllowlisted(members[1], 101, 2, tree.proof(1), {"from": relayer})


def test_allowlist_claim_refuses_list_of_another_stamp(stamps, journey, members, ops, relayer):
    tree = _publish(stamps, ops, 101, members)
    _publish(stamps, ops, 102, members[3:])
    with brownie.reverts(err("OdysseyInvalidProof", members[0], 102, 0)):
        stamps.claimAllowlisted(members[0], 102, 0, tree.proof(0), {"from": relayer})


def test_allowlist_claim_refuses_second_claim_of_entry(stamps, journey, members, ops, relayer):
    tree = _publish(stamps, ops, 101, members)
    stamps.claimAllowlisted(members[0], 101, 0, tree.proof(0), {"from": relayer})
    with brownie.reverts(err("OdysseyAllowlistClaimed", 101, 0)):
        stamps.claimAllowlisted(members[0], 101, 0, tree.proof(0), {"from": relayer})


def test_allowlist_claim_refuses_member_holding_stamp_by_another_entry(stamps, journey, members, ops, relayer):
    tree = _publish(stamps, ops, 101, [members[0], members[0]])
    stamps.claimAllowlisted(members[0], 101, 0, tree.proof(0), {"from": relayer})
    with brownie.reverts(err("OdysseyAlreadyHolds", members[0], 101)):
        stamps.claimAllowlisted(members[0], 101, 1, tree.proof(1), {"from": relayer})


def test_allowlist_claim_refuses_stamp_without_root(stamps, journey, members, relayer):
    with brownie.reverts(err("OdysseyNoAllowlist", 101)):
        stamps.claimAllowlisted(members[0], 101, 0, [], {"from": relayer})


def test_allowlist_claim_refuses_when_sold_out(stamps, journey, members, ops, relayer):
    tree = _publish(stamps, ops, 102, members)
    for i in range(3):
        stamps.claimAllowlisted(members[i], 102, i, tree.proof(i), {"from": relayer})
    with brownie.reverts(err("OdysseySoldOut", 102, 3)):
        stamps.claimAllowlisted(members[3], 102, 3, tree.proof(3), {"from": relayer})


def test_allowlist_claim_refuses_outside_window(stamps, members, ops, relayer, timed_journey):
    start, end = timed_journey(5, 501, start_in=3600, end_in=7200)
    tree = _publish(stamps, ops, 501, members)
    with brownie.reverts(err("OdysseyOutsideWindow", 5, start, end)):
        stamps.claimAllowlisted(members[0], 501, 0, tree.proof(0), {"from": relayer})


def test_allowlist_claim_refuses_while_paused(stamps, journey, members, ops, relayer, deployer):
    tree = _publish(stamps, ops, 101, members)
    stamps.pause({"from": deployer})
    with brownie.reverts(err("EnforcedPause")):
        stamps.claimAllowlisted(members[0], 101, 0, tree.proof(0), {"from": relayer})


def test_set_allowlist_root_emits_and_reads_back(stamps, journey, members, ops):
    tree = allowlist_tree([str(m) for m in members])
    tx = stamps.setAllowlistRoot(101, tree.root, {"from": ops})
    assert stamps.allowlistRoot(101) == tree.root_hex
    assert tx.events["AllowlistRootSet"] == {"stampId": 101, "root": tree.root_hex}


def test_set_allowlist_root_refuses_unknown_stamp(stamps, ops):
    with brownie.reverts(err("OdysseyUnknownStamp", 999)):
        stamps.setAllowlistRoot(999, b"\x01" * 32, {"from": ops})


def test_set_allowlist_root_refuses_non_manager(stamps, journey, issuer):
    with brownie.reverts(unauthorized(issuer, "JOURNEY_MANAGER_ROLE")):
        stamps.setAllowlistRoot(101, b"\x01" * 32, {"from": issuer})


def test_new_root_has_its_own_claimed_entries(stamps, journey, members, ops, relayer):
    first = _publish(stamps, ops, 102, [members[0]])
    stamps.claimAllowlisted(members[0], 102, 0, first.proof(0), {"from": relayer})
    second = _publish(stamps, ops, 102, [members[1], members[2]])
    assert not stamps.allowlistClaimed(102, 0)
    stamps.claimAllowlisted(members[1], 102, 0, second.proof(0), {"from": relayer})
    assert stamps.balanceOf(members[1], 102) == 1


def test_clearing_root_closes_allowlist(stamps, journey, members, ops, relayer):
    tree = _publish(stamps, ops, 101, members)
    stamps.setAllowlistRoot(101, b"\x00" * 32, {"from": ops})
    with brownie.reverts(err("OdysseyNoAllowlist", 101)):
        stamps.claimAllowlisted(members[0], 101, 0, tree.proof(0), {"from": relayer})


def test_one_list_published_for_two_stamps_is_claimed_once_for_each(stamps, journey, members, ops, relayer):
    # Audit finding (t3): the claimed bitmap was keyed by root alone, so claiming stamp A marked the entry claimed
    # for stamp B published with the same list.
    tree = _publish(stamps, ops, 101, members)
    _publish(stamps, ops, 102, members)
    stamps.claimAllowlisted(members[0], 101, 0, tree.proof(0), {"from": relayer})
    assert stamps.allowlistClaimed(101, 0)
    assert not stamps.allowlistClaimed(102, 0)
    stamps.claimAllowlisted(members[0], 102, 0, tree.proof(0), {"from": members[0]})
    assert (stamps.balanceOf(members[0], 101), stamps.balanceOf(members[0], 102)) == (1, 1)
    with brownie.reverts(err("OdysseyAllowlistClaimed", 102, 0)):
        stamps.claimAllowlisted(members[0], 102, 0, tree.proof(0), {"from": relayer})
