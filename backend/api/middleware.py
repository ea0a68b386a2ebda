"""What every app of the backend (the API, the standalone relay) runs around its routes: `install(app, settings)`.
Who the client is, how large a body it may send (plain ASGI middleware, rather than Starlette's BaseHTTPMiddleware:
nothing is buffered that need not be), and the one shape of errors (backend/api/errors.py).
"""
import ipaddress
import json
import logging

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backend.api.errors import install_error_handlers
from backend.api.openapi import exact_numbers
from backend.settings import Settings

log = logging.getLogger("odyssey.api")


def install(app: FastAPI, settings: Settings) -> None:
    """What every app of the backend runs around its routes: the error shape, the body limit, the client address,
    and an OpenAPI schema with exact numbers."""
    install_error_handlers(app)
    exact_numbers(app)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(ClientAddress, trusted_proxies=settings.trusted_proxies)  # added last: runs first


def _ip(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


class ClientAddress:
    """The client's address in `scope["client"]`, from X-Forwarded-For only for a peer in `trusted_proxies`: then the
    client is the rightmost entry that is not a trusted proxy, the one the nearest proxy appended (what a client
    writes in the header itself is to the left of it). Serve with uvicorn's own proxy headers off
    (`python -m backend.api` does): uvicorn would otherwise trust the header from 127.0.0.1, so any local client could
    name itself anyone."""

    def __init__(self, app: ASGIApp, trusted_proxies: list[str]):
        self.app = app
        self.trusted = [ipaddress.ip_network(entry, strict=False) for entry in trusted_proxies]
        self._warned = False

    def _is_trusted(self, address) -> bool:
        return address is not None and any(address in network for network in self.trusted)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("client"):
            host, port = scope["client"]
            forwarded = b",".join(value for name, value in scope["headers"] if name == b"x-forwarded-for")
            if forwarded and self._is_trusted(_ip(host)):
                client = host
                for entry in reversed(forwarded.decode("latin-1").split(",")):
                    address = _ip(entry)
                    if address is None:
                        break  # not written by a proxy of ours: stop at the last trusted hop
                    client = str(address)
                    if not self._is_trusted(address):
                        break
                scope = {**scope, "client": (client, 0)}
            elif forwarded and port == 0 and not self._warned:
                self._warned = True  # the one sign uvicorn's proxy headers already replaced the peer's address
                log.warning("the server took the client address from X-Forwarded-For: start it with `python -m "
                            "backend.api` or uvicorn --no-proxy-headers, and name proxies in ODYSSEY_TRUSTED_PROXIES")
        await self.app(scope, receive, send)


class BodyLimit:
    """A request body over `max_bytes` is refused with 413 before it is read: at once when its Content-Length says
    so, else (chunked) as soon as the bytes received pass it. The response closes the connection, whose unread rest
    is never read. Small bodies of unknown length are read here and handed on whole."""

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope["headers"])
        length = headers.get(b"content-length")
        if length is not None:
            # h11/httptools already refused a malformed Content-Length with 400.
            if int(length) > self.max_bytes:
                return await self._refuse(send)
            return await self.app(scope, receive, send)
        if b"chunked" not in headers.get(b"transfer-encoding", b"").lower():
            return await self.app(scope, receive, send)
        messages, size = [], 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break  # the client went away: let the app see it
            size += len(message.get("body", b""))
            if size > self.max_bytes:
                return await self._refuse(send)
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, send: Send) -> None:
        line = f"request body too large: at most {self.max_bytes} bytes"
        body = json.dumps({"detail": line, "message": line}).encode()
        await send({"type": "http.response.start", "status": 413, "headers": [
            (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), (b"connection", b"close"),
        ]})
        await send({"type": "http.response.body", "body": body})
