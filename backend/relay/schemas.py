"""Request and response bodies of the relay routes (Pydantic v2). Numbers may be JSON integers or decimal
strings (wallet libraries serialise bigints as strings); addresses are hex, checksummed or all one case."""
import re
from typing import Annotated, Literal

from eth_utils import is_address, is_checksum_address, to_checksum_address
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from backend.api.schemas import TX_HASH, example

UINT256_MAX = 2**256 - 1
UINT48_MAX = 2**48 - 1
# Formats, as the OpenAPI schema states them (so a fuzzer's requests reach the relay's own checks).
ADDRESS = r"^0x[0-9a-fA-F]{40}$"
HEX = r"^0x([0-9a-fA-F]{2})*$"
SIGNATURE = r"^0x[0-9a-fA-F]{130}$"


def _address(value: str) -> str:
    # eth_utils' is_address takes a mixed-case address whatever its checksum (EIP-55): checked here.
    mixed_case = isinstance(value, str) and value[2:] not in (value[2:].lower(), value[2:].upper())
    if (not isinstance(value, str) or not re.fullmatch(ADDRESS, value) or not is_address(value)
            or (mixed_case and not is_checksum_address(value))):
        raise ValueError("not an address (0x and 40 hex digits, valid checksum if mixed case)")
    return to_checksum_address(value)


def _hex(value: str) -> str:
    if not re.fullmatch(HEX, value):
        raise ValueError("not 0x-prefixed hex bytes")
    return value.lower()


def _signature(value: str) -> str:
    if not re.fullmatch(SIGNATURE, value):
        raise ValueError("a signature is 65 bytes (0x and 130 hex digits)")
    return value.lower()


def uint(maximum: int, description: str):
    """An unsigned integer up to `maximum`, as a JSON integer (its exact maximum in the schema) or a string of decimal
    digits (pydantic alone would also take true, "+5", " 5", "1_0")."""
    digits = f"^[0-9]{{1,{len(str(maximum))}}}$"

    def whole_number(value):
        if isinstance(value, bool) or (isinstance(value, str) and not re.fullmatch(digits, value)):
            raise ValueError("not a whole number (a JSON integer, or a string of decimal digits)")
        return value

    return Annotated[
        int,
        BeforeValidator(whole_number),
        Field(ge=0, le=maximum),
        WithJsonSchema({"anyOf": [
            {"type": "integer", "minimum": 0, "maximum": maximum},
            {"type": "string", "pattern": digits, "description": f"decimal, at most {maximum}"},
        ], "description": description}),
    ]


def _documented(validate, pattern: str, description: str):
    """A string the validator checks, with the pattern the OpenAPI schema states for it."""
    return [AfterValidator(validate), WithJsonSchema({"type": "string", "pattern": pattern, "description": description})]


Address = Annotated[str, *_documented(_address, ADDRESS, "address; a mixed-case one must carry a valid checksum")]
HexData = Annotated[str, *_documented(_hex, HEX, "0x-hex bytes")]
Signature = Annotated[str, *_documented(_signature, SIGNATURE, "65-byte ECDSA signature")]
Uint256 = uint(UINT256_MAX, "uint256")
Uint48 = uint(UINT48_MAX, "uint48: unix time in seconds")


class ForwardRequestIn(BaseModel):
    """A ForwardRequest signed by the member (EIP-712, the forwarder's domain), with its signature."""

    model_config = ConfigDict(populate_by_name=True, extra="forbid")

    from_: Address = Field(alias="from")
    to: Address
    value: Uint256 = 0
    gas: Uint256
    nonce: Uint256
    deadline: Uint48
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


RELAYER = "0x33A4622B82D4c04a53e170c638B944ce27cffce3"
FORWARDER = "0x602C71e4DAC47a042Ee7f46E0aee17F94A3bA0B6"


class RelayedOut(BaseModel):
    model_config = example(txHash=TX_HASH, status="pending")

    txHash: str
    status: Literal["pending", "mined", "failed"] = "pending"


class ForwarderOut(BaseModel):
    model_config = example(address=FORWARDER, domain={"name": "OdysseyForwarder", "version": "1", "chainId": 1337,
                                                      "verifyingContract": FORWARDER})

    address: str
    domain: dict


class AllowedOut(BaseModel):
    model_config = example(contract="IdeaBoard", address="0x6b4BDe1086912A6Cb24ce3dB43b3466e6c72AFd3",
                           function="submit(string,string,bytes32)", selector="0x4b0993e9", mode="forward",
                           maxStringBytes={"title": 200, "uri": 200}, maxGas=1000000)

    contract: str
    address: str
    function: str
    selector: str
    mode: Literal["forward", "direct"]
    maxStringBytes: dict[str, int]
    maxGas: int = Field(description="the most gas the relayer pays for one call (a forward request's gas, a direct "
                                    "call's estimate)")


class RelayInfoOut(BaseModel):
    model_config = example(
        chainId=1337, relayer=RELAYER,
        forwarder={"address": FORWARDER, "domain": {"name": "OdysseyForwarder", "version": "1", "chainId": 1337,
                                                    "verifyingContract": FORWARDER}},
        allowlist=[{"contract": "OdysseyStamps", "address": "0x602C71e4DAC47a042Ee7f46E0aee17F94A3bA0B6",
                    "function": "join()", "selector": "0xb688a363", "mode": "forward", "maxStringBytes": {},
                    "maxGas": 1000000}],
        limits={"windowSeconds": 60.0, "perAddress": 10, "perIp": 60, "statusPerIp": 120, "gasPerMember": 2000000,
                "gasWindowSeconds": 86400.0, "deadlineMarginSeconds": 60, "maxRequestGas": 1000000,
                "maxDataBytes": 4096, "maxBodyBytes": 32768},
    )

    chainId: int
    relayer: str
    forwarder: ForwarderOut
    allowlist: list[AllowedOut]
    limits: dict[str, int | float]


class StatusOut(BaseModel):
    model_config = example(txHash=TX_HASH, status="failed", blockNumber=75, gasUsed=61234,
                           error="OdysseyVoucherUsed(nonce=7)")

    txHash: str
    status: Literal["pending", "mined", "failed"]
    blockNumber: int | None
    gasUsed: int | None
    error: str | None
