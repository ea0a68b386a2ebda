"""CLI fixtures: Ganache (the suite's network, backend/dev/networks.py) with the real deployment, and the real stack (the API with its embedded
indexer, and the relay) served by uvicorn in a process of its own on a free loopback port, so `main(argv)` reads
from the API and sends through the relay over real HTTP."""
import json

import pytest
from eth_account import Account

from backend.dev.keys import local_key
from backend.issuer.rules import save_rules
from backend.settings import Settings
from scripts.journeys import apply_texts, load_journey_file
from tests.support.chain_fixtures import chain_fixtures
from tests.support.issuer import SAMPLE_SECRETS
from tests.support.server import running_server, wait_until_indexed
from tests.support.web import OPS, contracts, create_stamps, send

globals().update(chain_fixtures("cli", profile="load"))

JOURNEY = 70
STAMPS = list(range(7001, 7021))
PASSWORD = "correct horse"


def write_wallet(path, account) -> str:
    """A keystore v3 for `account` (PASSWORD) with a light scrypt, so each CLI call unlocks it in milliseconds, for
    tests whose subject is not the wallet (the wallet tests make theirs with `odyssey wallet new`). Its address."""
    path.write_text(json.dumps(Account.encrypt(account.key, PASSWORD, iterations=2**10)))
    return account.address


SAMPLE_JOURNEY = load_journey_file("journeys/coffee-origins.yaml")  # its quiz, kiosk code, receipt and completion


@pytest.fixture(scope="session")
def c(w3, deployment):
    found = contracts(w3, deployment)
    create_stamps(w3, found["OdysseyStamps"], JOURNEY, STAMPS)
    stamps, journey = found["OdysseyStamps"].functions, SAMPLE_JOURNEY.journey
    send(w3, stamps.createJourney(journey.id, journey.name, "", 0, 0), OPS)
    for s in SAMPLE_JOURNEY.stamps:
        send(w3, stamps.createStampType(s.id, journey.id, s.name, s.points, True, 0), OPS)
    return found


@pytest.fixture(scope="session")
def server_folder(tmp_path_factory):
    """Where the suite's API keeps its database and log (tests/support/server.py)."""
    return tmp_path_factory.mktemp("server")


@pytest.fixture(scope="session")
def server_settings(server_folder) -> Settings:
    """Settings naming the API's database, for writing what the ops scripts write there (earn rules, texts)."""
    return Settings(database_url=f"sqlite:///{server_folder / 'odyssey.db'}")


@pytest.fixture(scope="session")
def api_url(chain, deployments_file, c, server_folder, server_settings):
    """The API (indexer inside, polling every 0.3 s), the relay and the issuer (the sample journey's earn rules,
    secrets and names in every language), with rate limits high enough for the suite."""
    folder, settings = server_folder, server_settings
    save_rules(settings, SAMPLE_JOURNEY.journey.id, {s.id: s.earn for s in SAMPLE_JOURNEY.stamps})
    apply_texts(SAMPLE_JOURNEY, settings)
    env = {"ODYSSEY_RELAY_PER_ADDRESS": "1000", "ODYSSEY_RELAY_PER_IP": "1000", "ODYSSEY_ISSUER_WORKER_INTERVAL": "0.5",
           "ODYSSEY_ISSUER_PRIVATE_KEY": local_key("issuer"), "ODYSSEY_ISSUER_SECRETS_FILE": str(SAMPLE_SECRETS)}
    with running_server(chain, deployments_file, folder, folder / "server.log", poll_interval=0.3, env=env) as url:
        yield url


@pytest.fixture(autouse=True)
def english_terminal(monkeypatch):
    """The CLI speaks English here whatever the terminal running the suite speaks (test_cli_i18n.py sets its own)."""
    for variable in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "C")


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
