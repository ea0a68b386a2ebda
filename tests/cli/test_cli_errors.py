"""The CLI's error paths on the real stack (Ganache, the API with its indexer, the relay): each refusal is one whole
`error: ...` line on stderr and exit status 1, in the English the CLI speaks by default (LANG=C.UTF-8, no LC_ALL)."""
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from eth_account import Account
from web3.logs import DISCARD

from backend.chain.protocol import voucher_link
from backend.cli.api import SAME_BLOCK_TRIES, Api
from backend.cli.errors import CliError
from backend.dev.keys import local_account
from tests.cli.conftest import PASSWORD, STAMPS, make_cli, write_wallet
from tests.support.governance import PROPOSER, give_proposer_points, mine, without_governance
from tests.support.server import running_server, wait_until_indexed
from tests.support.web import RELAYER, costs_relayer_nothing, fund, send, voucher_for

DAY = 86_400
STAMP = STAMPS[-2]  # a fresh account may claim any stamp type once; this one is the members' of this module


@pytest.fixture(autouse=True)
def english(monkeypatch):
    """The locale a member's shell without language settings has: the CLI answers in English."""
    monkeypatch.setenv("LANG", "C.UTF-8")
    for variable in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(variable, raising=False)


def new_member(w3, c) -> Account:
    """A fresh account holding STAMP (20 points), claimed by PROPOSER paying the gas."""
    member = Account.create()
    stamps = c["OdysseyStamps"]
    send(w3, stamps.functions.claim(*voucher_for(stamps, member.address, STAMP).claim_args()), PROPOSER)
    return member


# ---------------------------------------------------------------- votes on a proposal that is not Active


def _proposal(w3, c) -> int:
    """A new ordinary proposal by PROPOSER, left as it is (Pending: the voting delay has not passed)."""
    stamps, governor = c["OdysseyStamps"], c["OdysseyGovernor"]
    give_proposer_points(w3, stamps, STAMPS[-1])
    description = f"Not open yet ({w3.eth.block_number})"
    receipt = send(w3, governor.functions.propose([stamps.address], [0], [stamps.encode_abi("memberCount", args=[])], description), PROPOSER)
    return governor.events.ProposalCreated().process_receipt(receipt, errors=DISCARD)[0].args.proposalId


def test_vote_on_a_pending_proposal_is_refused_before_sending(cli, w3, c):
    member = new_member(w3, c)
    write_wallet(cli.keystore, member)
    proposal = _proposal(w3, c)
    with costs_relayer_nothing(w3):
        code, out, err = cli("vote", str(proposal), "for")
    assert (code, out) == (1, "")
    assert err == f"error: proposal {proposal} is Pending, not open for voting\n"
    assert not c["OdysseyGovernor"].functions.hasVoted(proposal, member.address).call()


def test_vote_on_a_defeated_proposal_is_refused_before_sending(cli, w3, c):
    governor = c["OdysseyGovernor"]
    write_wallet(cli.keystore, new_member(w3, c))
    proposal = _proposal(w3, c)
    mine(w3, governor.functions.proposalDeadline(proposal).call() - w3.eth.block_number + 1)
    with costs_relayer_nothing(w3):
        code, out, err = cli("vote", str(proposal), "against", "--pay-gas")
    assert (code, out) == (1, "")
    assert err == f"error: proposal {proposal} is Defeated, not open for voting\n"


# ---------------------------------------------------------------- the relay refuses: 403 and 429


@pytest.fixture(scope="module")
def strict_relay(chain, deployments_file, c, tmp_path_factory):
    """A second server whose relay runs on a deployments file from before governance (so it pays for no call to the
    ideas board) and relays one request per member a day (windows of the wall clock: a day's boundary seldom falls
    between two requests of a test)."""
    folder = tmp_path_factory.mktemp("strict")
    older = without_governance(deployments_file, folder)
    env = {"ODYSSEY_RELAY_PER_ADDRESS": "1", "ODYSSEY_RELAY_WINDOW_SECONDS": str(DAY)}
    with running_server(chain, older, folder, folder / "server.log", poll_interval=0.3, env=env) as url:
        yield url


def test_a_relay_refusing_a_contract_it_does_not_pay_for_is_reported_403(cli, w3, c, strict_relay):
    write_wallet(cli.keystore, new_member(w3, c))
    board = c["IdeaBoard"].address
    with costs_relayer_nothing(w3):
        code, out, err = cli("idea", "submit", "Refill stamps", "--relay", strict_relay)
    assert (code, out) == (1, "")
    assert err == f"error: the relay refused: to: {board} is not a contract the relayer calls\n"


def test_a_relay_refusal_is_also_the_json_error(cli, w3, c, strict_relay):
    write_wallet(cli.keystore, new_member(w3, c))
    code, out, err = cli("idea", "submit", "Tree stamps", "--relay", strict_relay, "--json")
    line = f"the relay refused: to: {c['IdeaBoard'].address} is not a contract the relayer calls"
    assert code == 1 and json.loads(out) == {"error": line} and err == f"error: {line}\n"


def test_a_member_over_the_relays_rate_is_told_when_to_try_again_429(cli, w3, c, strict_relay):
    member = new_member(w3, c)
    write_wallet(cli.keystore, member)
    friend, other = Account.create().address, Account.create().address
    code, out, err = cli("delegate", friend, "--relay", strict_relay)
    assert code == 0, err
    with costs_relayer_nothing(w3):
        code, out, err = cli("delegate", other, "--relay", strict_relay)
    rest_of_the_day = DAY - time.time() % DAY
    assert (code, out) == (1, "")
    line = re.fullmatch(rf"error: the relay refused: too many relayed requests for {member.address}: try again in (\d+) s\n", err)
    assert line, err
    assert abs(int(line.group(1)) - rest_of_the_day) <= 2
    assert c["OdysseyStamps"].functions.delegates(member.address).call() == friend


def test_the_relays_rate_limit_reads_in_chinese_by_its_code(cli, w3, c, strict_relay, monkeypatch):
    member = new_member(w3, c)
    write_wallet(cli.keystore, member)
    assert cli("delegate", Account.create().address, "--relay", strict_relay)[0] == 0
    monkeypatch.setenv("LANG", "zh_TW.UTF-8")
    with costs_relayer_nothing(w3):
        code, out, err = cli("delegate", Account.create().address, "--relay", strict_relay)
    assert (code, out) == (1, "")
    assert re.fullmatch(rf"錯誤：中繼拒絕了：{member.address} 的中繼請求過多：請 \d+ 秒後再試\n", err), err


# ---------------------------------------------------------------- a transaction that is mined but fails


def _claim_overtaken(w3, stamps, voucher, cli, *options):
    """`odyssey claim` of `voucher` while Ganache's miner is held: the CLI simulates at the latest block, where the voucher
    is unused, but another transaction spending it, at a higher gas price, waits in the pool and is mined first. The
    CLI's answer, and that other transaction's hash."""
    competitor = local_account(7)  # PROPOSER: funded, no role
    first = stamps.functions.claim(*voucher.claim_args()).build_transaction(
        {"from": competitor.address, "nonce": w3.eth.get_transaction_count(competitor.address), "gas": 400_000,
         "gasPrice": 10 * w3.eth.gas_price}  # the CLI and the relay pay the node's suggested price
    )
    w3.provider.make_request("miner_stop", [])
    try:
        first_hash = w3.eth.send_raw_transaction(competitor.sign_transaction(first).raw_transaction)
        release = threading.Thread(target=_start_miner_when_pooled, args=(w3, 2))
        release.start()
        answer = cli("claim", voucher_link("http://x", voucher), *options)
        release.join()
    finally:
        w3.provider.make_request("miner_start", [])
    assert w3.eth.get_transaction_receipt(first_hash).status == 1
    return answer


def _failed_claim(err: str, voucher) -> str:
    """The hash of the failed transaction that `err` reports, the whole line checked."""
    line = re.fullmatch(r"error: the transaction (0x[0-9a-f]{64}) failed: this voucher was already claimed \(or revoked\) "
                        rf"\(OdysseyVoucherUsed\(nonce={voucher.nonce}\)\)\n", err)
    assert line, err
    return line.group(1)


def test_a_paid_transaction_that_reverts_on_chain_after_its_estimate_is_one_line(cli, w3, c):
    stamps = c["OdysseyStamps"]
    member = Account.create()
    write_wallet(cli.keystore, member)
    fund(w3, member.address)
    voucher = voucher_for(stamps, member.address, STAMP)
    balance = w3.eth.get_balance(member.address)
    code, out, err = _claim_overtaken(w3, stamps, voucher, cli, "--pay-gas")
    assert (code, out) == (1, "")
    own = _failed_claim(err, voucher)
    receipt = w3.eth.get_transaction_receipt(own)
    assert receipt.status == 0 and w3.eth.get_transaction(own)["from"] == member.address
    assert w3.eth.get_balance(member.address) == balance - receipt.gasUsed * receipt.effectiveGasPrice  # it paid


def test_a_relayed_transaction_that_reverts_on_chain_is_one_line(cli, w3, c):
    stamps = c["OdysseyStamps"]
    member = Account.create().address
    voucher = voucher_for(stamps, member, STAMP)
    code, out, err = _claim_overtaken(w3, stamps, voucher, cli)
    assert (code, out) == (1, "")
    relayed = _failed_claim(err, voucher)  # as the relay reports it (GET /relay/{hash}), decoded
    assert w3.eth.get_transaction_receipt(relayed).status == 0 and w3.eth.get_transaction(relayed)["from"] == RELAYER.address


def _start_miner_when_pooled(w3, count: int, timeout: float = 60) -> None:
    """Restart Ganache's miner once `count` transactions wait in its pool."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pending = w3.provider.make_request("txpool_content", [])["result"]["pending"]
        if sum(len(txs) for txs in pending.values()) >= count:
            break
        time.sleep(0.1)
    w3.provider.make_request("miner_start", [])


# ---------------------------------------------------------------- the deployments file


@pytest.mark.parametrize(
    "content, problem",
    [
        (None, "deployments file {path} is missing: deploy the contracts first"),
        ("{not json", "deployments file {path} is not valid JSON: Expecting property name enclosed in double quotes: "
                      "line 1 column 2 (char 1)"),
        ('{"chainId": 1337}', "deployments file {path} is malformed: KeyError('contracts')"),
        ('{"chainId": 5, "contracts": {}}', "{path} is for chain 5, the node is chain 1337"),
    ],
    ids=["missing", "not-json", "malformed", "wrong-chain"],
)
def test_a_bad_deployments_file_is_one_line_naming_it(chain, api_url, cli, tmp_path, capsys, content, problem):
    path = tmp_path / "1337.json"
    if content is not None:
        path.write_text(content)
    write_wallet(cli.keystore, Account.create())
    code, out, err = make_cli(chain, path, api_url, cli.keystore, capsys)("join")
    assert (code, out) == (1, "")
    assert err == f"error: {problem.format(path=path)} (set --deployments or ODYSSEY_DEPLOYMENTS_FILE)\n"


def test_a_deployments_file_of_a_reset_chain_is_refused(chain, api_url, cli, deployments_file, tmp_path, capsys):
    content = json.loads(deployments_file.read_text())
    content["startBlockHash"] = "0x" + "11" * 32  # the chain it describes had another block there
    path = tmp_path / "1337.json"
    path.write_text(json.dumps(content))
    write_wallet(cli.keystore, Account.create())
    code, out, err = make_cli(chain, path, api_url, cli.keystore, capsys)("delegate", PROPOSER.address)
    assert (code, out) == (1, "")
    assert err == (f"error: {path} describes a deployment this chain does not have (block {content['startBlock']} differs: "
                   "the chain was reset or replaced): deploy again (set --deployments or ODYSSEY_DEPLOYMENTS_FILE)\n")


# ---------------------------------------------------------------- a damaged voucher file


@pytest.mark.parametrize(
    "content, problem",
    [
        (b'{"member": "0x', "not a claim link, a voucher file or voucher JSON"),
        (b"\xff\xfe not text", "cannot read it (UnicodeDecodeError)"),
        (b'"a string"', "not a voucher"),
        (b'{"member": "0x0000000000000000000000000000000000000001", "stampId": 1, "deadline": 1, "signature": "0x"}',
         "the voucher has no 'nonce'"),
        (b'{"member": "0x0000000000000000000000000000000000000001", "stampId": "one", "nonce": 1, "deadline": 1, '
         b'"signature": "0x"}', "the voucher's numbers are damaged"),
        (b'{"member": "0x12", "stampId": 1, "nonce": 1, "deadline": 1, "signature": "0x"}',
         None),  # the member's address: the checksum's own line
    ],
    ids=["cut-short", "not-text", "not-an-object", "no-nonce", "bad-number", "bad-member"],
)
def test_a_damaged_voucher_file_is_one_line_naming_it(cli, tmp_path, content, problem):
    path = tmp_path / "voucher.json"
    path.write_bytes(content)
    code, out, err = cli("claim", str(path))
    assert (code, out) == (1, "")
    assert err == (f"error: {path}: {problem}\n" if problem else "error: voucher member '0x12' is not an address (0x and 40 hex digits)\n")


def test_a_voucher_batch_without_the_wallets_voucher_is_one_line(cli, c, tmp_path):
    stamps = c["OdysseyStamps"]
    address = write_wallet(cli.keystore, Account.create())
    path = tmp_path / "batch.json"
    path.write_text(json.dumps([voucher_for(stamps, Account.create().address, STAMP).as_dict() for _ in range(2)]))
    code, out, err = cli("claim", str(path))
    assert (code, out) == (1, "")
    assert err == f"error: {path} holds 2 vouchers, none for your wallet {address}\n"


# ---------------------------------------------------------------- passwords and keystores


def test_an_empty_password_makes_no_wallet(cli, monkeypatch):
    monkeypatch.setenv("ODYSSEY_PASSWORD", "")
    code, out, err = cli("wallet", "new")
    assert (code, out, err) == (1, "", "error: the password must not be empty\n")
    assert not cli.keystore.exists()
    monkeypatch.delenv("ODYSSEY_PASSWORD")
    monkeypatch.setattr("getpass.getpass", lambda prompt: "")  # Enter pressed at both prompts
    assert cli("wallet", "new") == (1, "", "error: the password must not be empty\n")
    assert not cli.keystore.exists()


def test_an_empty_password_does_not_unlock_a_wallet(cli, monkeypatch):
    write_wallet(cli.keystore, Account.create())
    monkeypatch.setenv("ODYSSEY_PASSWORD", "")
    assert cli("join") == (1, "", f"error: wrong password for {cli.keystore}\n")


@pytest.mark.parametrize(
    "content",
    [b"hello, not json", b"\x00\xff binary", b"[1, 2, 3]", b'{"version": 3, "address": "00"}', b'"crypto"'],
    ids=["text", "binary", "a-list", "no-crypto", "a-string"],
)
def test_a_file_that_is_not_a_keystore_is_one_line(cli, content):
    cli.keystore.write_bytes(content)
    for argv in (("wallet", "address"), ("join",)):
        assert cli(*argv) == (1, "", f"error: {cli.keystore} is not a keystore file\n"), argv


def test_a_damaged_keystore_is_one_line(cli):
    keyfile = Account.encrypt(Account.create().key, PASSWORD, iterations=2**10)
    del keyfile["crypto"]["kdf"], keyfile["address"]
    cli.keystore.write_text(json.dumps(keyfile))
    assert cli("wallet", "address") == (1, "", f"error: {cli.keystore} is a damaged keystore file\n")


def test_a_folder_given_as_the_keystore_is_one_line(cli, tmp_path):
    assert cli("wallet", "address", keystore_path=tmp_path) == (1, "", f"error: cannot read {tmp_path} (Is a directory)\n")


# ---------------------------------------------------------------- the API moves on while answering


class MovingApi:
    """The real API behind a forwarding server that, after each of its first `moves` answers, mines a block and waits
    until the API has indexed it: the chain moves on between every two requests of the CLI."""

    def __init__(self, api_url: str, w3, moves: int):
        self.moves, self.answered = moves, []
        outer = self

        class Forward(BaseHTTPRequestHandler):
            def do_GET(self):
                response = httpx.get(api_url + self.path, headers={"Accept": "application/json"})
                outer.answered.append(response.json().get("block", {}).get("number"))
                if outer.moves > 0:
                    outer.moves -= 1
                    mine(w3)
                    wait_until_indexed(api_url, w3)
                self.send_response(response.status_code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(response.content)))
                self.end_headers()
                self.wfile.write(response.content)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Forward)
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def test_answers_from_two_blocks_are_asked_again_and_shown_at_one(cli, w3, c, chain, deployments_file, api_url, capsys, synced):
    member = new_member(w3, c)
    synced()
    with MovingApi(api_url, w3, moves=1) as api:
        code, out, err = make_cli(chain, deployments_file, api.url, cli.keystore, capsys)("benefits", member.address)
    assert code == 0, err
    first, second, *again = api.answered
    assert second == first + 1 and again == [second, second]  # the profile, then the benefits a block later: asked again
    assert out.startswith(f"{member.address}: level 1\n") and out.endswith(f"(records up to block {second})\n")


def test_an_api_that_keeps_moving_while_answering_is_one_line(cli, w3, c, chain, deployments_file, api_url, capsys, synced):
    member = new_member(w3, c)
    synced()
    with MovingApi(api_url, w3, moves=100) as api:
        code, out, err = make_cli(chain, deployments_file, api.url, cli.keystore, capsys)("benefits", member.address)
    assert (code, out) == (1, "")
    assert err == f"error: the Odyssey API at {api.url} kept moving to new blocks while answering; try again\n"
    assert len(api.answered) == 10 and len(set(api.answered)) == 10  # five tries of two answers, each a block apart


def _two_pages(api_url) -> int:
    """A page size that splits the members list into two pages."""
    members, _block = Api(api_url).all_pages("/members")
    assert len(members) >= 2
    return (len(members) + 1) // 2


def test_a_list_whose_pages_come_from_two_blocks_is_asked_again_whole(w3, c, api_url, synced):
    new_member(w3, c)
    synced()
    page_size = _two_pages(api_url)
    with MovingApi(api_url, w3, moves=1) as api:
        members, block = Api(api.url).all_pages("/members", page_size=page_size)
    first, second, *again = api.answered
    assert second == first + 1 and again == [second, second] and block == second  # both pages again, a block later
    assert members == Api(api_url).all_pages("/members")[0]


def test_a_list_that_keeps_moving_between_its_pages_is_one_error(w3, c, api_url, synced):
    new_member(w3, c)
    synced()
    page_size = _two_pages(api_url)
    with MovingApi(api_url, w3, moves=100) as api, pytest.raises(CliError) as refused:
        Api(api.url).all_pages("/members", page_size=page_size)
    assert str(refused.value) == f"the Odyssey API at {api.url} kept moving to new blocks while answering; try again"
    assert len(api.answered) == 2 * SAME_BLOCK_TRIES and len(set(api.answered)) == 2 * SAME_BLOCK_TRIES
