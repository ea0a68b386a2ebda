"""Engines and sessions. Built on demand from settings (never at import time) and cached per URL. The API's
request-scoped session is in backend/api/deps.py."""
from functools import lru_cache

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import sessionmaker

from backend.settings import Settings


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers (API) never block the writer (indexer)
    cursor.execute("PRAGMA synchronous=NORMAL")  # durable at checkpoints; WAL keeps commits atomic
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
    # pysqlite would leave DDL outside transactions and begin lazily; let SQLAlchemy's BEGIN be the real one,
    # so a migration or a batch is atomic even when the process is killed (SQLAlchemy's documented recipe).
    dbapi_connection.isolation_level = None


def _sqlite_begin(connection) -> None:
    connection.exec_driver_sql("BEGIN")


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    if url.startswith("sqlite"):
        # A pooled connection for each thread of the API's thread pool (anyio's default: 40): sync endpoints never
        # queue for one, and none is opened per request (SQLAlchemy's default keeps 5 and closes the overflow).
        engine = create_engine(url, pool_size=40, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    # REPEATABLE READ: every API request sees one snapshot, so its rows and the block it reports agree.
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20, isolation_level="REPEATABLE READ")


def get_engine(settings: Settings) -> Engine:
    return engine_for(settings.database_url)


def write_connection(engine: Engine) -> Connection:
    """A connection for the services' counters and records (the relay's, the issuer's): READ COMMITTED on PostgreSQL,
    where the API reads in REPEATABLE READ snapshots, so an INSERT … ON CONFLICT sees what another process committed."""
    connection = engine.connect()
    if engine.dialect.name == "postgresql":
        connection.execution_options(isolation_level="READ COMMITTED")
    return connection


def upsert(engine: Engine):
    """The dialect's `insert`, which has ON CONFLICT DO NOTHING / DO UPDATE … RETURNING (SQLite and PostgreSQL)."""
    return postgresql_insert if engine.dialect.name == "postgresql" else sqlite_insert


@lru_cache(maxsize=8)
def _sessionmaker(url: str) -> sessionmaker:
    return sessionmaker(bind=engine_for(url), autoflush=False, expire_on_commit=False)


def session_factory(settings: Settings) -> sessionmaker:
    return _sessionmaker(settings.database_url)
