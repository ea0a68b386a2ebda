"""The shop: limited editions for sale (price, what is left, the per-wallet cap), and what a member may still buy."""
from fastapi import APIRouter

from backend.api import queries
from backend.api.deps import AddressQuery, BlockDep, IdPath, LocaleDep, SessionDep
from backend.api.errors import responses
from backend.api.schemas import One, Page, ShopItemOut

router = APIRouter(prefix="/shop", tags=["shop"])


@router.get("", response_model=Page[ShopItemOut], summary="Limited editions for sale", responses=responses(422, 503))
def items(session: SessionDep, block: BlockDep, locale: LocaleDep, member: AddressQuery = None):
    """Every stamp type with a price in the shop (OdysseyShop listings), by stamp id: price in wei, per-wallet cap,
    what is left and sold, whether a purchase would be issued now; with `member`, what that member bought and may
    still buy. A purchase is the member's own transaction (`OdysseyShop.purchase`, paying the price)."""
    data = queries.shop(session, block=block, member=member, locale=locale)
    return Page(block=block, data=data, count=len(data), lang=locale)


@router.get("/{stamp_id}", response_model=One[ShopItemOut], summary="One limited edition",
            responses=responses(404, 422, 503))
def item(stamp_id: IdPath, session: SessionDep, block: BlockDep, locale: LocaleDep, member: AddressQuery = None):
    """One edition for sale; 404 for a stamp type that is unknown or not for sale."""
    return One(block=block, data=queries.shop_item(session, stamp_id=stamp_id, block=block, member=member, locale=locale),
               lang=locale)
