"""Stamp types (minted, holders, remaining) and their holders."""
from fastapi import APIRouter

from backend.api import queries
from backend.api.deps import BlockDep, IdPath, JourneyQuery, Limit, LocaleDep, SessionDep, SettingsDep, cursor_query
from backend.api.errors import responses
from backend.api.schemas import HolderOut, One, Page, StampTypeOut

router = APIRouter(prefix="/stamps", tags=["stamps"])
HolderCursor = cursor_query(int, str)  # balance, address


@router.get("", response_model=Page[StampTypeOut], summary="Stamp types", responses=responses(422, 503))
def stamp_types(session: SessionDep, block: BlockDep, settings: SettingsDep, locale: LocaleDep,
                journey_id: JourneyQuery = None):
    """Every stamp type by id (or a journey's): points, supply, minted, holders, listing in the shop."""
    data = queries.stamp_types(session, journey_id=journey_id, public_url=settings.public_url, locale=locale)
    return Page(block=block, data=data, count=len(data), lang=locale)


@router.get("/{stamp_id}", response_model=One[StampTypeOut], summary="One stamp type",
            responses=responses(404, 422, 503))
def stamp_type(stamp_id: IdPath, session: SessionDep, block: BlockDep, settings: SettingsDep, locale: LocaleDep):
    """One stamp type."""
    data = queries.stamp_type(session, stamp_id=stamp_id, public_url=settings.public_url, locale=locale)
    return One(block=block, data=data, lang=locale)


@router.get("/{stamp_id}/holders", response_model=Page[HolderOut], summary="Holders of a stamp type, largest first",
            responses=responses(404, 422, 503))
def holders(stamp_id: IdPath, session: SessionDep, block: BlockDep, limit: Limit = 100, cursor: HolderCursor = None):
    """Who holds a stamp type, largest balance first (then by address); `count` is the number of holders."""
    data, count, next_cursor = queries.holders(session, stamp_id=stamp_id, limit=limit, cursor=cursor)
    return Page(block=block, data=data, count=count, next_cursor=next_cursor)
