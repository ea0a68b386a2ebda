"""OdysseyGovernor on ordinary (For/Against/Abstain) proposals: lifecycle, quorum, threshold, votes, timelock."""
import brownie
from brownie import chain, web3
from eth_account import Account
from eth_account.messages import encode_typed_data

from backend.chain.protocol import BALLOT_TYPES, ProposalState, VoteType, domain_from_eip712
from backend.dev.keys import local_account
from stamp_helpers import err

from .conftest import (
    PROPOSAL_THRESHOLD, QUEUE_PERIOD, TIMELOCK_DELAY, VOTER_POINTS, OperationState, ints, unexpected_operation_state,
    unexpected_state,
)

NEW_THRESHOLDS = [5, 40, 120, 300, 800]



def thresholds_action(stamps, thresholds=NEW_THRESHOLDS):
    return [(stamps, "setLevelThresholds", (thresholds,))]


def sign_ballot(governor, proposal_id, support, account_index, nonce):
    voter = local_account(account_index)
    domain = domain_from_eip712(governor.eip712Domain())
    message = {"proposalId": proposal_id, "support": support, "voter": voter.address, "nonce": nonce}
    signable = encode_typed_data(domain_data=domain, message_types=BALLOT_TYPES, message_data=message)
    return voter.address, "0x" + bytes(Account.sign_message(signable, voter.key).signature).hex()


def test_proposal_walks_pending_active_succeeded_queued_executed(stamps, propose, voters, ops):
    proposal = propose(thresholds_action(stamps), "Lower the level thresholds", voters[0])
    assert "ProposalCreated" in proposal.tx.events
    assert proposal.state == ProposalState.PENDING
    proposal.open_voting()
    assert proposal.state == ProposalState.ACTIVE
    proposal.governor.castVote(proposal.id, VoteType.FOR, {"from": voters[0]})
    proposal.close_voting()
    assert proposal.state == ProposalState.SUCCEEDED
    tx = proposal.queue(ops)
    assert "ProposalQueued" in tx.events
    assert proposal.state == ProposalState.QUEUED
    proposal.wait_timelock()
    tx = proposal.execute(ops)
    assert "ProposalExecuted" in tx.events
    assert proposal.state == ProposalState.EXECUTED
    assert ints(stamps.levelThresholds()) == NEW_THRESHOLDS


def test_proposal_with_more_against_than_for_is_defeated_and_cannot_be_queued(stamps, propose, voters, ops):
    proposal = propose(thresholds_action(stamps), "Lower the thresholds?", voters[0])
    proposal.open_voting()
    proposal.governor.castVote(proposal.id, VoteType.FOR, {"from": voters[1]})  # 50
    proposal.governor.castVote(proposal.id, VoteType.AGAINST, {"from": voters[0]})  # 80
    proposal.close_voting()
    assert proposal.state == ProposalState.DEFEATED
    with brownie.reverts(unexpected_state(proposal.id, ProposalState.DEFEATED, ProposalState.SUCCEEDED)):
        proposal.queue(ops)


def test_tied_for_and_against_is_defeated(stamps, propose, voters):
    proposal = propose(thresholds_action(stamps), "A tie", voters[0])
    proposal.open_voting()
    proposal.governor.castVote(proposal.id, VoteType.FOR, {"from": voters[1]})  # 50
    proposal.governor.castVote(proposal.id, VoteType.AGAINST, {"from": voters[2]})  # 30
    proposal.governor.castVote(proposal.id, VoteType.AGAINST, {"from": voters[3]})  # 20
    proposal.close_voting()
    assert ints(proposal.governor.proposalVotes(proposal.id)) == [50, 50, 0]
    assert proposal.state == ProposalState.DEFEATED


def test_proposer_cancels_pending_proposal_and_nobody_can_vote_on_it(stamps, propose, voters):
    proposal = propose(thresholds_action(stamps), "Changed my mind", voters[0])
    tx = proposal.cancel(voters[0])
    assert "ProposalCanceled" in tx.events
    assert proposal.state == ProposalState.CANCELED
    proposal.open_voting()
    with brownie.reverts(unexpected_state(proposal.id, ProposalState.CANCELED, ProposalState.ACTIVE)):
        proposal.governor.castVote(proposal.id, VoteType.FOR, {"from": voters[1]})


def test_only_proposer_may_cancel_pending_proposal(stamps, propose, voters):
    proposal = propose(thresholds_action(stamps), "Not yours to cancel", voters[0])
    with brownie.reverts(err("GovernorOnlyProposer", voters[1])):
        proposal.cancel(voters[1])


def test_succeeded_proposal_not_queued_in_time_expires(stamps, propose, voters, ops):
    proposal = propose(thresholds_action(stamps), "Forgotten", voters[0])
    proposal.open_voting()
    proposal.governor.castVote(proposal.id, VoteType.FOR, {"from": voters[0]})
    proposal.close_voting()
    chain.mine(QUEUE_PERIOD - 1)
    assert proposal.state == ProposalState.SUCCEEDED
    chain.mine()
    assert proposal.state == ProposalState.EXPIRED
    with brownie.reverts(unexpected_state(proposal.id, ProposalState.EXPIRED, ProposalState.SUCCEEDED)):
        proposal.queue(ops)


def test_quorum_just_reached_lets_proposal_succeed(stamps, propose, voters):
    proposal = propose(thresholds_action(stamps), "Quorum exactly", voters[0])
    proposal.open_voting()
    assert proposal.governor.quorum(proposal.governor.proposalSnapshot(proposal.id)) == VOTER_POINTS[4]
    proposal.governor.castVote(proposal.id, VoteType.FOR, {"from": voters[4]})
    proposal.close_voting()
    assert proposal.state == ProposalState.SUCCEEDED


def test_abstain_counts_toward_quorum(stamps, propose, voters):
    proposal = propose(thresholds_action(stamps), "Abstain helps quorum", voters[0])
    proposal.open_voting()
    proposal.governor.castVote(proposal.id, VoteType.ABSTAIN, {"from": voters[3]})  # 20 >= quorum, 0 against
    proposal.governor.castVote(proposal.id, VoteType.FOR, {"from": voters[4]})
    proposal.close_voting()
    assert proposal.state == ProposalState.SUCCEEDED


def test_abstain_never_counts_for_the_proposal(stamps, propose, voters):
    # An abstention (30 points) adds to quorum only: the tallies keep it apart, and For must beat Against alone.
    passing = propose(thresholds_action(stamps), "Abstain is not For", voters[0])
    passing.open_voting()
    passing.governor.castVote(passing.id, VoteType.FOR, {"from": voters[3]})  # 20
    passing.governor.castVote(passing.id, VoteType.AGAINST, {"from": voters[4]})  # 19
    passing.governor.castVote(passing.id, VoteType.ABSTAIN, {"from": voters[2]})  # 30
    passing.close_voting()
    assert tuple(passing.governor.proposalVotes(passing.id)) == (VOTER_POINTS[4], VOTER_POINTS[3], VOTER_POINTS[2])
    assert passing.state == ProposalState.SUCCEEDED
    failing = propose(thresholds_action(stamps), "Abstain does not outvote Against", voters[1])
    failing.open_voting()
    failing.governor.castVote(failing.id, VoteType.FOR, {"from": voters[4]})  # 19
    failing.governor.castVote(failing.id, VoteType.AGAINST, {"from": voters[3]})  # 20
    failing.governor.castVote(failing.id, VoteType.ABSTAIN, {"from": voters[2]})  # 30
    failing.close_voting()
    assert tuple(failing.governor.proposalVotes(failing.id)) == (VOTER_POINTS[3], VOTER_POINTS[4], VOTER_POINTS[2])
    assert failing.state == ProposalState.DEFEATED


def test_quorum_just_missed_defeats_proposal(stamps, propose, voters, ops):
    stamps.airdrop(206, [voters[0]], {"from": ops})  # one more point in all: 200, so quorum is 20
    chain.mine()
    proposal = propose(thresholds_action(stamps), "Quorum missed by one point", voters[0])
    proposal.open_voting()
    assert proposal.governor.quorum(proposal.governor.proposalSnapshot(proposal.id)) == VOTER_POINTS[4] + 1
    proposal.governor.castVote(proposal.id, VoteType.FOR, {"from": voters[4]})
    proposal.close_voting()
    assert proposal.state == ProposalState.DEFEATED


def test_proposal_threshold_just_met(stamps, propose, voters):
    assert VOTER_POINTS[3] == 20
    proposal = propose(thresholds_action(stamps), "Twenty points suffice", voters[3])
    assert proposal.state == ProposalState.PENDING


def test_proposal_threshold_just_missed(stamps, propose, voters):
    with brownie.reverts(err("GovernorInsufficientProposerVotes", voters[4], VOTER_POINTS[4], PROPOSAL_THRESHOLD)):
        propose(thresholds_action(stamps), "Nineteen points do not", voters[4])


def test_double_vote_is_refused(stamps, propose, voters):
    proposal = propose(thresholds_action(stamps), "Vote once", voters[0])
    proposal.open_voting()
    proposal.governor.castVote(proposal.id, VoteType.FOR, {"from": voters[1]})
    with brownie.reverts(err("GovernorAlreadyCastVote", voters[1])):
        proposal.governor.castVote(proposal.id, VoteType.AGAINST, {"from": voters[1]})


def test_vote_with_reason_is_recorded_in_event(stamps, propose, voters):
    proposal = propose(thresholds_action(stamps), "Say why", voters[0])
    proposal.open_voting()
    tx = proposal.governor.castVoteWithReason(proposal.id, VoteType.AGAINST, "too low", {"from": voters[2]})
    event = tx.events["VoteCast"]
    assert (event["voter"], event["support"], event["weight"], event["reason"]) == (voters[2], 0, 30, "too low")


def test_vote_by_signature_counts_for_the_signer(stamps, propose, voters, ops):
    proposal = propose(thresholds_action(stamps), "Vote by signature", voters[0])
    proposal.open_voting()
    voter, signature = sign_ballot(proposal.governor, proposal.id, VoteType.FOR, 5, proposal.governor.nonces(voters[1]))
    assert voter == voters[1]
    tx = proposal.governor.castVoteBySig(proposal.id, VoteType.FOR, voter, signature, {"from": ops})
    assert tx.events["VoteCast"]["voter"] == voters[1]
    assert proposal.governor.hasVoted(proposal.id, voters[1])
    assert ints(proposal.governor.proposalVotes(proposal.id)) == [0, 50, 0]


def test_vote_by_signature_replay_is_refused(stamps, propose, voters, ops):
    first = propose(thresholds_action(stamps), "First", voters[0])
    second = propose(thresholds_action(stamps, [1, 2, 3]), "Second", voters[0])
    first.open_voting()
    voter, signature = sign_ballot(first.governor, first.id, VoteType.FOR, 5, 0)
    first.governor.castVoteBySig(first.id, VoteType.FOR, voter, signature, {"from": ops})
    with brownie.reverts(err("GovernorInvalidSignature", voter)):  # the nonce is spent: the same signature no longer verifies
        first.governor.castVoteBySig(first.id, VoteType.FOR, voter, signature, {"from": ops})
    assert not second.governor.hasVoted(second.id, voter)


def test_vote_by_signature_from_another_voter_is_refused(stamps, propose, voters, ops):
    proposal = propose(thresholds_action(stamps), "Forged", voters[0])
    proposal.open_voting()
    _, signature = sign_ballot(proposal.governor, proposal.id, VoteType.FOR, 5, 0)
    with brownie.reverts(err("GovernorInvalidSignature", voters[0])):
        proposal.governor.castVoteBySig(proposal.id, VoteType.FOR, voters[0], signature, {"from": ops})


def test_vote_after_deadline_is_refused(stamps, propose, voters):
    proposal = propose(thresholds_action(stamps), "Too late", voters[0])
    proposal.open_voting()
    proposal.close_voting()
    with brownie.reverts(unexpected_state(proposal.id, ProposalState.DEFEATED, ProposalState.ACTIVE)):
        proposal.governor.castVote(proposal.id, VoteType.FOR, {"from": voters[1]})


def test_vote_before_voting_opens_is_refused(stamps, propose, voters):
    proposal = propose(thresholds_action(stamps), "Too early", voters[0])
    with brownie.reverts(unexpected_state(proposal.id, ProposalState.PENDING, ProposalState.ACTIVE)):
        proposal.governor.castVote(proposal.id, VoteType.FOR, {"from": voters[1]})


def test_points_gained_after_snapshot_do_not_count(stamps, propose, voters, ops):
    proposal = propose(thresholds_action(stamps), "Snapshot", voters[0])
    proposal.open_voting()
    stamps.airdrop(201, [voters[3]], {"from": ops})  # +10 points after the snapshot
    assert stamps.getVotes(voters[3]) == VOTER_POINTS[3] + 10
    tx = proposal.governor.castVote(proposal.id, VoteType.FOR, {"from": voters[3]})
    assert tx.events["VoteCast"]["weight"] == VOTER_POINTS[3]


def test_delegated_points_vote_through_the_delegate(stamps, propose, voters):
    stamps.delegate(voters[2], {"from": voters[3]})
    chain.mine()
    proposal = propose(thresholds_action(stamps), "Delegation", voters[0])
    proposal.open_voting()
    tx = proposal.governor.castVote(proposal.id, VoteType.FOR, {"from": voters[2]})
    assert tx.events["VoteCast"]["weight"] == VOTER_POINTS[2] + VOTER_POINTS[3]
    tx = proposal.governor.castVote(proposal.id, VoteType.FOR, {"from": voters[3]})
    assert tx.events["VoteCast"]["weight"] == 0


def test_timelock_delay_is_enforced(stamps, propose, voters, ops):
    proposal = propose(thresholds_action(stamps), "Wait for it", voters[0])
    proposal.open_voting()
    proposal.governor.castVote(proposal.id, VoteType.FOR, {"from": voters[0]})
    proposal.close_voting()
    operation = proposal.queue(ops).events["CallScheduled"][0]["id"]
    chain.sleep(TIMELOCK_DELAY - 60)
    chain.mine()
    with brownie.reverts(unexpected_operation_state(operation, OperationState.READY)):
        proposal.execute(ops)
    chain.sleep(61)
    chain.mine()
    proposal.execute(ops)
    assert ints(stamps.levelThresholds()) == NEW_THRESHOLDS


def test_executed_proposal_cannot_run_twice(stamps, enact, ops):
    proposal = enact(thresholds_action(stamps), "Once only")
    with brownie.reverts(unexpected_state(proposal.id, ProposalState.EXECUTED, ProposalState.SUCCEEDED, ProposalState.QUEUED)):
        proposal.execute(ops)


def test_treasury_receives_sale_proceeds_and_spends_them_only_by_proposal(shop, timelock, enact, voters, accounts):
    shop.purchase(103, 1, {"from": voters[1], "value": 10**16})
    shop.withdrawProceeds({"from": voters[1]})
    assert timelock.balance() == 10**16
    recipient = accounts[3]
    before = recipient.balance()
    enact([(recipient, 4 * 10**15)], "Fund the community garden")
    assert recipient.balance() - before == 4 * 10**15
    assert timelock.balance() == 6 * 10**15


def test_governor_settings_change_only_through_governance(dao, enact, deployer, voters):
    with brownie.reverts(err("GovernorOnlyExecutor", deployer)):
        dao.setVotingPeriod(100, {"from": deployer})
    with brownie.reverts(err("GovernorOnlyExecutor", voters[0])):
        dao.setQueuePeriod(100, {"from": voters[0]})
    enact([(dao, "setVotingPeriod", (40,)), (dao, "setProposalThreshold", (30,)), (dao, "setQueuePeriod", (50,))],
          "Slower votes, higher bar")
    assert (dao.votingPeriod(), dao.proposalThreshold(), dao.queuePeriod()) == (40, 30, 50)


def test_outside_client_with_web3_reads_state_and_votes(stamps, propose, voters):
    """Only web3.py and the ABI: the standard IGovernor functions give state and tallies, and castVote works."""
    proposal = propose(thresholds_action(stamps), "Seen from outside", voters[0])
    proposal.open_voting()
    client = web3.eth.contract(address=proposal.governor.address, abi=proposal.governor.abi)
    assert client.functions.state(proposal.id).call() == ProposalState.ACTIVE
    assert client.functions.COUNTING_MODE().call() == "support=bravo&quorum=for,abstain"
    tx_hash = client.functions.castVote(proposal.id, VoteType.FOR).transact({"from": voters[1].address, "gasPrice": 10**9})
    assert web3.eth.wait_for_transaction_receipt(tx_hash)["status"] == 1
    assert client.functions.proposalVotes(proposal.id).call() == [0, 50, 0]
    assert client.functions.hasVoted(proposal.id, voters[1].address).call()
