"""Backend settings: one pydantic-settings class, read from the environment (prefix ODYSSEY_) and `.env`.

The indexer and API fields come first, then the relay's (`relay_*`, read from ODYSSEY_RELAY_*), the issuer service's
(`issuer_*`, ODYSSEY_ISSUER_*) and the member page's (`web_*`, read from ODYSSEY_WEB_*). Nothing is built at import time: call `get_settings()` (cached) or
build `Settings(...)` in tests.
"""
import ipaddress
import json
from functools import lru_cache
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
LOCAL_CHAIN_ID = 1337


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ODYSSEY_", env_file=".env", extra="ignore")

    rpc_url: str = "http://127.0.0.1:8545"
    # DATABASE_URL is also read without the prefix (the usual name for it).
    database_url: str = Field(
        default=f"sqlite:///{ROOT / 'odyssey.db'}",
        validation_alias="DATABASE_URL",
    )
    deployments_file: Path | None = None  # default: deployments/<chainId of rpc_url>.json (backend/chain/deployment.py)

    confirmations: int = Field(default=0, ge=0)
    poll_interval: float = Field(default=1.0, gt=0)
    reorg_depth: int = Field(default=64, ge=1)

    # eth_getLogs ranges: start small (a dense chain must not answer with all its logs at once, which would set
    # the peak memory), grow while results stay under `target_logs`, never above `max_range`; a range returning
    # more than `max_logs` (or a provider error) is split.
    initial_range: int = Field(default=10, ge=1)
    max_range: int = Field(default=20_000, ge=1)
    target_logs: int = Field(default=5_000, ge=1)
    max_logs: int = Field(default=20_000, ge=1)

    rpc_timeout: float = Field(default=10.0, gt=0)
    retry_max_delay: float = Field(default=15.0, gt=0)
    progress_interval: float = Field(default=5.0, gt=0)

    # Run the indexer inside the API process (the embedded default); switch off for many API replicas.
    embedded_indexer: bool = True
    # /ready is 200 when the indexed block is at most this many blocks behind the chain head.
    ready_max_lag: int = Field(default=2, ge=0)

    public_url: str = "http://127.0.0.1:8000"

    # ---- HTTP, for every route (backend/api/middleware.py)
    # A request body larger than this is refused (413) before it is read. The largest legitimate one, a relayed
    # request with `relay_max_data_bytes` of calldata, is about twice that in hex plus 1 KiB (checked below).
    max_body_bytes: int = Field(32 * 1024, gt=0)
    # Proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated or a JSON list): for a
    # request from one of them, the client is the rightmost X-Forwarded-For entry that is not one of them (the one
    # the nearest proxy appended; entries to its left are whatever the client sent). Empty: trust no header, the
    # client is the connection's peer.
    trusted_proxies: Annotated[list[str], NoDecode] = []

    # ---- relay (backend/relay, docs/relay.md): the same node and deployments file as the indexer.
    # The relayer's key never comes from the repository: a keystore v3 file with its password (or a file holding
    # it), or a hex private key (backend/chain/keys.py). There is no default, not even on the local chain.
    relay_keystore: Path | None = None
    relay_keystore_password: SecretStr | None = None
    relay_keystore_password_file: Path | None = None
    relay_private_key: SecretStr | None = None
    # Rate limits: requests per window, per member address (requests the relayer would pay for), per client
    # IP (every request) and per client IP on the status route, counted in the database so every API process shares
    # them. 0 disables a limit.
    relay_window_seconds: float = Field(60.0, gt=0)
    relay_per_address: int = Field(10, ge=0)
    relay_per_ip: int = Field(60, ge=0)
    relay_status_per_ip: int = Field(120, ge=0)
    # Gas each member's relayed transactions may use per budget window (the gas they used once mined; the gas limit
    # of one still in flight), counted in the database. 0 disables it.
    relay_gas_per_member: int = Field(2_000_000, ge=0)
    relay_gas_window_seconds: float = Field(86_400.0, gt=0)
    # A request's deadline (a forward request's, a voucher's) must leave at least this long for its transaction to
    # be mined: one mined after its deadline reverts, and the relayer pays for the revert.
    relay_deadline_margin: int = Field(60, ge=0)
    # Most gas a forwarded request may ask for, and the longest calldata relayed (a vote's reason or an idea's
    # title are paid for by the relayer).
    relay_max_request_gas: int = Field(1_000_000, gt=0)
    relay_max_data_bytes: int = Field(4096, gt=4)
    # Most the relayer pays per gas (wei), and the price it pays: unset = the node's eth_gasPrice (capped).
    relay_max_gas_price: int = Field(100 * 10**9, gt=0)
    relay_gas_price: int | None = Field(None, gt=0)
    # Extra (contract name, function signature) entries beyond backend.relay.allowlist, as JSON in env, e.g.
    # ODYSSEY_RELAY_EXTRA_FORWARDED='{"IdeaBoard": ["withdrawSupport(uint256)"]}'.
    relay_extra_forwarded: dict[str, list[str]] = {}

    # ---- issuer service (backend/issuer, docs/activities.md): checks activities, signs Claim vouchers, hands them to
    # the relay. Its key, like the relayer's, never comes from the repository (make run and the tests pass Ganache's
    # issuer account explicitly); without one the activity routes answer 503.
    issuer_keystore: Path | None = None
    issuer_keystore_password: SecretStr | None = None
    issuer_keystore_password_file: Path | None = None
    issuer_private_key: SecretStr | None = None
    # Quiz answers, code words, rotating-code seeds and partner secrets, which journey files name but never hold: a
    # YAML file, and/or JSON in the environment of the same shape (its entries win).
    issuer_secrets_file: Path | None = None
    issuer_secrets: SecretStr | None = None
    # Sign-In with Ethereum (EIP-4361): the domain a message must name (default: public_url's host[:port]); how long a
    # nonce waits to be signed and a session lasts.
    issuer_siwe_domain: str | None = None
    issuer_nonce_seconds: int = Field(300, gt=0)
    issuer_session_seconds: int = Field(12 * 3600, gt=0)
    # How long a voucher stays valid: asked again, a member gets the same one until it is used or expires.
    issuer_voucher_seconds: int = Field(7 * 86_400, gt=0)
    # Limits counted in the database (every API process shares them), per fixed window; 0 disables one. A quiz's
    # attempts per member and day are in its journey file.
    issuer_window_seconds: float = Field(600.0, gt=0)
    issuer_signins_per_ip: int = Field(30, ge=0)
    issuer_attempts_per_ip: int = Field(120, ge=0)
    issuer_code_attempts: int = Field(5, ge=0)  # per member and stamp
    issuer_webhooks_per_ip: int = Field(600, ge=0)
    issuer_kiosk_fetches: int = Field(120, ge=0)  # per kiosk
    # A partner's webhook is refused when its timestamp is further than this from the server's clock.
    issuer_webhook_tolerance: int = Field(300, gt=0)
    # Seconds between the background rounds that resend stored vouchers not yet collected and issue completion
    # stamps; 0 runs none (a test drives `Issuer.deliver()` itself).
    issuer_worker_interval: float = Field(5.0, ge=0)

    # ---- member page (backend/web, docs/web.md)
    # Offered to wallets that don't know the chain (wallet_addEthereumChain). Must be reachable from members'
    # browsers: never the API's own node URL with a provider key in it. Unset on the local chain: `rpc_url`.
    web_chain_rpc_url: str | None = None
    web_chain_name: str | None = None
    # Where the page posts signed requests (same origin by default: the relay routes of this API).
    web_relay_url: str = "/relay"
    web_build_dir: Path = ROOT / "build" / "web"

    @field_validator("database_url", mode="before")
    @classmethod
    def _normalise_postgres(cls, value: str) -> str:
        # Use psycopg 3 for plain postgres:// URLs.
        if isinstance(value, str) and value.startswith(("postgres://", "postgresql://")):
            return "postgresql+psycopg://" + value.split("://", 1)[1]
        return value

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _proxy_list(cls, value):
        if isinstance(value, str):
            value = json.loads(value) if value.strip().startswith("[") else [v for v in value.split(",") if v.strip()]
        for entry in value:
            ipaddress.ip_network(entry.strip(), strict=False)  # a ValueError names the bad entry
        return [entry.strip() for entry in value]

    @model_validator(mode="after")
    def _body_holds_the_largest_relay_request(self):
        if self.max_body_bytes < 2 * self.relay_max_data_bytes + 1024:
            raise ValueError(
                f"max_body_bytes ({self.max_body_bytes}) is too small for a relayed request of relay_max_data_bytes "
                f"({self.relay_max_data_bytes}) in hex: it needs at least {2 * self.relay_max_data_bytes + 1024}"
            )
        return self

    @property
    def siwe_domain(self) -> str:
        """The domain a Sign-In with Ethereum message must name: the page's own host (never the request's Host
        header, which whoever sends the request writes)."""
        return self.issuer_siwe_domain or urlsplit(self.public_url).netloc

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    return Settings()
