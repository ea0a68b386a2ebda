"""Proposal state as the governor's `state(proposalId)` would answer at a given block (OZ Governor 5.0).

    Executed / Canceled            if the governor said so (ProposalExecuted / ProposalCanceled)
    Pending                        if snapshot >= clock
    Active                         if deadline >= clock
    Defeated                       if quorum not reached or not succeeded (below)
    Queued                         if queued, while its timelock operation is pending; Executed once the timelock
                                   executed it, Canceled once a canceller cancelled it on the timelock directly
                                   (GovernorTimelockControl.state(); the governor emits nothing for either)
    Expired                        if not queued within `queuePeriod` blocks after the deadline (OdysseyGovernor;
                                   0 = no limit)
    Succeeded                      otherwise

clock() is the block number (the Votes token's ERC-6372 clock). quorum(snapshot) = total voting units at the
snapshot × quorum numerator at the snapshot / 100 (GovernorVotesQuorumFraction); quorum is reached when
For + Abstain ≥ quorum and succeeded when For > Against (GovernorCountingSimple). Multiple-choice proposals
(GovernorCountingMultipleChoice): quorum on the weight voted, each voter's once however many options an approval
vote names; succeeded when one option leads alone (a tie for first place, or no votes at all, is Defeated).

Ideas (IdeaBoard.ideaState): Realised once IdeaRealised; Open until the last stage is reached, Expired if the
stage deadline passed meanwhile; Qualified; then Proposed while the linked proposal lives, Rejected once it is
Defeated, Canceled, Expired or Executed without realising the idea (or unknown to the mirror's governor).
"""
from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.db import models

QUORUM_DENOMINATOR = 100
STATES = ("pending", "active", "canceled", "defeated", "succeeded", "queued", "expired", "executed")
IDEA_STATES = ("open", "expired", "qualified", "proposed", "rejected", "realised")
APPROVAL_VOTE = 255  # GovernorCountingMultipleChoice: params name the approved options


def approved_options(params: str | None) -> list[int]:
    """The options of an approval vote's params (0x-hex of abi.encode(uint256 bitmap)), lowest first."""
    bitmap = int((params or "0x")[2:66] or "0", 16)
    return [i for i in range(bitmap.bit_length()) if bitmap >> i & 1]



def total_votes_at(session: Session, block: int) -> int:
    row = session.execute(
        select(models.SupplyCheckpoint.total)
        .where(models.SupplyCheckpoint.block_number <= block)
        .order_by(models.SupplyCheckpoint.block_number.desc())
        .limit(1)
    ).scalar()
    return row or 0


def quorum_numerator_at(session: Session, governor: str, block: int) -> int | None:
    return session.execute(
        select(models.QuorumCheckpoint.numerator)
        .where(models.QuorumCheckpoint.governor == governor, models.QuorumCheckpoint.block_number <= block)
        .order_by(models.QuorumCheckpoint.block_number.desc())
        .limit(1)
    ).scalar()


def quorum_of(session: Session, proposal: models.Proposal) -> int:
    numerator = quorum_numerator_at(session, proposal.governor, proposal.snapshot)
    if numerator is None:
        return 0
    return total_votes_at(session, proposal.snapshot) * numerator // QUORUM_DENOMINATOR


def winning_option(tallies: dict[int, int]) -> int | None:
    """GovernorCountingMultipleChoice.winningOption: the option with strictly the most weight, None on a tie or no votes."""
    best, winner = 0, None
    for option in sorted(tallies):
        if tallies[option] > best:
            best, winner = tallies[option], option
        elif tallies[option] == best:
            winner = None
    return winner


def state_of(proposal: models.Proposal, tallies: dict[int, int], quorum: int, clock: int, queue_period: int = 0,
             operation: str | None = None) -> str:
    """`operation`: the state of the proposal's timelock operation (scheduled, executed, cancelled; None if unknown)."""
    if proposal.executed_block is not None and proposal.executed_block <= clock:
        return "executed"
    if proposal.canceled_block is not None and proposal.canceled_block <= clock:
        return "canceled"
    if proposal.snapshot >= clock:
        return "pending"
    if proposal.deadline >= clock:
        return "active"
    if proposal.kind == "simple":
        against, for_, abstain = tallies.get(0, 0), tallies.get(1, 0), tallies.get(2, 0)
        reached = quorum <= for_ + abstain
        succeeded = for_ > against
    else:
        reached = quorum <= proposal.votes_weight
        succeeded = winning_option(tallies) is not None
    if not reached or not succeeded:
        return "defeated"
    if proposal.eta is not None:
        return {"executed": "executed", "cancelled": "canceled"}.get(operation, "queued")
    if queue_period and clock > proposal.deadline + queue_period:
        return "expired"
    return "succeeded"


def queue_period_of(session: Session, governor: str) -> int:
    row = session.get(models.Config, f"{governor}.queue_period")
    return row.value["v"] if row is not None else 0


def timelock_operation_of(session: Session, proposal: models.Proposal) -> models.TimelockOperation | None:
    """The timelock operation a queued proposal was scheduled as (None if not queued or not mirrored)."""
    if proposal.timelock_id is None:
        return None
    return session.get(models.TimelockOperation, proposal.timelock_id)


def proposal_state(session: Session, proposal: models.Proposal, clock: int) -> str:
    tallies = dict(session.execute(
        select(models.Tally.option, models.Tally.weight).where(models.Tally.proposal_id == proposal.id)
    ).all())
    operation = timelock_operation_of(session, proposal)
    return state_of(proposal, tallies, quorum_of(session, proposal), clock, queue_period_of(session, proposal.governor),
                    operation.state if operation is not None else None)


def idea_state(session: Session, idea: models.Idea, clock: int, now: int) -> str:
    """The board's `ideaState` at block `clock` of time `now` (the block the answer reflects)."""
    if idea.stage == "realised":
        return "realised"
    if idea.stage == "open":
        return "expired" if idea.deadline is not None and now > idea.deadline else "open"
    if idea.proposal_id is None:
        return "qualified"
    proposal = session.get(models.Proposal, idea.proposal_id)
    if proposal is None:
        return "rejected"
    if proposal_state(session, proposal, clock) in ("defeated", "canceled", "expired", "executed"):
        return "rejected"
    return "proposed"
