"""The keys the backend signs with (the relayer's, the issuer's), from settings: a hex private key, or a keystore v3
file with its password (or a file holding it). There is no default, not even on the local chain: `make run` and the
tests pass Ganache's accounts explicitly (backend/dev/keys.py). Errors name the variables, never a key."""
import json
from pathlib import Path

from eth_account import Account

from backend.settings import Settings


def signing_account(settings: Settings, prefix: str, role: str, chain_id: int):
    """The account of `role` ("relayer", "issuer") from the settings fields `<prefix>_private_key`, `<prefix>_keystore`
    and `<prefix>_keystore_password(_file)` (variables ODYSSEY_<PREFIX>_*); RuntimeError when none is set or the
    keystore does not open."""
    variable = f"ODYSSEY_{prefix.upper()}"
    key = getattr(settings, f"{prefix}_private_key")
    if key is not None:
        try:
            return Account.from_key(key.get_secret_value().strip())
        except ValueError:
            raise RuntimeError(f"{variable}_PRIVATE_KEY is not a private key (64 hex digits)") from None
    keystore = getattr(settings, f"{prefix}_keystore")
    if keystore is not None:
        password, password_file = getattr(settings, f"{prefix}_keystore_password"), getattr(settings, f"{prefix}_keystore_password_file")
        if password is not None:
            secret = password.get_secret_value()
        elif password_file is not None:
            secret = Path(password_file).read_text().rstrip("\n")
        else:
            raise RuntimeError(f"{variable}_KEYSTORE is set without {variable}_KEYSTORE_PASSWORD(_FILE)")
        try:
            return Account.from_key(Account.decrypt(json.loads(Path(keystore).read_text()), secret))
        except ValueError:
            raise RuntimeError(f"wrong password for the {role} keystore {keystore}") from None
    raise RuntimeError(
        f"no {role} key for chain {chain_id}: set {variable}_KEYSTORE (+ _PASSWORD or _PASSWORD_FILE) or {variable}_PRIVATE_KEY"
    )
