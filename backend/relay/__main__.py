"""Serve the relay on its own, without the query API and the indexer:

    python -m backend.relay [--host 127.0.0.1] [--port 8000]

Settings are the backend's (backend/settings.py: ODYSSEY_RPC_URL, DATABASE_URL, ODYSSEY_RELAY_*; docs/relay.md).
Its limits and transactions in flight are kept in the database at DATABASE_URL, shared with every other relay or
API process on it.
"""
import argparse
from contextlib import asynccontextmanager

import uvicorn
from fastapi import FastAPI

from backend.api import middleware
from backend.db import migrate
from backend.relay.router import router
from backend.settings import Settings, get_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        migrate.upgrade(app.state.settings)  # the relay's tables
        yield

    app = FastAPI(title="Odyssey relay", lifespan=lifespan)
    settings = app.state.settings = settings or get_settings()
    app.include_router(router)
    middleware.install(app, settings)
    return app


def server_config(argv: list[str] | None = None) -> uvicorn.Config:
    """The server the command line asks for: the relay app on --host and --port, with uvicorn's own proxy-header
    handling off (the app decides who the client is from ODYSSEY_TRUSTED_PROXIES: see backend/api/__main__.py)."""
    parser = argparse.ArgumentParser(prog="python -m backend.relay", description="Odyssey's gasless relay")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    return uvicorn.Config(create_app(), host=args.host, port=args.port, proxy_headers=False)


def main(argv: list[str] | None = None) -> None:
    uvicorn.Server(server_config(argv)).run()


if __name__ == "__main__":
    main()
