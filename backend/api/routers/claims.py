"""The claims feed: every stamp issued (voucher, allowlist, airdrop, purchase), newest first."""
from typing import Literal

from fastapi import APIRouter

from backend.api import queries
from backend.api.deps import AddressQuery, BlockDep, Limit, SessionDep, Uint256Query, cursor_query
from backend.api.errors import responses
from backend.api.schemas import ClaimOut, Page
from backend.chain.protocol import ClaimMethod

router = APIRouter(prefix="/claims", tags=["claims"])

ClaimCursor = cursor_query(int, int)  # block number, log index
Method = Literal[ClaimMethod.labels()]  # type: ignore[valid-type]


@router.get("", response_model=Page[ClaimOut], summary="Claims feed, newest first", responses=responses(422, 503))
def feed(session: SessionDep, block: BlockDep, member: AddressQuery = None, stamp_id: Uint256Query = None,
         method: Method | None = None, limit: Limit = 50, cursor: ClaimCursor = None):
    """Every stamp issued (`StampClaimed`: by voucher, allowlist, airdrop, purchase or drop), newest first, optionally of
    one member, one stamp type or one method."""
    data, next_cursor = queries.claims(session, limit=limit, cursor=cursor, member=member, stamp_id=stamp_id, method=method)
    return Page(block=block, data=data, next_cursor=next_cursor)
