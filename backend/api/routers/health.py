"""/health (always 200: the process is up) and /ready (503 until the mirror has caught up with the chain)."""
import time

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from backend.api.deps import SettingsDep
from backend.api.schemas import HealthOut
from backend.db import models
from backend.db.session import SessionDep
from backend.indexer.rpc import Rpc

router = APIRouter(tags=["health"])


def _chain_head(request: Request, settings) -> tuple[int | None, str | None]:
    """The node's head, asked by the API itself (so a dead indexer shows as lag), cached for a second."""
    cache = request.app.state.head_cache
    now = time.monotonic()
    if now - cache.get("t", 0) < 1.0:
        return cache["head"], cache["error"]
    try:
        head, error = Rpc(settings.rpc_url, timeout=2.0).block_number(), None
    except Exception as exc:  # the node is down: report it, never fail
        head, error = None, f"{type(exc).__name__}: {exc}"[:300]
    cache.update(t=now, head=head, error=error)
    return head, error


def _health(request: Request, session, settings) -> HealthOut:
    state = session.get(models.IndexerState, 1)
    head, rpc_error = _chain_head(request, settings)
    known_head = head if head is not None else (state.chain_head if state else None)
    indexed = state.cursor if state else None
    target = None if known_head is None else known_head - settings.confirmations
    lag = None if target is None or indexed is None else max(0, target - indexed)
    status = request.app.state.indexer_status
    indexer = status.as_dict() if status is not None else None
    ready = rpc_error is None and lag is not None and lag <= settings.ready_max_lag
    degraded = rpc_error is not None or (status is not None and status.state == "degraded") or not ready
    return HealthOut(
        status="degraded" if degraded else "ok", ready=ready, indexed_block=indexed, chain_head=known_head, lag=lag,
        confirmations=settings.confirmations, indexer=indexer, rpc_ok=rpc_error is None, rpc_error=rpc_error,
        events=state.events if state else 0, reorgs=state.reorgs if state else 0,
    )


@router.get("/health", response_model=HealthOut, summary="Liveness: always 200, with indexed block, head and lag")
def health(request: Request, session: SessionDep, settings: SettingsDep, response: Response):
    out = _health(request, session, settings)
    response.headers["X-Odyssey-Block"] = "" if out.indexed_block is None else str(out.indexed_block)
    return out


@router.get("/ready", response_model=HealthOut, summary="Readiness: 200 when caught up, else 503 with the lag",
            responses={503: {"model": HealthOut}})
def ready(request: Request, session: SessionDep, settings: SettingsDep):
    out = _health(request, session, settings)
    headers = {"X-Odyssey-Block": "" if out.indexed_block is None else str(out.indexed_block)}
    return JSONResponse(out.model_dump(), status_code=200 if out.ready else 503, headers=headers)
