"""The draw of an oversubscribed drop (OdysseyDrops), in pure Python: anyone can recompute the winners.

A drop takes entries up to block `closesAt`; its seed comes from the hash of block `seedBlock` (`closesAt +
SEED_DELAY`, or a later block if nobody drew while that hash was readable), mixed with the drop's id so drops
sharing a seed block are drawn independently::

    seed = keccak256(abi.encode(blockhash(seedBlock), dropId))

Entries are numbered 0, 1, ... in the order they entered (`DropEntered.position`). The seed keys a permutation of
those positions, and the entry at position `p` wins when `permute(seed, p, entries) < supply`. A permutation sends
exactly `supply` positions below `supply` (all of them when fewer entered), none twice, and checking one entry
costs the same however many entered. The permutation is

1. a 4-round Feistel network over `2 * halfBits` bits (the fewest that hold every position, at least 4), whose
   round `r` maps `(left, right)` to `(right, left ^ F)` with `F = keccak256(abi.encode(seed, r, right)) mod
   2**halfBits`, applied again while the result is not a position ("cycle-walking": it stays a permutation of
   the positions); it scatters the winners over the entry order;
2. then a rotation by `offset = keccak256(abi.encode(seed)) mod entries`: whatever the network does, adding a
   uniform offset makes every entry's chance exactly `supply / entries`.

Pure Python on public data: no node needed. The constants it shares with the contract are in backend/chain/protocol.py.
"""
from __future__ import annotations

from collections.abc import Sequence

from eth_abi import encode
from eth_utils import keccak

from backend.chain.protocol import FEISTEL_ROUNDS, MIN_HALF_BITS

__all__ = [
    "drop_seed",
    "half_bits",
    "is_winner",
    "permute",
    "winners",
    "winning_positions",
]


def drop_seed(block_hash: bytes, drop_id: int) -> bytes:
    """The draw's seed: `keccak256(abi.encode(blockhash(seedBlock), dropId))`."""
    if len(block_hash) != 32:
        raise ValueError(f"a block hash is 32 bytes, not {len(block_hash)}")
    return keccak(encode(["bytes32", "uint256"], [block_hash, drop_id]))


def half_bits(entries: int) -> int:
    """Bits in each half of the Feistel network for `entries` positions: the domain is 2 ** (2 * half_bits)."""
    needed = max(entries - 1, 1).bit_length()
    return max((needed + 1) // 2, MIN_HALF_BITS)


def _word(value: int) -> bytes:
    return value.to_bytes(32, "big")


def _offset(seed: bytes, entries: int) -> int:
    return int.from_bytes(keccak(seed), "big") % entries  # abi.encode(bytes32) is the seed itself


def _walk(seed: bytes, position: int, entries: int, half: int) -> int:
    """The Feistel network applied until the value is a position again."""
    mask = (1 << half) - 1
    value = position
    while True:
        left, right = value >> half, value & mask
        for round_ in range(FEISTEL_ROUNDS):
            # abi.encode(seed, round, right): three 32-byte words
            f = int.from_bytes(keccak(seed + _word(round_) + _word(right)), "big") & mask
            left, right = right, left ^ f
        value = (left << half) | right
        if value < entries:
            return value


def permute(seed: bytes, position: int, entries: int) -> int:
    """Where position `position` of `entries` lands in the permutation keyed by `seed`."""
    if not 0 <= position < entries:
        raise ValueError(f"position {position} is outside the {entries} entries")
    return (_walk(seed, position, entries, half_bits(entries)) + _offset(seed, entries)) % entries


def is_winner(seed: bytes, position: int, entries: int, supply: int) -> bool:
    """Whether the entry at `position` wins a drop of `supply` stamps that `entries` entered."""
    if not 0 <= position < entries:
        return False
    return entries <= supply or permute(seed, position, entries) < supply


def winning_positions(seed: bytes, entries: int, supply: int) -> list[int]:
    """The positions that win, ascending: exactly min(supply, entries) of them."""
    if entries <= supply:
        return list(range(entries))
    half, offset = half_bits(entries), _offset(seed, entries)
    return [p for p in range(entries) if (_walk(seed, p, entries, half) + offset) % entries < supply]


def winners(seed: bytes, entrants: Sequence[str], supply: int) -> list[str]:
    """The winning entrants, in entry order, from the list of entrants in entry order."""
    return [entrants[p] for p in winning_positions(seed, len(entrants), supply)]
