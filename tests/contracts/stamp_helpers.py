"""Helpers shared by the contract tests: decoded custom errors as Brownie reports them, Merkle allowlists."""
from brownie import chain, web3
from eth_utils import keccak

ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"
VOUCHER, ALLOWLIST, AIRDROP, PURCHASE = 0, 1, 2, 3


def _fmt(value):
    if isinstance(value, str) and value.startswith("0x") and len(value) == 42:
        return value.lower()
    if hasattr(value, "address"):
        return str(value.address).lower()
    if isinstance(value, (bytes, bytearray)):
        return str(bytes(value))
    return str(value)


def err(name, *args):
    """A custom error as `brownie.reverts` sees it once decoded: `Name: arg1, arg2`."""
    return f"{name}: {', '.join(_fmt(a) for a in args)}"


def role(name):
    """bytes32 role id, as the decoded AccessControl error shows it."""
    return keccak(text=name) if name != "DEFAULT_ADMIN_ROLE" else bytes(32)


def unauthorized(account, role_name):
    return err("AccessControlUnauthorizedAccount", account, role(role_name))


def now():
    """The timestamp the next block will carry (roughly: Ganache follows the wall clock plus sleeps)."""
    return chain.time()


def block_time():
    return web3.eth.get_block("latest")["timestamp"]
