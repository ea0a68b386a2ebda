"""Proposal state as the governor's `state(proposalId)` would answer at a given block (OZ Governor 5.0).

    Executed / Canceled            if the governor said so (ProposalExecuted / ProposalCanceled)
    Pending                        if snapshot >= clock
    Active                         if deadline >= clock
    Defeated                       if quorum not reached or For <= Against
    Succeeded                      if not queued, Queued if queued (GovernorTimelockControl: the timelock
                                   executing it emits ProposalExecuted from the governor)

clock() is the block number (the Votes token's ERC-6372 clock). quorum(snapshot) = total voting units at the
snapshot × quorum numerator at the snapshot / 100 (GovernorVotesQuorumFraction); quorum is reached when
For + Abstain ≥ quorum (GovernorCountingSimple). Multiple-choice proposals: quorum on the total weight,
succeeded when one option has the most weight (the rule to adapt when that contract lands).
"""
from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.db import models

QUORUM_DENOMINATOR = 100
STATES = ("pending", "active", "canceled", "defeated", "succeeded", "queued", "expired", "executed")


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


def state_of(proposal: models.Proposal, tallies: dict[int, int], quorum: int, clock: int) -> str:
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
        weights = sorted(tallies.values(), reverse=True)
        reached = quorum <= sum(weights)
        succeeded = bool(weights) and weights[0] > 0 and (len(weights) == 1 or weights[0] > weights[1])
    if not reached or not succeeded:
        return "defeated"
    if proposal.eta is None:
        return "succeeded"
    return "queued"
