"""Multiple-choice proposals: the winning option's actions alone execute; ties and missed quorum are Defeated."""
import brownie
from brownie import chain, web3
from eth_abi import encode

from backend.chain.protocol import APPROVAL_VOTE, ProposalState
from stamp_helpers import err

from .conftest import PROPOSAL_THRESHOLD, VOTER_POINTS, ints, unexpected_state


def design_options(stamps):
    """Three stamp designs for the autumn journey: A (journey 31), B (journey 32 and its stamp), or neither."""
    actions = [
        (stamps, "createJourney", (31, "Autumn: Maple", "ipfs://maple", 0, 0)),
        (stamps, "createJourney", (32, "Autumn: Pumpkin", "ipfs://pumpkin", 0, 0)),
        (stamps, "createStampType", (3201, 32, "Pumpkin Spice", 15, True, 0)),
    ]
    options = [("Maple design", 1), ("Pumpkin design", 2), ("Neither", 0)]
    return actions, options


def choose(propose, stamps, proposer, approval=False, description="Which autumn design?"):
    actions, options = design_options(stamps)
    return propose(actions, description, proposer, options=options, approval=approval)


def approve(proposal, voter, *options):
    bitmap = sum(1 << option for option in options)
    return proposal.governor.castVoteWithReasonAndParams(
        proposal.id, APPROVAL_VOTE, "", encode(["uint256"], [bitmap]), {"from": voter}
    )


def test_multiple_choice_proposal_emits_labels_and_option_ends(stamps, propose, voters):
    proposal = choose(propose, stamps, voters[0])
    event = proposal.tx.events["MultipleChoiceProposalCreated"]
    assert event["proposalId"] == proposal.id
    assert list(event["labels"]) == ["Maple design", "Pumpkin design", "Neither"]
    assert ints(event["optionEnds"]) == [1, 3, 3]
    assert event["approval"] is False
    assert "ProposalCreated" in proposal.tx.events
    assert proposal.state == ProposalState.PENDING
    assert proposal.governor.isMultipleChoice(proposal.id)


def test_multiple_choice_winner_executes_only_its_actions(stamps, propose, voters, ops):
    proposal = choose(propose, stamps, voters[0])
    proposal.open_voting()
    proposal.governor.castVote(proposal.id, 1, {"from": voters[0]})  # 80 for Pumpkin
    proposal.governor.castVote(proposal.id, 0, {"from": voters[1]})  # 50 for Maple
    proposal.close_voting()
    assert ints(proposal.governor.optionVotes(proposal.id)) == [50, 80, 0]
    assert tuple(proposal.governor.winningOption(proposal.id)) == (True, 1)
    assert proposal.state == ProposalState.SUCCEEDED
    proposal.queue(ops)
    proposal.wait_timelock()
    proposal.execute(ops)
    assert proposal.state == ProposalState.EXECUTED
    assert stamps.journey(32)[0] == "Autumn: Pumpkin"
    assert stamps.stampType(3201)[1] == 15
    assert stamps.journey(31)[0] == ""


def test_multiple_choice_empty_option_wins_and_executes_nothing(stamps, propose, voters, ops):
    proposal = choose(propose, stamps, voters[0])
    proposal.open_voting()
    proposal.governor.castVote(proposal.id, 2, {"from": voters[0]})
    proposal.close_voting()
    proposal.queue(ops)
    proposal.wait_timelock()
    proposal.execute(ops)
    assert proposal.state == ProposalState.EXECUTED
    assert stamps.journey(31)[0] == "" and stamps.journey(32)[0] == ""


def test_multiple_choice_tie_for_first_is_defeated(stamps, propose, voters, ops):
    proposal = choose(propose, stamps, voters[0])
    proposal.open_voting()
    proposal.governor.castVote(proposal.id, 0, {"from": voters[1]})  # 50
    proposal.governor.castVote(proposal.id, 1, {"from": voters[2]})  # 30
    proposal.governor.castVote(proposal.id, 1, {"from": voters[3]})  # 20
    proposal.close_voting()
    assert ints(proposal.governor.optionVotes(proposal.id)) == [50, 50, 0]
    assert tuple(proposal.governor.winningOption(proposal.id)) == (False, 0)  # first of the tied options
    assert proposal.state == ProposalState.DEFEATED
    with brownie.reverts(unexpected_state(proposal.id, ProposalState.DEFEATED, ProposalState.SUCCEEDED)):
        proposal.queue(ops)


def test_multiple_choice_without_quorum_is_defeated_even_with_a_clear_winner(stamps, propose, voters, ops):
    stamps.airdrop(206, [voters[0]], {"from": ops})  # 200 points in all: quorum 20
    chain.mine()
    proposal = choose(propose, stamps, voters[0])
    proposal.open_voting()
    proposal.governor.castVote(proposal.id, 0, {"from": voters[4]})  # 19
    proposal.close_voting()
    assert tuple(proposal.governor.winningOption(proposal.id)) == (True, 0)
    assert proposal.state == ProposalState.DEFEATED


def test_multiple_choice_quorum_counts_votes_for_every_option(stamps, propose, voters, ops, accounts):
    small_holder = accounts[3]
    stamps.airdrop(206, [small_holder], {"from": ops})  # 200 points in all: quorum 20
    chain.mine()
    proposal = choose(propose, stamps, voters[0])
    proposal.open_voting()
    proposal.governor.castVote(proposal.id, 0, {"from": voters[4]})  # 19 for Maple
    proposal.governor.castVote(proposal.id, 2, {"from": small_holder})  # 1 for Neither
    proposal.close_voting()
    assert ints(proposal.governor.proposalVotes(proposal.id)) == [0, 20, 0]
    assert proposal.state == ProposalState.SUCCEEDED


def test_approval_vote_gives_full_weight_to_every_approved_option(stamps, propose, voters, ops):
    proposal = choose(propose, stamps, voters[0], approval=True)
    proposal.open_voting()
    tx = approve(proposal, voters[0], 0, 1)  # 80 to Maple and Pumpkin
    assert tx.events["VoteCastWithParams"]["weight"] == 80
    approve(proposal, voters[1], 1)  # 50 to Pumpkin
    proposal.governor.castVote(proposal.id, 0, {"from": voters[2]})  # a single choice still works: 30 to Maple
    proposal.close_voting()
    assert ints(proposal.governor.optionVotes(proposal.id)) == [110, 130, 0]
    assert ints(proposal.governor.proposalVotes(proposal.id)) == [0, 160, 0]  # every voter's weight once
    assert proposal.state == ProposalState.SUCCEEDED
    proposal.queue(ops)
    proposal.wait_timelock()
    proposal.execute(ops)
    assert stamps.journey(32)[0] == "Autumn: Pumpkin" and stamps.journey(31)[0] == ""


def test_approval_vote_on_single_choice_proposal_is_refused(stamps, propose, voters):
    proposal = choose(propose, stamps, voters[0])
    proposal.open_voting()
    with brownie.reverts(err("GovernorApprovalNotAllowed", proposal.id)):
        approve(proposal, voters[0], 0, 1)


def test_approval_vote_naming_unknown_option_is_refused(stamps, propose, voters):
    proposal = choose(propose, stamps, voters[0], approval=True)
    proposal.open_voting()
    with brownie.reverts(err("GovernorInvalidApprovals", proposal.id)):
        approve(proposal, voters[0], 0, 3)


def test_empty_approval_vote_is_refused(stamps, propose, voters):
    proposal = choose(propose, stamps, voters[0], approval=True)
    proposal.open_voting()
    with brownie.reverts(err("GovernorInvalidApprovals", proposal.id)):
        approve(proposal, voters[0])


def test_vote_for_unknown_option_is_refused(stamps, propose, voters):
    proposal = choose(propose, stamps, voters[0])
    proposal.open_voting()
    with brownie.reverts(err("GovernorInvalidVoteType")):
        proposal.governor.castVote(proposal.id, 3, {"from": voters[0]})


def test_double_vote_on_multiple_choice_is_refused(stamps, propose, voters):
    proposal = choose(propose, stamps, voters[0], approval=True)
    proposal.open_voting()
    proposal.governor.castVote(proposal.id, 0, {"from": voters[0]})
    with brownie.reverts(err("GovernorAlreadyCastVote", voters[0])):
        approve(proposal, voters[0], 1)


def test_multiple_choice_needs_at_least_two_options(stamps, propose, voters):
    actions, _ = design_options(stamps)
    with brownie.reverts(err("GovernorInvalidOptionCount", 1, 1)):
        propose(actions, "One option", voters[0], options=[("All", 3)])


def test_multiple_choice_allows_at_most_ten_options(stamps, propose, voters):
    actions = [(stamps, "createJourney", (40 + i, f"Option {i}", "", 0, 0)) for i in range(11)]
    with brownie.reverts(err("GovernorInvalidOptionCount", 11, 11)):
        propose(actions, "Eleven options", voters[0], options=[(f"Option {i}", 1) for i in range(11)])
    ten = propose(actions[:10], "Ten options", voters[0], options=[(f"Option {i}", 1) for i in range(10)])
    assert len(ten.governor.optionVotes(ten.id)) == 10


def test_option_ends_must_cover_every_action(stamps, propose, voters, dao):
    actions, _ = design_options(stamps)
    from .conftest import encode_actions

    targets, values, calldatas = encode_actions(actions)
    with brownie.reverts(err("GovernorInvalidOptionEnds", 1, 2)):  # the last option stops short of the third action
        dao.proposeMultipleChoice(targets, values, calldatas, ["A", "B"], [1, 2], False, "Short", {"from": voters[0]})
    with brownie.reverts(err("GovernorInvalidOptionEnds", 1, 1)):  # decreasing ends
        dao.proposeMultipleChoice(targets, values, calldatas, ["A", "B", "C"], [2, 1, 3], False, "Dec", {"from": voters[0]})


def test_multiple_choice_labels_must_match_options(stamps, voters, dao):
    from .conftest import encode_actions

    targets, values, calldatas = encode_actions(design_options(stamps)[0])
    with brownie.reverts(err("GovernorInvalidOptionCount", 2, 1)):
        dao.proposeMultipleChoice(targets, values, calldatas, ["A"], [1, 3], False, "Labels", {"from": voters[0]})


def test_multiple_choice_proposal_below_threshold_is_refused(stamps, propose, voters):
    with brownie.reverts(err("GovernorInsufficientProposerVotes", voters[4], VOTER_POINTS[4], PROPOSAL_THRESHOLD)):
        choose(propose, stamps, voters[4])


def test_ordinary_proposal_is_not_multiple_choice(stamps, propose, voters):
    proposal = propose([(stamps, "setLevelThresholds", ([1, 2],))], "Plain", voters[0])
    assert not proposal.governor.isMultipleChoice(proposal.id)
    assert ints(proposal.governor.optionVotes(proposal.id)) == []


def test_proposal_options_report_ends_and_approval(stamps, propose, voters):
    proposal = choose(propose, stamps, voters[0], approval=True)
    ends, approval = proposal.governor.proposalOptions(proposal.id)
    assert ints(ends) == [1, 3, 3] and approval is True


def test_vote_by_signature_chooses_an_option(stamps, propose, voters, ops):
    from .test_governor import sign_ballot

    proposal = choose(propose, stamps, voters[0])
    proposal.open_voting()
    voter, signature = sign_ballot(proposal.governor, proposal.id, 2, 5, proposal.governor.nonces(voters[1]))
    proposal.governor.castVoteBySig(proposal.id, 2, voter, signature, {"from": ops})
    assert ints(proposal.governor.optionVotes(proposal.id)) == [0, 0, 50]


# ---------------------------------------------------------------- options bound into the id (audit finding t2)


def _honest_args(stamps, approval=False, description="# Which autumn design?"):
    actions, options = design_options(stamps)
    from .conftest import encode_actions

    targets, values, calldatas = encode_actions(actions)
    labels = [label for label, _ in options]
    return targets, values, calldatas, labels, [1, 3, 3], approval, description


def test_swapped_labels_cannot_take_an_honest_proposals_place(dao, stamps, voters):
    targets, values, calldatas, labels, ends, approval, description = _honest_args(stamps)
    attacker, honest = voters[3], voters[0]
    swapped = [labels[1], labels[0], labels[2]]
    hijack = dao.proposeMultipleChoice(targets, values, calldatas, swapped, ends, approval, description, {"from": attacker})
    tx = dao.proposeMultipleChoice(targets, values, calldatas, labels, ends, approval, description, {"from": honest})
    assert tx.return_value != hijack.return_value
    assert dao.proposalProposer(tx.return_value) == honest
    assert list(tx.events["MultipleChoiceProposalCreated"]["labels"]) == labels


def test_approval_and_option_ends_are_bound_too(dao, stamps, voters):
    targets, values, calldatas, labels, ends, approval, description = _honest_args(stamps)
    ids = {
        dao.proposeMultipleChoice(targets, values, calldatas, labels, e, a, description, {"from": voters[0]}).return_value
        for e, a in (([1, 3, 3], False), ([1, 3, 3], True), ([1, 1, 3], False))
    }
    assert len(ids) == 3


def test_a_plain_proposal_cannot_take_a_multiple_choice_id(dao, stamps, voters):
    targets, values, calldatas, labels, ends, approval, description = _honest_args(stamps)
    tagged = dao.multipleChoiceDescription(description, labels, ends, approval)
    with brownie.reverts(err("GovernorOptionsTagReserved")):
        dao.propose(targets, values, calldatas, tagged, {"from": voters[3]})
    plain = dao.propose(targets, values, calldatas, description, {"from": voters[3]})  # For would run every option
    tx = dao.proposeMultipleChoice(targets, values, calldatas, labels, ends, approval, description, {"from": voters[0]})
    assert tx.return_value != plain.return_value
    assert dao.isMultipleChoice(tx.return_value) and not dao.isMultipleChoice(plain.return_value)


def test_the_tag_is_the_one_clients_compute(dao, stamps, voters):
    from backend.chain.protocol import multiple_choice_description, without_options_tag

    targets, values, calldatas, labels, ends, approval, description = _honest_args(stamps, approval=True)
    tagged = multiple_choice_description(description, labels, ends, approval)
    assert dao.multipleChoiceDescription(description, labels, ends, approval) == tagged
    assert without_options_tag(tagged) == description
    tx = dao.proposeMultipleChoice(targets, values, calldatas, labels, ends, approval, description, {"from": voters[0]})
    assert tx.events["ProposalCreated"]["description"] == tagged
    assert tx.return_value == dao.hashProposal(targets, values, calldatas, web3.keccak(text=tagged))


def test_a_proposer_suffix_still_reserves_the_proposal(dao, stamps, voters):
    targets, values, calldatas, labels, ends, approval, _ = _honest_args(stamps)
    description = f"# Which autumn design?\n\n#proposer={str(voters[0]).lower()}"
    with brownie.reverts(err("GovernorRestrictedProposer", voters[3])):
        dao.proposeMultipleChoice(targets, values, calldatas, labels, ends, approval, description, {"from": voters[3]})
    dao.proposeMultipleChoice(targets, values, calldatas, labels, ends, approval, description, {"from": voters[0]})


def test_multiple_choice_needs_the_proposal_threshold(dao, stamps, voters):
    targets, values, calldatas, labels, ends, approval, description = _honest_args(stamps)
    with brownie.reverts(err("GovernorInsufficientProposerVotes", voters[4], VOTER_POINTS[4], PROPOSAL_THRESHOLD)):
        dao.proposeMultipleChoice(targets, values, calldatas, labels, ends, approval, description, {"from": voters[4]})
