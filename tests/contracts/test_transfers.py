"""Transfers: soulbound stamps never move (ERC-5192); collectibles move with their points and votes; royalties."""
import brownie

from stamp_helpers import err, unauthorized


def _earn(stamps, voucher, relayer, member, stamp_id, nonce):
    stamps.claim(*voucher(member, stamp_id, nonce).claim_args(), {"from": relayer})


def test_soulbound_stamp_refuses_transfer(stamps, journey, members, voucher, relayer):
    _earn(stamps, voucher, relayer, members[0], 101, 1)
    with brownie.reverts(err("OdysseySoulbound", 101)):
        stamps.safeTransferFrom(members[0], members[1], 101, 1, "", {"from": members[0]})
    assert stamps.balanceOf(members[0], 101) == 1


def test_soulbound_stamp_refuses_batch_transfer(stamps, journey, members, voucher, relayer):
    _earn(stamps, voucher, relayer, members[0], 101, 1)
    _earn(stamps, voucher, relayer, members[0], 102, 2)
    with brownie.reverts(err("OdysseySoulbound", 101)):
        stamps.safeBatchTransferFrom(members[0], members[1], [102, 101], [1, 1], "", {"from": members[0]})
    assert stamps.balanceOf(members[0], 102) == 1


def test_soulbound_stamp_refuses_transfer_by_approved_operator(stamps, journey, members, voucher, relayer):
    _earn(stamps, voucher, relayer, members[0], 101, 1)
    stamps.setApprovalForAll(members[1], True, {"from": members[0]})
    with brownie.reverts(err("OdysseySoulbound", 101)):
        stamps.safeTransferFrom(members[0], members[1], 101, 1, "", {"from": members[1]})


def test_locked_reports_soulbound_types(stamps, journey):
    assert stamps.locked(101) is True
    assert stamps.locked(102) is False
    assert stamps.locked(103) is False


def test_locked_refuses_unknown_stamp(stamps):
    with brownie.reverts(err("OdysseyUnknownStamp", 999)):
        stamps.locked(999)


def test_collectible_transfer_moves_points_and_votes(stamps, journey, members, voucher, relayer):
    _earn(stamps, voucher, relayer, members[0], 101, 1)
    _earn(stamps, voucher, relayer, members[0], 102, 2)
    stamps.join({"from": members[1]})
    stamps.safeTransferFrom(members[0], members[1], 102, 1, "", {"from": members[0]})
    assert stamps.balanceOf(members[1], 102) == 1
    assert (stamps.pointsOf(members[0]), stamps.pointsOf(members[1])) == (10, 25)
    assert (stamps.getVotes(members[0]), stamps.getVotes(members[1])) == (10, 25)
    assert stamps.levelOf(members[1]) == 1


def test_collectible_transfer_joins_new_holder(stamps, journey, members, voucher, relayer):
    _earn(stamps, voucher, relayer, members[0], 102, 1)
    tx = stamps.safeTransferFrom(members[0], members[1], 102, 1, "", {"from": members[0]})
    assert stamps.isMember(members[1])
    assert tx.events["MemberJoined"]["member"] == members[1]
    assert stamps.getVotes(members[1]) == 25


def test_collectible_batch_transfer_moves_points_and_votes(stamps, shop, journey, members):
    shop.purchase(103, 2, {"from": members[0], "value": 2 * 10**16})
    stamps.safeBatchTransferFrom(members[0], members[1], [103], [2], "", {"from": members[0]})
    assert (stamps.pointsOf(members[0]), stamps.pointsOf(members[1])) == (0, 80)
    assert (stamps.getVotes(members[0]), stamps.getVotes(members[1])) == (0, 80)


def test_collectible_transfer_moves_votes_between_delegates(stamps, shop, journey, members):
    shop.purchase(103, 1, {"from": members[0], "value": 10**16})
    stamps.delegate(members[2], {"from": members[0]})
    stamps.join({"from": members[1]})
    stamps.delegate(members[3], {"from": members[1]})
    stamps.safeTransferFrom(members[0], members[1], 103, 1, "", {"from": members[0]})
    assert stamps.getVotes(members[2]) == 0
    assert stamps.getVotes(members[3]) == 40
    assert stamps.pointsOf(members[1]) == 40


def test_approved_operator_transfers_collectible(stamps, shop, journey, members):
    shop.purchase(103, 1, {"from": members[0], "value": 10**16})
    stamps.setApprovalForAll(members[2], True, {"from": members[0]})
    stamps.safeTransferFrom(members[0], members[1], 103, 1, "", {"from": members[2]})
    assert stamps.pointsOf(members[1]) == 40


def test_transfer_refuses_more_than_balance(stamps, shop, journey, members):
    shop.purchase(103, 1, {"from": members[0], "value": 10**16})
    with brownie.reverts(err("ERC1155InsufficientBalance", members[0], 1, 2, 103)):
        stamps.safeTransferFrom(members[0], members[1], 103, 2, "", {"from": members[0]})


def test_royalty_info_pays_treasury(stamps, journey, treasury):
    receiver, amount = stamps.royaltyInfo(102, 10**18)
    assert receiver == treasury
    assert amount == 10**18 * 500 // 10_000


def test_set_royalty_changes_rate(stamps, journey, deployer, treasury):
    tx = stamps.setRoyalty(250, {"from": deployer})
    assert tx.events["RoyaltySet"] == {"royaltyBps": 250}
    assert tuple(stamps.royaltyInfo(103, 10_000)) == (treasury, 250)


def test_set_royalty_refuses_above_100_percent(stamps, deployer):
    with brownie.reverts(err("OdysseyInvalidBps", 10_001)):
        stamps.setRoyalty(10_001, {"from": deployer})


def test_set_royalty_refuses_non_admin(stamps, ops):
    with brownie.reverts(unauthorized(ops, "DEFAULT_ADMIN_ROLE")):
        stamps.setRoyalty(100, {"from": ops})


def test_royalty_follows_treasury_change(stamps, journey, deployer, accounts):
    stamps.setTreasury(accounts[3], {"from": deployer})
    assert tuple(stamps.royaltyInfo(102, 10_000)) == (accounts[3], 500)
