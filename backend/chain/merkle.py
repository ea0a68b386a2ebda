"""Merkle trees compatible with OpenZeppelin's StandardMerkleTree (@openzeppelin/merkle-tree), in pure Python.

OdysseyStamps' allowlists are checked on-chain with OZ `MerkleProof`. A leaf is the double hash OZ's
StandardMerkleTree uses, `keccak256(bytes.concat(keccak256(abi.encode(values...))))` — for an allowlist entry the
values are `(uint256 index, address member)`. Pairs are hashed sorted (`keccak256(min(a, b) ++ max(a, b))`), and
the tree has the same shape as OZ's: leaves sorted by hash, laid out at the end of a flat array in reverse order,
so roots and proofs built here equal the ones the JavaScript library builds for the same values.

Used by the ops `allowlist` script and the tests; needs only eth-abi and eth-utils (no Brownie, no chain)::

    tree = StandardMerkleTree.of([(0, alice), (1, bob)], ["uint256", "address"])
    tree.root                      # bytes32 to publish with setAllowlistRoot
    tree.proof(1)                  # proof for the entry at position 1 of the input list

`allowlist_tree(members)` is the shortcut for an allowlist: entry `i` is `(i, members[i])`.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from eth_abi import encode
from eth_utils import keccak, to_checksum_address

__all__ = ["StandardMerkleTree", "allowlist_tree", "hash_pair", "leaf_hash", "verify_proof"]


def leaf_hash(types: Sequence[str], values: Sequence) -> bytes:
    """OZ StandardMerkleTree leaf: `keccak256(keccak256(abi.encode(values)))`."""
    return keccak(keccak(encode(list(types), list(values))))


def hash_pair(a: bytes, b: bytes) -> bytes:
    """OZ `MerkleProof` node hash: the two children sorted, concatenated and hashed."""
    return keccak(a + b if a < b else b + a)


def verify_proof(root: bytes, leaf: bytes, proof: Iterable[bytes]) -> bool:
    """What `MerkleProof.verify` computes, off-chain."""
    node = leaf
    for sibling in proof:
        node = hash_pair(node, _as_bytes(sibling))
    return node == _as_bytes(root)


def _as_bytes(value) -> bytes:
    if isinstance(value, str):
        return bytes.fromhex(value[2:] if value.startswith("0x") else value)
    return bytes(value)


def _normalise(types: Sequence[str], values: Sequence) -> tuple:
    out = []
    for type_, value in zip(types, values, strict=True):
        if type_ == "address":
            out.append(to_checksum_address(str(value)))
        elif type_.startswith(("uint", "int")):
            out.append(int(value))
        else:
            out.append(value)
    return tuple(out)


class StandardMerkleTree:
    """A tree over `values` (tuples ABI-encoded with `types`), shaped as OZ's StandardMerkleTree."""

    def __init__(self, values: Sequence[Sequence], types: Sequence[str]):
        if not values:
            raise ValueError("a Merkle tree needs at least one value")
        self.types = list(types)
        self.values = [_normalise(self.types, v) for v in values]
        hashed = sorted(
            ((leaf_hash(self.types, v), i) for i, v in enumerate(self.values)),
            key=lambda pair: pair[0],
        )
        size = 2 * len(hashed) - 1
        tree: list[bytes] = [b""] * size
        self._tree_index: dict[int, int] = {}
        for position, (leaf, value_index) in enumerate(hashed):
            tree[size - 1 - position] = leaf
            self._tree_index[value_index] = size - 1 - position
        for i in range(size - 1 - len(hashed), -1, -1):
            tree[i] = hash_pair(tree[2 * i + 1], tree[2 * i + 2])
        self._tree = tree

    @classmethod
    def of(cls, values: Sequence[Sequence], types: Sequence[str]) -> "StandardMerkleTree":
        return cls(values, types)

    @property
    def root(self) -> bytes:
        """The root, as 32 bytes."""
        return self._tree[0]

    @property
    def root_hex(self) -> str:
        return "0x" + self.root.hex()

    def leaf(self, value_index: int) -> bytes:
        """The leaf hash of `values[value_index]`."""
        return self._tree[self._tree_index[value_index]]

    def proof(self, value_index: int) -> list[bytes]:
        """Sibling hashes from the leaf of `values[value_index]` up to the root (OZ `getProof`)."""
        index = self._tree_index[value_index]
        proof = []
        while index > 0:
            sibling = index - 1 if index % 2 == 0 else index + 1
            proof.append(self._tree[sibling])
            index = (index - 1) // 2
        return proof

    def proof_hex(self, value_index: int) -> list[str]:
        return ["0x" + node.hex() for node in self.proof(value_index)]

    def __len__(self) -> int:
        return len(self.values)


def allowlist_tree(members: Sequence[str]) -> StandardMerkleTree:
    """An OdysseyStamps allowlist: entry `i` is `(uint256 i, address members[i])`; claim with index `i`."""
    return StandardMerkleTree([(i, m) for i, m in enumerate(members)], ["uint256", "address"])
