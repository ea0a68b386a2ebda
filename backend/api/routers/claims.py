"""The claims feed: every stamp issued (voucher, allowlist, airdrop, purchase), newest first."""
from typing import Literal

from fastapi import APIRouter

from backend.api.deps import AddressQuery, BlockDep, Limit, Uint256Query, cursor_query
from backend.api.errors import responses
from backend.api.routers.common import claims_page
from backend.api.schemas import ClaimOut, Page
from backend.db.session import SessionDep

router = APIRouter(prefix="/claims", tags=["claims"])

ClaimCursor = cursor_query(int, int)  # block number, log index


@router.get("", response_model=Page[ClaimOut], summary="Claims feed, newest first", responses=responses(422, 503))
def feed(
    session: SessionDep,
    block: BlockDep,
    member: AddressQuery = None,
    stamp_id: Uint256Query = None,
    method: Literal["voucher", "allowlist", "airdrop", "purchase", "drop"] | None = None,
    limit: Limit = 50,
    cursor: ClaimCursor = None,
):
    return claims_page(session, block, limit, cursor, member=member, stamp_id=stamp_id, method=method)
