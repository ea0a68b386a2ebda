"""End-to-end fixtures: a real Ganache with the real deployment, used through web3.py only, and that chain seeded
as `make run` seeds it."""
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from backend.settings import ROOT
from tests.support.chain_fixtures import chain_fixtures
from tests.support.issuer import SAMPLE_SECRETS

globals().update(chain_fixtures("e2e"))


@dataclass(frozen=True)
class Seeded:
    output: str  # what scripts/local_demo.py printed
    run_again: Callable[[], tuple[int, str]]  # run it once more on the same chain and database: (exit status, output)


@pytest.fixture(scope="session")
def seeded(chain, deployments_file, tmp_path_factory) -> Seeded:
    """The chain as `make run` leaves it: scripts/local_demo.py on the deployment, the journeys' earn rules in a
    database of its own, checked against the sample secrets."""
    database = tmp_path_factory.mktemp("issuer") / "odyssey.db"
    env = {**os.environ, "ODYSSEY_DEPLOYMENTS_FILE": str(deployments_file), "SOLCX_BINARY_PATH": str(ROOT / ".solcx"),
           "DATABASE_URL": f"sqlite:///{database}", "ODYSSEY_ISSUER_SECRETS_FILE": str(SAMPLE_SECRETS)}

    def local_demo() -> tuple[int, str]:
        result = subprocess.run([sys.executable, str(ROOT / "tools" / "brownie_run.py"), chain.network.name, "local_demo"],
                                cwd=ROOT, env=env, capture_output=True, text=True)
        return result.returncode, result.stdout + result.stderr

    status, output = local_demo()
    assert status == 0, output
    return Seeded(output, local_demo)
