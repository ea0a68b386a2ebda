"""Issuer fixtures: a real Ganache with the real deployment (the suite's network, backend/dev/networks.py), a journey
whose stamps are earned by a quiz, a rotating code, a code word, a partner's receipt and completion, and the full API
(its embedded indexer, the relay and the issuer service) driven by Starlette's TestClient, on SQLite and on a
throwaway PostgreSQL server."""
import time
import uuid
from contextlib import contextmanager

import pytest
import yaml
from eth_account import Account
from fastapi.testclient import TestClient

from backend.api.main import create_app
from backend.dev.keys import local_key
from backend.issuer.earn import parse
from backend.issuer.rules import save_rules
from backend.settings import Settings
from tests.support.chain_fixtures import chain_fixtures
from tests.support.postgres import postgres_server  # noqa: F401  a throwaway PostgreSQL server
from tests.support.web import contracts, create_stamps

globals().update(chain_fixtures("issuer", profile="load"))

JOURNEY = 70
QUIZ, KIOSK, WORD, RECEIPT, COMPLETION, LINK = 7001, 7002, 7003, 7004, 7005, 7006
PARTNER, PARTNER_SECRET = "corner-shop", "c0rner-shop-webhook-secret-0123456789abcdef"
OTHER_PARTNER, OTHER_SECRET = "other-shop", "0ther-shop-webhook-secret-0123456789abcdef"
SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
WORD_SECRET = "Espresso Martini"
QUIZ_ANSWERS = {"q1": "b", "q2": "a", "q3": "c"}
RULES = {
    QUIZ: {"kind": "quiz", "description": "Three questions.", "answers": "test-quiz", "pass_mark": 2,
           "attempts_per_day": 3, "questions": [
               {"id": "q1", "text": "One?", "choices": {"a": "A", "b": "B"}},
               {"id": "q2", "text": "Two?", "choices": {"a": "A", "b": "B"}},
               {"id": "q3", "text": "Three?", "choices": {"a": "A", "b": "B", "c": "C"}}]},
    KIOSK: {"kind": "code", "description": {"en": "The kiosk's code.", "zh-Hant": "門市螢幕上的動態碼。"}, "rotating": {"seed": "test-kiosk", "period": 30}},
    WORD: {"kind": "code", "description": "The word on the poster.", "word": "test-word"},
    RECEIPT: {"kind": "receipt", "description": "Buy a coffee.", "partner": PARTNER},
    COMPLETION: {"kind": "completion", "description": "All of them.", "requires": [QUIZ, WORD]},
    LINK: {"kind": "link", "description": "A claim link."},
}
DATABASES = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def c(w3, deployment):
    found = contracts(w3, deployment)
    create_stamps(w3, found["OdysseyStamps"], JOURNEY, list(RULES))
    return found


@pytest.fixture(scope="session")
def secrets_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("issuer") / "secrets.yaml"
    path.write_text(yaml.safe_dump({
        "quizzes": {"test-quiz": QUIZ_ANSWERS}, "words": {"test-word": WORD_SECRET}, "seeds": {"test-kiosk": SEED},
        "partners": {PARTNER: PARTNER_SECRET, OTHER_PARTNER: OTHER_SECRET},
    }))
    return path


@pytest.fixture(params=DATABASES)
def db_kind(request) -> str:
    return request.param


@pytest.fixture
def database(db_kind, request, tmp_path) -> str:
    """An empty database of the parametrised kind."""
    if db_kind == "sqlite":
        return f"sqlite:///{tmp_path / 'issuer.db'}"
    return request.getfixturevalue("postgres_server").create_database("t_" + uuid.uuid4().hex[:12])


@pytest.fixture
def settings_for(chain, deployments_file, secrets_file, c):
    """Settings of an API on the test chain signing with the local issuer's and relayer's keys, on `database_url`,
    with the journey's earn rules loaded there."""
    def make(database_url: str, **overrides) -> Settings:
        values = dict(rpc_url=chain.url, deployments_file=deployments_file, database_url=database_url,
                      poll_interval=0.05, relay_private_key=local_key("relayer"), issuer_private_key=local_key("issuer"),
                      issuer_secrets_file=secrets_file, issuer_worker_interval=0, relay_per_address=1000,
                      relay_per_ip=1000)
        settings = Settings(**(values | overrides))
        save_rules(settings, JOURNEY, {stamp_id: parse(rule) for stamp_id, rule in RULES.items()})
        return settings
    return make


@pytest.fixture
def settings(settings_for, database) -> Settings:
    return settings_for(database)


@contextmanager
def api_client(settings: Settings, w3):
    """The API app, once its mirror has reached the chain's head."""
    with TestClient(create_app(settings)) as client:
        wait_indexed(client, w3)
        yield client


def wait_indexed(client, w3, timeout: float = 60) -> None:
    head, deadline = w3.eth.block_number, time.monotonic() + timeout
    while (client.get("/health").json()["indexed_block"] or -1) < head:
        assert time.monotonic() < deadline, f"the API did not index block {head} in {timeout} s"
        time.sleep(0.1)


@pytest.fixture
def client(settings, w3):
    with api_client(settings, w3) as client:
        yield client


def fresh_member():
    return Account.create()


def wait_for(predicate, timeout: float = 30, what: str = "the condition"):
    deadline = time.monotonic() + timeout
    while not (value := predicate()):
        assert time.monotonic() < deadline, f"{what} did not happen in {timeout} s"
        time.sleep(0.1)
    return value


def refused(response, status: int, code: str) -> dict:
    """The body of a refusal, once its status and its code (backend/issuer/refusals.py, what clients match) are
    checked."""
    body = response.json()
    assert (response.status_code, body.get("code")) == (status, code), response.text
    return body
