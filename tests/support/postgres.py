"""A throwaway PostgreSQL server for the suites that run on PostgreSQL too (backend, relay): import the fixture into
the suite's conftest."""
import pytest

from backend.dev.postgres import PgServer


@pytest.fixture(scope="session")
def postgres_server():
    """A throwaway PostgreSQL server on a free loopback port (installed by tools/ensure_postgres.sh if missing)."""
    server = PgServer().start()
    try:
        yield server
    finally:
        server.stop()
