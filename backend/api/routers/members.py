"""Members: profile (with the stamps held), leaderboard, stamps, votes, ideas, claims, drop entries.

The profile is the hottest route (a member page opens with it): it is async, and its reads (block, member, holdings)
run in one thread-pool hop on a Core connection, where a sync route with its session dependency would take three."""
from fastapi import APIRouter, Response
from starlette.concurrency import run_in_threadpool

from backend.api import queries
from backend.api.deps import (
    AddressPath, BlockDep, Limit, LocaleDep, SessionDep, SettingsDep, block_headers, block_ref, cursor_query, locale_headers,
)
from backend.api.errors import responses
from backend.api.schemas import (
    BlockRef, ClaimOut, DropOut, HoldingOut, IdeaOut, MemberOut, MemberProfileOut, One, Page, VoteOut,
)
from backend.db.session import get_engine
from backend.settings import Settings

router = APIRouter(prefix="/members", tags=["members"])

MemberCursor = cursor_query(int, int, int)  # points, member number, rank
EventCursor = cursor_query(int, int)  # block number, log index


def _json(body: One | Page, block: BlockRef) -> Response:
    """The body serialised by its schema (no second validation pass: the profile is the hottest route)."""
    return Response(body.model_dump_json(), media_type="application/json",
                    headers={**block_headers(block), **locale_headers(body.lang)})


def _profile(settings: Settings, address: str, locale: str) -> Response:
    with get_engine(settings).connect() as connection:  # one read transaction: the rows and the block agree
        block = block_ref(connection)
        data = queries.member_profile(connection, address=address, block=block, locale=locale)
    return _json(One[MemberProfileOut](block=block, data=data, lang=locale), block)


@router.get("", response_model=Page[MemberOut], summary="Leaderboard: members by points (then member number)",
            responses=responses(422, 503))
def leaderboard(session: SessionDep, block: BlockDep, limit: Limit = 50, cursor: MemberCursor = None):
    """Members ranked by points, ties by member number; `count` is the number of members."""
    data, count, next_cursor = queries.leaderboard(session, limit=limit, cursor=cursor)
    return Page(block=block, data=data, count=count, next_cursor=next_cursor)


@router.get("/{address}", response_model=One[MemberProfileOut], summary="A member's profile with the stamps held",
            responses=responses(404, 422, 503))
async def profile(address: AddressPath, settings: SettingsDep, locale: LocaleDep):
    """Everything a member page shows in one request: number, points, level and the points around it, votes,
    delegate, and the stamps held. 404 for an address that never joined."""
    return await run_in_threadpool(_profile, settings, address, locale)


@router.get("/{address}/stamps", response_model=Page[HoldingOut], summary="The stamps a member holds",
            responses=responses(404, 422, 503))
def member_stamps(address: AddressPath, session: SessionDep, block: BlockDep, locale: LocaleDep):
    """The stamps a member holds, in the order they got them (the profile carries the same list)."""
    data = queries.member_holdings(session, address=address, locale=locale)
    return _json(Page[HoldingOut](block=block, data=data, count=len(data), lang=locale), block)


@router.get("/{address}/votes", response_model=Page[VoteOut], summary="A member's votes, newest first",
            responses=responses(422, 503))
def member_votes(address: AddressPath, session: SessionDep, block: BlockDep, limit: Limit = 50, cursor: EventCursor = None):
    """The votes an address cast, newest first, with the option each counted for."""
    data, next_cursor = queries.member_votes(session, voter=address, limit=limit, cursor=cursor)
    return Page(block=block, data=data, next_cursor=next_cursor)


@router.get("/{address}/ideas", response_model=Page[IdeaOut], summary="Ideas a member submitted or supports",
            responses=responses(422, 503))
def member_ideas(address: AddressPath, session: SessionDep, block: BlockDep):
    """Ideas the address submitted or supports, newest first, each with its stage at the reflected block."""
    data = queries.member_ideas(session, address=address, block=block)
    return Page(block=block, data=data, count=len(data))


@router.get("/{address}/claims", response_model=Page[ClaimOut], summary="A member's claims, newest first",
            responses=responses(422, 503))
def member_claims(address: AddressPath, session: SessionDep, block: BlockDep, limit: Limit = 50, cursor: EventCursor = None):
    """The stamps issued to the address, newest first, with how each came (voucher, allowlist, airdrop, purchase)."""
    data, next_cursor = queries.claims(session, limit=limit, cursor=cursor, member=address)
    return Page(block=block, data=data, next_cursor=next_cursor)


@router.get("/{address}/drops", response_model=Page[DropOut], summary="The drops a member entered, with their results",
            responses=responses(422, 503))
def member_drops(address: AddressPath, session: SessionDep, block: BlockDep, locale: LocaleDep):
    """The drops the address entered, latest entry window first, each with `member`: the entry, its result once
    drawn (won or lost), whether it was claimed or refunded, and what the member can do next."""
    data = queries.member_drops(session, address=address, block=block, locale=locale)
    return Page(block=block, data=data, count=len(data), lang=locale)
