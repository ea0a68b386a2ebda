"""Engines and sessions. Built on demand from settings (never at import time) and cached per URL."""
from collections.abc import AsyncIterator, Iterator
from functools import lru_cache
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from backend.settings import Settings, get_settings


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


@lru_cache(maxsize=8)
def _sessionmaker(url: str) -> sessionmaker:
    return sessionmaker(bind=engine_for(url), autoflush=False, expire_on_commit=False)


def session_factory(settings: Settings) -> sessionmaker:
    return _sessionmaker(settings.database_url)


def get_db(settings: Annotated[Settings, Depends(get_settings)]) -> Iterator[Session]:
    with session_factory(settings)() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_db)]


def request_settings(request: Request) -> Settings:
    """The app's settings without a dependency (resolved as the app's lifespan does, honouring a test's override of
    get_settings), for async routes that must not take the thread-pool hop a sync dependency takes."""
    return request.app.dependency_overrides.get(get_settings, get_settings)()


async def get_connection(request: Request) -> AsyncIterator[Connection]:
    """A Core connection in one read transaction, for the hot read paths (the member profile). Async on purpose:
    their few primary-key reads cost less than the thread-pool hop a sync dependency or endpoint takes, so they run
    on the event loop; with no ORM unit of work either."""
    with get_engine(request_settings(request)).connect() as connection:
        yield connection


ConnectionDep = Annotated[Connection, Depends(get_connection)]
