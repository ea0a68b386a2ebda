"""Keys of the local chain's deterministic accounts (Ganache started with backend/dev/ganache.py's mnemonic).

These are public development keys: any wallet or tool can sign as the local deployer, issuer or ops account.
Never use them on a live network.
"""
import hashlib
from functools import lru_cache

from eth_account import Account
from eth_account.hdaccount import key_from_seed

from backend.dev.ganache import MNEMONIC

# The role each of the local chain's accounts plays (scripts/deploy.py grants them); members are accounts 4 and up.
LOCAL_ROLES = {"deployer": 0, "issuer": 1, "ops": 2, "relayer": 3, "guardian": 9}
FIRST_MEMBER = 4


@lru_cache(maxsize=None)
def local_account(index: int):
    """The local chain's account `index` (LOCAL_ROLES)."""
    # "brownie" is not a BIP-39 word list, so eth-account refuses it as a mnemonic; Ganache derives the
    # BIP-39 seed from the phrase as it is, and so do we.
    seed = hashlib.pbkdf2_hmac("sha512", MNEMONIC.encode(), b"mnemonic", 2048)
    return Account.from_key(key_from_seed(seed, f"m/44'/60'/0'/0/{index}"))


def local_key(role: str) -> str:
    """The 0x-hex private key of the local account playing `role` (to hand to a process that signs as it)."""
    return local_account(LOCAL_ROLES[role]).key.to_0x_hex()
