"""One indexer writes a database at a time; others stand by until it stops.

PostgreSQL: a session-level advisory lock, held on a connection of its own for as long as the indexer runs.
SQLite: an exclusive `flock` on a file beside the database. Either way the lock goes when its holder does, even
killed with -9 (the server ends the session of a closed connection; the kernel drops the flock of a dead process),
so a standby takes over within its polling interval.
"""
import fcntl
import os
import zlib

from sqlalchemy import Connection, create_engine, make_url, text
from sqlalchemy.pool import NullPool

from backend.settings import Settings

# The advisory lock's key, the same in every process: a PostgreSQL database has one indexer.
ADVISORY_KEY = zlib.crc32(b"odyssey-indexer")


class IndexerLock:
    def __init__(self, settings: Settings):
        url = make_url(settings.database_url)
        self.postgres = url.get_backend_name() == "postgresql"
        self.path = None if self.postgres else f"{url.database}-indexer.lock"
        # PostgreSQL: autocommit on a connection of its own, outside any pool, kept while standing by and while
        # holding the lock: no transaction stays open for the indexer's lifetime (it would hold back VACUUM), and
        # closing the connection surely ends the session with its lock.
        self._engine = (
            create_engine(settings.database_url, poolclass=NullPool, isolation_level="AUTOCOMMIT") if self.postgres else None
        )
        self._connection: Connection | None = None
        self._fd: int | None = None
        self.held = False

    def try_acquire(self) -> bool:
        """Take the lock if it is free; False if another indexer holds it."""
        if not self.held:
            self.held = self._try_advisory_lock() if self.postgres else self._try_file_lock()
        return self.held

    def release(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        self.held = False

    def _try_advisory_lock(self) -> bool:
        if self._connection is None:
            self._connection = self._engine.connect()
        try:
            return bool(self._connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_KEY}).scalar())
        except Exception:
            self.release()  # the connection broke: a new one next time
            raise

    def _try_file_lock(self) -> bool:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        return True
