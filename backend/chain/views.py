"""The contracts' views, computed in Python from mirrored state: what `levelOf`, the governor's `state()` and
`winningOption`, and the board's `ideaState` would answer. Pure functions: the API reads their inputs from the mirror
(backend/api/queries.py), the indexer calls them where an event's meaning depends on them.

Proposal state, as OZ Governor 5.0's `state(proposalId)` at a block:

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

Drops (OdysseyDrops.dropState at a block): Drawn once drawn; Upcoming before `opensAt`, Open to `closesAt`, Closed to
the seed block, Drawable while the seed block's hash is readable (256 blocks), then SeedExpired. Whether a winner's
stamp can still be issued (OdysseyDrops._issuable, which lets a paid winner be refunded when it cannot): supply left
and the journey not ended.
"""
from bisect import bisect_right

from backend.chain.protocol import APPROVAL_VOTE, BLOCKHASH_WINDOW, DropState, IdeaState, ProposalState, VoteType

QUORUM_DENOMINATOR = 100
# A linked proposal in one of these states leaves its idea Rejected (unless the idea was realised).
_REJECTING = {ProposalState.DEFEATED.label, ProposalState.CANCELED.label, ProposalState.EXPIRED.label,
              ProposalState.EXECUTED.label}


def level_for(points: int, thresholds: list[int]) -> int:
    """OdysseyStamps.levelOf: the number of (ascending) thresholds at or below `points`."""
    return bisect_right(thresholds, points)


def level_floor(points: int, thresholds: list[int]) -> int:
    """The points at which the level of `points` starts (0 at level 0)."""
    level = level_for(points, thresholds)
    return thresholds[level - 1] if level else 0


def next_threshold(points: int, thresholds: list[int]) -> int | None:
    """The points the next level needs; None at the top level."""
    level = level_for(points, thresholds)
    return thresholds[level] if level < len(thresholds) else None


def approved_options(params: str | None) -> list[int]:
    """The options of an approval vote's params (0x-hex of abi.encode(uint256 bitmap)), lowest first."""
    bitmap = int((params or "0x")[2:66] or "0", 16)
    return [i for i in range(bitmap.bit_length()) if bitmap >> i & 1]


def voted_options(multiple_choice: bool, support: int, params: str | None) -> list[int]:
    """The options a vote counts for: the approved ones of an approval vote, else its support value."""
    return approved_options(params) if multiple_choice and support == APPROVAL_VOTE else [support]


def winning_option(tallies: dict[int, int]) -> int | None:
    """GovernorCountingMultipleChoice.winningOption: the option with strictly the most weight, None on a tie or no votes."""
    best, winner = 0, None
    for option in sorted(tallies):
        if tallies[option] > best:
            best, winner = tallies[option], option
        elif tallies[option] == best:
            winner = None
    return winner


def proposal_state(proposal, tallies: dict[int, int], quorum: int, clock: int, queue_period: int = 0,
                   operation: str | None = None) -> str:
    """The governor's state() of `proposal` (a mirrored row) at block `clock`, as a ProposalState label. `operation`:
    the state of its timelock operation (scheduled, executed, cancelled; None if unknown)."""
    if proposal.executed_block is not None and proposal.executed_block <= clock:
        return ProposalState.EXECUTED.label
    if proposal.canceled_block is not None and proposal.canceled_block <= clock:
        return ProposalState.CANCELED.label
    if proposal.snapshot >= clock:
        return ProposalState.PENDING.label
    if proposal.deadline >= clock:
        return ProposalState.ACTIVE.label
    if proposal.kind == "simple":
        against, for_, abstain = (tallies.get(v, 0) for v in (VoteType.AGAINST, VoteType.FOR, VoteType.ABSTAIN))
        reached = quorum <= for_ + abstain
        succeeded = for_ > against
    else:
        reached = quorum <= proposal.votes_weight
        succeeded = winning_option(tallies) is not None
    if not reached or not succeeded:
        return ProposalState.DEFEATED.label
    if proposal.eta is not None:
        return {"executed": ProposalState.EXECUTED.label, "cancelled": ProposalState.CANCELED.label}.get(
            operation, ProposalState.QUEUED.label)
    if queue_period and clock > proposal.deadline + queue_period:
        return ProposalState.EXPIRED.label
    return ProposalState.SUCCEEDED.label


def idea_state(idea, now: int, linked_proposal_state: str | None) -> str:
    """The board's ideaState of `idea` (a mirrored row) at a block of time `now`, as an IdeaState label;
    `linked_proposal_state`: the state of the proposal it is linked to (None when not linked or not mirrored)."""
    if idea.stage == IdeaState.REALISED.label:
        return IdeaState.REALISED.label
    if idea.stage == IdeaState.OPEN.label:
        expired = idea.deadline is not None and now > idea.deadline
        return IdeaState.EXPIRED.label if expired else IdeaState.OPEN.label
    if idea.proposal_id is None:
        return IdeaState.QUALIFIED.label
    if linked_proposal_state is None or linked_proposal_state in _REJECTING:
        return IdeaState.REJECTED.label
    return IdeaState.PROPOSED.label


def drop_state(drop, block: int) -> str:
    """OdysseyDrops.dropState of `drop` (a mirrored row) at block `block`, as a DropState label."""
    if drop.seed is not None:
        return DropState.DRAWN.label
    if block < drop.opens_at:
        return DropState.UPCOMING.label
    if block <= drop.closes_at:
        return DropState.OPEN.label
    if block <= drop.seed_block:
        return DropState.CLOSED.label
    if block <= drop.seed_block + BLOCKHASH_WINDOW:
        return DropState.DRAWABLE.label
    return DropState.SEED_EXPIRED.label


def issuable(stamp, journey_end: int, now: int) -> bool:
    """Whether the stamps contract may still issue `stamp` (a mirrored stamp type) at time `now`: supply left and its
    journey (ending at `journey_end`, 0: never) not ended."""
    if stamp.max_supply and stamp.minted >= stamp.max_supply:
        return False
    return journey_end == 0 or now <= journey_end
