"""Relay fixtures: a real Ganache (the suite's network, backend/dev/networks.py) with the real deployment; the standalone relay app
(backend.relay.__main__, which applies the migrations for its rate-limit table) driven by Starlette's TestClient
(web3.py only, no Brownie), its rate limits in a SQLite database of the test's own; the rate-limit units also run
on a throwaway PostgreSQL server."""
from contextlib import contextmanager

import pytest
from eth_account import Account
from fastapi.testclient import TestClient

from backend.dev.keys import local_key
from backend.relay.__main__ import create_app
from backend.settings import Settings
from tests.support.chain_fixtures import chain_fixtures
from tests.support.postgres import postgres_server  # noqa: F401  a throwaway PostgreSQL server
from tests.support.web import contracts, create_stamps, forward_request

globals().update(chain_fixtures("relay", profile="load"))

JOURNEY = 60
STAMPS = list(range(6001, 6021))


@pytest.fixture(scope="session")
def c(w3, deployment):
    found = contracts(w3, deployment)
    create_stamps(w3, found["OdysseyStamps"], JOURNEY, STAMPS)
    return found


def fresh_member():
    """A new member: an account with no history (and no ether)."""
    return Account.create()


def join_request(w3, c, member, **kw):
    """`member`'s signed ForwardRequest to join."""
    stamps = c["OdysseyStamps"]
    return forward_request(w3, c["OdysseyForwarder"], member, stamps.address, stamps.encode_abi("join", args=[]), **kw)


def wait_status(client, tx_hash):
    """The relay's final word on `tx_hash` (the test client's relay waits for the receipt)."""
    body = client.get(f"/relay/{tx_hash}").json()
    assert body["status"] in ("mined", "failed"), body
    return body


def relay_settings(chain, deployments_file, database, **relay) -> Settings:
    """Settings for a relay on the test chain, paying with the local relayer's key, whose rate limits are counted in
    the SQLite file `database`."""
    return Settings(rpc_url=chain.url, deployments_file=deployments_file, database_url=f"sqlite:///{database}",
                    relay_private_key=local_key("relayer"), **relay)


@contextmanager
def relay_client(settings: Settings):
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.fixture(scope="session")
def client(chain, deployments_file, c, tmp_path_factory):
    """Limits high enough for the whole suite; the rate-limit tests make their own client."""
    database = tmp_path_factory.mktemp("relay") / "relay.db"
    with relay_client(relay_settings(chain, deployments_file, database, relay_per_address=1000, relay_per_ip=1000)) as client:
        yield client

