"""Stamp types (minted, holders, remaining) and their holders."""
from fastapi import APIRouter
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from backend.api.deps import BlockDep, IdPath, JourneyQuery, Limit, SettingsDep, cursor_query, encode_cursor, not_found
from backend.api.errors import responses
from backend.api.schemas import HolderOut, One, Page, StampTypeOut
from backend.db import models
from backend.db.session import SessionDep

router = APIRouter(prefix="/stamps", tags=["stamps"])
HolderCursor = cursor_query(int, str)  # balance, address


def stamp_out(stamp: models.StampType, public_url: str) -> StampTypeOut:
    return StampTypeOut(
        id=stamp.id, journey_id=stamp.journey_id, name=stamp.name, points=stamp.points, max_supply=stamp.max_supply,
        minted=stamp.minted, remaining=(stamp.max_supply - stamp.minted) if stamp.max_supply else None,
        holders=stamp.holders, price=stamp.price, wallet_cap=stamp.wallet_cap, soulbound=stamp.soulbound,
        for_sale=stamp.price != "0", allowlist_root=stamp.allowlist_root, creator=stamp.creator,
        creator_share_bps=stamp.creator_share_bps, metadata_url=f"{public_url}/metadata/{stamp.id}.json",
    )


def existing_stamp(session: Session, stamp_id: int) -> models.StampType:
    stamp = session.get(models.StampType, str(stamp_id))
    if stamp is None:
        raise not_found(f"stamp type {stamp_id}")
    return stamp


@router.get("", response_model=Page[StampTypeOut], summary="Stamp types", responses=responses(422, 503))
def stamp_types(session: SessionDep, block: BlockDep, settings: SettingsDep, journey_id: JourneyQuery = None):
    query = select(models.StampType)
    if journey_id is not None:
        query = query.where(models.StampType.journey_id == journey_id)
    rows = session.execute(query).scalars().all()
    rows.sort(key=lambda s: int(s.id))
    return Page(block=block, data=[stamp_out(s, settings.public_url) for s in rows], count=len(rows))


@router.get("/{stamp_id}", response_model=One[StampTypeOut], summary="One stamp type",
            responses=responses(404, 422, 503))
def stamp_type(stamp_id: IdPath, session: SessionDep, block: BlockDep, settings: SettingsDep):
    return One(block=block, data=stamp_out(existing_stamp(session, stamp_id), settings.public_url))


@router.get("/{stamp_id}/holders", response_model=Page[HolderOut], summary="Holders of a stamp type, largest first",
            responses=responses(404, 422, 503))
def holders(stamp_id: IdPath, session: SessionDep, block: BlockDep, limit: Limit = 100, cursor: HolderCursor = None):
    stamp = existing_stamp(session, stamp_id)
    query = select(models.Holding).where(models.Holding.stamp_id == stamp.id, models.Holding.balance > 0)
    if cursor:
        query = query.where(or_(models.Holding.balance < cursor[0], and_(models.Holding.balance == cursor[0], models.Holding.address > cursor[1])))
    rows = session.execute(query.order_by(models.Holding.balance.desc(), models.Holding.address).limit(limit + 1)).scalars().all()
    next_cursor = encode_cursor(rows[limit - 1].balance, rows[limit - 1].address) if len(rows) > limit else None
    data = [HolderOut(address=h.address, balance=h.balance, first_block=h.first_block) for h in rows[:limit]]
    return Page(block=block, data=data, count=stamp.holders, next_cursor=next_cursor)
