"""The member CLI on a real Ganache and the real API and relay server: main(argv) as a member would type it. What it
shows is read from the API once its indexer caught up with what the test did."""
import json
import os
import stat

import pytest
from eth_account import Account

from backend.chain.protocol import voucher_link
from tests.cli.conftest import STAMPS, make_cli, write_wallet
from tests.support.governance import without_governance
from tests.support.web import RELAYER, costs_relayer_nothing, fund, voucher_for

_stamp_ids = iter(STAMPS)


def new_wallet(cli) -> str:
    code, out, err = cli("wallet", "new", "--json")
    assert code == 0, err
    return json.loads(out)["address"]


def member_wallet(cli) -> str:
    """A wallet for tests about what a member does with it (light keystore, fast to unlock)."""
    return write_wallet(cli.keystore, Account.create())


# ---------------------------------------------------------------- wallet


def test_wallet_new_writes_an_encrypted_keystore_only_the_owner_reads(cli):
    address = new_wallet(cli)
    keyfile = json.loads(cli.keystore.read_text())
    assert keyfile["version"] == 3 and "crypto" in keyfile
    assert stat.S_IMODE(os.stat(cli.keystore).st_mode) == 0o600
    assert Account.from_key(Account.decrypt(keyfile, "correct horse")).address == address
    code, out, _ = cli("wallet", "address")
    assert code == 0 and out.strip() == address


def test_wallet_new_refuses_to_overwrite(cli):
    new_wallet(cli)
    code, out, err = cli("wallet", "new")
    assert code == 1 and err.startswith("error: a wallet already exists at") and "--force" in err


def test_wallet_import_takes_a_key_and_refuses_garbage(cli, monkeypatch):
    key = Account.create()
    monkeypatch.setenv("ODYSSEY_PRIVATE_KEY", "0x" + key.key.hex())
    code, out, _ = cli("wallet", "import")
    assert code == 0 and key.address in out
    monkeypatch.setenv("ODYSSEY_PRIVATE_KEY", "0x1234")
    code, _, err = cli("wallet", "import", "--force")
    assert code == 1 and err.strip() == "error: that is not a private key (64 hex digits)"


def test_passwords_and_keys_are_prompted_without_echo(cli, monkeypatch):
    prompts = []
    key = Account.create()

    def fake_getpass(prompt):
        prompts.append(prompt)
        return "0x" + key.key.hex() if prompt.startswith("Private key") else "typed secret"

    monkeypatch.delenv("ODYSSEY_PASSWORD")
    monkeypatch.setattr("getpass.getpass", fake_getpass)
    code, out, _ = cli("wallet", "import")
    assert code == 0 and key.address in out
    assert prompts[0].startswith("Private key") and prompts[1].startswith("New password") and prompts[2].startswith("Repeat")
    assert "typed secret" not in out and key.key.hex() not in out


def test_mismatched_new_passwords_are_refused(cli, monkeypatch):
    answers = iter(["one", "two"])
    monkeypatch.delenv("ODYSSEY_PASSWORD")
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    code, _, err = cli("wallet", "new")
    assert code == 1 and err.strip() == "error: the passwords do not match"
    assert not cli.keystore.exists()


def test_wrong_password_is_one_clear_line(cli, monkeypatch):
    new_wallet(cli)
    monkeypatch.setenv("ODYSSEY_PASSWORD", "wrong")
    code, out, err = cli("join")
    assert code == 1 and out == ""
    assert err == f"error: wrong password for {cli.keystore}\n"


def test_missing_wallet_says_how_to_make_one(cli):
    code, _, err = cli("join")
    assert code == 1 and "create one with `odyssey wallet new`" in err


# ---------------------------------------------------------------- gasless membership


def test_join_is_gasless(cli, w3, c):
    address = member_wallet(cli)
    relayer_nonce = w3.eth.get_transaction_count(RELAYER.address)
    code, out, err = cli("join")
    assert code == 0, err
    number = c["OdysseyStamps"].functions.memberOf(address).call()[0]
    assert out.strip() == f"welcome: {address} is member #{number}"
    assert w3.eth.get_balance(address) == 0
    assert w3.eth.get_transaction_count(RELAYER.address) == relayer_nonce + 1


def test_join_twice_is_refused_before_anything_is_sent(cli, w3, c):
    address = member_wallet(cli)
    assert cli("join")[0] == 0
    with costs_relayer_nothing(w3):
        code, _, err = cli("join")
    assert code == 1 and err.startswith(f"error: {address} is already member #")


def test_join_json_output(cli, c):
    address = member_wallet(cli)
    code, out, _ = cli("join", "--json")
    result = json.loads(out)
    assert code == 0 and result["status"] == "mined" and result["relayed"] is True and result["address"] == address
    assert result["txHash"].startswith("0x") and result["number"] == c["OdysseyStamps"].functions.memberOf(address).call()[0]


def test_delegate_is_gasless_and_moves_votes(cli, w3, c):
    stamps = c["OdysseyStamps"]
    address = member_wallet(cli)
    stamp_id = next(_stamp_ids)
    voucher = voucher_for(stamps, address, stamp_id)
    assert cli("claim", voucher_link("http://x", voucher))[0] == 0
    friend = Account.create().address
    code, out, err = cli("delegate", friend)
    assert code == 0, err
    assert out.strip() == f"your 20 points now vote through {friend}"
    assert stamps.functions.getVotes(friend).call() == 20
    assert w3.eth.get_balance(address) == 0  # the member never had gas
    code, _, err = cli("delegate", "0xnot-an-address")
    assert code == 1 and err.strip() == "error: delegate '0xnot-an-address' is not an address (0x and 40 hex digits)"


def test_pay_gas_sends_from_the_members_own_account(cli, w3, c):
    address = member_wallet(cli)
    fund(w3, address)
    relayer_nonce = w3.eth.get_transaction_count(RELAYER.address)
    code, out, err = cli("join", "--pay-gas", "--json")
    assert code == 0, err
    tx = w3.eth.get_transaction(json.loads(out)["txHash"])
    assert tx["from"] == address and json.loads(out)["relayed"] is False
    assert w3.eth.get_transaction_count(RELAYER.address) == relayer_nonce
    assert c["OdysseyStamps"].functions.isMember(address).call()


def test_pay_gas_without_ether_says_so(cli):
    address = member_wallet(cli)
    code, _, err = cli("join", "--pay-gas")
    assert code == 1 and err.strip() == f"error: {address} has no ETH to pay gas; leave out --pay-gas to send gaslessly through the relay"


# ---------------------------------------------------------------- claims


def test_claim_from_a_link_then_stamps_shows_it(cli, w3, c, synced):
    stamps = c["OdysseyStamps"]
    address = member_wallet(cli)
    stamp_id = next(_stamp_ids)
    link = voucher_link("http://127.0.0.1:8000", voucher_for(stamps, address, stamp_id))

    code, out, err = cli("claim", link)

    assert code == 0, err
    assert out.splitlines() == [f"claimed Stamp {stamp_id} (20 points) for {address}", "now 20 points, level 1"]
    assert w3.eth.get_balance(address) == 0
    block = synced()
    code, out, _ = cli("stamps")
    assert code == 0
    lines = out.splitlines()
    number = c["OdysseyStamps"].functions.memberOf(address).call()[0]
    assert lines[0].startswith(f"{address}: member #{number} since ")
    assert lines[1:] == [
        "points 20 · level 1, 30 points to level 2",
        "votes 20",
        "stamps (1):",
        f"  #{stamp_id:<6} Stamp {stamp_id} · 20 points",
        f"(records up to block {block})",
    ]


def test_claim_from_a_batch_file_picks_the_wallets_voucher(cli, c, tmp_path):
    stamps = c["OdysseyStamps"]
    address = member_wallet(cli)
    stamp_id = next(_stamp_ids)
    batch = [voucher_for(stamps, Account.create().address, stamp_id).as_dict(), voucher_for(stamps, address, stamp_id).as_dict()]
    path = tmp_path / "vouchers.json"
    path.write_text(json.dumps(batch))
    code, out, err = cli("claim", str(path), "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["member"] == address and result["stampId"] == stamp_id and result["totalPoints"] == 20


def test_claim_needs_no_wallet(cli, w3, c, tmp_path):
    stamps = c["OdysseyStamps"]
    member = Account.create().address
    stamp_id = next(_stamp_ids)
    path = tmp_path / "one.json"
    path.write_text(json.dumps(voucher_for(stamps, member, stamp_id).as_dict()))
    code, _, err = cli("claim", str(path))
    assert code == 0, err
    assert stamps.functions.balanceOf(member, stamp_id).call() == 1


def test_already_claimed_voucher_is_one_clear_line(cli, w3, c):
    stamps = c["OdysseyStamps"]
    member = Account.create().address
    link = voucher_link("http://x", voucher_for(stamps, member, next(_stamp_ids)))
    assert cli("claim", link)[0] == 0
    with costs_relayer_nothing(w3):
        code, out, err = cli("claim", link)
    assert code == 1 and out == ""
    assert err == "error: this voucher was already claimed (or revoked)\n"


def test_expired_voucher_is_one_clear_line(cli, w3, c):
    stamps = c["OdysseyStamps"]
    voucher = voucher_for(stamps, Account.create().address, next(_stamp_ids), valid_for=-3600)
    with costs_relayer_nothing(w3):
        code, _, err = cli("claim", voucher_link("http://x", voucher))
    assert code == 1
    assert err.startswith("error: this voucher expired on ") and err.endswith("; ask for a new one\n")


def test_voucher_for_a_stamp_the_member_holds_is_refused_by_the_relay_simulation(cli, w3, c):
    stamps = c["OdysseyStamps"]
    member = Account.create().address
    stamp_id = next(_stamp_ids)
    assert cli("claim", voucher_link("http://x", voucher_for(stamps, member, stamp_id)))[0] == 0
    with costs_relayer_nothing(w3):
        code, _, err = cli("claim", voucher_link("http://x", voucher_for(stamps, member, stamp_id)))
    assert code == 1
    assert err == f"error: {member} already holds stamp {stamp_id} (OdysseyAlreadyHolds(member={member}, stampId={stamp_id}))\n"


@pytest.mark.parametrize(
    "source, message",
    [
        ("http://x/#claim=!!!", "error: claim link is damaged"),
        ("no-such-file.json", "error: no-such-file.json: not a claim link, a voucher file or voucher JSON"),
        ('{"member": "0x0000000000000000000000000000000000000001"}', "error: {\"member\""),
    ],
)
def test_damaged_vouchers_are_one_clear_line(cli, source, message):
    code, out, err = cli("claim", source)
    assert code == 1 and out == "" and err.startswith(message) and err.count("\n") == 1


def test_relay_down_is_one_clear_line(cli, c, chain, deployments_file, api_url, capsys):
    from backend.cli.main import main

    member = Account.create().address
    link = voucher_link("http://x", voucher_for(c["OdysseyStamps"], member, next(_stamp_ids)))
    code = main(["claim", link, "--rpc", chain.url, "--api", api_url, "--relay", "http://127.0.0.1:9",
                 "--deployments", str(deployments_file)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("error: cannot reach the relay at http://127.0.0.1:9") and "--pay-gas" in err


# ---------------------------------------------------------------- reading


def test_stamps_of_another_address_as_json(cli, c, synced):
    stamps = c["OdysseyStamps"]
    member = Account.create().address
    stamp_id = next(_stamp_ids)
    assert cli("claim", voucher_link("http://x", voucher_for(stamps, member, stamp_id)))[0] == 0
    block = synced()
    code, out, _ = cli("stamps", member, "--json")
    result = json.loads(out)
    assert code == 0
    assert result["member"] is True and result["points"] == 20 and result["level"] == 1 and result["nextLevelPoints"] == 50
    assert result["number"] == stamps.functions.memberOf(member).call()[0] and result["block"] == block
    assert result["votes"] == 20 and result["delegate"] == member
    assert result["stamps"] == [{"stampId": stamp_id, "name": f"Stamp {stamp_id}", "points": 20, "journeyId": 70, "soulbound": True, "balance": 1}]


def test_stamps_of_a_stranger(cli, synced):
    stranger = Account.create().address
    block = synced()
    code, out, _ = cli("stamps", stranger)
    assert code == 0
    assert out.splitlines() == [
        f"{stranger}: not a member yet", "points 0 · level 0, 10 points to level 1", "no stamps yet", f"(records up to block {block})",
    ]


def test_ideas_lists_the_board_with_support(cli, c, synced):
    stamps = c["OdysseyStamps"]
    author = member_wallet(cli)
    assert cli("claim", voucher_link("http://x", voucher_for(stamps, author, next(_stamp_ids))))[0] == 0
    code, out, err = cli("idea", "submit", "Stamps for refills", "--uri", "ipfs://refills", "--json")
    assert code == 0, err
    idea_id = json.loads(out)["ideaId"]
    block = synced()
    code, out, err = cli("ideas", "--stage", "open", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["block"] == block
    entry = {i["ideaId"]: i for i in result["ideas"]}[idea_id]
    assert entry == {"ideaId": idea_id, "title": "Stamps for refills", "stage": "open", "author": author, "uri": "ipfs://refills",
                     "supporters": 0, "supportWeight": 0, "proposalId": None}
    code, out, _ = cli("ideas")
    assert f"#{idea_id}  [open]  Stamps for refills\n    by {author} · 0 supporters (0 points)\n" in out
    assert out.endswith(f"(records up to block {block})\n")
    code, out, _ = cli("ideas", "--stage", "realised")
    assert code == 0 and f"#{idea_id} " not in out


def test_api_down_is_one_clear_line(capsys):
    from backend.cli.main import main

    for argv in (["stamps", "0x0000000000000000000000000000000000000001"], ["proposals"], ["ideas"], ["benefits", "0x0000000000000000000000000000000000000001"]):
        code = main([*argv, "--api", "http://127.0.0.1:9"])
        assert code == 1
        assert capsys.readouterr().err == "error: cannot reach the Odyssey API at http://127.0.0.1:9 (ConnectError); set --api or ODYSSEY_API_URL\n"


def test_a_url_that_is_not_the_api_is_one_clear_line(chain, capsys):
    from backend.cli.main import main

    someone = "0x0000000000000000000000000000000000000001"
    for argv in (["proposals"], ["ideas"], ["stamps", someone], ["benefits", someone]):
        code = main([*argv, "--api", chain.url])  # the chain node, not the API
        err = capsys.readouterr().err
        assert code == 1 and err.startswith(f"error: {chain.url} is not an Odyssey API (") and err.count("\n") == 1, argv


# ---------------------------------------------------------------- a deployment without governance


@pytest.fixture
def pre_governance_cli(chain, deployments_file, api_url, tmp_path, cli, capsys):
    """The CLI with a deployments file whose governance entries are dropped, as one written before governance."""
    return make_cli(chain, without_governance(deployments_file, tmp_path), api_url, cli.keystore, capsys)


@pytest.mark.parametrize(
    "argv, missing",
    [
        (("vote", "1", "for"), "governance (the DAO's governor) is not deployed on chain 1337 yet (OdysseyGovernor"),
        (("idea", "support", "1"), "the ideas board is not deployed on chain 1337 yet (IdeaBoard"),
    ],
)
def test_governance_commands_on_a_deployment_without_governance_are_one_clear_line(cli, pre_governance_cli, argv, missing):
    member_wallet(cli)
    code, out, err = pre_governance_cli(*argv)
    assert code == 1 and out == ""
    assert err.startswith(f"error: {missing} is not in the deployments file)") and err.count("\n") == 1


def test_usage_errors_exit_2(cli):
    assert cli("vote")[0] == 2
    assert cli("wallet", "burn")[0] == 2


# ---------------------------------------------------------------- benefits


def test_benefits_list_and_gasless_redeem(cli, w3, c, synced):
    from tests.support.web import OPS, send

    stamps, benefits = c["OdysseyStamps"], c["OdysseyBenefits"]
    address = member_wallet(cli)
    assert cli("claim", voucher_link("http://x", voucher_for(stamps, address, next(_stamp_ids))))[0] == 0
    # levels count at the block before a benefit is set: the member reached level 1 before these
    send(w3, benefits.functions.createBenefit(1, 5, "ipfs://free-coffee"), OPS)
    coffee = benefits.functions.benefitCount().call()
    send(w3, benefits.functions.createBenefit(3, 2**32 - 1, "ipfs://roastery-tour"), OPS)
    tour = coffee + 1

    block = synced()
    code, out, _ = cli("benefits")
    assert code == 0
    assert out.startswith(f"{address}: level 1\n") and out.endswith(f"(records up to block {block})\n")
    assert f"  #{coffee:<4} ipfs://free-coffee · level 1+ · 5 left · available: odyssey redeem {coffee}" in out
    assert f"  #{tour:<4} ipfs://roastery-tour · level 3+ · needs level 3" in out

    code, out, err = cli("redeem", str(coffee))
    assert code == 0, err
    assert out.strip() == f"redeemed benefit #{coffee}"
    assert benefits.functions.redeemed(coffee, address).call()
    assert w3.eth.get_balance(address) == 0

    synced()
    code, out, _ = cli("benefits", "--json")
    listed = {b["benefitId"]: b for b in json.loads(out)["benefits"]}
    assert listed[coffee]["redeemed"] is True and listed[coffee]["stock"] == 4 and listed[coffee]["available"] is False
    assert listed[tour]["stock"] is None and listed[tour]["available"] is False

    with costs_relayer_nothing(w3):
        code, _, err = cli("redeem", str(coffee))
        assert code == 1 and err == f"error: you already redeemed benefit {coffee}\n"
        code, _, err = cli("redeem", str(tour))
        assert code == 1
        assert err == (
            f"error: this benefit needs level 3 when it was set (you were level 1 then) "
            f"(BenefitLevelTooLow(member={address}, level=1, minLevel=3))\n"
        )
        code, _, err = cli("redeem", "lots")
        assert code == 1 and err == "error: benefit 'lots' is not a number\n"


# ---------------------------------------------------------------- as a process


def test_runs_as_a_process_without_brownie(tmp_path):
    import subprocess
    import sys

    from backend.dev.chain import ROOT

    env = {**os.environ, "ODYSSEY_PASSWORD": "pw", "PYTHONPATH": str(ROOT)}
    keystore = tmp_path / "k.json"
    new = subprocess.run([sys.executable, "-m", "backend.cli", "wallet", "new", "--keystore", str(keystore), "--json"], env=env, capture_output=True, text=True)
    assert new.returncode == 0, new.stderr
    shown = subprocess.run([sys.executable, "-m", "backend.cli", "wallet", "address", "--keystore", str(keystore)], env=env, capture_output=True, text=True)
    assert shown.stdout.strip() == json.loads(new.stdout)["address"]
    missing = subprocess.run([sys.executable, "-m", "backend.cli", "stamps", "--keystore", str(tmp_path / "none.json")], env=env, capture_output=True, text=True)
    assert missing.returncode == 1 and missing.stderr.startswith("error: ") and missing.stderr.count("\n") == 1
    imports = subprocess.run(
        [sys.executable, "-c", "import sys, backend.cli.main, backend.relay.router, backend.relay.__main__; "
         "print([m for m in sys.modules if m.split('.')[0] == 'brownie'])"],
        env=env, capture_output=True, text=True,
    )
    assert imports.stdout.strip() == "[]", imports.stderr


def test_unreachable_chain_node_is_one_clear_line(capsys):
    from backend.cli.main import main

    code = main(["delegate", "0x0000000000000000000000000000000000000001", "--rpc", "http://127.0.0.1:9"])
    assert code == 1
    assert capsys.readouterr().err == "error: cannot reach the chain node at http://127.0.0.1:9 (set --rpc or ODYSSEY_RPC_URL)\n"
