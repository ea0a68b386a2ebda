"""CLI fixtures: Ganache (the suite's network, backend/dev/networks.py) with the real deployment, and the real stack (the API with its embedded
indexer, and the relay) served by uvicorn in a process of its own on a free loopback port, so `main(argv)` reads
from the API and sends through the relay over real HTTP."""
import json

import pytest
from eth_account import Account

from tests.support.chain_fixtures import chain_fixtures
from tests.support.server import running_server, wait_until_indexed
from tests.support.web import contracts, create_stamps

globals().update(chain_fixtures("cli", profile="load"))

JOURNEY = 70
STAMPS = list(range(7001, 7021))
PASSWORD = "correct horse"


def write_wallet(path, account) -> str:
    """A keystore v3 for `account` (PASSWORD) with a light scrypt, so each CLI call unlocks it in milliseconds, for
    tests whose subject is not the wallet (the wallet tests make theirs with `odyssey wallet new`). Its address."""
    path.write_text(json.dumps(Account.encrypt(account.key, PASSWORD, iterations=2**10)))
    return account.address


@pytest.fixture(scope="session")
def c(w3, deployment):
    found = contracts(w3, deployment)
    create_stamps(w3, found["OdysseyStamps"], JOURNEY, STAMPS)
    return found


@pytest.fixture(scope="session")
def api_url(chain, deployments_file, c, tmp_path_factory):
    """The API (indexer inside, polling every 0.3 s) and the relay, with rate limits high enough for the suite."""
    folder = tmp_path_factory.mktemp("server")
    limits = {"ODYSSEY_RELAY_PER_ADDRESS": "1000", "ODYSSEY_RELAY_PER_IP": "1000"}
    with running_server(chain, deployments_file, folder, folder / "server.log", poll_interval=0.3, env=limits) as url:
        yield url


@pytest.fixture
def synced(api_url, w3):
    """Waits until the API's records reach the chain's head (before reading what a test just did); that block."""
    return lambda: wait_until_indexed(api_url, w3)


def make_cli(chain, deployments_file, api_url, keystore, capsys):
    """Run `odyssey ...` as main(argv) against the test chain and API (which serves the relay too); returns (exit
    code, stdout, stderr)."""
    from backend.cli.main import main

    def run(*argv, keystore_path=None):
        capsys.readouterr()
        code = main([
            *argv,
            "--api", api_url, "--rpc", chain.url, "--deployments", str(deployments_file),
            "--keystore", str(keystore_path or keystore), "--timeout", "30",
        ])
        out, err = capsys.readouterr()
        return code, out, err

    run.keystore = keystore
    return run


@pytest.fixture
def cli(chain, deployments_file, api_url, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ODYSSEY_PASSWORD", PASSWORD)
    monkeypatch.delenv("ODYSSEY_PRIVATE_KEY", raising=False)
    return make_cli(chain, deployments_file, api_url, tmp_path / "keystore.json", capsys)
