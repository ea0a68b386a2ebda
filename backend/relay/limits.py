"""The relay's limits, kept in the database so that every API process (uvicorn --workers N, replicas on one
PostgreSQL) shares them.

- `RateLimiter`: requests per key (client IP, member) in fixed windows: a key's requests are counted in the window
  [start, start + window) holding the request's time (the wall clock, the same in every process). One statement
  adds a request and returns the new count (INSERT … ON CONFLICT DO UPDATE … RETURNING, on SQLite and PostgreSQL
  alike), so two processes never both take the last place. Each limiter deletes its scope's ended windows the
  first time it counts in a new one.
- `MemberLedger`: per member, the one relayed transaction it may have in flight (`relay_in_flight`) and the gas its
  transactions used in the current budget window (`relay_gas`): reserved at the gas limit when sent, brought down to
  the gas used once mined (`settle`). Reserving takes the member's slot, counts the request and adds the gas in one
  transaction: all or nothing, whichever process comes second is refused.
"""
import time
from dataclasses import dataclass

from sqlalchemy import Connection, delete, select, update

from backend.db.models import RelayGas, RelayHit, RelayInFlight
from backend.db.session import get_engine, upsert, write_connection
from backend.settings import Settings


def _window(clock, window_ms: int) -> tuple[int, float]:
    """The current window's start (unix ms) and the seconds until it ends."""
    now_ms = clock() * 1000
    start = int(now_ms // window_ms) * window_ms
    return start, (start + window_ms - now_ms) / 1000


class _Store:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.engine = get_engine(settings)
        self.insert = upsert(self.engine)

    def connect(self) -> Connection:
        return write_connection(self.engine)


class RateLimiter(_Store):
    """At most `limit` requests per key and window in `scope` ("ip", "status" or "member"); a limit of 0 disables it.
    The issuer service counts its attempts the same way, in a table of its own (`model`) and its own windows."""

    def __init__(self, settings: Settings, scope: str, limit: int, clock=time.time, *, window_seconds: float | None = None,
                 model=RelayHit):
        super().__init__(settings)
        self.scope = scope
        self.limit = limit
        self.window_ms = max(1, round((window_seconds or settings.relay_window_seconds) * 1000))
        self.clock = clock
        self.model = model
        self._swept_before: int | None = None

    def retry_after(self, key: str) -> float | None:
        """Seconds until `key` may make another request, or None if it may now (counts nothing)."""
        if not self.limit:
            return None
        start, left = _window(self.clock, self.window_ms)
        with self.connect() as connection:
            hits = connection.execute(
                select(self.model.hits).where(self.model.scope == self.scope, self.model.key == key, self.model.window_start == start)
            ).scalar()
        return left if hits is not None and hits >= self.limit else None

    def hit(self, key: str, connection: Connection | None = None) -> float | None:
        """Count a request of `key` (in `connection`'s transaction, if given): None if it is within the limit, else
        the seconds until it may retry."""
        if not self.limit:
            return None
        if connection is None:
            with self.connect() as connection, connection.begin():
                return self.hit(key, connection)
        start, left = _window(self.clock, self.window_ms)
        statement = (
            self.insert(self.model)
            .values(scope=self.scope, key=key, window_start=start, hits=1)
            .on_conflict_do_update(
                index_elements=[self.model.scope, self.model.key, self.model.window_start], set_={"hits": self.model.hits + 1}
            )
            .returning(self.model.hits)
        )
        hits = connection.execute(statement).scalar_one()
        if self._swept_before != start:
            connection.execute(delete(self.model).where(self.model.scope == self.scope, self.model.window_start < start))
            self._swept_before = start
        return None if hits <= self.limit else left

    def unhit(self, key: str, connection: Connection) -> None:
        """Take back a request counted in this window (its transaction was never sent)."""
        if self.limit:
            start, _left = _window(self.clock, self.window_ms)
            connection.execute(update(self.model).where(
                self.model.scope == self.scope, self.model.key == key, self.model.window_start == start
            ).values(hits=self.model.hits - 1))


@dataclass(frozen=True)
class InFlight:
    member: str
    tx_hash: str
    sent_at: float


class Refused(Exception):
    """The ledger refuses a reservation: `reason` is "in flight" (with the pending `tx_hash`), "rate" or "gas", and
    `wait` the seconds until a retry may pass (rate, gas)."""

    def __init__(self, reason: str, wait: float | None = None, tx_hash: str | None = None):
        super().__init__(reason)
        self.reason, self.wait, self.tx_hash = reason, wait, tx_hash


class MemberLedger(_Store):
    def __init__(self, settings: Settings, clock=time.time):
        super().__init__(settings)
        self.budget = settings.relay_gas_per_member
        self.window_ms = max(1, round(settings.relay_gas_window_seconds * 1000))
        self.requests = RateLimiter(settings, "member", settings.relay_per_address, clock)
        self.clock = clock
        self._swept_before: int | None = None

    def in_flight(self, member: str) -> InFlight | None:
        with self.connect() as connection:
            row = connection.execute(
                select(RelayInFlight.member, RelayInFlight.tx_hash, RelayInFlight.sent_at).where(RelayInFlight.member == member)
            ).first()
        return InFlight(*row) if row else None

    def budget_wait(self, member: str) -> float | None:
        """Seconds until `member`'s budget renews if it is spent, else None (counts nothing)."""
        if not self.budget:
            return None
        start, left = _window(self.clock, self.window_ms)
        with self.connect() as connection:
            spent = connection.execute(
                select(RelayGas.gas).where(RelayGas.member == member, RelayGas.window_start == start)
            ).scalar()
        return left if spent is not None and spent >= self.budget else None

    def reserve(self, member: str, tx_hash: str, gas_limit: int) -> None:
        """Before sending `tx_hash` for `member`: take its slot, count the request, add `gas_limit` to its budget, all in
        one transaction; Refused (and nothing changed) if the member has a transaction in flight or is over a limit."""
        start, left = _window(self.clock, self.window_ms)
        with self.connect() as connection, connection.begin():
            taken = connection.execute(
                self.insert(RelayInFlight)
                .values(member=member, tx_hash=tx_hash, gas_limit=gas_limit, budget_window=start, sent_at=self.clock())
                .on_conflict_do_nothing(index_elements=[RelayInFlight.member])
                .returning(RelayInFlight.member)
            ).first()
            if taken is None:
                raise Refused("in flight", tx_hash=connection.execute(
                    select(RelayInFlight.tx_hash).where(RelayInFlight.member == member)).scalar())
            wait = self.requests.hit(member, connection)
            if wait is not None:
                raise Refused("rate", wait)
            if self.budget:
                spent = connection.execute(
                    self.insert(RelayGas).values(member=member, window_start=start, gas=gas_limit)
                    .on_conflict_do_update(index_elements=[RelayGas.member, RelayGas.window_start],
                                           set_={"gas": RelayGas.gas + gas_limit})
                    .returning(RelayGas.gas)
                ).scalar_one()
                if spent > self.budget:
                    raise Refused("gas", left)
                if self._swept_before != start:
                    connection.execute(delete(RelayGas).where(RelayGas.window_start < start))
                    self._swept_before = start

    def release(self, member: str, tx_hash: str) -> None:
        """`tx_hash` was never sent (the node refused it): undo its reservation."""
        with self.connect() as connection, connection.begin():
            if self._free(connection, tx_hash, 0):
                self.requests.unhit(member, connection)

    def settle(self, tx_hash: str, gas_used: int) -> None:
        """`tx_hash` was mined, using `gas_used` (0 if it left the pool unmined): free its member's slot and bring
        the budget down from its gas limit to that. Idempotent, and only the first of concurrent callers settles."""
        with self.connect() as connection, connection.begin():
            self._free(connection, tx_hash, gas_used)

    def _free(self, connection: Connection, tx_hash: str, gas_used: int) -> bool:
        freed = connection.execute(
            delete(RelayInFlight).where(RelayInFlight.tx_hash == tx_hash)
            .returning(RelayInFlight.member, RelayInFlight.gas_limit, RelayInFlight.budget_window)
        ).first()
        if freed is None:
            return False
        if self.budget:
            connection.execute(update(RelayGas).where(
                RelayGas.member == freed.member, RelayGas.window_start == freed.budget_window
            ).values(gas=RelayGas.gas - max(0, freed.gas_limit - gas_used)))
        return True
