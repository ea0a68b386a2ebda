"""OpenZeppelin Governor (+ GovernorVotesQuorumFraction, GovernorTimelockControl) and TimelockController events
from any watched contract, and OdysseyGovernor's multiple-choice additions (MultipleChoiceProposalCreated,
approval votes, QueuePeriodSet).

A multiple-choice proposal arrives as OZ's ProposalCreated (mirrored as an ordinary one) followed in the same
transaction by MultipleChoiceProposalCreated, which turns it into kind "multiple" with its labels as options.
Its votes are VoteCast with support = the 0-based option, or VoteCastWithParams with support 255 (approval) and
params = abi.encode(uint256 bitmap): each approved option gets the voter's full weight, the quorum counts it once.

The state of a proposal is not stored: it depends on the block, so backend/chain/views.py computes it as the
governor's `state()` would at the block a response reflects, from snapshot/deadline, the quorum at the
snapshot (total voting units checkpoint × quorum numerator checkpoint / 100) and the tallies. A queued
proposal keeps the id of its timelock operation: the timelock's word on it (executed, or cancelled by a canceller
on the timelock directly, which the governor never hears of) decides its state, as GovernorTimelockControl.state().
"""
from eth_abi import encode
from eth_utils import keccak

from backend.chain.protocol import VoteType, proposal_title
from backend.chain.views import voted_options, winning_option
from backend.db import models
from backend.indexer.handlers import Event, on
from backend.indexer.store import Row, Store

SIMPLE_OPTIONS = [vote.label.capitalize() for vote in VoteType]  # Against, For, Abstain: the support values


def create_proposal(event: Event, db: Store, proposal_id: int, *, kind: str, options: list[str], **fields) -> Row:
    """Shared by the simple and the multiple-choice ProposalCreated handlers."""
    proposal = db.get_or_create(
        models.Proposal, str(proposal_id), governor=event.contract, kind=kind, options=options,
        created_block=event.block_number, created_tx=event.tx_hash, created_time=event.timestamp, voters=0, **fields,
    )
    for option in range(len(options)):
        db.get_or_create(models.Tally, str(proposal_id), option, weight=0, voters=0)
    return proposal


def record_vote(event: Event, db: Store, proposal_id: int, voter: str, support: int, weight: int, reason: str,
                params: str | None = None) -> None:
    """Shared by VoteCast, VoteCastWithParams and the multiple-choice vote handlers."""
    key = str(proposal_id)
    proposal = db.get(models.Proposal, key)
    multiple = proposal is not None and proposal.kind == "multiple"
    for option in voted_options(multiple, support, params):
        tally = db.get_or_create(models.Tally, key, option, weight=0, voters=0)
        tally.weight += weight
        tally.voters += 1
    if proposal is not None:
        proposal.voters += 1
        proposal.votes_weight += weight
    db.record(models.Vote, proposal_id=key, voter=voter, support=support, weight=weight, reason=reason, params=params)


@on("*:ProposalCreated")
def proposal_created(event: Event, db: Store) -> None:
    a = event.args
    if "targets" not in a:  # not the OZ Governor shape: a board/multiple-choice contract handles it
        return
    actions = [
        {"target": t, "value": str(v), "signature": s, "calldata": c}
        for t, v, s, c in zip(a["targets"], a["values"], a["signatures"], a["calldatas"])
    ]
    create_proposal(
        event, db, a["proposalId"], kind="simple", options=SIMPLE_OPTIONS, proposer=a["proposer"],
        title=proposal_title(a["description"]), description=a["description"], actions=actions,
        snapshot=a["voteStart"], deadline=a["voteEnd"],
    )


@on("*:VoteCast")
def vote_cast(event: Event, db: Store) -> None:
    a = event.args
    record_vote(event, db, a["proposalId"], a["voter"], a["support"], a["weight"], a["reason"])


@on("*:VoteCastWithParams")
def vote_cast_with_params(event: Event, db: Store) -> None:
    a = event.args
    record_vote(event, db, a["proposalId"], a["voter"], a["support"], a["weight"], a["reason"], a["params"])


@on("*:MultipleChoiceProposalCreated")
def multiple_choice_proposal_created(event: Event, db: Store) -> None:
    a = event.args
    key = str(a["proposalId"])
    proposal = db.get(models.Proposal, key)
    if proposal is None:
        return
    labels = list(a["labels"])
    proposal.kind, proposal.options = "multiple", labels
    proposal.option_ends, proposal.approval = [int(e) for e in a["optionEnds"]], bool(a["approval"])
    for option in range(max(len(labels), len(SIMPLE_OPTIONS))):  # reuse the For/Against/Abstain rows (no votes yet)
        if option < len(labels):
            db.get_or_create(models.Tally, key, option, weight=0, voters=0)
        else:
            db.delete(models.Tally, key, option)


@on("*:QueuePeriodSet")
def queue_period_set(event: Event, db: Store) -> None:
    db.set_config(f"{event.contract}.queue_period", event.args["newQueuePeriod"])


def timelock_operation_id(governor: str, proposal: Row, db: Store) -> str:
    """The id GovernorTimelockControl scheduled the proposal under: hashOperationBatch(targets, values, calldatas,
    predecessor 0, salt bytes20(governor) ^ keccak(description)), over the winning option's actions alone for a
    multiple-choice proposal (OdysseyGovernor._queueOperations; its votes are final once it can be queued)."""
    actions = proposal.actions
    if proposal.kind == "multiple":
        option = winning_option({o: db.get(models.Tally, proposal.id, o).weight for o in range(len(proposal.options))})
        ends = proposal.option_ends
        actions = actions[(ends[option - 1] if option else 0):ends[option]]
    salt = int(governor, 16) << 96 ^ int.from_bytes(keccak(text=proposal.description), "big")
    operation = encode(
        ["address[]", "uint256[]", "bytes[]", "bytes32", "bytes32"],
        [[a["target"] for a in actions], [int(a["value"]) for a in actions],
         [bytes.fromhex(a["calldata"][2:]) for a in actions], bytes(32), salt.to_bytes(32, "big")],
    )
    return "0x" + keccak(operation).hex()


@on("*:ProposalQueued")
def proposal_queued(event: Event, db: Store) -> None:
    proposal = db.get(models.Proposal, str(event.args["proposalId"]))
    if proposal is not None:
        proposal.eta = event.args.get("etaSeconds", event.args.get("eta"))
        proposal.queued_block = event.block_number
        proposal.timelock_id = timelock_operation_id(event.address, proposal, db)


@on("*:ProposalExecuted")
def proposal_executed(event: Event, db: Store) -> None:
    proposal = db.get(models.Proposal, str(event.args["proposalId"]))
    if proposal is not None:
        proposal.executed_block = event.block_number


@on("*:ProposalCanceled")
def proposal_canceled(event: Event, db: Store) -> None:
    proposal = db.get(models.Proposal, str(event.args["proposalId"]))
    if proposal is not None:
        proposal.canceled_block = event.block_number


@on("*:QuorumNumeratorUpdated")
def quorum_numerator_updated(event: Event, db: Store) -> None:
    db.checkpoint(models.QuorumCheckpoint, event.contract, numerator=event.args["newQuorumNumerator"])


# ---------------------------------------------------------------- TimelockController


@on("*:CallScheduled")
def call_scheduled(event: Event, db: Store) -> None:
    a = event.args
    op = db.get_or_create(
        models.TimelockOperation, a["id"], timelock=event.contract, state="scheduled", calls=[],
        predecessor=a["predecessor"], delay=a["delay"], ready_at=event.timestamp + a["delay"],
        scheduled_block=event.block_number,
    )
    op.calls = op.calls + [{"index": a["index"], "target": a["target"], "value": str(a["value"]), "data": a["data"]}]


@on("*:CallExecuted")
def call_executed(event: Event, db: Store) -> None:
    op = db.get(models.TimelockOperation, event.args["id"])
    if op is not None:
        op.state = "executed"
        op.executed_block = event.block_number


@on("*:Cancelled")
def call_cancelled(event: Event, db: Store) -> None:
    op = db.get(models.TimelockOperation, event.args["id"])
    if op is not None:
        op.state = "cancelled"
        op.cancelled_block = event.block_number


@on("*:MinDelayChange")
def min_delay_change(event: Event, db: Store) -> None:
    db.set_config(f"{event.contract}.min_delay", event.args["newDuration"])
