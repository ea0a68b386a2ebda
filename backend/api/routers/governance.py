"""Proposals (state computed as the governor would at the reflected block) with tallies and votes; ideas."""
from typing import Literal

from fastapi import APIRouter

from backend.api import queries
from backend.api.deps import AddressQuery, BlockDep, IdPath, Limit, SessionDep, cursor_query
from backend.api.errors import responses
from backend.api.schemas import IdeaOut, One, Page, ProposalOut, VoteOut
from backend.chain.protocol import IDEA_STAGES, ProposalState

router = APIRouter(tags=["governance"])
State = Literal[ProposalState.labels()]  # type: ignore[valid-type]
Stage = Literal[IDEA_STAGES]  # type: ignore[valid-type]
CreatedCursor = cursor_query(int, str)  # created block, id
VoteCursor = cursor_query(int, int)  # block number, log index


@router.get("/proposals", response_model=Page[ProposalOut], summary="Proposals, newest first, optionally by state",
            responses=responses(422, 503))
def proposals(session: SessionDep, block: BlockDep, state: State | None = None, member: AddressQuery = None,
              limit: Limit = 50, cursor: CreatedCursor = None):
    """Proposals newest first, each with its state as the governor's `state()` answers at the reflected block, its
    tallies per option and quorum; with `member`, the votes that member has on each."""
    data, next_cursor = queries.proposals(session, block=block, state=state, limit=limit, cursor=cursor, member=member)
    return Page(block=block, data=data, next_cursor=next_cursor)


@router.get("/proposals/{proposal_id}", response_model=One[ProposalOut], summary="One proposal with tallies",
            responses=responses(404, 422, 503))
def proposal(proposal_id: IdPath, session: SessionDep, block: BlockDep, member: AddressQuery = None):
    """One proposal: state, tallies, options (labels, approval, winning option), actions, timelock dates."""
    return One(block=block, data=queries.proposal(session, proposal_id=proposal_id, block=block, member=member))


@router.get("/proposals/{proposal_id}/votes", response_model=Page[VoteOut], summary="Votes on a proposal, newest first",
            responses=responses(404, 422, 503))
def proposal_votes(proposal_id: IdPath, session: SessionDep, block: BlockDep, limit: Limit = 100, cursor: VoteCursor = None):
    """The votes cast on a proposal, newest first; `count` is its number of voters."""
    data, count, next_cursor = queries.proposal_votes(session, proposal_id=proposal_id, limit=limit, cursor=cursor)
    return Page(block=block, data=data, count=count, next_cursor=next_cursor)


@router.get("/ideas", response_model=Page[IdeaOut], summary="Co-creation ideas, newest first, optionally by stage",
            responses=responses(422, 503))
def ideas(session: SessionDep, block: BlockDep, stage: Stage | None = None, member: AddressQuery = None,
          limit: Limit = 50, cursor: CreatedCursor = None):
    """The co-creation board's ideas newest first, each at its stage as the board's `ideaState` answers at the
    reflected block; with `member`, whether that member supports each."""
    data, next_cursor = queries.ideas(session, block=block, stage=stage, limit=limit, cursor=cursor, member=member)
    return Page(block=block, data=data, next_cursor=next_cursor)


@router.get("/ideas/{idea_id}", response_model=One[IdeaOut], summary="One idea", responses=responses(404, 422, 503))
def idea(idea_id: IdPath, session: SessionDep, block: BlockDep, member: AddressQuery = None):
    """One idea: stage, supporters, deadline, linked proposal and realisation."""
    return One(block=block, data=queries.idea(session, idea_id=idea_id, block=block, member=member))
