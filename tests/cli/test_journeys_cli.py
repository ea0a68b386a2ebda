"""`odyssey journeys`, `odyssey play` and `odyssey code` against the real API, issuer and relay: a member signs in
with their keystore, fails then passes the sample quiz, enters the kiosk's code, and pays no gas."""
import json

import pyotp
import yaml
from eth_account import Account

from tests.cli.conftest import write_wallet
from tests.support.issuer import SAMPLE_SECRETS
from tests.support.web import fund, gasless_for

QUIZ, KIOSK, RECEIPT = 101, 102, 104
SECRETS = yaml.safe_load(SAMPLE_SECRETS.read_text())
RIGHT = ",".join(f"{q}={a}" for q, a in SECRETS["quizzes"]["origins-quiz"].items())


def test_journeys_lists_how_each_stamp_is_earned_without_a_wallet(cli, synced):
    synced()
    code, out, err = cli("journeys")
    assert code == 0, err
    assert "Coffee Origins (journey 1)" in out
    assert "#101    Origins Quiz · 10 points · quiz — Three questions" in out
    assert "the code on the kiosk" in out and "purchase at a partner" in out and "finish the journey" in out
    assert "collected" not in out  # no wallet: no progress


def test_play_fails_then_passes_the_quiz_gasless_and_journeys_shows_progress(cli, w3, c, synced):
    member = write_wallet(cli.keystore, Account.create())
    with gasless_for(w3, member):
        code, out, err = cli("play", str(QUIZ), "--answers", "q1=a,q2=b,q3=a")
        assert code == 1 and err.strip() == "error: not passed: 0 of 3 right, 2 needed; try again (attempts are limited per day)"
        code, out, err = cli("play", str(QUIZ), "--answers", RIGHT, "--json")
        assert code == 0, err
    result = json.loads(out)
    assert result["passed"] is True and result["status"] == "collected" and result["totalPoints"] == 10
    assert c["OdysseyStamps"].functions.balanceOf(member, QUIZ).call() == 1
    synced()
    code, out, err = cli("journeys")
    assert "1 of 4 collected" in out and "✓ #101" in out
    code, out, err = cli("play", str(QUIZ), "--answers", RIGHT)  # English: the issuer's own line, naming the stamp
    assert (code, err) == (1, "error: you already have the Origins Quiz stamp\n")


def test_code_enters_the_kiosks_current_code(cli, w3, c):
    member = write_wallet(cli.keystore, Account.create())
    now = pyotp.TOTP(SECRETS["seeds"]["farm-kiosk"]).now()
    with gasless_for(w3, member):
        code, out, err = cli("code", str(KIOSK), now)
    assert code == 0, err
    assert out.startswith("code accepted\ncollected Farm Visit (25 points)")


def test_wrong_code_and_wrong_kind_are_one_clear_line(cli):
    write_wallet(cli.keystore, Account.create())
    code, _out, err = cli("code", str(KIOSK), "000000x")
    assert code == 1 and err.strip() == "error: code: that code is not right: check it and try again"
    code, _out, err = cli("play", str(KIOSK))
    assert code == 1 and err.strip() == "error: stamp 102 (Farm Visit) is not a quiz: it is earned by the code on the kiosk (odyssey code 102 <code>)"
    code, _out, err = cli("code", str(RECEIPT), "x")
    assert code == 1 and "is earned by purchase at a partner" in err
    code, _out, err = cli("play", "9999999")
    assert code == 1 and "there is no stamp 9999999" in err


def test_play_with_pay_gas_claims_from_the_members_own_account(cli, w3, c):
    member = write_wallet(cli.keystore, Account.create())
    fund(w3, member)
    before = w3.eth.get_balance(member)
    code, out, err = cli("play", str(QUIZ), "--answers", RIGHT, "--pay-gas", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["status"] == "collected" and result["voucher"]["status"] == "ready"
    assert c["OdysseyStamps"].functions.balanceOf(member, QUIZ).call() == 1
    assert w3.eth.get_balance(member) < before  # the member paid the fee
