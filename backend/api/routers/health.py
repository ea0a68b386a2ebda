"""/health and /ready, for monitors and orchestrators. Both answer from this process's memory (the node's head, asked
every second by backend.api.head_watch) and one read of the indexer's cursor: they never wait on the node. That read
runs in threads of the probes' own (a few), so a probe never queues behind requests in the API's thread pool, and
never blocks the event loop.

- /health (liveness): 200 whenever the process serves requests, with the indexed block, the chain's head, the lag,
  the indexer's state and what failed. `chain_head` and `lag` are null when the node has not answered lately: the
  lag is then unknown, never 0 from an old head.
- /ready (readiness): the same body; 200 when the lag is known and at most `ready_max_lag` blocks, else 503.
"""
from anyio import to_thread
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError

from backend.api.deps import SettingsDep
from backend.api.queries import indexer_state
from backend.api.schemas import HealthOut
from backend.db.session import get_engine
from backend.settings import Settings

router = APIRouter(tags=["health"])


def _read_state(settings: Settings):
    """The indexer's state, or None and False when the database cannot be read."""
    try:
        with get_engine(settings).connect() as connection:
            return indexer_state(connection), True
    except OperationalError:
        return None, False


async def _health(request: Request, settings: Settings) -> HealthOut:
    seen = request.app.state.head_watch.seen()
    state, database_ok = await to_thread.run_sync(_read_state, settings, limiter=request.app.state.probe_threads)
    indexed = state.cursor if state else None
    lag = None if seen.head is None or indexed is None else max(0, seen.head - settings.confirmations - indexed)
    status = request.app.state.indexer_status
    ready = database_ok and lag is not None and lag <= settings.ready_max_lag
    degraded = not ready or (status is not None and status.state == "degraded")
    return HealthOut(
        status="degraded" if degraded else "ok", ready=ready, indexed_block=indexed, chain_head=seen.head,
        chain_head_at=seen.at, lag=lag, confirmations=settings.confirmations,
        indexer=status.as_dict() if status is not None else None, rpc_ok=seen.error is None, rpc_error=seen.error,
        database_ok=database_ok, events=state.events if state else 0, reorgs=state.reorgs if state else 0,
    )


def _respond(out: HealthOut, status_code: int) -> JSONResponse:
    headers = {"X-Odyssey-Block": "" if out.indexed_block is None else str(out.indexed_block)}
    return JSONResponse(out.model_dump(), status_code=status_code, headers=headers)


@router.get("/health", response_model=HealthOut, summary="Liveness: 200 while the process serves; lag, head, indexer")
async def health(request: Request, settings: SettingsDep):
    """200 whenever the process serves requests, even with the node or the database down: the indexed block, the
    node's head (null when it has not answered lately: the lag is then unknown, never 0), the lag, the indexer's
    state and what failed. Point a liveness probe here."""
    return _respond(await _health(request, settings), 200)


@router.get("/ready", response_model=HealthOut, summary="Readiness: 200 when the lag is known and small, else 503",
            responses={503: {"model": HealthOut, "description": "behind the chain, or the lag is unknown"}})
async def ready(request: Request, settings: SettingsDep):
    """The same body as /health; 200 when the lag is known and at most ODYSSEY_READY_MAX_LAG blocks, else 503. Point a
    readiness probe or a load balancer's health check here."""
    out = await _health(request, settings)
    return _respond(out, 200 if out.ready else 503)
