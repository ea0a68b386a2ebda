"""CLI fixtures: Ganache on port 18604 with the real deployment, and the relay served by uvicorn on a free
loopback port (in a thread of the test process) so `main(argv)` talks to it over real HTTP."""
import json
import socket
import threading
import time
from contextlib import contextmanager

import pytest
import uvicorn
from eth_account import Account
from fastapi import FastAPI

from backend.relay.router import router
from backend.relay.settings import RelaySettings, get_relay_settings
from tests.support.chain_fixtures import chain_fixtures
from tests.support.web import contracts, create_stamps

globals().update(chain_fixtures(18604, "odyssey-web"))

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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serve_relay(chain, deployments_file):
    """The relay router in a FastAPI app served by uvicorn on a free loopback port; yields its base URL."""
    settings = RelaySettings(rpc_url=chain.url, deployments_file=deployments_file, per_address=1000, per_ip=1000)
    app = FastAPI()
    app.include_router(router)
    app.dependency_overrides[get_relay_settings] = lambda: settings
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the relay server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def relay_url(chain, deployments_file, c):
    with serve_relay(chain, deployments_file) as url:
        yield url


def make_cli(chain, deployments_file, relay_url, keystore, capsys):
    """Run `odyssey ...` as main(argv) against the test chain and relay; returns (exit code, stdout, stderr)."""
    from backend.cli.main import main

    def run(*argv, keystore_path=None):
        capsys.readouterr()
        code = main([
            *argv,
            "--rpc", chain.url, "--relay", relay_url, "--deployments", str(deployments_file),
            "--keystore", str(keystore_path or keystore), "--timeout", "30",
        ])
        out, err = capsys.readouterr()
        return code, out, err

    run.keystore = keystore
    return run


@pytest.fixture
def cli(chain, deployments_file, relay_url, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ODYSSEY_PASSWORD", PASSWORD)
    monkeypatch.delenv("ODYSSEY_PRIVATE_KEY", raising=False)
    return make_cli(chain, deployments_file, relay_url, tmp_path / "keystore.json", capsys)
