"""The relay's rate limits, counted in the database so that every API process (uvicorn --workers N, replicas on
one PostgreSQL) shares them.

Fixed windows: a key's requests are counted in the window [start, start + window) holding the request's time
(the wall clock, the same in every process). One statement adds a request and returns the new count
(INSERT … ON CONFLICT DO UPDATE … RETURNING, on SQLite and PostgreSQL alike), so two processes never both take
the last place. Each limiter deletes its scope's ended windows the first time it counts in a new one.
"""
import time

from sqlalchemy import Connection, delete, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from backend.db.models import RelayHit
from backend.db.session import get_engine
from backend.settings import Settings


class RateLimiter:
    """At most `limit` requests per key and window in `scope` ("ip" or "member"); a limit of 0 disables it."""

    def __init__(self, settings: Settings, scope: str, limit: int, clock=time.time):
        self.engine = get_engine(settings)
        self.scope = scope
        self.limit = limit
        self.window_ms = max(1, round(settings.relay_window_seconds * 1000))
        self.clock = clock
        self._swept_before: int | None = None

    def _window(self) -> tuple[int, float]:
        """The current window's start (unix ms) and the seconds until it ends."""
        now_ms = self.clock() * 1000
        start = int(now_ms // self.window_ms) * self.window_ms
        return start, (start + self.window_ms - now_ms) / 1000

    def _connect(self) -> Connection:
        connection = self.engine.connect()
        if self.engine.dialect.name == "postgresql":  # the API's engine reads in REPEATABLE READ snapshots
            connection.execution_options(isolation_level="READ COMMITTED")
        return connection

    def retry_after(self, key: str) -> float | None:
        """Seconds until `key` may make another request, or None if it may now (counts nothing)."""
        if not self.limit:
            return None
        start, left = self._window()
        with self._connect() as connection:
            hits = connection.execute(
                select(RelayHit.hits).where(RelayHit.scope == self.scope, RelayHit.key == key, RelayHit.window_start == start)
            ).scalar()
        return left if hits is not None and hits >= self.limit else None

    def hit(self, key: str) -> float | None:
        """Count a request of `key`: None if it is within the limit, else the seconds until it may retry."""
        if not self.limit:
            return None
        start, left = self._window()
        insert = postgresql_insert if self.engine.dialect.name == "postgresql" else sqlite_insert
        statement = (
            insert(RelayHit)
            .values(scope=self.scope, key=key, window_start=start, hits=1)
            .on_conflict_do_update(
                index_elements=[RelayHit.scope, RelayHit.key, RelayHit.window_start], set_={"hits": RelayHit.hits + 1}
            )
            .returning(RelayHit.hits)
        )
        with self._connect() as connection, connection.begin():
            hits = connection.execute(statement).scalar_one()
            if self._swept_before != start:
                connection.execute(delete(RelayHit).where(RelayHit.scope == self.scope, RelayHit.window_start < start))
                self._swept_before = start
        return None if hits <= self.limit else left
