"""Benefits (and which ones a member redeemed), level thresholds, treasury, global stats."""
from fastapi import APIRouter
from sqlalchemy import func, select

from backend.api.deps import AddressQuery, BlockDep
from backend.api.errors import responses
from backend.api.routers.common import config
from backend.api.schemas import BenefitOut, LevelsOut, One, Page, StatsOut, TreasuryOut
from backend.db import models
from backend.db.session import SessionDep
from backend.levels import level_for

router = APIRouter(tags=["dao"])
UNLIMITED = 2**32 - 1


def _votes_at(session, delegate: str, block: int) -> int:
    """The votes of `delegate` after `block`, as Votes.getPastVotes answers."""
    return session.execute(
        select(models.VoteCheckpoint.votes)
        .where(models.VoteCheckpoint.delegate == delegate, models.VoteCheckpoint.block_number <= block)
        .order_by(models.VoteCheckpoint.block_number.desc())
        .limit(1)
    ).scalar() or 0


@router.get("/benefits", response_model=Page[BenefitOut], summary="Benefits members unlock with their level",
            responses=responses(422, 503))
def benefits(session: SessionDep, block: BlockDep, member: AddressQuery = None):
    rows = session.execute(select(models.Benefit).order_by(models.Benefit.id)).scalars().all()
    mine, is_member, thresholds = set(), False, config(session, "level_thresholds", [])
    if member:
        mine = set(session.execute(select(models.Redemption.benefit_id).where(models.Redemption.member == member)).scalars())
        joined = session.get(models.Member, member)
        is_member = joined is not None and joined.number is not None
    data = []
    for b in rows:
        out = BenefitOut(id=b.id, min_level=b.min_level, stock=None if b.stock == UNLIMITED else b.stock, active=b.active,
                         uri=b.uri, redeemed=b.redeemed, snapshot_block=b.snapshot_block)
        if member:
            level = level_for(_votes_at(session, member, b.snapshot_block or 0), thresholds)
            out.redeemed_by_member, out.member_level_at_snapshot = b.id in mine, level
            out.redeemable_by_member = (
                is_member and b.active and b.id not in mine and b.stock != 0 and level >= b.min_level
            )
        data.append(out)
    return Page(block=block, data=data, count=len(data))


@router.get("/levels", response_model=One[LevelsOut], summary="Points needed for each level", responses=responses(503))
def levels(session: SessionDep, block: BlockDep):
    return One(block=block, data=LevelsOut(thresholds=config(session, "level_thresholds", [])))


def _latest_balance(session, address: str | None):
    if address is None:
        return None
    return session.execute(
        select(models.Balance).where(models.Balance.address == address).order_by(models.Balance.block_number.desc()).limit(1)
    ).scalar()


@router.get("/treasury", response_model=One[TreasuryOut], summary="Treasury balance and sale proceeds",
            responses=responses(503))
def treasury(session: SessionDep, block: BlockDep):
    address = config(session, "treasury")
    balance = _latest_balance(session, address)
    shop = session.execute(select(models.RawEvent.address).where(models.RawEvent.contract == "OdysseyShop").limit(1)).scalar()
    held = _latest_balance(session, shop)
    sales, withdrawn, owed = (int(config(session, k, "0")) for k in ("sales_wei", "withdrawn_wei", "creator_owed_wei"))
    # What withdrawProceeds() would send now: sales − creator cuts − earlier withdrawals.
    creator_total = session.execute(select(models.Sale.creator_share)).scalars().all()
    pending = sales - sum(int(x) for x in creator_total) - withdrawn
    return One(block=block, data=TreasuryOut(
        treasury=address, treasury_balance_wei=balance.wei if balance else None,
        balance_block=balance.block_number if balance else None, shop_balance_wei=held.wei if held else None,
        sales_wei=str(sales), proceeds_withdrawn_wei=str(withdrawn), proceeds_pending_wei=str(pending),
        creator_owed_wei=str(owed), royalty_bps=config(session, "royalty_bps"),
    ))


@router.get("/stats", response_model=One[StatsOut], summary="Global figures", responses=responses(503))
def stats(session: SessionDep, block: BlockDep):
    def count(model, *where):
        return session.execute(select(func.count()).select_from(model).where(*where)).scalar() or 0

    by_method = dict(session.execute(select(models.Claim.method, func.count()).group_by(models.Claim.method)).all())
    state = session.get(models.IndexerState, 1)
    minted = session.execute(select(func.coalesce(func.sum(models.StampType.minted), 0))).scalar()
    return One(block=block, data=StatsOut(
        members=count(models.Member, models.Member.number.is_not(None)), stamp_types=count(models.StampType),
        journeys=count(models.Journey), stamps_minted=int(minted), holdings=count(models.Holding, models.Holding.balance > 0),
        total_points=config(session, "total_points", 0), claims=sum(by_method.values()), claims_by_method=by_method,
        sales=count(models.Sale), transfers=count(models.Transfer), proposals=count(models.Proposal), votes=count(models.Vote),
        ideas=count(models.Idea), benefits_redeemed=count(models.Redemption),
        raw_events=state.events if state else 0, reorgs=state.reorgs if state else 0,
    ))
