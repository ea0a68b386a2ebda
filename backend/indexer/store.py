"""The indexer's unit of work: a batch's rows of derived state as plain objects, loaded once, changed in memory by the
handlers, written back in bulk when the batch ends, with the undo entries of the blocks inside the reorg window.

Handlers reach it as `db`: `get`, `get_or_create` and `delete` rows of a state table, `record` history rows,
`checkpoint` a value per block, `config`/`set_config` the contracts' settings. How the undo entries are kept and
applied: journal.py, beside it.
"""
from collections import defaultdict
from copy import deepcopy
from typing import TYPE_CHECKING

from sqlalchemy import JSON, bindparam, select, tuple_
from sqlalchemy.orm import Session

from backend.db import bulk, models
from backend.indexer import journal

if TYPE_CHECKING:
    from backend.indexer.handlers import Event


class Row:
    """One row of a state table as a plain object: handlers read and set its columns as attributes."""

    def __init__(self, values: dict):
        self.__dict__.update(values)


class _Table:
    """What the Store needs to know of a model's table, computed once per model."""

    _cache: dict[type, "_Table"] = {}

    def __init__(self, model):
        table = model.__table__
        self.table = table
        self.name = table.name
        self.columns = [c.key for c in table.columns]
        self.pk = tuple(c.key for c in table.primary_key.columns)
        self.values = tuple(c for c in self.columns if c not in self.pk)
        self.pk_positions = tuple(self.columns.index(k) for k in self.pk)
        self.mutable = {c.key for c in table.columns if isinstance(c.type, JSON)}
        self.journaled = getattr(model, "__journaled__", False)
        self.select_one = select(table).where(*[table.c[k] == bindparam(f"pk_{k}") for k in self.pk])
        columns = [table.c[k] for k in self.pk]
        self.select_many = select(table).where(
            (columns[0] if len(columns) == 1 else tuple_(*columns)).in_(bindparam("keys", expanding=True))
        )

    @classmethod
    def of(cls, model) -> "_Table":
        if model not in cls._cache:
            cls._cache[model] = cls(model)
        return cls._cache[model]

    def snapshot(self, row: Row | None) -> tuple | None:
        """The row's values, deep enough that later changes to it (a JSON list appended to) don't alter them."""
        if row is None:
            return None
        values = row.__dict__
        return tuple(deepcopy(values[c]) if c in self.mutable else values[c] for c in self.columns)


class Store:
    """Per-batch unit of work over plain rows: each row a batch touches is loaded once, changed in memory by
    the handlers, and written back with a few bulk statements when the batch ends (`write`).

    For blocks inside the reorg window (`begin_block(n, journaled=True)`) it also keeps each touched row's
    value from before the block; at the block's end every row that changed yields one undo entry (journal.py).
    """

    def __init__(self, session: Session):
        self.session = session
        self._rows: dict[tuple, Row | None] = {}  # (model, key) -> current row, None: absent
        self._stored: dict[tuple, tuple | None] = {}  # (model, key) -> values in the database
        self._block: int | None = None  # the journaled block being applied, if any
        self._before_block: dict[tuple, tuple | None] = {}
        self._journal: list[dict] = []
        self.history: dict[type, list[dict]] = defaultdict(list)
        self._checkpoints: dict[tuple, dict] = {}  # (model, key..., block) -> its history row in this batch
        self.event: "Event | None" = None  # the event being handled

    # ------------------------------------------------------------ reading

    def _load(self, model, statement, params: dict | None = None) -> None:
        t = _Table.of(model)
        for result in self.session.execute(statement, params):
            values = tuple(result)
            key = tuple(values[i] for i in t.pk_positions)
            if (model, key) in self._rows:
                continue  # loaded before, maybe changed since
            row = self._rows[(model, key)] = Row(dict(zip(t.columns, values)))
            self._stored[(model, key)] = t.snapshot(row) if t.mutable else values

    def get(self, model, *key) -> Row | None:
        cache_key = (model, key)
        if cache_key not in self._rows:
            t = _Table.of(model)
            self._load(model, t.select_one, {f"pk_{k}": v for k, v in zip(t.pk, key)})
            if cache_key not in self._rows:
                self._rows[cache_key] = self._stored[cache_key] = None
        if self._block is not None and cache_key not in self._before_block:
            self._before_block[cache_key] = _Table.of(model).snapshot(self._rows[cache_key])
        return self._rows[cache_key]

    def prefetch(self, model, keys) -> None:
        """Load the rows of `model` with these primary keys (tuples), misses as absent, in a few queries."""
        t = _Table.of(model)
        wanted = [k for k in dict.fromkeys(keys) if (model, k) not in self._rows]
        for start in range(0, len(wanted), 5000):
            chunk = wanted[start : start + 5000]
            self._load(model, t.select_many, {"keys": [k[0] for k in chunk] if len(t.pk) == 1 else chunk})
            for k in chunk:
                if (model, k) not in self._rows:
                    self._rows[(model, k)] = self._stored[(model, k)] = None

    def prefetch_all(self, model) -> None:
        self._load(model, select(_Table.of(model).table))

    # ------------------------------------------------------------ changing

    def get_or_create(self, model, *key, **defaults) -> Row:
        row = self.get(model, *key)
        if row is None:
            t = _Table.of(model)
            values = {c: None for c in t.columns} | bulk.scalar_defaults(t.table) | dict(zip(t.pk, key)) | defaults
            row = self._rows[(model, key)] = Row(values)
        return row

    def delete(self, model, *key) -> None:
        if self.get(model, *key) is not None:
            self._rows[(model, key)] = None

    def record(self, model, **row) -> None:
        """Append a history row; tx hash, log index, block (and timestamp if the table has one) filled in from the
        event being handled unless given."""
        event = self.event
        columns = model.__table__.columns
        if "tx_hash" in columns and "tx_hash" not in row:
            row["tx_hash"] = event.tx_hash
            row["log_index"] = event.log_index
        if "block_number" not in row:
            row["block_number"] = event.block_number
        if "timestamp" in columns and "timestamp" not in row:
            row["timestamp"] = event.timestamp
        self.history[model].append(row)

    def checkpoint(self, model, *key, **values) -> None:
        """Set the value of a checkpoint table (history keyed by `key` and block) after this event's block: the
        first change in a block appends a row, later ones in the same block update it (as OZ Checkpoints do)."""
        block = self.event.block_number
        row = self._checkpoints.get((model, *key, block))
        if row is not None:
            row.update(values)
            return
        t = _Table.of(model)
        row = dict(zip([c for c in t.pk if c != "block_number"], key)) | {"block_number": block} | values
        self._checkpoints[(model, *key, block)] = row
        self.history[model].append(row)

    def config(self, key: str, default=None):
        row = self.get(models.Config, key)
        return row.value["v"] if row is not None else default

    def set_config(self, key: str, value) -> None:
        self.get_or_create(models.Config, key).value = {"v": value}

    # ------------------------------------------------------------ blocks and writing

    def begin_block(self, number: int, journaled: bool) -> None:
        """Events of block `number` follow; journaled: keep what they change for a rollback."""
        self.end_block()
        self._block = number if journaled else None

    def end_block(self) -> None:
        if self._block is not None:
            for (model, key), before in self._before_block.items():
                t = _Table.of(model)
                if t.journaled and t.snapshot(self._rows[(model, key)]) != before:
                    self._journal.append(journal.entry(self._block, t.name, dict(zip(t.pk, key)), t.columns, before))
        self._block = None
        self._before_block = {}

    def write(self) -> None:
        """Write the batch: changed rows (bulk insert, update, delete per table), undo entries, history rows."""
        self.end_block()
        inserts, updates, deletes = defaultdict(list), defaultdict(list), defaultdict(list)
        for (model, key), row in self._rows.items():
            t = _Table.of(model)
            stored = self._stored[(model, key)]
            if row is None:
                if stored is not None:
                    deletes[t].append(key)
            elif stored is None:
                inserts[t].append(row.__dict__)
            elif (values := t.snapshot(row)) != stored:
                updates[t].append(tuple(v for c, v in zip(t.columns, values) if c not in t.pk) + key)
        for t, keys in deletes.items():
            bulk.delete_rows(self.session, t.table, t.pk, keys)
        for t, rows in updates.items():
            bulk.update_rows(self.session, t.table, t.values, t.pk, rows)
        for t, rows in inserts.items():
            bulk.insert_rows(self.session, t.table, [{c: row[c] for c in t.columns} for row in rows])
        bulk.insert_rows(self.session, models.JournalEntry.__table__, self._journal)
        for model, rows in self.history.items():
            bulk.insert_rows(self.session, model.__table__, rows)
        self._rows.clear()
        self._stored.clear()
        self._journal.clear()
        self.history.clear()
        self._checkpoints.clear()
