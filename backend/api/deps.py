"""Shared dependencies: settings, DB session, the block a response reflects, input types."""
import base64
import binascii
import json
from typing import Annotated

from eth_utils import is_hex_address, to_checksum_address
from fastapi import Depends, HTTPException, Path, Query, Response
from pydantic import AfterValidator
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from backend.api.schemas import BlockRef
from backend.db import models
from backend.db.session import SessionDep
from backend.settings import Settings, get_settings

SettingsDep = Annotated[Settings, Depends(get_settings)]
UINT256_MAX = 2**256 - 1


def _address(value: str) -> str:
    if not isinstance(value, str) or not is_hex_address(value):
        raise ValueError("not an Ethereum address (0x followed by 40 hex digits, any case)")
    return to_checksum_address(value)


def _uint256(value: str) -> int:
    text = value.strip() if isinstance(value, str) else str(value)
    try:
        number = int(text, 16) if text.lower().startswith("0x") else int(text, 10)
    except ValueError:
        raise ValueError("not an unsigned integer (decimal, or hex with 0x)") from None
    if not 0 <= number <= UINT256_MAX:
        raise ValueError("out of the uint256 range")
    return number


AddressPath = Annotated[str, AfterValidator(_address), Path(description="address, any case")]
AddressQuery = Annotated[str | None, AfterValidator(lambda v: None if v is None else _address(v)), Query()]
IdPath = Annotated[str, AfterValidator(_uint256), Path(description="uint256 id, decimal or 0x-hex")]
Limit = Annotated[int, Query(ge=1, le=500, description="page size")]


_BLOCK = select(models.IndexerState.cursor, models.IndexerState.cursor_hash, models.IndexerState.cursor_time).where(
    models.IndexerState.id == 1)


def block_ref(db: Session | Connection) -> BlockRef:
    """The last indexed block, read through an ORM session or a Core connection (in its transaction)."""
    state = db.execute(_BLOCK).first()
    if state is None or state.cursor_hash is None:
        return BlockRef(number=None, hash=None, timestamp=None)
    return BlockRef(number=state.cursor, hash=state.cursor_hash, timestamp=state.cursor_time)


def block_headers(ref: BlockRef) -> dict[str, str]:
    headers = {"X-Odyssey-Block": "" if ref.number is None else str(ref.number)}
    if ref.hash:
        headers["X-Odyssey-Block-Hash"] = ref.hash
    return headers


def get_block(session: SessionDep, response: Response) -> BlockRef:
    """The indexed block the response reflects, read in the same transaction as the data; set as a header."""
    ref = block_ref(session)
    response.headers.update(block_headers(ref))
    return ref


BlockDep = Annotated[BlockRef, Depends(get_block)]


def encode_cursor(*values) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(values)).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None, types: tuple[type, ...]) -> tuple | None:
    """An opaque cursor back into its values; 422 naming the `cursor` parameter when it is not one of ours."""
    if cursor is None:
        return None
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(values, list) or len(values) != len(types):
            raise ValueError
        return tuple(t(v) if v is not None else None for t, v in zip(types, values))
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise HTTPException(
            status_code=422,
            detail=[{"loc": ["query", "cursor"], "msg": "invalid cursor: pass back the next_cursor of a previous page", "type": "value_error"}],
        ) from None


def not_found(what: str) -> HTTPException:
    return HTTPException(status_code=404, detail=f"{what} not found")
