"""Keys of the local chain's deterministic accounts (Ganache started with backend/dev/ganache.py's mnemonic).

These are public development keys: any wallet or tool can sign as the local deployer, issuer or ops account.
Never use them on a live network.
"""
import hashlib
from functools import lru_cache

from eth_account import Account
from eth_account.hdaccount import key_from_seed

from backend.dev.ganache import MNEMONIC


@lru_cache(maxsize=None)
def local_account(index: int):
    """The local chain's account `index` (0 deployer, 1 issuer, 2 ops, 3 relayer, 4.. members)."""
    # "brownie" is not a BIP-39 word list, so eth-account refuses it as a mnemonic; Ganache derives the
    # BIP-39 seed from the phrase as it is, and so do we.
    seed = hashlib.pbkdf2_hmac("sha512", MNEMONIC.encode(), b"mnemonic", 2048)
    return Account.from_key(key_from_seed(seed, f"m/44'/60'/0'/0/{index}"))
