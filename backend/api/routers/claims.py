"""The claims feed: every stamp issued (voucher, allowlist, airdrop, purchase), newest first."""
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import AfterValidator

from backend.api.deps import AddressQuery, BlockDep, Limit, _uint256
from backend.api.routers.common import claims_page
from backend.api.schemas import ClaimOut, Page
from backend.db.session import SessionDep

router = APIRouter(prefix="/claims", tags=["claims"])

StampQuery = Annotated[str | None, AfterValidator(lambda v: None if v is None else str(_uint256(v))), Query()]


@router.get("", response_model=Page[ClaimOut], summary="Claims feed, newest first")
def feed(
    session: SessionDep,
    block: BlockDep,
    member: AddressQuery = None,
    stamp_id: StampQuery = None,
    method: Literal["voucher", "allowlist", "airdrop", "purchase"] | None = None,
    limit: Limit = 50,
    cursor: str | None = None,
):
    return claims_page(session, block, limit, cursor, member=member, stamp_id=stamp_id, method=method)
