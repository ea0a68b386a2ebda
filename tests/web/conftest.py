"""Browser test fixtures: the real stack on loopback ports — Ganache (18605) with the real deployment, the API
with its embedded indexer, the relay and the built page in one uvicorn process — and Debian's Chromium driven
headless by Playwright, with a test wallet injected as window.ethereum (tests/web/wallet.py)."""
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from web3 import Web3

from backend.devchain import ROOT
from backend.devkeys import local_account
from tests.support.chain import LocalChain
from tests.support.web import OPS, contracts, send

PAGE_PORT = 18605
PAGE_NETWORK = "odyssey-page"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
ARTIFACTS = ROOT / "test-artifacts" / "web"

MEMBER = local_account(5)  # the member whose wallet the browser holds
PROPOSER = local_account(6)  # a member with enough points to open a vote
QUIZ_JOURNEY, QUIZ_STAMP, QUIZ_POINTS = 1, 101, 10
VOICE_JOURNEY, VOICE_STAMP, VOICE_POINTS = 2, 201, 30
BENEFIT_URI = "data:text/plain;charset=utf-8,A%20free%20drink%20of%20your%20choice"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("*.png"):
        old.unlink()
    return ARTIFACTS


@pytest.fixture(scope="session")
def chain():
    local = LocalChain(PAGE_PORT, PAGE_NETWORK).start()
    try:
        yield local
    finally:
        local.stop()


@pytest.fixture(scope="session")
def deployments_file(chain, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("deployments")
    chain.deploy(folder)
    return folder / "1337.json"


@pytest.fixture(scope="session")
def w3(chain) -> Web3:
    return Web3(Web3.HTTPProvider(chain.url))


@pytest.fixture(scope="session")
def c(w3, deployments_file) -> dict:
    """The deployed contracts, with a journey to claim from, a benefit for level 1 and a proposer with points."""
    found = contracts(w3, json.loads(deployments_file.read_text()))
    stamps, benefits = found["OdysseyStamps"], found["OdysseyBenefits"]
    send(w3, stamps.functions.createJourney(QUIZ_JOURNEY, "Coffee Origins", "", 0, 0), OPS)
    send(w3, stamps.functions.createStampType(QUIZ_STAMP, QUIZ_JOURNEY, "Origins Quiz", QUIZ_POINTS, True, 0, 0, 0), OPS)
    send(w3, stamps.functions.createJourney(VOICE_JOURNEY, "Community Voice", "", 0, 0), OPS)
    send(w3, stamps.functions.createStampType(VOICE_STAMP, VOICE_JOURNEY, "Community Voice", VOICE_POINTS, True, 0, 0, 0), OPS)
    send(w3, stamps.functions.airdrop(VOICE_STAMP, [PROPOSER.address]), OPS)
    send(w3, benefits.functions.createBenefit(1, 100, BENEFIT_URI), OPS)
    return found


@pytest.fixture(scope="session")
def built_page() -> Path:
    """The page built from web/ as `make` builds it (esbuild through npm)."""
    subprocess.run(["npm", "run", "--silent", "build:web"], cwd=ROOT, check=True)
    index = ROOT / "build" / "web" / "index.html"
    assert index.is_file()
    return index.parent


@pytest.fixture(scope="session")
def server(chain, deployments_file, c, built_page, tmp_path_factory, artifacts):
    """API + indexer + relay + page in one uvicorn process on a free loopback port; yields its base URL."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    folder = tmp_path_factory.mktemp("server")
    env = {
        **os.environ,
        "ODYSSEY_RPC_URL": chain.url,
        "DATABASE_URL": f"sqlite:///{folder / 'odyssey.db'}",
        "ODYSSEY_DEPLOYMENTS_FILE": str(deployments_file),
        "ODYSSEY_POLL_INTERVAL": "0.3",
        "ODYSSEY_PUBLIC_URL": base,
        "ODYSSEY_RELAY_RPC_URL": chain.url,
        "ODYSSEY_RELAY_DEPLOYMENTS_FILE": str(deployments_file),
        "ODYSSEY_WEB_BUILD_DIR": str(built_page),
        "PYTHONPATH": str(ROOT),
    }
    log = (artifacts / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "tests.web.server:create", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning"],
        cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the server exited; see {artifacts / 'server.log'}")
            try:
                if requests.get(f"{base}/ready", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not catch up with the chain in 60 s")
            time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="session")
def browser_context(tmp_path_factory):
    """Debian's Chromium, headless, with a new empty profile."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run tools/ensure_chromium.sh")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=CHROMIUM, headless=True,
            args=CHROMIUM_ARGS, viewport={"width": 1100, "height": 900},
        )
        try:
            yield context
        finally:
            context.close()
