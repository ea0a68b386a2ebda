"""Request and response bodies of the relay routes (Pydantic v2). Numbers may be JSON integers or decimal
strings (wallet libraries serialise bigints as strings); addresses are hex, checksummed or all one case."""
import re
from typing import Annotated, Literal

from eth_utils import is_address, to_checksum_address
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

UINT256_MAX = 2**256 - 1
UINT48_MAX = 2**48 - 1
_HEX = re.compile(r"^0x([0-9a-fA-F]{2})*$")


def _address(value: str) -> str:
    if not isinstance(value, str) or not is_address(value):
        raise ValueError("not an address (0x and 40 hex digits, valid checksum if mixed case)")
    return to_checksum_address(value)


def _hex(value: str) -> str:
    if not _HEX.match(value):
        raise ValueError("not 0x-prefixed hex bytes")
    return value.lower()


def _signature(value: str) -> str:
    value = _hex(value)
    if len(value) != 2 + 130:
        raise ValueError("a signature is 65 bytes (0x and 130 hex digits)")
    return value


Address = Annotated[str, AfterValidator(_address)]
HexData = Annotated[str, AfterValidator(_hex)]
Signature = Annotated[str, AfterValidator(_signature)]
Uint256 = Annotated[int, Field(ge=0, le=UINT256_MAX)]


class ForwardRequestIn(BaseModel):
    """A ForwardRequest signed by the member (EIP-712, the forwarder's domain), with its signature."""

    model_config = ConfigDict(populate_by_name=True, extra="forbid")

    from_: Address = Field(alias="from")
    to: Address
    value: Uint256 = 0
    gas: Uint256
    nonce: Uint256
    deadline: Annotated[int, Field(ge=0, le=UINT48_MAX)]
    data: HexData
    signature: Signature

    def as_request(self) -> dict:
        return {**self.model_dump(by_alias=True)}


class DirectCallIn(BaseModel):
    """A call whose target authenticates it from a signature in its arguments (claim, castVoteBySig)."""

    model_config = ConfigDict(extra="forbid")

    to: Address
    data: HexData


class VoucherIn(BaseModel):
    """A claim voucher as `scripts/vouchers.py` writes it (extra keys such as `link` are ignored)."""

    model_config = ConfigDict(extra="ignore")

    member: Address
    stampId: Uint256
    nonce: Uint256
    deadline: Uint256
    signature: Signature


class RelayedOut(BaseModel):
    txHash: str
    status: Literal["pending", "mined", "failed"] = "pending"


class StatusOut(BaseModel):
    txHash: str
    status: Literal["pending", "mined", "failed"]
    blockNumber: int | None
    gasUsed: int | None
    error: str | None
