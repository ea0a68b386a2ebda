"""One shape for every error of the API and the relay, and the OpenAPI description of each status a route returns.

- 422 (bad input, FastAPI's validation and the relay's own refusals of a request's content alike):
  `{"detail": [{"loc": [...], "msg": "...", "type": "..."}], "message": "field: msg; ..."}`;
- any other error: `{"detail": "<one line>", "message": "<the same line>"}`;
- a refusal with a stable name (the issuer's, backend/issuer/refusals.py; the relay's, backend/relay/refusals.py) adds
  `"code": "<snake_case>"` to either shape: what a client matches and words in its member's language, whatever
  `detail` says.

`message` is always the one line to show a person who reads English (logs, curl, scripts).
"""
import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException

log = logging.getLogger("odyssey.api")


CODE_DESCRIPTION = ("the refusal's stable machine-readable name, where it has one (docs/activities.md lists the issuer's, "
                    "docs/relay.md the relay's)")


class ErrorOut(BaseModel):
    detail: str
    message: str
    code: str | None = Field(None, description=CODE_DESCRIPTION)


class FieldErrorOut(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorOut(BaseModel):
    detail: list[FieldErrorOut]
    message: str
    code: str | None = Field(None, description=CODE_DESCRIPTION)


class CodedError(HTTPException):
    """An HTTP error whose body names it by `code` beside its English detail (a 422's detail: a list in the validation
    errors' shape)."""

    def __init__(self, status_code: int, detail: str | list[dict], code: str, headers: dict | None = None):
        super().__init__(status_code, detail, headers)
        self.code = code


def coded_refusal(status: int, message: str, code: str, *, field: str | None = None, kind: str | None = None,
                  headers: dict | None = None) -> CodedError:
    """A refusal named by `code`: a 422 in the validation errors' shape naming the body `field` (its type: `kind`, else
    the code); any other status with `message`, prefixed by the field it concerns."""
    if status == 422:
        loc = ["body", field] if field else ["body"]
        return CodedError(422, [{"loc": loc, "msg": message, "type": kind or code}], code, headers)
    return CodedError(status, f"{field}: {message}" if field else message, code, headers)


def refusal(field: str | None, msg: str, kind: str = "value_error") -> RequestValidationError:
    """A 422 naming the body `field` (None: the request as a whole), in the validation errors' shape."""
    return RequestValidationError([{"loc": ("body", field) if field else ("body",), "msg": msg, "type": kind}])


def _field(loc) -> str:
    return ".".join(str(p) for p in loc if p not in ("path", "query", "body", "header"))


def _validation_body(errors: list[dict]) -> dict:
    detail = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in errors]
    message = "; ".join(f"{_field(e['loc'])}: {e['msg']}" if _field(e["loc"]) else e["msg"] for e in detail)
    return {"detail": detail, "message": message}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, exc: RequestValidationError):
        return JSONResponse(_validation_body(exc.errors()), status_code=422)

    @app.exception_handler(HTTPException)
    async def http_error(_request: Request, exc: HTTPException):
        if isinstance(exc.detail, list):  # a 422 raised by hand in the validation errors' shape
            body = _validation_body(exc.detail)
        else:
            body = {"detail": exc.detail, "message": exc.detail}
        if isinstance(exc, CodedError):
            body["code"] = exc.code
        return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(OperationalError)
    async def database_unavailable(_request: Request, exc: OperationalError):
        log.warning("database error: %s", exc)
        line = "database unavailable, retry shortly"
        return JSONResponse({"detail": line, "message": line}, status_code=503, headers={"Retry-After": "1"})


_RETRY_AFTER = {"Retry-After": {"description": "seconds to wait before trying again", "required": True,
                                "schema": {"type": "integer", "minimum": 1}}}
_DESCRIPTIONS = {
    400: "the body could not be read (not UTF-8 text)",
    401: "not signed in: a session, signature or token missing, expired or wrong",
    403: "a contract or function the relayer does not pay for",
    404: "not found",
    409: "a nonce already used or not yet due, or a transaction of the member's still pending",
    413: "the request body is larger than the server takes (ODYSSEY_MAX_BODY_BYTES)",
    415: "the body is not JSON (Content-Type: application/json)",
    422: "bad input, each field named",
    429: "over a rate limit or a gas budget",
    502: "the node refused the transaction",
    503: "the database, the node or the relayer's funds are unavailable",
}


def responses(*statuses: int, described: dict[int, str] | None = None) -> dict:
    """The OpenAPI `responses` of a route returning `statuses` besides its success; `described` words some of them
    for this route."""
    out = {}
    for status in statuses:
        description = (described or {}).get(status) or _DESCRIPTIONS[status]
        entry = {"model": ValidationErrorOut if status == 422 else ErrorOut, "description": description}
        if status == 429:
            entry["headers"] = _RETRY_AFTER
        out[status] = entry
    return out


def coded_responses(refusals: dict[str, tuple[int, str]], *codes: str, also: tuple[int, ...] = (),
                    described: dict[int, str] | None = None) -> dict:
    """The OpenAPI responses of a route refusing with `codes` of `refusals` (code -> (status, when)), each status's
    description naming its codes, and the statuses `also` (FastAPI's own checks of the request: 400, 413, 415, 422)."""
    by_status: dict[int, list[str]] = {}
    for code in codes:
        by_status.setdefault(refusals[code][0], []).append(code)
    out = responses(*sorted(set(by_status) | set(also)), described=described)
    for status, named in by_status.items():
        out[status]["description"] += "; code: " + ", ".join(f"`{c}`" for c in named)
    return out
