"""Handlers turn decoded events into derived state, registered per "Contract:Event" (Ponder style).

    @on("OdysseyStamps:TransferSingle")      # this contract's event (name as in deployments/<chainId>.json)
    def transfer_single(event: Event, db: Store) -> None: ...

    @on("*:ProposalCreated")                 # this event of any watched contract (any Governor)

Every event of every watched contract is stored raw (table raw_events) whether or not a handler exists.
Handlers upsert through `db` (a per-batch cache over the ORM session) and append history with
`db.record(Model, ...)`; they never handle reorgs (see journal.py). Modules registering handlers:

* stamps.py     OdysseyStamps: members, journeys, stamp types, holdings, claims, sales, points, delegation
* benefits.py   OdysseyBenefits
* governor.py   OZ Governor (+ QuorumFraction, TimelockControl) events, OdysseyGovernor multiple choice, Timelock
* board.py      IdeaBoard: ideas, supporters, stages, links to proposals, realisation, board settings
"""
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from backend.db import models

Handler = Callable[["Event", "Store"], None]
REGISTRY: dict[str, list[Handler]] = defaultdict(list)
# Called once per batch with all its events, before any handler: load in a few queries the rows the handlers
# will touch (a backfill would otherwise spend its time in one SELECT per row). Optional, speed only.
PREFETCHERS: list[Callable[[list["Event"], "Store"], None]] = []


def prefetcher(fn):
    PREFETCHERS.append(fn)
    return fn


def on(key: str) -> Callable[[Handler], Handler]:
    """Register a handler for "Contract:Event" ("*" as contract: any watched contract)."""
    if ":" not in key:
        raise ValueError(f"handler key {key!r} must be 'Contract:Event'")

    def register(handler: Handler) -> Handler:
        REGISTRY[key].append(handler)
        return handler

    return register


def handlers_for(contract: str, event: str) -> list[Handler]:
    return REGISTRY.get(f"{contract}:{event}", []) + REGISTRY.get(f"*:{event}", [])


@dataclass(slots=True)
class Event:
    contract: str
    address: str
    name: str
    args: dict
    block_number: int
    block_hash: str
    timestamp: int
    tx_hash: str
    tx_index: int
    log_index: int


class Store:
    """Per-batch unit of work: cached rows (so a batch loads each row once) and buffered history rows."""

    def __init__(self, session: Session):
        self.session = session
        self._cache: dict = {}
        self.history: dict[type, list[dict]] = defaultdict(list)
        self.event: Event | None = None

    def get(self, model, *key):
        cache_key = (model, key)
        if cache_key in self._cache:
            return self._cache[cache_key]
        obj = self.session.get(model, key if len(key) > 1 else key[0])
        self._cache[cache_key] = obj
        return obj

    def prefetch(self, model, keys) -> None:
        """Load the rows of `model` with these primary keys (tuples) into the cache, misses as None."""
        from sqlalchemy import and_, or_, select, tuple_

        pk = list(model.__table__.primary_key.columns)
        wanted = [k for k in dict.fromkeys(keys) if (model, k) not in self._cache]
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            if len(pk) == 1:
                where = getattr(model, pk[0].key).in_([k[0] for k in chunk])
            elif self.session.get_bind().dialect.name == "postgresql":
                where = tuple_(*[getattr(model, c.key) for c in pk]).in_(chunk)
            else:
                where = or_(*[and_(*[getattr(model, c.key) == v for c, v in zip(pk, k)]) for k in chunk])
            for obj in self.session.execute(select(model).where(where)).scalars():
                self._cache[(model, tuple(getattr(obj, c.key) for c in pk))] = obj
            for k in chunk:
                self._cache.setdefault((model, k), None)

    def prefetch_all(self, model) -> None:
        from sqlalchemy import select

        pk = list(model.__table__.primary_key.columns)
        for obj in self.session.execute(select(model)).scalars():
            self._cache.setdefault((model, tuple(getattr(obj, c.key) for c in pk)), obj)

    def get_or_create(self, model, *key, **defaults):
        obj = self.get(model, *key)
        if obj is None:
            names = [c.key for c in model.__table__.primary_key.columns]
            obj = model(**dict(zip(names, key)), **defaults)
            self.session.add(obj)
            self._cache[(model, key)] = obj
        return obj

    def delete(self, model, *key) -> None:
        obj = self.get(model, *key)
        if obj is not None:
            if obj in self.session.new:  # added in this batch, never flushed: nothing to delete
                self.session.expunge(obj)
            else:
                self.session.delete(obj)
            self._cache[(model, key)] = None

    def record(self, model, **row) -> None:
        """Append a history row; tx hash, log index, block (and timestamp if the table has one) filled in."""
        event = self.event
        columns = model.__table__.columns
        if "tx_hash" in columns and "tx_hash" not in row:
            row["tx_hash"] = event.tx_hash
            row["log_index"] = event.log_index
        row.setdefault("block_number", event.block_number)
        if "timestamp" in columns:
            row.setdefault("timestamp", event.timestamp)
        self.history[model].append(row)

    def config(self, key: str, default=None):
        row = self.get(models.Config, key)
        return row.value["v"] if row is not None else default

    def set_config(self, key: str, value) -> None:
        row = self.get_or_create(models.Config, key, value={"v": value})
        row.value = {"v": value}

    def flush_history(self) -> None:
        from sqlalchemy import insert

        for model, rows in self.history.items():
            if rows:
                self.session.execute(insert(model.__table__), rows)
        self.history.clear()


def load_all() -> None:
    """Import the handler modules (registration happens on import)."""
    from backend.indexer.handlers import benefits, board, governor, stamps  # noqa: F401
