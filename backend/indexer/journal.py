"""Undo journal: how a reorg rolls derived state back to the common ancestor.

Choice: journal, not recompute. While a block is inside the reorg window (chain head − `reorg_depth` <
block), the handlers' Store (handlers/__init__.py) keeps the value each touched row had before the block;
at the block's end every row of a journaled table (`__journaled__ = True` in models.py) that changed gets one
entry: the block, the table, the row's key and its previous values (None when it did not exist).
Rolling back to block N undoes the journal entries of blocks > N newest first, then deletes the
append-only rows (`__history__` tables, raw events, blocks) above N. Handlers never think about reorgs.

Blocks older than the window are final: they are applied without journaling (a backfill writes no journal),
and journal entries that fall out of the window are pruned, so the journal stays small.
"""
from sqlalchemy import and_, delete, insert, select
from sqlalchemy.orm import Session

from backend.db import models

_TABLES = models.Base.metadata.tables


def entry(block: int, table: str, key: dict, columns: list[str], old: tuple | None) -> dict:
    """The journal row undoing one row's change in `block` (`old`: its values before, in `columns` order)."""
    return {"block_number": block, "table": table, "key": key, "old": None if old is None else dict(zip(columns, old))}


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
