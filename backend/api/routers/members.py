"""Members: profile, leaderboard (cursor pagination by points), stamps, votes, ideas, claims."""
from fastapi import APIRouter
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from backend.api.deps import AddressPath, BlockDep, Limit, decode_cursor, encode_cursor, not_found
from backend.api.routers.common import claims_page, config, idea_out, votes_out
from backend.api.schemas import ClaimOut, HoldingOut, IdeaOut, MemberOut, One, Page, VoteOut
from backend.db import models
from backend.db.session import SessionDep
from backend.levels import level_for, next_threshold

router = APIRouter(prefix="/members", tags=["members"])


def member_out(member: models.Member, votes: int | None, thresholds: list[int], rank: int | None = None) -> MemberOut:
    return MemberOut(
        address=member.address, number=member.number, since=member.since, points=member.points,
        level=level_for(member.points, thresholds), next_level_points=next_threshold(member.points, thresholds),
        stamps=member.stamps, delegate=member.delegate or member.address, votes=votes or 0, rank=rank,
    )


def _existing_member(session: Session, address: str) -> models.Member:
    member = session.get(models.Member, address)
    if member is None or member.number is None:
        raise not_found(f"member {address}")
    return member


@router.get("", response_model=Page[MemberOut], summary="Leaderboard: members by points (then member number)")
def leaderboard(session: SessionDep, block: BlockDep, limit: Limit = 50, cursor: str | None = None):
    after = decode_cursor(cursor, (int, int, int))
    query = (
        select(models.Member, models.VotingPower.votes)
        .outerjoin(models.VotingPower, models.VotingPower.address == models.Member.address)
        .where(models.Member.number.is_not(None))
        .order_by(models.Member.points.desc(), models.Member.number.asc())
        .limit(limit + 1)
    )
    rank = 0
    if after:
        points, number, rank = after
        query = query.where(or_(models.Member.points < points, and_(models.Member.points == points, models.Member.number > number)))
    rows = session.execute(query).all()
    thresholds = config(session, "level_thresholds", [])
    data = [member_out(m, v, thresholds, rank + i + 1) for i, (m, v) in enumerate(rows[:limit])]
    total = session.execute(select(func.count()).select_from(models.Member).where(models.Member.number.is_not(None))).scalar()
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1][0]
        next_cursor = encode_cursor(last.points, last.number, rank + limit)
    return Page(block=block, data=data, count=total, next_cursor=next_cursor)


@router.get("/{address}", response_model=One[MemberOut], summary="A member's profile")
def profile(address: AddressPath, session: SessionDep, block: BlockDep):
    member = _existing_member(session, address)
    votes = session.get(models.VotingPower, address)
    return One(block=block, data=member_out(member, votes.votes if votes else 0, config(session, "level_thresholds", [])))


@router.get("/{address}/stamps", response_model=Page[HoldingOut], summary="The stamps a member holds")
def member_stamps(address: AddressPath, session: SessionDep, block: BlockDep):
    _existing_member(session, address)
    rows = session.execute(
        select(models.Holding, models.StampType)
        .join(models.StampType, models.StampType.id == models.Holding.stamp_id)
        .where(models.Holding.address == address, models.Holding.balance > 0)
        .order_by(models.Holding.first_block, models.Holding.stamp_id)
    ).all()
    data = [
        HoldingOut(stamp_id=h.stamp_id, balance=h.balance, first_block=h.first_block, name=s.name, points=s.points,
                   journey_id=s.journey_id, soulbound=s.soulbound)
        for h, s in rows
    ]
    return Page(block=block, data=data, count=len(data))


@router.get("/{address}/votes", response_model=Page[VoteOut], summary="A member's votes, newest first")
def member_votes(address: AddressPath, session: SessionDep, block: BlockDep, limit: Limit = 50, cursor: str | None = None):
    after = decode_cursor(cursor, (int, int))
    query = select(models.Vote).where(models.Vote.voter == address)
    if after:
        query = query.where(or_(models.Vote.block_number < after[0], and_(models.Vote.block_number == after[0], models.Vote.log_index < after[1])))
    rows = session.execute(query.order_by(models.Vote.block_number.desc(), models.Vote.log_index.desc()).limit(limit + 1)).scalars().all()
    next_cursor = encode_cursor(rows[limit - 1].block_number, rows[limit - 1].log_index) if len(rows) > limit else None
    return Page(block=block, data=votes_out(session, rows[:limit]), next_cursor=next_cursor)


@router.get("/{address}/ideas", response_model=Page[IdeaOut], summary="Ideas a member submitted or supports")
def member_ideas(address: AddressPath, session: SessionDep, block: BlockDep):
    supported = select(models.IdeaSupporter.idea_id).where(models.IdeaSupporter.supporter == address)
    rows = session.execute(
        select(models.Idea).where(or_(models.Idea.author == address, models.Idea.id.in_(supported))).order_by(models.Idea.created_block.desc())
    ).scalars().all()
    return Page(block=block, data=[idea_out(session, r, block) for r in rows], count=len(rows))


@router.get("/{address}/claims", response_model=Page[ClaimOut], summary="A member's claims, newest first")
def member_claims(address: AddressPath, session: SessionDep, block: BlockDep, limit: Limit = 50, cursor: str | None = None):
    return claims_page(session, block, limit, cursor, member=address)
