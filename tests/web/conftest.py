"""Browser test fixtures: the real stack on loopback ports — Ganache (the suite's network, backend/dev/networks.py) with the real deployment, the API
with its embedded indexer, the relay and the built page in one uvicorn process — and Debian's Chromium driven
headless by Playwright, with a test wallet injected as window.ethereum (tests/web/wallet.py)."""
import json
import subprocess
from pathlib import Path

import pytest

from backend.dev.keys import local_account
from backend.settings import ROOT, Settings
from scripts.journeys import apply_texts, load_journey_file
from tests.support.chain_fixtures import chain_fixtures
from tests.support.server import running_server
from tests.support.web import OPS, contracts, send

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
ARTIFACTS = ROOT / "test-artifacts" / "web"

MEMBER = local_account(5)  # the member whose wallet the browser holds
FEE_PAYER = local_account(7)  # a member who prefers to pay network fees
JOINER = local_account(4)  # joins without a stamp
AUTHOR, SUPPORTER = local_account(8), local_account(9)  # level 1 members (an airdropped quiz stamp)
PROPOSER = local_account(6)  # a member with enough points to open a vote
QUIZ_JOURNEY, QUIZ_STAMP, QUIZ_POINTS = 1, 101, 10
VOICE_JOURNEY, VOICE_STAMP, VOICE_POINTS = 2, 201, 30
LAGGING_POLL = 20  # seconds between the lagging indexer's looks at the chain
BENEFIT_URI = "data:text/plain;charset=utf-8,A%20free%20drink%20of%20your%20choice"
# The shop's edition and the drops' prizes and ticket (shop_and_drops)
SHOP_JOURNEY, EDITION, FREE_PRIZE, PAID_PRIZE, TICKET = 90, 9001, 9002, 9003, 9004
PRICE, ENTRY_PRICE = 10**16, 10**15


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("*.png"):
        old.unlink()
    return ARTIFACTS


globals().update(chain_fixtures("web", profile="load"))  # chain, deployments_file, deployment, w3


@pytest.fixture(scope="session")
def c(w3, deployments_file) -> dict:
    """The deployed contracts, with a journey to claim from, a benefit for level 1 and a proposer with points."""
    found = contracts(w3, json.loads(deployments_file.read_text()))
    stamps, benefits = found["OdysseyStamps"], found["OdysseyBenefits"]
    send(w3, stamps.functions.createJourney(QUIZ_JOURNEY, "Coffee Origins", "", 0, 0), OPS)
    send(w3, stamps.functions.createStampType(QUIZ_STAMP, QUIZ_JOURNEY, "Origins Quiz", QUIZ_POINTS, True, 0), OPS)
    send(w3, stamps.functions.createJourney(VOICE_JOURNEY, "Community Voice", "", 0, 0), OPS)
    send(w3, stamps.functions.createStampType(VOICE_STAMP, VOICE_JOURNEY, "Community Voice", VOICE_POINTS, True, 0), OPS)
    send(w3, stamps.functions.airdrop(VOICE_STAMP, [PROPOSER.address]), OPS)
    send(w3, stamps.functions.airdrop(QUIZ_STAMP, [AUTHOR.address, SUPPORTER.address]), OPS)
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
    """The stack members use, its indexer following the chain closely; journey 1 and its quiz stamp named in every
    language, as journeys/coffee-origins.yaml names them (the same ids)."""
    folder = tmp_path_factory.mktemp("server")
    apply_texts(load_journey_file(ROOT / "journeys" / "coffee-origins.yaml"), Settings(database_url=f"sqlite:///{folder / 'odyssey.db'}"))
    with running_server(chain, deployments_file, folder, artifacts / "server.log",
                        poll_interval=0.3, env={"ODYSSEY_WEB_BUILD_DIR": str(built_page)}) as base:
        yield base


@pytest.fixture
def lagging_server(chain, deployments_file, c, built_page, tmp_path_factory, artifacts):
    """A second stack whose indexer looks at the chain only every LAGGING_POLL seconds, so it falls behind."""
    with running_server(chain, deployments_file, tmp_path_factory.mktemp("lagging-server"), artifacts / "lagging-server.log",
                        poll_interval=LAGGING_POLL, env={"ODYSSEY_WEB_BUILD_DIR": str(built_page)}) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless (Playwright gives it a new empty profile)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run tools/ensure_chromium.sh")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def browser_context(browser):
    """A fresh browser context per test: no storage left by another test's member."""
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    try:
        yield context
    finally:
        context.close()


@pytest.fixture(scope="session")
def shop_and_drops(w3, c):
    """An edition for sale and the stamps drops give (in English and in Chinese: test_shop_drops.py and
    test_languages.py)."""
    stamps = c["OdysseyStamps"]
    send(w3, stamps.functions.createJourney(SHOP_JOURNEY, "Limited editions", "", 0, 0), OPS)
    send(w3, stamps.functions.createStampType(EDITION, SHOP_JOURNEY, "Winter Cup", 40, False, 100), OPS)
    send(w3, stamps.functions.createStampType(FREE_PRIZE, SHOP_JOURNEY, "Holiday Cup", 10, False, 100), OPS)
    send(w3, stamps.functions.createStampType(PAID_PRIZE, SHOP_JOURNEY, "Siren", 30, False, 100), OPS)
    send(w3, stamps.functions.createStampType(TICKET, SHOP_JOURNEY, "Origins Ticket", 1, True, 0), OPS)
    send(w3, c["OdysseyShop"].functions.setListing(EDITION, PRICE, 2), OPS)
    return c
