"""Undo journal: how a reorg rolls derived state back to the common ancestor.

Choice: journal, not recompute. While a block is inside the reorg window (chain head − `reorg_depth` <
block), the indexer sets `session.info["journal_block"]` and flushes after each block; a `before_flush`
listener then records, for every row of a journaled table (`__journaled__ = True` in models.py) that the
flush inserts, updates or deletes, its previous value (None when it did not exist), tagged with the block.
Rolling back to block N undoes the journal entries of blocks > N newest first, then deletes the
append-only rows (`__history__` tables, raw events, blocks) above N. Handlers never think about reorgs.

Blocks older than the window are final: they are applied without journaling (a backfill writes no journal),
and journal entries that fall out of the window are pruned, so the journal stays small.
"""
from sqlalchemy import and_, delete, event, insert, select
from sqlalchemy.orm import Session, attributes

from backend.db import models

_TABLES = models.Base.metadata.tables


def _columns(obj) -> list:
    return obj.__table__.columns


def _row(obj) -> dict:
    return {c.key: getattr(obj, c.key) for c in _columns(obj)}


def _old_row(obj) -> dict:
    old = {}
    for column in _columns(obj):
        history = attributes.get_history(obj, column.key)
        if history.deleted:
            old[column.key] = history.deleted[0]
        elif history.unchanged:
            old[column.key] = history.unchanged[0]
        else:
            old[column.key] = getattr(obj, column.key)
    return old


def _key(obj, values: dict) -> dict:
    return {c.key: values[c.key] for c in obj.__table__.primary_key.columns}


def _before_flush(session: Session, _context, _instances) -> None:
    block = session.info.get("journal_block")
    if block is None:
        return
    entries = []
    # Deleted, then updated, then new rows: undone newest first, a row deleted and re-created in one flush
    # comes back as it was.
    for obj in session.deleted:
        if getattr(obj, "__journaled__", False):
            old = _old_row(obj)
            entries.append({"block_number": block, "table": obj.__tablename__, "key": _key(obj, old), "old": old})
    for obj in session.dirty:
        if getattr(obj, "__journaled__", False) and session.is_modified(obj, include_collections=False):
            old = _old_row(obj)
            entries.append({"block_number": block, "table": obj.__tablename__, "key": _key(obj, old), "old": old})
    for obj in session.new:
        if getattr(obj, "__journaled__", False):
            entries.append({"block_number": block, "table": obj.__tablename__, "key": _key(obj, _row(obj)), "old": None})
    if entries:
        session.execute(insert(models.JournalEntry), entries)


def install(session: Session) -> None:
    if not event.contains(session, "before_flush", _before_flush):
        event.listen(session, "before_flush", _before_flush)


def rollback_to(session: Session, block: int) -> int:
    """Undo every derived-state change of blocks > `block`; returns the number of journal entries undone."""
    entries = session.execute(
        select(models.JournalEntry).where(models.JournalEntry.block_number > block).order_by(models.JournalEntry.id.desc())
    ).scalars()
    undone = 0
    for entry in entries:
        table = _TABLES[entry.table]
        where = and_(*[table.c[k] == v for k, v in entry.key.items()])
        session.execute(delete(table).where(where))
        if entry.old is not None:
            session.execute(insert(table).values(**entry.old))
        undone += 1
    session.execute(delete(models.JournalEntry).where(models.JournalEntry.block_number > block))
    for model in models.HISTORY.values():
        session.execute(delete(model).where(model.block_number > block))
    session.execute(delete(models.RawEvent).where(models.RawEvent.block_number > block))
    session.execute(delete(models.Block).where(models.Block.number > block))
    return undone


def prune(session: Session, final_block: int) -> None:
    """Forget the journal of blocks that can no longer be reorganised."""
    session.execute(delete(models.JournalEntry).where(models.JournalEntry.block_number <= final_block))
