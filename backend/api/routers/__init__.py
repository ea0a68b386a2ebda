"""One router per resource; gathered in `api_router`. Routers hold no queries (backend/api/queries.py does) and never
import each other. Every route takes `?lang=` and Accept-Language and says its language in Content-Language
(`request_locale`); those whose answer depends on it take `LocaleDep` too (the same value, computed once)."""
from fastapi import APIRouter, Depends

from backend.api.deps import request_locale
from backend.api.errors import responses

from backend.api.routers import (
    benefits, claims, drops, governance, health, journeys, members, metadata, shop, stamps, stats,
)

api_router = APIRouter()
for module in (health, members, journeys, stamps, shop, drops, claims, governance, benefits, stats, metadata):
    # a `?lang=` longer than any language tag is refused like any bad parameter: every route may answer 422
    api_router.include_router(module.router, dependencies=[Depends(request_locale)], responses=responses(422))
