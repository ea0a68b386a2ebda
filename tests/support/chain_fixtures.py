"""Session fixtures for suites outside Brownie: a real Ganache on the suite's own port with the real
deployment. In a conftest: `globals().update(chain_fixtures("<suite>"))` gives the fixtures `chain`,
`deployments_file`, `deployment` and `w3` (each suite has its port and Brownie network: backend/dev/networks.py).
`profile` is the deploy script's governance profile: "local" as `make run` deploys, or "load", whose issuance
budget lets a suite's many members claim without running it dry. Under ODYSSEY_KEPT_CHAINS (the mutation run,
tests/support/kept_chains.py) the session takes a chain deployed beforehand instead, reverted to its deployment."""
import json

import pytest
from web3 import Web3

from backend.dev.chain import LocalChain
from backend.dev.networks import suite_network
from tests.support.kept_chains import kept_chain, kept_chains_folder


def chain_fixtures(suite: str, profile: str = "local") -> dict:
    @pytest.fixture(scope="session")
    def chain():
        folder = kept_chains_folder()
        if folder is not None:
            with kept_chain(folder, profile) as kept:
                yield kept
            return
        local = LocalChain(suite_network(suite)).start()
        try:
            yield local
        finally:
            local.stop()

    @pytest.fixture(scope="session")
    def deployments_file(chain, tmp_path_factory):
        path = tmp_path_factory.mktemp("deployments") / "1337.json"
        chain.deploy(path, profile)
        return path

    @pytest.fixture(scope="session")
    def deployment(deployments_file):
        return json.loads(deployments_file.read_text())

    @pytest.fixture(scope="session")
    def w3(chain):
        return Web3(Web3.HTTPProvider(chain.url))

    return {"chain": chain, "deployments_file": deployments_file, "deployment": deployment, "w3": w3}
