"""Fair drops: rules, state at the reflected block, entries, the draw's seed and winners (recomputed from the public
seed and entries with backend/chain/drops.py), and a member's standing in each."""
from typing import Literal

from fastapi import APIRouter

from backend.api import queries
from backend.api.deps import AddressQuery, BlockDep, IdPath, Limit, LocaleDep, SessionDep, cursor_query
from backend.api.errors import responses
from backend.api.schemas import DropDetailOut, DropEntryOut, DropOut, One, Page
from backend.chain.protocol import DROP_STATES

router = APIRouter(prefix="/drops", tags=["drops"])
State = Literal[DROP_STATES]  # type: ignore[valid-type]
DropCursor = cursor_query(int, str)  # opens_at, id
EntryCursor = cursor_query(int)  # position


@router.get("", response_model=Page[DropOut], summary="Drops, latest entry window first, optionally by state",
            responses=responses(422, 503))
def drops(session: SessionDep, block: BlockDep, locale: LocaleDep, state: State | None = None,
          member: AddressQuery = None, limit: Limit = 50, cursor: DropCursor = None):
    """Drops with their rules, state as `OdysseyDrops.dropState` answers at the reflected block, entries, seed and
    settlements, and the times their window opens and closes and their draw can happen, estimated from the chain's
    recent block times; with `member`, whether that member may enter (or why not), their entry, result and next
    step."""
    data, next_cursor = queries.drops(session, block=block, state=state, member=member, limit=limit, cursor=cursor,
                                      locale=locale)
    return Page(block=block, data=data, next_cursor=next_cursor, lang=locale)


@router.get("/{drop_id}", response_model=One[DropDetailOut], summary="One drop, with its winners once drawn",
            responses=responses(404, 422, 503))
def drop(drop_id: IdPath, session: SessionDep, block: BlockDep, locale: LocaleDep, member: AddressQuery = None):
    """One drop as listed, plus, once drawn, its winners: recomputed from the seed and the mirrored entries with
    backend/chain/drops.py, as anyone can (docs/drops.md, "Check a draw by hand")."""
    return One(block=block, data=queries.drop(session, drop_id=drop_id, block=block, member=member, locale=locale),
               lang=locale)


@router.get("/{drop_id}/entries", response_model=Page[DropEntryOut], summary="A drop's entries in entry order",
            responses=responses(404, 422, 503))
def entries(drop_id: IdPath, session: SessionDep, block: BlockDep, won: bool | None = None, limit: Limit = 100,
            cursor: EntryCursor = None):
    """Every entry (member, position, deposit, status) in entry order, each with its result once drawn; `won`
    keeps only the winners (true) or the others (false). `count` is the number of entries."""
    data, count, next_cursor = queries.drop_entries(session, drop_id=drop_id, won=won, limit=limit, cursor=cursor)
    return Page(block=block, data=data, count=count, next_cursor=next_cursor)
