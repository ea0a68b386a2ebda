"""The FastAPI app: `create_app()`; run with `python -m backend.api` (uvicorn, its proxy headers off: backend/api/middleware.py).

Serves the query API, the gasless relay (`/relay`, backend.relay), the issuer service (`/issuer`, backend.issuer) and
the member web page (`/`, backend.web). At start-up: Alembic migrations, then (embedded default) the indexer in a
background thread of this process, and, when an issuer key is set, the issuer's delivery rounds in another.
With many API replicas, set ODYSSEY_EMBEDDED_INDEXER=false and run `odyssey-indexer` once, separately.
"""
import threading
from contextlib import asynccontextmanager

from anyio import CapacityLimiter
from fastapi import FastAPI

from backend.api import middleware
from backend.api.docs import install_docs
from backend.api.head_watch import HeadWatch
from backend.api.routers import api_router
from backend.db import migrate
from backend.indexer.runner import Indexer, Status
from backend.issuer.router import router as issuer_router
from backend.issuer.service import deliver_forever
from backend.relay.router import router as relay_router
from backend.settings import Settings, get_settings
from backend.web import mount_web

PROBE_THREADS = 4  # /health and /ready read the database in threads of their own: never behind requests


def create_app(settings: Settings | None = None) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        s = app.state.settings
        migrate.upgrade(s)
        app.state.probe_threads = CapacityLimiter(PROBE_THREADS)
        app.state.head_watch.start()
        stop = threading.Event()
        threads = []
        if s.embedded_indexer:
            indexer = Indexer(s, app.state.indexer_status)
            threads.append(threading.Thread(target=indexer.run, args=(stop,), name="odyssey-indexer", daemon=True))
        if s.issuer_worker_interval and (s.issuer_private_key or s.issuer_keystore):
            threads.append(threading.Thread(target=deliver_forever, args=(s, stop), name="odyssey-issuer", daemon=True))
        for thread in threads:
            thread.start()
        yield
        stop.set()
        app.state.head_watch.stop()
        for thread in threads:
            thread.join(timeout=10)

    app = FastAPI(
        title="Odyssey API",
        version="0.1.0",
        description="Members, stamps, claims, proposals and ideas mirrored from the chain. Every response says "
        "which block it reflects (body `block`, header `X-Odyssey-Block`).",
        lifespan=lifespan,
        docs_url=None,  # served by backend/api/docs.py, without a CDN
        redoc_url=None,
    )
    settings = app.state.settings = settings or get_settings()
    app.state.indexer_status = Status() if settings.embedded_indexer else None
    app.state.head_watch = HeadWatch(settings.rpc_url)
    app.include_router(api_router)
    app.include_router(relay_router)
    app.include_router(issuer_router)

    middleware.install(app, settings)
    install_docs(app, settings.web_build_dir)
    mount_web(app, settings)  # last: the member page at "/" takes what no route above matched
    return app
