"""Relay settings (pydantic-settings, env prefix ODYSSEY_RELAY_), until they join the backend's main settings.

The relayer's key never comes from the repository: a keystore file and its password (or password file), or a
hex key in the environment. On the local chain (chain id 1337, mnemonic "brownie") it defaults to Ganache's
account 3, the local relayer.
"""
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parents[2]
LOCAL_CHAIN_ID = 1337


class RelaySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ODYSSEY_RELAY_", env_file=".env", extra="ignore", frozen=True)

    rpc_url: str = "http://127.0.0.1:8545"
    # deployments/<chainId>.json; `deployments_file` wins over `deployments_dir` when set.
    deployments_dir: Path = ROOT / "deployments"
    deployments_file: Path | None = None

    # The relayer's key: a keystore v3 file with its password (or a file holding it), or a hex private key.
    keystore: Path | None = None
    keystore_password: SecretStr | None = None
    keystore_password_file: Path | None = None
    private_key: SecretStr | None = None

    # Rate limits: requests per window, per member address (requests the relayer would pay for) and per
    # client IP (every request). 0 disables a limit.
    window_seconds: float = Field(60.0, gt=0)
    per_address: int = Field(10, ge=0)
    per_ip: int = Field(60, ge=0)
    # Trust X-Forwarded-For for the client IP (only behind a reverse proxy that sets it).
    trust_forwarded_for: bool = False

    # Most gas a forwarded request may ask for, and the most the relayer pays per gas (wei).
    max_request_gas: int = Field(1_000_000, gt=0)
    # Longest calldata relayed (a vote's reason or an idea's title are paid for by the relayer).
    max_data_bytes: int = Field(4096, gt=4)
    max_gas_price: int = Field(100 * 10**9, gt=0)
    # Gas price to pay (wei); unset = the node's eth_gasPrice (capped by max_gas_price).
    gas_price: int | None = Field(None, gt=0)
    # Extra (contract name, function signature) entries beyond backend.relay.allowlist, as JSON in env, e.g.
    # ODYSSEY_RELAY_EXTRA_FORWARDED='{"IdeaBoard": ["withdrawSupport(uint256)"]}'.
    extra_forwarded: dict[str, list[str]] = {}


@lru_cache(maxsize=1)
def get_relay_settings() -> RelaySettings:
    return RelaySettings()
