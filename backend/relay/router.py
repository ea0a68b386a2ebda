"""Relay routes. Include with `app.include_router(backend.relay.router.router)`.

    GET  /relay              the relayer's address, chain, forwarder domain, allowlist and limits
    POST /relay              a member-signed ERC-2771 ForwardRequest (join, delegate, redeem, ideas ...)
    POST /relay/call         a call its target authenticates itself ({to, data}: claim, castVoteBySig)
    POST /relay/claim        a claim voucher as the vouchers script writes it
    GET  /relay/{tx_hash}    pending / mined / failed with the decoded reason

Refusals are HTTP errors with a one-line `detail`: 422 bad input or a revert the simulation found, 403 a
contract or function the relayer does not pay for, 409 a used (replayed) or future nonce, 429 over a rate
limit (with Retry-After), 503 the node or the relayer's funds.
"""
import threading
from typing import Annotated

import requests
from fastapi import APIRouter, Depends, HTTPException, Path, Request

from backend.protocol import Voucher
from backend.relay.schemas import DirectCallIn, ForwardRequestIn, RelayedOut, StatusOut, VoucherIn
from backend.relay.service import Relay, RelayError
from backend.settings import Settings, get_settings

router = APIRouter(prefix="/relay", tags=["relay"])

_relays: dict[int, Relay] = {}
_relays_lock = threading.Lock()


def get_relay(settings: Annotated[Settings, Depends(get_settings)]) -> Relay:
    """One Relay per settings object (its node connection, contracts and key), built on first use."""
    with _relays_lock:
        relay = _relays.get(id(settings))
        if relay is None or relay.settings is not settings:
            try:
                relay = Relay(settings)
            except RuntimeError as exc:
                raise HTTPException(503, f"relay unavailable: {exc}") from None
            except Exception as exc:  # node unreachable at start-up
                raise HTTPException(503, f"relay unavailable: {exc.__class__.__name__}: {exc}") from None
            _relays[id(settings)] = relay
    return relay


RelayDep = Annotated[Relay, Depends(get_relay)]
TxHash = Annotated[str, Path(pattern=r"^0x[0-9a-fA-F]{64}$", description="transaction hash")]


def client_ip(request: Request, relay: Relay) -> str:
    if relay.settings.relay_trust_forwarded_for:
        forwarded = request.headers.get("x-forwarded-for")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.client.host if request.client else "unknown"


def _run(call, *args):
    try:
        return call(*args)
    except RelayError as exc:
        raise HTTPException(exc.status, exc.detail, headers=exc.headers) from None
    except requests.RequestException as exc:  # the node went away mid-request
        raise HTTPException(503, f"the chain node is unreachable: {exc.__class__.__name__}") from None


@router.get("")
def relay_info(relay: RelayDep) -> dict:
    return relay.info()


@router.post("", status_code=202, response_model=RelayedOut)
def relay_forward_request(body: ForwardRequestIn, request: Request, relay: RelayDep) -> RelayedOut:
    _run(relay.check_ip, client_ip(request, relay))
    return RelayedOut(txHash=_run(relay.relay_forward, body.as_request()))


@router.post("/call", status_code=202, response_model=RelayedOut)
def relay_direct_call(body: DirectCallIn, request: Request, relay: RelayDep) -> RelayedOut:
    _run(relay.check_ip, client_ip(request, relay))
    return RelayedOut(txHash=_run(relay.relay_direct, body.to, body.data))


@router.post("/claim", status_code=202, response_model=RelayedOut)
def relay_claim(body: VoucherIn, request: Request, relay: RelayDep) -> RelayedOut:
    _run(relay.check_ip, client_ip(request, relay))
    voucher = Voucher(member=body.member, stampId=body.stampId, nonce=body.nonce, deadline=body.deadline, signature=body.signature)
    return RelayedOut(txHash=_run(relay.relay_claim, voucher))


@router.get("/{tx_hash}", response_model=StatusOut)
def relay_status(tx_hash: TxHash, relay: RelayDep) -> StatusOut:
    return StatusOut(**_run(relay.status, tx_hash))
