"""One router per resource; gathered in `api_router`."""
from fastapi import APIRouter

from backend.api.routers import claims, health, journeys, members, metadata, misc, proposals, stamps

api_router = APIRouter()
for module in (health, members, journeys, stamps, claims, proposals, misc, metadata):
    api_router.include_router(module.router)
