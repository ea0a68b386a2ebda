"""Relay fixtures: a real Ganache on port 18604 with the real deployment; the relay router mounted in a tiny
FastAPI app driven by Starlette's TestClient (web3.py only, no Brownie)."""
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from backend.relay.router import router
from backend.relay.settings import RelaySettings, get_relay_settings
from tests.support.chain_fixtures import chain_fixtures
from tests.support.web import contracts, create_stamps

globals().update(chain_fixtures(18604, "odyssey-web"))

JOURNEY = 60
STAMPS = list(range(6001, 6021))


@pytest.fixture(scope="session")
def c(w3, deployment):
    found = contracts(w3, deployment)
    create_stamps(w3, found["OdysseyStamps"], JOURNEY, STAMPS)
    return found


def make_client(chain, deployments_file, **limits) -> TestClient:
    settings = RelaySettings(rpc_url=chain.url, deployments_file=deployments_file, **limits)
    app = FastAPI()
    app.include_router(router)
    app.dependency_overrides[get_relay_settings] = lambda: settings
    return TestClient(app)


@pytest.fixture(scope="session")
def client(chain, deployments_file, c):
    """Limits high enough for the whole suite; the rate-limit tests build their own client."""
    return make_client(chain, deployments_file, per_address=1000, per_ip=1000)
