"""Journeys with their stamp types."""
from fastapi import APIRouter
from sqlalchemy import select

from backend.api.deps import BlockDep, JourneyPath, SettingsDep, not_found
from backend.api.errors import responses
from backend.api.routers.stamps import stamp_out
from backend.api.schemas import JourneyOut, One, Page
from backend.db import models
from backend.db.session import SessionDep

router = APIRouter(prefix="/journeys", tags=["journeys"])


def journey_out(journey: models.Journey, stamps: list[models.StampType], public_url: str) -> JourneyOut:
    mine = sorted((s for s in stamps if s.journey_id == journey.id), key=lambda s: int(s.id))
    return JourneyOut(
        id=journey.id, name=journey.name, uri=journey.uri, start=journey.start, end=journey.end,
        stamp_types=[stamp_out(s, public_url) for s in mine],
    )


@router.get("", response_model=Page[JourneyOut], summary="Journeys with their stamp types", responses=responses(503))
def journeys(session: SessionDep, block: BlockDep, settings: SettingsDep):
    rows = session.execute(select(models.Journey).order_by(models.Journey.id)).scalars().all()
    stamps = session.execute(select(models.StampType)).scalars().all()
    return Page(block=block, data=[journey_out(j, stamps, settings.public_url) for j in rows], count=len(rows))


@router.get("/{journey_id}", response_model=One[JourneyOut], summary="One journey", responses=responses(404, 422, 503))
def journey(journey_id: JourneyPath, session: SessionDep, block: BlockDep, settings: SettingsDep):
    row = session.get(models.Journey, journey_id)
    if row is None:
        raise not_found(f"journey {journey_id}")
    stamps = session.execute(select(models.StampType).where(models.StampType.journey_id == journey_id)).scalars().all()
    return One(block=block, data=journey_out(row, stamps, settings.public_url))
