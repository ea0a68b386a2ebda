"""Backend settings: one pydantic-settings class, read from the environment (prefix ODYSSEY_) and `.env`.

Nothing is built at import time: call `get_settings()` (cached) or build `Settings(...)` in tests.
"""
from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ODYSSEY_", env_file=".env", extra="ignore")

    rpc_url: str = "http://127.0.0.1:8545"
    # DATABASE_URL is also read without the prefix (the usual name for it).
    database_url: str = Field(
        default=f"sqlite:///{ROOT / 'odyssey.db'}",
        validation_alias="DATABASE_URL",
    )
    deployments_file: Path | None = None  # default: deployments/<chainId of rpc_url>.json
    deployments_dir: Path = ROOT / "deployments"

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

    @field_validator("database_url", mode="before")
    @classmethod
    def _normalise_postgres(cls, value: str) -> str:
        # Use psycopg 3 for plain postgres:// URLs.
        if isinstance(value, str) and value.startswith(("postgres://", "postgresql://")):
            return "postgresql+psycopg://" + value.split("://", 1)[1]
        return value

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    return Settings()
