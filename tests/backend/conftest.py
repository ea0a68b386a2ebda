"""Fixtures of the backend tests: a real Ganache (the suite's network, backend/dev/networks.py) with the contracts deployed by the real deploy
script, and real databases — a SQLite file and a throwaway PostgreSQL server on loopback.

Run: python -m pytest -p no:pytest-brownie tests/backend   (Brownie's plugin is not wanted here)
Select one database with ODYSSEY_TEST_DBS=sqlite (or postgres); default both.
"""
import os
import uuid
from pathlib import Path

import pytest

from backend.dev.chain import Chain, LocalChain
from backend.dev.networks import suite_network
from tests.support.postgres import postgres_server  # noqa: F401  a throwaway PostgreSQL server

DATABASES = [d for d in os.environ.get("ODYSSEY_TEST_DBS", "sqlite,postgres").split(",") if d]


@pytest.fixture(scope="session")
def local_chain():
    """Ganache on the suite's network (tests/support/chain.py's LocalChain), stopped after the session."""
    chain = LocalChain(suite_network("backend")).start()
    try:
        yield chain
    finally:
        chain.stop()


@pytest.fixture(scope="session")
def ganache(local_chain) -> str:
    return local_chain.url


@pytest.fixture(scope="session")
def deployment(local_chain, tmp_path_factory) -> Path:
    """Deploy with the real scripts/deploy.py (LocalChain.deploy; the "load" profile's issuance budget fits the
    random workloads), then load the sample catalogue."""
    path = tmp_path_factory.mktemp("deployments") / "1337.json"
    local_chain.deploy(path, profile="load")
    Chain(local_chain.url, path).setup_catalogue()
    return path


@pytest.fixture(scope="session")
def base_snapshot(ganache, deployment):
    return {"id": Chain(ganache, deployment).snapshot()}


def fresh_chain(ganache, deployment, base_snapshot) -> Chain:
    c = Chain(ganache, deployment)
    c.revert(base_snapshot["id"])
    base_snapshot["id"] = c.snapshot()
    return c


@pytest.fixture
def chain(ganache, deployment, base_snapshot) -> Chain:
    """The chain as deployed (+ catalogue), fresh for each test (evm_revert to a snapshot)."""
    return fresh_chain(ganache, deployment, base_snapshot)


# ---------------------------------------------------------------- PostgreSQL


def new_database(kind: str, request, tmp_path) -> str:
    """An empty database: a SQLite file under tmp_path, or a new database on the throwaway PostgreSQL server."""
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / ('odyssey-' + uuid.uuid4().hex[:8] + '.db')}"
    return request.getfixturevalue("postgres_server").create_database("t_" + uuid.uuid4().hex[:12])


@pytest.fixture(params=DATABASES)
def db_kind(request) -> str:
    return request.param


@pytest.fixture
def new_db(db_kind, request, tmp_path):
    """A factory of empty databases of the parametrised kind."""
    return lambda: new_database(db_kind, request, tmp_path)


@pytest.fixture(scope="session")
def settings_for(ganache, deployment):
    from backend.settings import Settings

    def make(database_url: str, **overrides):
        values = dict(
            rpc_url=ganache, DATABASE_URL=database_url, deployments_file=deployment, poll_interval=0.05,
            embedded_indexer=False, retry_max_delay=1.0, progress_interval=1.0,
        )
        values.update(overrides)
        return Settings(**values)

    return make


@pytest.fixture
def settings(settings_for, new_db):
    return settings_for(new_db())


@pytest.fixture(scope="module")
def client_for():
    from fastapi.testclient import TestClient

    from backend.api.main import create_app

    clients = []

    def make(settings):
        client = TestClient(create_app(settings))
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)
