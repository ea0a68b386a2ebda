"""Relay routes. Include with `app.include_router(backend.relay.router.router)` (and backend.api.middleware.install).

    GET  /relay              the relayer's address, chain, forwarder domain, allowlist and limits
    POST /relay              a member-signed ERC-2771 ForwardRequest (join, delegate, redeem, ideas ...)
    POST /relay/call         a call its target authenticates itself ({to, data}: claim, castVoteBySig)
    POST /relay/claim        a claim voucher as the vouchers script writes it
    GET  /relay/{tx_hash}    pending / mined / failed with the decoded reason (the relayer's own transactions)

Refusals: 422 bad input or a revert the simulation found (in the validation errors' shape, naming the field), 403 a
contract or function the relayer does not pay for, 409 a used or future nonce or a transaction of the member's
still pending, 413 a body too large, 415 a body that is not JSON, 429 over a rate limit or the member's gas budget
(with Retry-After), 502 the node refused the transaction, 503 the node or the relayer's funds. Each of the relay's
own refusals carries a stable `code` (backend/relay/refusals.py, docs/relay.md) a client words in its member's language.
"""
import threading
from typing import Annotated

import requests
from fastapi import APIRouter, Depends, Path, Request
from starlette.convertors import StringConvertor, register_url_convertor

from backend.api.deps import SettingsDep, json_body
from backend.api.errors import coded_refusal, coded_responses
from backend.chain.deployment import DeploymentError
from backend.chain.protocol import Voucher
from backend.indexer.rpc import describe_failure
from backend.relay.limits import RateLimiter
from backend.relay.refusals import REFUSALS
from backend.relay.schemas import DirectCallIn, ForwardRequestIn, RelayedOut, RelayInfoOut, StatusOut, VoucherIn
from backend.relay.service import Relay, RelayError, relay_for
from backend.settings import Settings

router = APIRouter(prefix="/relay", tags=["relay"])

_limiters: dict[tuple[int, str], RateLimiter] = {}
_lock = threading.Lock()


def get_relay(settings: SettingsDep) -> Relay:
    """This process's Relay for the app's settings (`relay_for`); 503 when it cannot be built."""
    try:
        return relay_for(settings)
    except (RuntimeError, DeploymentError) as exc:
        raise coded_refusal(503, f"relay unavailable: {exc}", "relay_not_set_up") from None
    except Exception as exc:  # node unreachable at start-up
        raise coded_refusal(503, f"relay unavailable: {describe_failure(exc)}", "relay_not_set_up") from None


def _limiter(settings: Settings, scope: str) -> RateLimiter:
    with _lock:
        limiter = _limiters.get((id(settings), scope))
        if limiter is None or limiter.settings is not settings:
            limit = settings.relay_per_ip if scope == "ip" else settings.relay_status_per_ip
            limiter = _limiters[(id(settings), scope)] = RateLimiter(settings, scope, limit)
    return limiter


class PerIpLimit:
    """A dependency counting the request against its client's address (backend.api.middleware says who that is),
    before anything else is looked at; 429 over the limit. A class, not a closure: its check runs per request."""

    def __init__(self, scope: str, what: str):
        self.scope, self.what = scope, what

    def __call__(self, request: Request, settings: SettingsDep) -> None:
        ip = request.client.host if request.client else "unknown"
        wait = _limiter(settings, self.scope).hit(ip)
        if wait is not None:
            raise coded_refusal(429, f"too many {self.what} from {ip}: try again in {wait:.0f} s", "too_many_requests",
                                headers={"Retry-After": str(int(wait) + 1)})


class _TxSegment(StringConvertor):
    """The status route's path segment: anything but the POST routes' names, so GET /relay/call is 405 (POST only),
    not a malformed transaction hash."""

    regex = "(?!call$|claim$)[^/]+"


register_url_convertor("relay_tx", _TxSegment())

RelayDep = Annotated[Relay, Depends(get_relay)]
TxHash = Annotated[str, Path(pattern=r"^0x[0-9a-fA-F]{64}$", description="transaction hash")]
POSTED = [Depends(PerIpLimit("ip", "requests")), Depends(json_body)]
# What a POST can be refused with: every code but the status route's (the request's own checks add 400, 413, 415, 422).
POST_RESPONSES = coded_responses(REFUSALS, *(c for c in REFUSALS if c not in ("unknown_transaction", "not_relayed_transaction")),
                                 also=(400, 413, 415, 422))
STATUS_RESPONSES = coded_responses(REFUSALS, "too_many_requests", "relay_not_set_up", "node_unreachable", "unknown_transaction",
                                   "not_relayed_transaction", also=(422,))


def _run(call, *args):
    try:
        return call(*args)
    except RelayError as exc:
        raise coded_refusal(exc.status, exc.message, exc.code, field=exc.field, kind=exc.kind, headers=exc.headers) from None
    except requests.RequestException as exc:  # the node went away mid-request
        raise coded_refusal(503, f"the chain node is unreachable: {describe_failure(exc)}", "node_unreachable") from None


@router.get("", response_model=RelayInfoOut, responses=coded_responses(REFUSALS, "relay_not_set_up"))
def relay_info(relay: RelayDep) -> dict:
    """The relayer's address, the chain, the forwarder's EIP-712 domain (what members sign ForwardRequests in), every
    function the relayer pays for, and its limits."""
    return relay.info()


@router.post("", status_code=202, response_model=RelayedOut, dependencies=POSTED, responses=POST_RESPONSES)
def relay_forward_request(body: ForwardRequestIn, relay: RelayDep) -> RelayedOut:
    """A member's signed ERC-2771 ForwardRequest (join, delegate, redeem, submit or support an idea): checked,
    simulated, then sent through the forwarder at the relayer's cost. 202 with the transaction to poll."""
    return RelayedOut(txHash=_run(relay.relay_forward, body.as_request()))


@router.post("/call", status_code=202, response_model=RelayedOut, dependencies=POSTED, responses=POST_RESPONSES)
def relay_direct_call(body: DirectCallIn, relay: RelayDep) -> RelayedOut:
    """A call whose target checks a signature itself (a claim voucher, a vote by signature), sent as it is at the
    relayer's cost. 202 with the transaction to poll."""
    return RelayedOut(txHash=_run(relay.relay_direct, body.to, body.data))


@router.post("/claim", status_code=202, response_model=RelayedOut, dependencies=POSTED, responses=POST_RESPONSES)
def relay_claim(body: VoucherIn, relay: RelayDep) -> RelayedOut:
    """A claim voucher as scripts/vouchers.py writes it (what a claim link carries): `claim` sent at the relayer's
    cost. 202 with the transaction to poll."""
    voucher = Voucher(member=body.member, stampId=body.stampId, nonce=body.nonce, deadline=body.deadline, signature=body.signature)
    return RelayedOut(txHash=_run(relay.relay_claim, voucher))


@router.get("/{tx_hash:relay_tx}", response_model=StatusOut, dependencies=[Depends(PerIpLimit("status", "status requests"))],
            responses=STATUS_RESPONSES)
def relay_status(tx_hash: TxHash, relay: RelayDep) -> StatusOut:
    """Whether a transaction this relayer sent is pending, mined, or failed, with the decoded reason of a failure."""
    return StatusOut(**_run(relay.status, tx_hash))
