"""Membership: join, member numbers, auto-join on the first stamp; nothing revokes membership or takes stamps."""
import brownie
from brownie import chain

from stamp_helpers import err

# Every state-changing function of OdysseyStamps. A new one must be reviewed against the rule that nothing can
# take a stamp, points or membership away from a member, then added here.
STATE_CHANGING = {
    "join", "createJourney", "updateJourney", "createStampType", "updateStampType", "claim", "revokeVoucher",
    "claimAllowlisted", "setAllowlistRoot", "airdrop", "issue", "setIssuanceBounds", "setLevelThresholds",
    "setTreasury", "setRoyalty", "setURI", "pause", "unpause",
    "delegate", "delegateBySig", "grantRole", "revokeRole", "renounceRole", "safeTransferFrom",
    "safeBatchTransferFrom", "setApprovalForAll",
}


def test_join_records_member_number_and_time(stamps, members):
    tx = stamps.join({"from": members[0]})
    since = chain[tx.block_number]["timestamp"]
    assert stamps.isMember(members[0])
    assert tuple(stamps.memberOf(members[0])) == (1, since, 0)
    assert stamps.memberCount() == 1
    assert tx.events["MemberJoined"] == {"member": members[0], "number": 1, "since": since}


def test_join_emits_implicit_self_delegation(stamps, members):
    tx = stamps.join({"from": members[0]})
    assert tx.events["DelegateChanged"] == {
        "delegator": members[0], "fromDelegate": brownie.ZERO_ADDRESS, "toDelegate": members[0],
    }


def test_member_numbers_count_up(stamps, members):
    for member in members[:3]:
        stamps.join({"from": member})
    assert [stamps.memberOf(m)[0] for m in members[:3]] == [1, 2, 3]
    assert stamps.memberCount() == 3


def test_join_refuses_existing_member(stamps, members):
    stamps.join({"from": members[0]})
    with brownie.reverts(err("OdysseyAlreadyMember", members[0])):
        stamps.join({"from": members[0]})


def test_join_refuses_member_who_joined_by_first_stamp(stamps, journey, members, voucher, relayer):
    stamps.claim(*voucher(members[0], 101, 1).claim_args(), {"from": relayer})
    with brownie.reverts(err("OdysseyAlreadyMember", members[0])):
        stamps.join({"from": members[0]})


def test_non_member_reads_as_zeros(stamps, members):
    assert not stamps.isMember(members[0])
    assert tuple(stamps.memberOf(members[0])) == (0, 0, 0)


def test_first_stamp_joins_member_automatically(stamps, journey, members, voucher, relayer):
    tx = stamps.claim(*voucher(members[0], 101, 1).claim_args(), {"from": relayer})
    assert stamps.isMember(members[0])
    assert stamps.memberOf(members[0])[0] == 1
    assert tx.events["MemberJoined"]["member"] == members[0]
    assert not stamps.isMember(relayer)


def test_later_stamps_keep_member_number(stamps, journey, members, voucher, relayer):
    stamps.join({"from": members[1]})
    stamps.claim(*voucher(members[0], 101, 1).claim_args(), {"from": relayer})
    tx = stamps.claim(*voucher(members[0], 102, 2).claim_args(), {"from": relayer})
    assert "MemberJoined" not in tx.events
    assert stamps.memberOf(members[0])[0] == 2
    assert stamps.memberCount() == 2


def test_membership_stays_after_giving_every_stamp_away(stamps, journey, members, voucher, relayer):
    stamps.claim(*voucher(members[0], 102, 1).claim_args(), {"from": relayer})
    number, since, _ = stamps.memberOf(members[0])
    stamps.safeTransferFrom(members[0], members[1], 102, 1, "", {"from": members[0]})
    assert stamps.isMember(members[0])
    assert tuple(stamps.memberOf(members[0])) == (number, since, 0)


def test_zero_value_transfer_joins_nobody(stamps, shop, journey, members, accounts):
    # Audit finding (t3): a zero-value transfer, even of a stamp id that does not exist, made any address a member.
    shop.purchase(103, 1, {"from": members[0], "value": 10**16})
    victim = accounts[9]
    count = stamps.memberCount()
    stamps.safeTransferFrom(members[0], victim, 123456789, 0, "", {"from": members[0]})
    stamps.safeTransferFrom(members[0], victim, 103, 0, "", {"from": members[0]})
    stamps.safeBatchTransferFrom(members[0], victim, [103, 123456789], [0, 0], "", {"from": members[0]})
    assert not stamps.isMember(victim)
    assert stamps.memberCount() == count


def test_a_received_stamp_still_joins_its_holder(stamps, shop, journey, members, accounts):
    shop.purchase(103, 1, {"from": members[0], "value": 10**16})
    stamps.safeBatchTransferFrom(members[0], accounts[9], [123456789, 103], [0, 1], "", {"from": members[0]})
    assert stamps.isMember(accounts[9])


def test_abi_has_no_function_that_takes_stamps_or_membership(stamps):
    names = {f["name"] for f in stamps.abi if f["type"] == "function" and f["stateMutability"] not in ("view", "pure")}
    assert names == STATE_CHANGING
    assert not any(word in n.lower() for n in names for word in ("burn", "slash", "expire", "revokemember", "seize"))


def test_admin_cannot_move_a_members_stamp(stamps, journey, members, voucher, relayer, deployer, ops):
    stamps.claim(*voucher(members[0], 102, 1).claim_args(), {"from": relayer})
    for account in (deployer, ops):
        with brownie.reverts(err("ERC1155MissingApprovalForAll", account, members[0])):
            stamps.safeTransferFrom(members[0], account, 102, 1, "", {"from": account})
    assert stamps.balanceOf(members[0], 102) == 1


def test_every_admin_power_leaves_members_stamps_and_points(stamps, journey, members, voucher, relayer, deployer, ops):
    stamps.claim(*voucher(members[0], 101, 1).claim_args(), {"from": relayer})
    stamps.claim(*voucher(members[0], 102, 2).claim_args(), {"from": relayer})
    stamps.updateStampType(101, "Renamed", 0, {"from": ops})
    stamps.updateJourney(1, "Closed", "ipfs://x", 1, 2, {"from": ops})
    stamps.setLevelThresholds([], {"from": deployer})
    stamps.pause({"from": deployer})
    stamps.renounceRole(stamps.DEFAULT_ADMIN_ROLE(), deployer, {"from": deployer})
    assert stamps.balanceOf(members[0], 101) == 1
    assert stamps.balanceOf(members[0], 102) == 1
    assert stamps.pointsOf(members[0]) == 35
    assert stamps.getVotes(members[0]) == 35
    assert stamps.isMember(members[0])
