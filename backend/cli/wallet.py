"""The member's key in an encrypted keystore v3 file (eth-account: scrypt + AES-128-CTR), never in plain text.

Passwords are read with getpass (never echoed) or, for scripts and tests, from ODYSSEY_PASSWORD.
"""
import getpass
import json
import os
from pathlib import Path

from eth_account import Account
from eth_utils import to_checksum_address

from backend.cli.language import _

DEFAULT_KEYSTORE = Path("~/.odyssey/keystore.json")
PASSWORD_ENV = "ODYSSEY_PASSWORD"
PRIVATE_KEY_ENV = "ODYSSEY_PRIVATE_KEY"


class WalletError(Exception):
    """A wallet problem the member can fix; shown as one line."""


def keystore_path(value: str | None) -> Path:
    return Path(value or os.environ.get("ODYSSEY_KEYSTORE") or DEFAULT_KEYSTORE).expanduser()


def _new_password(path: Path) -> str:
    password = os.environ.get(PASSWORD_ENV)
    if password is None:
        password = getpass.getpass(_("New password for {path}: ").format(path=path))
        if getpass.getpass(_("Repeat the password: ")) != password:
            raise WalletError(_("the passwords do not match"))
    if not password:
        raise WalletError(_("the password must not be empty"))
    return password


def _write(path: Path, key: bytes, force: bool) -> str:
    if path.exists() and not force:
        raise WalletError(_("a wallet already exists at {path} (use --force to replace it, after a backup)").format(path=path))
    password = _new_password(path)
    keyfile = Account.encrypt(key, password)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(keyfile, handle)
    tmp.replace(path)
    return Account.from_key(key).address


def create(path: Path, force: bool = False) -> str:
    """A new random key in a keystore at `path`; its address."""
    return _write(path, Account.create().key, force)


def import_key(path: Path, force: bool = False) -> str:
    """Import a hex private key (prompted, not echoed, or ODYSSEY_PRIVATE_KEY) into a keystore; its address."""
    raw = os.environ.get(PRIVATE_KEY_ENV)
    if raw is None:
        raw = getpass.getpass(_("Private key (hex, not shown): "))
    raw = raw.strip()
    try:
        key = bytes.fromhex(raw[2:] if raw.lower().startswith("0x") else raw)
        Account.from_key(key)
        if len(key) != 32:
            raise ValueError
    except ValueError:
        raise WalletError(_("that is not a private key (64 hex digits)")) from None
    return _write(path, key, force)


def _read(path: Path) -> dict:
    try:
        keyfile = json.loads(path.read_text())
    except FileNotFoundError:
        raise WalletError(
            _("no wallet at {path}: create one with `odyssey wallet new` or `odyssey wallet import`").format(path=path)
        ) from None
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise WalletError(_("{path} is not a keystore file").format(path=path)) from None
    except OSError as exc:  # a folder, a file we may not read
        raise WalletError(_("cannot read {path} ({error})").format(path=path, error=exc.strerror)) from None
    if not isinstance(keyfile, dict) or "crypto" not in keyfile and "Crypto" not in keyfile:
        raise WalletError(_("{path} is not a keystore file").format(path=path))
    return keyfile


def address(path: Path) -> str:
    """The wallet's address, without the password (keystore v3 stores it in clear)."""
    keyfile = _read(path)
    if "address" in keyfile:
        return to_checksum_address("0x" + keyfile["address"].removeprefix("0x"))
    return unlock(path).address


def unlock(path: Path):
    """The wallet's account (its key decrypted with the member's password)."""
    keyfile = _read(path)
    password = os.environ.get(PASSWORD_ENV)
    if password is None:
        password = getpass.getpass(_("Password for {path}: ").format(path=path))
    try:
        return Account.from_key(Account.decrypt(keyfile, password))
    except ValueError:
        raise WalletError(_("wrong password for {path}").format(path=path)) from None
    except (KeyError, TypeError, AttributeError):  # a field of the keystore's crypto section missing or mistyped
        raise WalletError(_("{path} is a damaged keystore file").format(path=path)) from None
