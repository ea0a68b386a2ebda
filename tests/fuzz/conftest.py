"""Fuzz fixtures: Ganache (the suite's network, backend/dev/networks.py) with the real deployment and a workload on it (members, claims, sales,
proposals, votes, ideas), and the whole API (indexer, relay, page) served as `make run` serves it."""
import random

import pytest

from backend.dev.chain import Chain
from backend.dev.keys import local_key
from tests.support.chain_fixtures import chain_fixtures
from tests.support.issuer import SAMPLE_SECRETS
from tests.support.server import running_server

globals().update(chain_fixtures("fuzz", profile="load"))


@pytest.fixture(scope="session")
def api_url(chain, deployments_file, tmp_path_factory):
    """The API on a free port over a chain with something in every table, the issuer service set up. The relay's and
    the issuer's per-IP limits are off: the fuzzer is one client sending a thousand requests, and should reach their
    own checks, not a 429."""
    workload = Chain(chain.url, deployments_file)
    workload.setup_catalogue()
    rng = random.Random(10)
    workload.random_workload(rng, 30)
    for _ in range(30):
        workload.random_governance_action(rng)
    folder = tmp_path_factory.mktemp("server")
    limits = {"ODYSSEY_RELAY_PER_IP": "0", "ODYSSEY_RELAY_STATUS_PER_IP": "0", "ODYSSEY_ISSUER_PRIVATE_KEY": local_key("issuer"),
              "ODYSSEY_ISSUER_SECRETS_FILE": str(SAMPLE_SECRETS), "ODYSSEY_ISSUER_SIGNINS_PER_IP": "0",
              "ODYSSEY_ISSUER_ATTEMPTS_PER_IP": "0", "ODYSSEY_ISSUER_WEBHOOKS_PER_IP": "0"}
    with running_server(chain, deployments_file, folder, folder / "server.log", poll_interval=0.5, env=limits) as url:
        yield url
