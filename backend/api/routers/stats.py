"""The DAO's money and the mirror's global figures."""
from fastapi import APIRouter

from backend.api import queries
from backend.api.deps import BlockDep, SessionDep
from backend.api.errors import responses
from backend.api.schemas import One, StatsOut, TreasuryOut

router = APIRouter(tags=["stats"])


@router.get("/treasury", response_model=One[TreasuryOut], summary="Treasury balance and sale proceeds",
            responses=responses(503))
def treasury(session: SessionDep, block: BlockDep):
    """The timelock's (treasury's) balance, the shop's, sales, proceeds withdrawn and still to withdraw, co-creators'
    earnings owed, and the royalty on resales."""
    return One(block=block, data=queries.treasury(session))


@router.get("/stats", response_model=One[StatsOut], summary="Global figures", responses=responses(503))
def stats(session: SessionDep, block: BlockDep):
    """Counts of members, stamps, claims (by method), sales, transfers, proposals, votes, ideas and redemptions."""
    return One(block=block, data=queries.stats(session))
