"""The watch list: every contract of the deployment (backend/chain/deployment.py) with its ABI, address and start
block.

Each event of each ABI becomes an `EventSpec` that decodes a raw log with eth-abi (no web3 contract objects,
no per-log formatters: this is the hot path of a backfill).
"""
from dataclasses import dataclass, field
from functools import lru_cache

from eth_abi import decode as abi_decode
from eth_utils import keccak, to_checksum_address

from backend.chain.abi import abi_signature, abi_type
from backend.chain.deployment import Deployment


@lru_cache(maxsize=200_000)
def checksum(address: str) -> str:
    return to_checksum_address(address)


def _normalise(kind: str, value):
    """Decoded ABI value → plain Python: checksummed addresses, 0x-hex bytes, lists for arrays and tuples."""
    if kind.endswith("]"):
        inner = kind[: kind.rindex("[")]
        return [_normalise(inner, v) for v in value]
    if kind.startswith("("):
        parts = _split_tuple(kind[1:-1])
        return [_normalise(p, v) for p, v in zip(parts, value)]
    if kind == "address":
        return checksum(value)
    if kind.startswith("bytes") or kind == "bytes":
        return "0x" + bytes(value).hex()
    return value


def _split_tuple(inner: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(inner):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(inner[start:i])
            start = i + 1
    parts.append(inner[start:])
    return parts


_STATIC = {"address", "bool"} | {f"uint{n}" for n in range(8, 257, 8)} | {f"int{n}" for n in range(8, 257, 8)} | {
    f"bytes{n}" for n in range(1, 33)}


def _word(kind: str, word: bytes):
    """One ABI word of a static elementary type (the fast path; eth-abi validates nothing more for these)."""
    if kind == "address":
        return checksum("0x" + word[12:].hex())
    if kind.startswith("uint"):
        return int.from_bytes(word, "big")
    if kind == "bool":
        return word[-1] == 1
    if kind.startswith("int"):
        return int.from_bytes(word, "big", signed=True)
    return "0x" + word[: int(kind[5:])].hex()  # bytesN


@dataclass
class EventSpec:
    contract: str
    name: str
    signature: str
    topic0: str
    indexed: list[tuple[str, str]]  # (name, type)
    data: list[tuple[str, str]]
    order: list[str]  # argument names in ABI order

    def __post_init__(self):
        self.static_data = all(kind in _STATIC for _, kind in self.data)

    def decode(self, topics: list[str], data: str) -> dict:
        args: dict = {}
        for (name, kind), topic in zip(self.indexed, topics[1:]):
            if kind in _STATIC:
                args[name] = _word(kind, bytes.fromhex(topic[2:]))
            else:
                args[name] = topic  # dynamic indexed values are stored as their hash
        if self.static_data:
            raw = bytes.fromhex(data[2:])
            if len(raw) < 32 * len(self.data):
                raise ValueError(f"{self.signature}: {len(raw)} bytes of data, {32 * len(self.data)} expected")
            for i, (name, kind) in enumerate(self.data):
                args[name] = _word(kind, raw[32 * i : 32 * i + 32])
        elif self.data:
            values = abi_decode([k for _, k in self.data], bytes.fromhex(data[2:]))
            for (name, kind), value in zip(self.data, values):
                args[name] = _normalise(kind, value)
        return {name: args[name] for name in self.order}


@dataclass
class WatchedContract:
    name: str
    address: str
    start_block: int
    abi: list
    events: dict[str, EventSpec] = field(default_factory=dict)  # topic0 → spec


@dataclass
class WatchList:
    deployment: Deployment
    start_block: int
    contracts: dict[str, WatchedContract]  # by lower-case address

    @property
    def addresses(self) -> list[str]:
        return [c.address for c in self.contracts.values()]

    def by_name(self, name: str) -> WatchedContract | None:
        return next((c for c in self.contracts.values() if c.name == name), None)

    def spec_for(self, address: str, topic0: str) -> EventSpec | None:
        contract = self.contracts.get(address.lower())
        return contract.events.get(topic0) if contract else None


def _event_specs(contract_name: str, abi: list) -> dict[str, EventSpec]:
    specs = {}
    for item in abi:
        if item.get("type") != "event" or item.get("anonymous"):
            continue
        types = [abi_type(i) for i in item["inputs"]]
        signature = abi_signature(item)
        topic0 = "0x" + keccak(text=signature).hex()
        names = [i["name"] or f"arg{n}" for n, i in enumerate(item["inputs"])]
        indexed = [(n, t) for n, t, i in zip(names, types, item["inputs"]) if i.get("indexed")]
        data = [(n, t) for n, t, i in zip(names, types, item["inputs"]) if not i.get("indexed")]
        specs[topic0] = EventSpec(contract_name, item["name"], signature, topic0, indexed, data, names)
    return specs


def watch_list(deployment: Deployment) -> WatchList:
    contracts = {
        c.address.lower(): WatchedContract(c.name, c.address, c.block, c.abi, _event_specs(c.name, c.abi))
        for c in deployment.contracts.values()
    }
    start = min([c.start_block for c in contracts.values()] or [deployment.start_block])
    return WatchList(deployment, start, contracts)
