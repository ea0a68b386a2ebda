"""One router per resource; gathered in `api_router`. Routers hold no queries (backend/api/queries.py does) and never
import each other."""
from fastapi import APIRouter

from backend.api.routers import (
    benefits, claims, drops, governance, health, journeys, members, metadata, shop, stamps, stats,
)

api_router = APIRouter()
for module in (health, members, journeys, stamps, shop, drops, claims, governance, benefits, stats, metadata):
    api_router.include_router(module.router)
