"""The indexer: a declarative watch list (watch.py), handlers per "Contract:Event" (handlers/), the journal
that makes reorgs undoable (journal.py) and the runner that backfills, follows the head and rolls back (runner.py).
"""
