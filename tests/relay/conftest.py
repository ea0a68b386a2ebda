"""Relay fixtures: a real Ganache (the suite's network, backend/dev/networks.py) with the real deployment; the standalone relay app
(backend.relay.__main__, which applies the migrations for its rate-limit table) driven by Starlette's TestClient
(web3.py only, no Brownie), its rate limits in a SQLite database of the test's own; the rate-limit units also run
on a throwaway PostgreSQL server."""
import re
from contextlib import contextmanager

import pytest
from eth_account import Account
from fastapi.testclient import TestClient

from backend.dev.keys import local_key
from backend.relay import router, service
from backend.relay.__main__ import create_app
from backend.settings import Settings
from tests.support.chain_fixtures import chain_fixtures
from tests.support.postgres import postgres_server  # noqa: F401  a throwaway PostgreSQL server
from tests.support.web import contracts, create_stamps, forward_request

globals().update(chain_fixtures("relay", profile="load"))

JOURNEY = 60
STAMPS = list(range(6001, 6021))


def pytest_collection_modifyitems(items):
    """Each module's tests together, in the order given: a run of chosen tests (mutation testing passes their ids in
    any order) would otherwise set a module's fixtures up twice on one chain, and fail on the second."""
    items.sort(key=lambda item: str(item.path))


@pytest.fixture(scope="session")
def c(w3, deployment):
    found = contracts(w3, deployment)
    create_stamps(w3, found["OdysseyStamps"], JOURNEY, STAMPS)
    return found


@pytest.fixture(autouse=True)
def fresh_relay():
    """Each test builds its own Relay and rate limiters on first use, as a new process would: nothing one test cached
    (the relayer's next nonce, explained statuses, the allowlist) carries into the next, and mutation testing, which
    credits code to the test that ran it, credits their construction to every test that relies on it."""
    service._relays.clear()
    router._limiters.clear()


def fresh_member():
    """A new member: an account with no history (and no ether)."""
    return Account.create()


def join_request(w3, c, member, **kw):
    """`member`'s signed ForwardRequest to join."""
    stamps = c["OdysseyStamps"]
    return forward_request(w3, c["OdysseyForwarder"], member, stamps.address, stamps.encode_abi("join", args=[]), **kw)


def assert_waits_for_the_window_to_end(response, window_seconds: float, sent_after: float, answered_before: float) -> None:
    """A 429 of a limit counted in fixed windows (backend/relay/limits.py), for a request sent between the two wall
    clock times: its message's "try again in N s" is the time left in the window, rounded; Retry-After the whole
    seconds left plus one (never 0: a client retrying at once would be refused again)."""
    window_ms = round(window_seconds * 1000)

    def left(at: float) -> float:
        now_ms = at * 1000
        return (int(now_ms // window_ms) * window_ms + window_ms - now_ms) / 1000

    latest, earliest = left(answered_before), left(sent_after)
    assert latest <= earliest, "the request straddled two windows: run again"
    said = int(re.search(r"try again in (\d+) s", response.json()["message"])[1])
    assert round(latest) <= said <= round(earliest), (said, latest, earliest)
    assert int(latest) + 1 <= int(response.headers["Retry-After"]) <= int(earliest) + 1, (response.headers, latest, earliest)


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

