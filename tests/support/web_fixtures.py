"""Session fixtures for the relay and CLI tests: Ganache on port 18604 (Brownie network odyssey-web) with the
real deployment. Import them into a conftest: `from tests.support.web_fixtures import *`."""
import json

import pytest
from web3 import Web3

from tests.support.chain import LocalChain

WEB_PORT = 18604
WEB_NETWORK = "odyssey-web"

__all__ = ["chain", "deployments_file", "deployment", "w3"]


@pytest.fixture(scope="session")
def chain():
    local = LocalChain(WEB_PORT, WEB_NETWORK).start()
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
def deployment(deployments_file):
    return json.loads(deployments_file.read_text())


@pytest.fixture(scope="session")
def w3(chain):
    return Web3(Web3.HTTPProvider(chain.url))
