"""Members: profile (with the stamps held), leaderboard (cursor pagination by points), stamps, votes, ideas, claims."""
from fastapi import APIRouter, Response
from sqlalchemy import Connection, and_, bindparam, func, or_, select

from backend.api.deps import AddressPath, BlockDep, Limit, block_headers, block_ref, cursor_query, encode_cursor, not_found
from backend.api.errors import responses
from backend.api.routers.common import claims_page, config, idea_out, votes_out
from backend.api.schemas import BlockRef, ClaimOut, HoldingOut, IdeaOut, MemberOut, MemberProfileOut, One, Page, VoteOut
from backend.db import models
from backend.db.session import ConnectionDep, SessionDep
from backend.levels import level_for, next_threshold

router = APIRouter(prefix="/members", tags=["members"])

# The profile's reads, built once: the member with its votes, and its holdings with their stamp types.
_MEMBER = (
    select(models.Member.address, models.Member.number, models.Member.since, models.Member.points,
           models.Member.stamps, models.Member.delegate, models.VotingPower.votes)
    .outerjoin(models.VotingPower, models.VotingPower.address == models.Member.address)
    .where(models.Member.address == bindparam("address"))
)
_HOLDINGS = (
    select(models.Holding.stamp_id, models.Holding.balance, models.Holding.first_block, models.StampType.name,
           models.StampType.points, models.StampType.journey_id, models.StampType.soulbound)
    .join(models.StampType, models.StampType.id == models.Holding.stamp_id)
    .where(models.Holding.address == bindparam("address"), models.Holding.balance > 0)
    .order_by(models.Holding.first_block, models.Holding.stamp_id)
)
MemberCursor = cursor_query(int, int, int)  # points, member number, rank
EventCursor = cursor_query(int, int)  # block number, log index

# Level thresholds by (database, indexed block hash): they change only with an event, so one read per indexed block
# serves every profile.
_thresholds_at: dict[tuple, list[int]] = {}


def member_fields(member, votes: int | None, thresholds: list[int]) -> dict:
    """A member (model or row) as the fields of MemberOut."""
    return dict(
        address=member.address, number=member.number, since=member.since, points=member.points,
        level=level_for(member.points, thresholds), next_level_points=next_threshold(member.points, thresholds),
        stamps=member.stamps, delegate=member.delegate or member.address, votes=votes or 0,
    )


def level_thresholds(connection: Connection, block: BlockRef) -> list[int]:
    key = (connection.engine.url, block.hash)
    thresholds = _thresholds_at.get(key)
    if thresholds is None:
        thresholds = config(connection, "level_thresholds", [])
        if block.hash is not None:
            _thresholds_at.clear()
            _thresholds_at[key] = thresholds
    return thresholds


def _member_row(connection: Connection, address: str):
    member = connection.execute(_MEMBER, {"address": address}).first()
    if member is None or member.number is None:
        raise not_found(f"member {address}")
    return member


def _holdings(connection: Connection, address: str) -> list[HoldingOut]:
    return [HoldingOut(**row._mapping) for row in connection.execute(_HOLDINGS, {"address": address})]


def _json(body: One | Page, block: BlockRef) -> Response:
    """The body serialised by its schema (no second validation pass) with the block headers."""
    return Response(body.model_dump_json(), media_type="application/json", headers=block_headers(block))


@router.get("", response_model=Page[MemberOut], summary="Leaderboard: members by points (then member number)",
            responses=responses(422, 503))
def leaderboard(session: SessionDep, block: BlockDep, limit: Limit = 50, cursor: MemberCursor = None):
    query = (
        select(models.Member, models.VotingPower.votes)
        .outerjoin(models.VotingPower, models.VotingPower.address == models.Member.address)
        .where(models.Member.number.is_not(None))
        .order_by(models.Member.points.desc(), models.Member.number.asc())
        .limit(limit + 1)
    )
    rank = 0
    if cursor:
        points, number, rank = cursor
        query = query.where(or_(models.Member.points < points, and_(models.Member.points == points, models.Member.number > number)))
    rows = session.execute(query).all()
    thresholds = config(session, "level_thresholds", [])
    data = [MemberOut(**member_fields(m, v, thresholds), rank=rank + i + 1) for i, (m, v) in enumerate(rows[:limit])]
    total = session.execute(select(func.count()).select_from(models.Member).where(models.Member.number.is_not(None))).scalar()
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1][0]
        next_cursor = encode_cursor(last.points, last.number, rank + limit)
    return Page(block=block, data=data, count=total, next_cursor=next_cursor)


@router.get("/{address}", response_model=One[MemberProfileOut], summary="A member's profile with the stamps held",
            responses=responses(404, 422, 503))
async def profile(address: AddressPath, connection: ConnectionDep):
    block = block_ref(connection)
    member = _member_row(connection, address)
    data = MemberProfileOut(**member_fields(member, member.votes, level_thresholds(connection, block)),
                            holdings=_holdings(connection, address))
    return _json(One[MemberProfileOut](block=block, data=data), block)


@router.get("/{address}/stamps", response_model=Page[HoldingOut], summary="The stamps a member holds",
            responses=responses(404, 422, 503))
async def member_stamps(address: AddressPath, connection: ConnectionDep):
    block = block_ref(connection)
    _member_row(connection, address)
    data = _holdings(connection, address)
    return _json(Page[HoldingOut](block=block, data=data, count=len(data)), block)


@router.get("/{address}/votes", response_model=Page[VoteOut], summary="A member's votes, newest first",
            responses=responses(422, 503))
def member_votes(address: AddressPath, session: SessionDep, block: BlockDep, limit: Limit = 50, cursor: EventCursor = None):
    query = select(models.Vote).where(models.Vote.voter == address)
    if cursor:
        query = query.where(or_(models.Vote.block_number < cursor[0], and_(models.Vote.block_number == cursor[0], models.Vote.log_index < cursor[1])))
    rows = session.execute(query.order_by(models.Vote.block_number.desc(), models.Vote.log_index.desc()).limit(limit + 1)).scalars().all()
    next_cursor = encode_cursor(rows[limit - 1].block_number, rows[limit - 1].log_index) if len(rows) > limit else None
    return Page(block=block, data=votes_out(session, rows[:limit]), next_cursor=next_cursor)


@router.get("/{address}/ideas", response_model=Page[IdeaOut], summary="Ideas a member submitted or supports",
            responses=responses(422, 503))
def member_ideas(address: AddressPath, session: SessionDep, block: BlockDep):
    supported = select(models.IdeaSupporter.idea_id).where(models.IdeaSupporter.supporter == address)
    rows = session.execute(
        select(models.Idea).where(or_(models.Idea.author == address, models.Idea.id.in_(supported))).order_by(models.Idea.created_block.desc())
    ).scalars().all()
    return Page(block=block, data=[idea_out(session, r, block) for r in rows], count=len(rows))


@router.get("/{address}/claims", response_model=Page[ClaimOut], summary="A member's claims, newest first",
            responses=responses(422, 503))
def member_claims(address: AddressPath, session: SessionDep, block: BlockDep, limit: Limit = 50, cursor: EventCursor = None):
    return claims_page(session, block, limit, cursor, member=address)
