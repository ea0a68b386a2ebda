"""The API's request dependencies: the settings, the database session (one read transaction), the block a response
reflects, the language it speaks, and the formats of path and query parameters.

Dependencies that do I/O are sync (FastAPI runs them in its thread pool); those that do none are async, so they cost
no thread hop. No endpoint touches the database on the event loop.
"""
import base64
import binascii
import json
import re
from collections.abc import Iterator
from typing import Annotated

from eth_utils import to_checksum_address
from fastapi import Depends, Header, HTTPException, Path, Query, Request, Response
from pydantic import AfterValidator, BeforeValidator
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from backend.api.schemas import BlockRef
from backend.db import models
from backend.db.session import session_factory
from backend.i18n import accept_language, negotiate
from backend.settings import Settings


async def get_app_settings(request: Request) -> Settings:
    """The settings the app was created with (`create_app`)."""
    return request.app.state.settings


SettingsDep = Annotated[Settings, Depends(get_app_settings)]


def get_session(settings: SettingsDep) -> Iterator[Session]:
    """A session whose reads are one transaction: on PostgreSQL one REPEATABLE READ snapshot, on SQLite one read
    transaction. Its first read is the block the response reflects (`BlockDep`), in the same thread hop, so the rows
    and the block a response reports agree."""
    with session_factory(settings)() as session:
        session.info["block"] = block_ref(session)
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
UINT256_MAX = 2**256 - 1
UINT32_MAX = 2**32 - 1


# Formats, as the OpenAPI schema states them; the validators below accept exactly these. ASCII only: Python's int()
# would also read "１" (fullwidth), "١٢٣" (Arabic-Indic), "1_0" and " 5".
ADDRESS = r"^0x[0-9a-fA-F]{40}$"
UINT256_TEXT = r"^([0-9]{1,78}|0x[0-9a-fA-F]{1,64})$"


def _address(value: str) -> str:
    if not isinstance(value, str) or not re.fullmatch(ADDRESS, value):
        raise ValueError("not an Ethereum address (0x followed by 40 hex digits, any case)")
    return to_checksum_address(value)


def _uint256(value: str) -> int:
    if not isinstance(value, str) or not re.fullmatch(UINT256_TEXT, value):
        raise ValueError("not an unsigned integer (ASCII decimal digits, or 0x and hex digits)")
    number = int(value, 16) if value.startswith("0x") else int(value)
    if number > UINT256_MAX:
        raise ValueError("out of the uint256 range")
    return number


def _ascii_digits(value):
    """A number given as text (path, query) in ASCII decimal digits only; pydantic would take "+5", " 5", "1_0"."""
    if isinstance(value, str) and not re.fullmatch(r"[0-9]{1,20}", value):
        raise ValueError("not a number in decimal digits")
    return value


def _optional(validate):
    return lambda value: None if value is None else validate(value)


def _documented(param, description: str, pattern: str):
    """A path or query parameter whose pattern the OpenAPI schema states while the validator gives the message."""
    return param(description=description, json_schema_extra={"pattern": pattern})


AddressPath = Annotated[str, AfterValidator(_address), _documented(Path, "address, any case", ADDRESS)]
AddressQuery = Annotated[str | None, AfterValidator(_optional(_address)), _documented(Query, "address, any case", ADDRESS)]
IdPath = Annotated[str, AfterValidator(_uint256), _documented(Path, "uint256 id, decimal or 0x-hex", UINT256_TEXT)]
Uint256Query = Annotated[
    str | None,
    AfterValidator(_optional(lambda v: str(_uint256(v)))),
    _documented(Query, "uint256 id, decimal or 0x-hex", UINT256_TEXT),
]
# Path/Query before the validator, or FastAPI writes ge/le into the schema instead of minimum/maximum.
JourneyPath = Annotated[int, Path(ge=0, le=UINT32_MAX, description="journey id (uint32)"), BeforeValidator(_ascii_digits)]
JourneyQuery = Annotated[int | None, Query(ge=0, le=UINT32_MAX, description="journey id (uint32)"), BeforeValidator(_ascii_digits)]
Limit = Annotated[int, Query(ge=1, le=500, description="page size"), BeforeValidator(_ascii_digits)]


_BLOCK = select(models.IndexerState.cursor, models.IndexerState.cursor_hash, models.IndexerState.cursor_time).where(
    models.IndexerState.id == 1)


def block_ref(db: Session | Connection) -> BlockRef:
    """The last indexed block, read through a session or a connection, in its transaction."""
    state = db.execute(_BLOCK).first()
    if state is None or state.cursor_hash is None:
        return BlockRef(number=None, hash=None, timestamp=None)
    return BlockRef(number=state.cursor, hash=state.cursor_hash, timestamp=state.cursor_time)


def block_headers(ref: BlockRef) -> dict[str, str]:
    headers = {"X-Odyssey-Block": "" if ref.number is None else str(ref.number)}
    if ref.hash:
        headers["X-Odyssey-Block-Hash"] = ref.hash
    return headers


async def get_block(session: SessionDep, response: Response) -> BlockRef:
    """The indexed block the response reflects (the session read it first, in its transaction); set as a header."""
    ref = session.info["block"]
    response.headers.update(block_headers(ref))
    return ref


BlockDep = Annotated[BlockRef, Depends(get_block)]


def locale_headers(locale: str) -> dict[str, str]:
    """What says which language an answer is in, and that caches must keep one per Accept-Language."""
    return {"Content-Language": locale, "Vary": "Accept-Language"}


async def request_locale(
    response: Response,
    lang: Annotated[str | None, Query(max_length=100, description="the language to answer in: en, zh-Hans, zh-Hant, or "
                                      "any BCP 47 tag (zh-TW → zh-Hant, zh-CN → zh-Hans; others → English); wins "
                                      "over Accept-Language")] = None,
    accept: Annotated[str | None, Header(alias="Accept-Language", description="the browser's languages, most wanted "
                                         "first (q values honoured)")] = None,
) -> str:
    """The locale of the answer's names and descriptions (backend/i18n.py `negotiate`): `?lang=` first, then
    Accept-Language, English last; said in Content-Language (routes answering with a Response of their own add
    `locale_headers` themselves)."""
    locale = negotiate(([lang] if lang else []) + accept_language(accept))
    response.headers.update(locale_headers(locale))
    return locale


LocaleDep = Annotated[str, Depends(request_locale)]


CURSOR = r"^[A-Za-z0-9_-]{1,512}$"  # base64url of a JSON list, unpadded
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1  # the databases' BIGINT


def encode_cursor(*values) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(values)).encode()).decode().rstrip("=")


def _cursor_value(value, kind: type):
    """One value of a cursor, exactly as we encode them: a 64-bit integer (no float, no bool) or a short string."""
    if kind is int and type(value) is int and INT64_MIN <= value <= INT64_MAX:
        return value
    if kind is str and type(value) is str and len(value) <= 78:
        return value
    raise ValueError


def decode_cursor(cursor: str, types: tuple[type, ...]) -> tuple:
    """An opaque cursor back into its values; ValueError when it is not one of ours."""
    try:
        if not re.fullmatch(CURSOR, cursor):
            raise ValueError
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(values, list) or len(values) != len(types):
            raise ValueError
        return tuple(_cursor_value(v, t) for t, v in zip(types, values))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ValueError("invalid cursor: pass back the next_cursor of a previous page") from None


def cursor_query(*types: type):
    """A `cursor` query parameter holding values of `types`, decoded (None when absent) before the route runs."""
    return Annotated[
        str | None,
        AfterValidator(_optional(lambda cursor: decode_cursor(cursor, types))),
        _documented(Query, "the next_cursor of the previous page", CURSOR),
    ]


def json_body(request: Request) -> None:
    """415 unless the body is declared JSON: FastAPI would read any other type as a string and answer 422."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "application/json" and not (media.startswith("application/") and media.endswith("+json")):
        raise HTTPException(415, "the body must be JSON: send it with Content-Type: application/json")


def not_found(what: str) -> HTTPException:
    return HTTPException(status_code=404, detail=f"{what} not found")
