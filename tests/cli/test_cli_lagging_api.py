"""A write through an API that lags the chain (here one indexing only confirmed blocks, ODYSSEY_CONFIRMATIONS): the
transaction lands, so the CLI says so, with its hash, and that the records follow; exit status 0, never an error for a
success. Once the API reaches the block, its records show it."""
import json
import re
import time

import httpx

import pytest
from eth_account import Account

from backend.chain.protocol import voucher_link
from backend.cli import chain as cli_chain
from backend.dev.keys import local_key
from backend.issuer.rules import save_rules
from backend.settings import Settings
from tests.cli.conftest import PASSWORD, SAMPLE_JOURNEY, STAMPS, make_cli, write_wallet
from tests.cli.test_journeys_cli import QUIZ, RIGHT
from tests.support.governance import mine
from tests.support.issuer import SAMPLE_SECRETS
from tests.support.server import running_server
from tests.support.web import fund, voucher_for

CONFIRMATIONS = 2
STAMP = STAMPS[5]


@pytest.fixture(scope="module")
def confirming_api(chain, deployments_file, c, api_url, tmp_path_factory):
    """A second API on the suite's chain (with the sample journey's issuer) that indexes a block once CONFIRMATIONS more
    follow it: on Ganache, which mines only for a transaction, it stays that many blocks behind the block a member's
    transaction lands in."""
    folder = tmp_path_factory.mktemp("confirming")
    settings = Settings(database_url=f"sqlite:///{folder / 'odyssey.db'}")
    save_rules(settings, SAMPLE_JOURNEY.journey.id, {s.id: s.earn for s in SAMPLE_JOURNEY.stamps})
    env = {"ODYSSEY_CONFIRMATIONS": str(CONFIRMATIONS), "ODYSSEY_ISSUER_PRIVATE_KEY": local_key("issuer"),
           "ODYSSEY_ISSUER_SECRETS_FILE": str(SAMPLE_SECRETS)}
    with running_server(chain, deployments_file, folder, folder / "server.log", poll_interval=0.3, env=env) as url:
        yield url


@pytest.fixture
def behind(chain, deployments_file, confirming_api, api_url, tmp_path, monkeypatch, capsys):
    """`odyssey ...` reading from the confirming API and sending through the suite's relay, waiting 2 s (not
    RECORDS_WAIT) for the API to show what it sent."""
    monkeypatch.setenv("ODYSSEY_PASSWORD", PASSWORD)
    monkeypatch.setattr(cli_chain, "RECORDS_WAIT", 2)
    run = make_cli(chain, deployments_file, confirming_api, tmp_path / "keystore.json", capsys)

    def run_behind(*argv):
        return run(*argv, "--relay", api_url)

    run_behind.keystore = run.keystore
    return run_behind


def indexed_through(api: str, block: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while httpx.get(f"{api}/health").json()["indexed_block"] < block:
        assert time.monotonic() < deadline, f"{api} did not index block {block} in {timeout} s"
        time.sleep(0.2)


def landed(tx: str, block: int) -> str:
    return (f"transaction {tx} landed in block {block}; the Odyssey API has indexed up to block {block - CONFIRMATIONS}, "
            "its records will show it shortly")


def test_a_join_the_api_has_not_indexed_is_reported_as_landed(behind, w3, confirming_api):
    member = write_wallet(behind.keystore, Account.create())
    code, out, err = behind("join")
    assert (code, err) == (0, "")
    block = w3.eth.block_number
    tx = re.search(r"transaction (0x[0-9a-f]{64}) ", out).group(1)
    assert w3.eth.get_transaction_receipt(tx)["blockNumber"] == block
    assert out == "joined\n" + landed(tx, block) + "\n"
    assert behind("join") == (1, "", f"error: {member} is already a member\n")  # the node knows; the API not yet
    mine(w3, CONFIRMATIONS)
    indexed_through(confirming_api, block)
    code, out, err = behind("join")
    assert (code, out) == (1, "") and re.fullmatch(rf"error: {member} is already member #\d+\n", err)


@pytest.fixture(scope="module")
def blank_api(chain, deployments_file, c, tmp_path_factory):
    """An API that has indexed no block yet: a new database, and its indexer (a process of its own) not started."""
    folder = tmp_path_factory.mktemp("blank")
    env = {"ODYSSEY_EMBEDDED_INDEXER": "false"}
    with running_server(chain, deployments_file, folder, folder / "server.log", poll_interval=0.3, env=env, until="/health") as url:
        yield url


def test_a_join_through_an_api_that_has_indexed_nothing_yet_is_reported_as_landed(chain, deployments_file, blank_api, api_url,
                                                                                   w3, c, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ODYSSEY_PASSWORD", PASSWORD)
    monkeypatch.setattr(cli_chain, "RECORDS_WAIT", 2)
    run = make_cli(chain, deployments_file, blank_api, tmp_path / "keystore.json", capsys)
    member = write_wallet(run.keystore, Account.create())
    code, out, err = run("join", "--relay", api_url)
    assert (code, err) == (0, "")
    tx = re.search(r"transaction (0x[0-9a-f]{64}) ", out).group(1)
    block = w3.eth.get_transaction_receipt(tx)["blockNumber"]
    assert out == (f"joined\ntransaction {tx} landed in block {block}; the Odyssey API has not indexed any block yet, its "
                   "records will show it shortly\n")
    assert httpx.get(f"{blank_api}/health").json()["indexed_block"] is None
    assert c["OdysseyStamps"].functions.isMember(member).call()


def test_a_claim_the_api_has_not_indexed_is_mined_in_the_json_too(behind, w3, c):
    member = write_wallet(behind.keystore, Account.create())
    link = voucher_link("http://x", voucher_for(c["OdysseyStamps"], member, STAMP))
    code, out, err = behind("claim", link, "--json")
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert result["status"] == "mined" and result["recordsPending"] is True and "totalPoints" not in result
    assert w3.eth.get_transaction_receipt(result["txHash"])["blockNumber"] == result["blockNumber"] == w3.eth.block_number
    assert c["OdysseyStamps"].functions.balanceOf(member, STAMP).call() == 1


def test_a_quiz_stamp_collected_before_the_api_indexed_it_is_reported_as_landed(behind, w3, c):
    member = write_wallet(behind.keystore, Account.create())
    fund(w3, member)
    code, out, err = behind("play", str(QUIZ), "--answers", RIGHT, "--pay-gas", "--json")
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert result["status"] == "collected" and result["recordsPending"] is True and "totalPoints" not in result
    assert w3.eth.get_transaction_receipt(result["txHash"])["from"] == member  # the member's own claim
    assert c["OdysseyStamps"].functions.balanceOf(member, QUIZ).call() == 1
