"""Proposals (state computed as the governor would at the reflected block) with tallies and votes; ideas."""
from typing import Literal

from fastapi import APIRouter
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from backend.api.deps import BlockDep, IdPath, Limit, cursor_query, encode_cursor, not_found
from backend.api.errors import responses
from backend.api.routers.common import idea_out, votes_out
from backend.api.schemas import BlockRef, IdeaOut, One, Page, ProposalOut, TallyOut, VoteOut
from backend.db import models
from backend.db.session import SessionDep
from backend.governance import IDEA_STATES, STATES, queue_period_of, quorum_of, state_of, timelock_operation_of, winning_option
from backend.protocol import without_options_tag

router = APIRouter(tags=["governance"])
State = Literal[STATES]  # type: ignore[valid-type]
IdeaState = Literal[IDEA_STATES]  # type: ignore[valid-type]
CreatedCursor = cursor_query(int, str)  # created block, id
VoteCursor = cursor_query(int, int)  # block number, log index


def proposal_out(session: Session, proposal: models.Proposal, block: BlockRef) -> ProposalOut:
    tallies = session.execute(select(models.Tally).where(models.Tally.proposal_id == proposal.id).order_by(models.Tally.option)).scalars().all()
    weights = {t.option: t.weight for t in tallies}
    quorum = quorum_of(session, proposal)
    clock = block.number if block.number is not None else 0
    labels = proposal.options
    winner = winning_option(weights) if proposal.kind == "multiple" else None
    # executed or cancelled on the timelock directly: the governor emitted nothing, the timelock's events say when
    operation = timelock_operation_of(session, proposal)
    state = state_of(proposal, weights, quorum, clock, queue_period_of(session, proposal.governor),
                     operation.state if operation is not None else None)
    return ProposalOut(
        id=proposal.id, governor=proposal.governor, kind=proposal.kind, state=state,
        proposer=proposal.proposer, title=proposal.title, description=without_options_tag(proposal.description), options=labels,
        tallies=[TallyOut(option=t.option, label=labels[t.option] if t.option < len(labels) else str(t.option), weight=t.weight, voters=t.voters) for t in tallies],
        quorum=quorum, snapshot=proposal.snapshot, deadline=proposal.deadline, eta=proposal.eta, actions=proposal.actions,
        created_block=proposal.created_block, created_time=proposal.created_time, created_tx=proposal.created_tx,
        executed_block=proposal.executed_block or (operation.executed_block if operation is not None else None),
        canceled_block=proposal.canceled_block or (operation.cancelled_block if operation is not None else None),
        idea_id=proposal.idea_id,
        voters=proposal.voters, votes_weight=proposal.votes_weight, approval=proposal.approval,
        option_ends=proposal.option_ends, winning_option=winner, winning_label=None if winner is None else labels[winner],
    )


def _newest_first(session: Session, model, cursor: tuple[int, str] | None, limit: int, block: BlockRef, render, keep) -> Page:
    """A page of proposals or ideas, newest first, filtered on their rendered state: it depends on the block
    (Expired, Rejected, Defeated have no event), so the filter runs here; a DAO's lifetime holds thousands."""
    query = select(model)
    if cursor:
        query = query.where(or_(model.created_block < cursor[0], and_(model.created_block == cursor[0], model.id < cursor[1])))
    data, last = [], None
    for row in session.execute(query.order_by(model.created_block.desc(), model.id.desc())).scalars():
        out = render(row)
        if keep(out):
            if len(data) == limit:
                return Page(block=block, data=data, next_cursor=encode_cursor(last.created_block, last.id))
            data.append(out)
            last = row
    return Page(block=block, data=data)


def _existing(session: Session, proposal_id: int) -> models.Proposal:
    proposal = session.get(models.Proposal, str(proposal_id))
    if proposal is None:
        raise not_found(f"proposal {proposal_id}")
    return proposal


@router.get("/proposals", response_model=Page[ProposalOut], summary="Proposals, newest first, optionally by state",
            responses=responses(422, 503))
def proposals(session: SessionDep, block: BlockDep, state: State | None = None, limit: Limit = 50, cursor: CreatedCursor = None):
    return _newest_first(session, models.Proposal, cursor, limit, block,
                         lambda row: proposal_out(session, row, block), lambda out: state is None or out.state == state)


@router.get("/proposals/{proposal_id}", response_model=One[ProposalOut], summary="One proposal with tallies",
            responses=responses(404, 422, 503))
def proposal(proposal_id: IdPath, session: SessionDep, block: BlockDep):
    return One(block=block, data=proposal_out(session, _existing(session, proposal_id), block))


@router.get("/proposals/{proposal_id}/votes", response_model=Page[VoteOut], summary="Votes on a proposal, newest first",
            responses=responses(404, 422, 503))
def proposal_votes(proposal_id: IdPath, session: SessionDep, block: BlockDep, limit: Limit = 100, cursor: VoteCursor = None):
    p = _existing(session, proposal_id)
    query = select(models.Vote).where(models.Vote.proposal_id == p.id)
    if cursor:
        query = query.where(or_(models.Vote.block_number < cursor[0], and_(models.Vote.block_number == cursor[0], models.Vote.log_index < cursor[1])))
    rows = session.execute(query.order_by(models.Vote.block_number.desc(), models.Vote.log_index.desc()).limit(limit + 1)).scalars().all()
    next_cursor = encode_cursor(rows[limit - 1].block_number, rows[limit - 1].log_index) if len(rows) > limit else None
    return Page(block=block, data=votes_out(session, rows[:limit]), count=p.voters, next_cursor=next_cursor)


@router.get("/ideas", response_model=Page[IdeaOut], summary="Co-creation ideas, newest first, optionally by stage",
            responses=responses(422, 503))
def ideas(session: SessionDep, block: BlockDep, stage: IdeaState | None = None, limit: Limit = 50, cursor: CreatedCursor = None):
    return _newest_first(session, models.Idea, cursor, limit, block,
                         lambda row: idea_out(session, row, block), lambda out: stage is None or out.stage == stage)


@router.get("/ideas/{idea_id}", response_model=One[IdeaOut], summary="One idea", responses=responses(404, 422, 503))
def idea(idea_id: IdPath, session: SessionDep, block: BlockDep):
    row = session.get(models.Idea, str(idea_id))
    if row is None:
        raise not_found(f"idea {idea_id}")
    return One(block=block, data=idea_out(session, row, block))
