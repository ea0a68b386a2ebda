"""Benefits (what each member redeemed and may redeem) and the level thresholds that unlock them."""
from fastapi import APIRouter

from backend.api import queries
from backend.api.deps import AddressQuery, BlockDep, LocaleDep, SessionDep
from backend.api.errors import responses
from backend.api.schemas import BenefitOut, LevelsOut, One, Page

router = APIRouter(tags=["benefits"])


@router.get("/benefits", response_model=Page[BenefitOut], summary="Benefits members unlock with their level",
            responses=responses(422, 503))
def benefits(session: SessionDep, block: BlockDep, locale: LocaleDep, member: AddressQuery = None):
    """Every benefit; with `member`, whether that member redeemed it, its level at the benefit's snapshot block
    (levels count there, as votes do) and whether a redemption would succeed now."""
    data = queries.benefits(session, member=member, locale=locale)
    return Page(block=block, data=data, count=len(data), lang=locale)


@router.get("/levels", response_model=One[LevelsOut], summary="Points needed for each level", responses=responses(503))
def levels(session: SessionDep, block: BlockDep):
    """The ascending points thresholds of levels 1, 2, ... (`OdysseyStamps.levelThresholds`)."""
    return One(block=block, data=LevelsOut(thresholds=queries.config(session, "level_thresholds", [])))
