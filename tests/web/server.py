"""The whole member-facing server as the browser test runs it (uvicorn --factory tests.web.server:create):
the API (with its embedded indexer), the relay routes and the web page, configured from the environment
(ODYSSEY_*, ODYSSEY_RELAY_*, ODYSSEY_WEB_*). Until create_app() wires the relay and the page itself, this is
that wiring; it leaves alone whatever create_app() already has.
"""
from fastapi import FastAPI

from backend.api.main import create_app
from backend.relay.router import router as relay_router
from backend.web import mount_web


def create() -> FastAPI:
    app = create_app()
    paths = {getattr(route, "path", None) for route in app.router.routes}
    if "/relay" not in paths:
        app.include_router(relay_router)
    if "/web/config.json" not in paths:
        mount_web(app)
    return app
