"""End-to-end fixtures: a real Ganache with the real deployment, used through web3.py only."""
import json

import pytest
from web3 import Web3

from tests.support.chain import LocalChain

E2E_PORT = 18550
E2E_NETWORK = "odyssey-e2e"


@pytest.fixture(scope="session")
def chain(tmp_path_factory):
    local = LocalChain(E2E_PORT, E2E_NETWORK).start()
    try:
        yield local
    finally:
        local.stop()


@pytest.fixture(scope="session")
def deployments_file(chain, tmp_path_factory):
    folder = tmp_path_factory.mktemp("deployments")
    chain.deploy(folder)
    return folder / "1337.json"


@pytest.fixture(scope="session")
def w3(chain):
    return Web3(Web3.HTTPProvider(chain.url))
