"""Journeys with their stamp types."""
from fastapi import APIRouter

from backend.api import queries
from backend.api.deps import BlockDep, JourneyPath, LocaleDep, SessionDep, SettingsDep
from backend.api.errors import responses
from backend.api.schemas import JourneyOut, One, Page

router = APIRouter(prefix="/journeys", tags=["journeys"])


@router.get("", response_model=Page[JourneyOut], summary="Journeys with their stamp types", responses=responses(503))
def journeys(session: SessionDep, block: BlockDep, settings: SettingsDep, locale: LocaleDep):
    """Every journey (a theme with a claim window) with the stamp types it holds, by id."""
    data = queries.journeys(session, public_url=settings.public_url, locale=locale)
    return Page(block=block, data=data, count=len(data), lang=locale)


@router.get("/{journey_id}", response_model=One[JourneyOut], summary="One journey", responses=responses(404, 422, 503))
def journey(journey_id: JourneyPath, session: SessionDep, block: BlockDep, settings: SettingsDep, locale: LocaleDep):
    """One journey with its stamp types."""
    data = queries.journey(session, journey_id=journey_id, public_url=settings.public_url, locale=locale)
    return One(block=block, data=data, lang=locale)
