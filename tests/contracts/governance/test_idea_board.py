"""IdeaBoard: submission, support and withdrawal, staged thresholds with deadlines, qualification, proposals
linked to ideas, rejection and realisation (co-creator stamp and the author's share of sales)."""
import time

import brownie
import pytest
from brownie import chain
from eth_account import Account
from eth_account.messages import encode_typed_data

from backend.chain.protocol import FORWARD_REQUEST_TYPES, IdeaState, ProposalState, VoteType, domain_from_eip712
from backend.dev.keys import local_account
from stamp_helpers import err, unauthorized

from .conftest import COCREATOR_STAMP, CREATOR_SHARE_BPS, MIN_POINTS, STAGE_DURATIONS

CONTENT = "0x" + "ab" * 32
DAY = 86400


@pytest.fixture
def submit(board, dao, voters):
    def make(author=None, title="Latte art journey"):
        tx = board.submit(title, "ipfs://idea/latte-art", CONTENT, {"from": author or voters[4]})
        return tx.return_value

    return make


@pytest.fixture
def qualified(board, submit, voters):
    """An idea by member 4, supported by members 0-2: the last stage (3 supporters) is reached."""
    idea_id = submit()
    for supporter in voters[:3]:
        board.support(idea_id, {"from": supporter})
    assert board.ideaState(idea_id) == IdeaState.QUALIFIED
    return idea_id


def realise_action(board, idea_id, sale_stamp=0):
    return (board, "realise", (idea_id, sale_stamp))


def test_member_submits_idea_that_opens_for_support(board, dao, voters):
    tx = board.submit("Latte art journey", "ipfs://idea/latte-art", CONTENT, {"from": voters[4]})
    idea_id = tx.return_value
    event = tx.events["IdeaSubmitted"]
    assert idea_id == 1 and board.ideaCount() == 1
    assert event["author"] == voters[4] and event["title"] == "Latte art journey"
    assert event["uri"] == "ipfs://idea/latte-art" and event["contentHash"] == CONTENT
    assert event["deadline"] == chain[tx.block_number].timestamp + STAGE_DURATIONS[0]
    assert event["stagesVersion"] == 1
    assert board.ideaState(idea_id) == IdeaState.OPEN
    assert board.idea(idea_id)["author"] == voters[4]


def test_non_member_cannot_submit_idea(board, dao, accounts):
    with brownie.reverts(err("IdeaNotMember", accounts[3])):
        board.submit("Hello", "", CONTENT, {"from": accounts[3]})


def test_member_without_points_cannot_support(board, stamps, submit, accounts):
    idea_id = submit()
    stamps.join({"from": accounts[3]})
    with brownie.reverts(err("IdeaNotEnoughPoints", accounts[3], 0, MIN_POINTS)):
        board.support(idea_id, {"from": accounts[3]})


def test_idea_needs_a_title(board, dao, voters):
    with brownie.reverts(err("IdeaEmptyTitle")):
        board.submit("", "ipfs://x", CONTENT, {"from": voters[0]})


def test_unknown_idea_cannot_be_supported(board, dao, voters):
    assert board.ideaState(42) == IdeaState.NONE
    with brownie.reverts(err("IdeaUnknown", 42)):
        board.support(42, {"from": voters[0]})


def test_reaching_first_threshold_moves_idea_to_next_stage_with_new_deadline(board, submit, voters):
    idea_id = submit()
    board.support(idea_id, {"from": voters[0]})
    tx = board.support(idea_id, {"from": voters[1]})
    event = tx.events["IdeaStageReached"]
    assert (event["stage"], event["supporters"]) == (1, 2)
    assert event["deadline"] == chain[tx.block_number].timestamp + STAGE_DURATIONS[1]
    assert board.ideaState(idea_id) == IdeaState.OPEN
    assert board.idea(idea_id)["stage"] == 1


def test_reaching_last_threshold_qualifies_idea(board, submit, voters):
    idea_id = submit()
    board.support(idea_id, {"from": voters[0]})
    board.support(idea_id, {"from": voters[1]})
    tx = board.support(idea_id, {"from": voters[2]})
    assert tx.events["IdeaQualified"]["supporters"] == 3
    assert tx.events["IdeaStageReached"]["deadline"] == 0
    assert board.ideaState(idea_id) == IdeaState.QUALIFIED


def test_member_supports_an_idea_only_once(board, submit, voters):
    idea_id = submit()
    board.support(idea_id, {"from": voters[0]})
    with brownie.reverts(err("IdeaAlreadySupported", idea_id, voters[0])):
        board.support(idea_id, {"from": voters[0]})


def test_author_may_support_own_idea(board, submit, voters):
    idea_id = submit(author=voters[0])
    board.support(idea_id, {"from": voters[0]})
    assert board.isSupporter(idea_id, voters[0])


def test_supporter_withdraws_support_while_open(board, submit, voters):
    idea_id = submit()
    board.support(idea_id, {"from": voters[0]})
    tx = board.withdrawSupport(idea_id, {"from": voters[0]})
    assert tx.events["IdeaSupportWithdrawn"]["supporters"] == 0
    assert not board.isSupporter(idea_id, voters[0])
    board.support(idea_id, {"from": voters[0]})
    assert board.idea(idea_id)["supporters"] == 1


def test_withdrawal_keeps_the_stage_reached(board, submit, voters):
    idea_id = submit()
    board.support(idea_id, {"from": voters[0]})
    board.support(idea_id, {"from": voters[1]})
    board.withdrawSupport(idea_id, {"from": voters[1]})
    assert board.idea(idea_id)["stage"] == 1 and board.idea(idea_id)["supporters"] == 1


def test_withdrawal_without_support_is_refused(board, submit, voters):
    idea_id = submit()
    with brownie.reverts(err("IdeaNotSupported", idea_id, voters[0])):
        board.withdrawSupport(idea_id, {"from": voters[0]})


def test_withdrawal_is_refused_once_qualified(board, qualified, voters):
    with brownie.reverts(err("IdeaWrongState", qualified, IdeaState.QUALIFIED)):
        board.withdrawSupport(qualified, {"from": voters[0]})


def test_idea_missing_first_deadline_expires_and_refuses_support(board, submit, voters):
    idea_id = submit()
    board.support(idea_id, {"from": voters[0]})
    chain.sleep(STAGE_DURATIONS[0] + 1)
    chain.mine()
    assert board.ideaState(idea_id) == IdeaState.EXPIRED
    with brownie.reverts(err("IdeaWrongState", idea_id, IdeaState.EXPIRED)):
        board.support(idea_id, {"from": voters[1]})
    with brownie.reverts(err("IdeaWrongState", idea_id, IdeaState.EXPIRED)):
        board.withdrawSupport(idea_id, {"from": voters[0]})


def test_reaching_a_stage_restarts_the_clock(board, submit, voters):
    idea_id = submit()
    chain.sleep(6 * DAY)
    board.support(idea_id, {"from": voters[0]})
    board.support(idea_id, {"from": voters[1]})  # stage 1 on day 6: 14 more days for the last stage
    chain.sleep(4 * DAY)  # day 10, past the first deadline
    chain.mine()
    assert board.ideaState(idea_id) == IdeaState.OPEN
    chain.sleep(STAGE_DURATIONS[1] - 4 * DAY + 1)
    chain.mine()
    assert board.ideaState(idea_id) == IdeaState.EXPIRED


def test_qualified_idea_does_not_expire(board, qualified):
    chain.sleep(365 * DAY)
    chain.mine()
    assert board.ideaState(qualified) == IdeaState.QUALIFIED


def test_proposer_links_proposal_that_realises_qualified_idea(board, qualified, propose, voters):
    proposal = propose([realise_action(board, qualified)], "Realise the latte art idea", voters[0])
    tx = board.linkProposal(qualified, *proposal.args, {"from": voters[0]})
    event = tx.events["IdeaProposed"]
    assert (event["ideaId"], event["proposalId"], event["proposer"]) == (qualified, proposal.id, voters[0])
    assert board.ideaState(qualified) == IdeaState.PROPOSED
    assert board.idea(qualified)["proposalId"] == proposal.id


def test_only_the_proposer_may_link_a_proposal(board, qualified, propose, voters):
    proposal = propose([realise_action(board, qualified)], "Realise it", voters[0])
    with brownie.reverts(err("IdeaNotProposer", voters[1], voters[0])):
        board.linkProposal(qualified, *proposal.args, {"from": voters[1]})


def test_linking_a_proposal_that_does_not_realise_the_idea_is_refused(board, stamps, qualified, propose, voters):
    proposal = propose([(stamps, "setLevelThresholds", ([1, 2],))], "Unrelated", voters[0])
    with brownie.reverts(err("IdeaProposalDoesNotRealise", proposal.id, qualified)):
        board.linkProposal(qualified, *proposal.args, {"from": voters[0]})
    other = propose([realise_action(board, qualified + 1)], "Another idea", voters[0])
    with brownie.reverts(err("IdeaProposalDoesNotRealise", other.id, qualified)):
        board.linkProposal(qualified, *other.args, {"from": voters[0]})


def test_linking_to_an_open_idea_is_refused(board, submit, propose, voters):
    idea_id = submit()
    proposal = propose([realise_action(board, idea_id)], "Too soon", voters[0])
    with brownie.reverts(err("IdeaWrongState", idea_id, IdeaState.OPEN)):
        board.linkProposal(idea_id, *proposal.args, {"from": voters[0]})


def test_linking_a_closed_proposal_is_refused(board, qualified, propose, voters):
    proposal = propose([realise_action(board, qualified)], "Closed", voters[0])
    proposal.open_voting()
    proposal.close_voting()
    with brownie.reverts(err("IdeaProposalNotLive", proposal.id)):
        board.linkProposal(qualified, *proposal.args, {"from": voters[0]})


def test_defeated_linked_proposal_rejects_idea_which_may_be_proposed_again(board, qualified, propose, voters):
    proposal = propose([realise_action(board, qualified)], "Realise it", voters[0])
    board.linkProposal(qualified, *proposal.args, {"from": voters[0]})
    proposal.open_voting()
    proposal.governor.castVote(proposal.id, VoteType.AGAINST, {"from": voters[0]})
    proposal.close_voting()
    assert proposal.state == ProposalState.DEFEATED
    assert board.ideaState(qualified) == IdeaState.REJECTED
    again = propose([realise_action(board, qualified)], "Realise it, take two", voters[1])
    board.linkProposal(qualified, *again.args, {"from": voters[1]})
    assert board.ideaState(qualified) == IdeaState.PROPOSED


def test_canceled_linked_proposal_rejects_idea(board, qualified, propose, voters):
    proposal = propose([realise_action(board, qualified)], "Realise it", voters[0])
    board.linkProposal(qualified, *proposal.args, {"from": voters[0]})
    proposal.cancel(voters[0])
    assert proposal.state == ProposalState.CANCELED
    assert board.ideaState(qualified) == IdeaState.REJECTED


def test_idea_is_rejected_when_another_option_of_a_multiple_choice_wins(board, stamps, qualified, propose, voters, ops):
    actions = [realise_action(board, qualified), (stamps, "createJourney", (34, "Something else", "", 0, 0))]
    proposal = propose(actions, "Latte art or something else?", voters[0], options=[("Latte art", 1), ("Else", 1)])
    board.linkProposal(qualified, *proposal.args, {"from": voters[0]})
    proposal.open_voting()
    proposal.governor.castVote(proposal.id, 1, {"from": voters[0]})
    proposal.close_voting()
    proposal.queue(ops)
    proposal.wait_timelock()
    proposal.execute(ops)
    assert board.ideaState(qualified) == IdeaState.REJECTED
    assert stamps.balanceOf(voters[4], COCREATOR_STAMP) == 0


def test_executed_proposal_realises_idea_and_gives_author_cocreator_stamp(board, stamps, qualified, propose, voters, ops):
    author = voters[4]
    points_before = stamps.pointsOf(author)
    proposal = propose([realise_action(board, qualified)], "Realise the latte art idea", voters[0])
    board.linkProposal(qualified, *proposal.args, {"from": voters[0]})
    proposal.open_voting()
    proposal.governor.castVote(proposal.id, VoteType.FOR, {"from": voters[0]})
    proposal.close_voting()
    proposal.queue(ops)
    proposal.wait_timelock()
    tx = proposal.execute(ops)
    event = tx.events["IdeaRealised"]
    assert (event["ideaId"], event["author"], event["coCreatorStampId"]) == (qualified, author, COCREATOR_STAMP)
    assert (event["saleStampId"], event["shareBps"]) == (0, 0)
    assert board.ideaState(qualified) == IdeaState.REALISED
    assert stamps.balanceOf(author, COCREATOR_STAMP) == 1
    assert stamps.locked(COCREATOR_STAMP)
    assert stamps.pointsOf(author) == points_before + 50


def test_realised_idea_author_receives_share_of_its_stamp_sales(board, stamps, shop, qualified, enact, voters):
    author, buyer = voters[4], voters[2]
    price = 10**17
    enact(
        [
            (stamps, "createJourney", (33, "Latte Art", "ipfs://latte-art", 0, 0)),
            (stamps, "createStampType", (3301, 33, "Latte Art Edition", 20, False, 100)),
            (shop, "setListing", (3301, price, 2)),
            realise_action(board, qualified, 3301),
        ],
        "Realise the latte art idea as a limited edition",
    )
    assert tuple(shop.creatorShare(3301)) == (author, CREATOR_SHARE_BPS)
    tx = shop.purchase(3301, 2, {"from": buyer, "value": 2 * price})
    assert tx.events["StampPurchased"]["creatorShare"] == 2 * price * CREATOR_SHARE_BPS // 10_000
    assert shop.creatorEarnings(author) == 2 * price // 100
    before = author.balance()
    tx = shop.withdrawCreatorEarnings({"from": author})
    assert author.balance() - before + tx.gas_used * tx.gas_price == 2 * price // 100
    assert shop.proceeds() == 2 * price * 99 // 100


def test_realise_is_refused_outside_governance(board, qualified, voters):
    with brownie.reverts(unauthorized(voters[0], "DEFAULT_ADMIN_ROLE")):
        board.realise(qualified, 0, {"from": voters[0]})


def test_realising_an_unqualified_idea_fails_the_proposal(board, submit, passed, ops):
    idea_id = submit()
    proposal = passed([realise_action(board, idea_id)], "Realise an open idea")
    proposal.queue(ops)
    proposal.wait_timelock()
    with brownie.reverts(err("IdeaWrongState", idea_id, IdeaState.OPEN)):
        proposal.execute(ops)


def test_idea_cannot_be_realised_twice(board, qualified, enact, passed, ops):
    enact([realise_action(board, qualified)], "Realise it")
    proposal = passed([realise_action(board, qualified)], "Realise it again")
    proposal.queue(ops)
    proposal.wait_timelock()
    with brownie.reverts(err("IdeaWrongState", qualified, IdeaState.REALISED)):
        proposal.execute(ops)


def test_stage_rules_changed_by_governance_apply_to_new_ideas(board, submit, enact, voters):
    old = submit()
    enact([(board, "setStages", ([1], [DAY]))], "One supporter in a day")
    assert board.stagesVersion() == 2
    new = submit(title="Oat milk journey")
    board.support(new, {"from": voters[0]})
    assert board.ideaState(new) == IdeaState.QUALIFIED
    board.support(old, {"from": voters[0]})
    assert board.ideaState(old) == IdeaState.OPEN  # still under version 1: 2 then 3 supporters
    assert [tuple(s) for s in board.stages(2)] == [(1, DAY)]


def test_invalid_stage_rules_are_refused(board, passed, ops):
    proposal = passed([(board, "setStages", ([3, 2], [DAY, DAY]))], "Falling thresholds")
    proposal.queue(ops)
    proposal.wait_timelock()
    with brownie.reverts(err("IdeaInvalidStages")):
        proposal.execute(ops)


def test_board_settings_change_only_through_governance(board, enact, voters):
    with brownie.reverts(unauthorized(voters[0], "DEFAULT_ADMIN_ROLE")):
        board.setCreatorShareBps(5000, {"from": voters[0]})
    enact([(board, "setCreatorShareBps", (250,)), (board, "setMinPoints", (20,))], "Fairer share, keener members")
    assert board.creatorShareBps() == 250 and board.minPoints() == 20




def test_member_supports_through_the_forwarder_without_paying_gas(board, forwarder, submit, voters, accounts):
    idea_id = submit()
    member = local_account(5)  # voters[1]
    data = board.support.encode_input(idea_id)
    deadline = int(time.time()) + 3600 + chain.time() - int(time.time())
    message = {
        "from": member.address, "to": board.address, "value": 0, "gas": 200_000,
        "nonce": forwarder.nonces(member.address), "deadline": deadline, "data": bytes.fromhex(data[2:]),
    }
    domain = domain_from_eip712(forwarder.eip712Domain())
    signable = encode_typed_data(domain_data=domain, message_types=FORWARD_REQUEST_TYPES, message_data=message)
    signature = Account.sign_message(signable, member.key).signature
    request = (member.address, board.address, 0, 200_000, deadline, data, "0x" + bytes(signature).hex())
    relayer = accounts[3]
    balance = voters[1].balance()
    tx = forwarder.execute(request, {"from": relayer})
    assert tx.events["IdeaSupported"]["supporter"] == voters[1]
    assert voters[1].balance() == balance and tx.sender == relayer  # the relayer paid
    assert board.isSupporter(idea_id, voters[1])


def test_idea_linked_to_a_replaced_governor_shows_rejected(board, qualified, propose, enact, voters, accounts):
    proposal = propose([realise_action(board, qualified)], "Realise it", voters[0])
    board.linkProposal(qualified, *proposal.args, {"from": voters[0]})
    enact([(board, "setGovernor", (board.address,))], "Point the board elsewhere")  # a contract without proposals
    assert board.ideaState(qualified) == IdeaState.REJECTED


# ---------------------------------------------------------------- points counted once (audit finding t3)


def test_one_collectible_passed_between_wallets_supports_an_idea_once(board, stamps, shop, submit, accounts, deployer):
    wallets = [accounts.add() for _ in range(3)]
    for wallet in wallets:
        deployer.transfer(wallet, "1 ether")
    shop.purchase(103, 1, {"from": wallets[0], "value": 10**16})  # 40 points, before the idea
    idea_id = submit()
    board.support(idea_id, {"from": wallets[0]})
    for giver, taker in zip(wallets, wallets[1:]):
        stamps.safeTransferFrom(giver, taker, 103, 1, "", {"from": giver})
        chain.mine()
        assert stamps.pointsOf(taker) == 40
        with brownie.reverts(err("IdeaNotEnoughPoints", taker, 0, MIN_POINTS)):  # none at the idea's snapshot
            board.support(idea_id, {"from": taker})
    assert board.idea(idea_id)["supporters"] == 1


def test_points_earned_after_submission_do_not_count_for_that_idea(board, stamps, shop, submit, accounts, deployer):
    latecomer = accounts.add()
    deployer.transfer(latecomer, "1 ether")
    idea_id = submit()
    shop.purchase(103, 1, {"from": latecomer, "value": 10**16})
    with brownie.reverts(err("IdeaNotEnoughPoints", latecomer, 0, MIN_POINTS)):
        board.support(idea_id, {"from": latecomer})
    later = submit(title="A later idea")
    board.support(later, {"from": latecomer})


# ---------------------------------------------------------------- what members write is bounded (relay cost)


@pytest.mark.parametrize("field", ["title", "uri"])
def test_title_and_uri_are_at_most_200_bytes(board, dao, voters, field):
    long, limit = "字" * 67, board.MAX_TEXT_BYTES()  # 201 bytes of UTF-8
    assert limit == 200
    args = {"title": "Idea", "uri": ""} | {field: long}
    with brownie.reverts(err("IdeaTooLong", len(long.encode()), limit)):
        board.submit(args["title"], args["uri"], CONTENT, {"from": voters[0]})
    args[field] = "x" * limit
    board.submit(args["title"], args["uri"], CONTENT, {"from": voters[0]})


# ---------------------------------------------------------------- realisation cannot be blocked


def _realise_through_the_dao(board, qualified, propose, voters, ops, sale_stamp=0):
    proposal = propose([realise_action(board, qualified, sale_stamp)], "Realise it", voters[0])
    proposal.open_voting()
    proposal.governor.castVote(proposal.id, VoteType.FOR, {"from": voters[0]})
    proposal.close_voting()
    proposal.queue(ops)
    proposal.wait_timelock()
    return proposal.execute(ops)


def test_realisation_while_issuance_is_paused_owes_the_stamp(board, stamps, qualified, propose, voters, ops, guardian, enact):
    author = voters[4]
    stamps.pause({"from": guardian})
    tx = _realise_through_the_dao(board, qualified, propose, voters, ops)
    assert board.ideaState(qualified) == IdeaState.REALISED
    assert tx.events["CoCreatorStampOwed"] == {"ideaId": qualified, "author": author, "stampId": COCREATOR_STAMP}
    assert board.idea(qualified)["coCreatorStampOwed"]
    assert stamps.balanceOf(author, COCREATOR_STAMP) == 0
    with brownie.reverts(err("EnforcedPause")):
        board.claimCoCreatorStamp(qualified, {"from": voters[1]})
    enact([(stamps, "unpause", ())], "Resume issuance")
    tx = board.claimCoCreatorStamp(qualified, {"from": voters[1]})
    assert tx.events["CoCreatorStampClaimed"] == {"ideaId": qualified, "author": author, "stampId": COCREATOR_STAMP}
    assert stamps.balanceOf(author, COCREATOR_STAMP) == 1
    with brownie.reverts(err("IdeaNoStampOwed", qualified)):
        board.claimCoCreatorStamp(qualified, {"from": voters[1]})


def test_an_author_that_refuses_stamps_cannot_block_realisation(RejectingAuthor, board, stamps, dao, propose, voters, ops, deployer):
    author = RejectingAuthor.deploy({"from": deployer})
    author.join(stamps, {"from": deployer})
    stamps.delegate(author, {"from": voters[3]})  # 20 points vote for the author contract
    chain.mine()
    idea_id = author.submit(board, "A contract's idea", {"from": deployer}).return_value
    for supporter in voters[:3]:
        board.support(idea_id, {"from": supporter})
    tx = _realise_through_the_dao(board, idea_id, propose, voters, ops)
    assert board.ideaState(idea_id) == IdeaState.REALISED
    assert tx.events["CoCreatorStampOwed"]["author"] == author
    assert stamps.balanceOf(author, COCREATOR_STAMP) == 0
    with brownie.reverts(err("ERC1155InvalidReceiver", author)):
        board.claimCoCreatorStamp(idea_id, {"from": voters[1]})


def test_a_share_that_cannot_be_set_does_not_fail_the_proposal(board, qualified, propose, voters, ops):
    tx = _realise_through_the_dao(board, qualified, propose, voters, ops, sale_stamp=999_999)
    assert tx.events["CreatorShareFailed"] == {"ideaId": qualified, "saleStampId": 999_999}
    assert tx.events["IdeaRealised"]["shareBps"] == 0
    assert board.ideaState(qualified) == IdeaState.REALISED


def test_a_junk_proposal_linked_first_does_not_block_an_honest_one(board, qualified, propose, voters, accounts):
    junk = propose([realise_action(board, qualified), (accounts[8], 10**15)], "Realise it (and pay me)", voters[3])
    board.linkProposal(qualified, *junk.args, {"from": voters[3]})
    honest = propose([realise_action(board, qualified)], "Realise the latte art idea", voters[0])
    tx = board.linkProposal(qualified, *honest.args, {"from": voters[0]})
    assert tx.events["IdeaProposed"]["proposalId"] == honest.id
    assert board.ideaState(qualified) == IdeaState.PROPOSED
    assert board.idea(qualified)["proposalId"] == honest.id
