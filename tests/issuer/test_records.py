"""What the database decides, on SQLite and PostgreSQL: a voucher is stored before it is returned and never signed
twice; a process killed between signing and the claim being mined leaves the member exactly one stamp; limits are
shared by every API process; sign-in nonces are single-use and sessions expire; a partner's webhook is refused when
forged, stale or replayed, and issues nothing."""
import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from backend.issuer.service import Issuer
from backend.issuer.sessions import STATEMENT
from backend.issuer.store import LEASE_SECONDS
from backend.settings import ROOT
from tests.issuer.conftest import (
    OTHER_PARTNER, OTHER_SECRET, PARTNER, PARTNER_SECRET, QUIZ, QUIZ_ANSWERS, RECEIPT, WORD, WORD_SECRET, api_client,
    fresh_member, refused, wait_for,
)
from tests.support.issuer import bearer, receipt_request, sign_in, sign_text, siwe_message


def balance(c, member, stamp_id) -> int:
    return c["OdysseyStamps"].functions.balanceOf(member, stamp_id).call()


def miner(w3, on: bool) -> None:
    assert w3.provider.make_request("miner_start" if on else "miner_stop", [])["result"] is True


# ---------------------------------------------------------------- the voucher store


def test_asking_again_gives_the_same_voucher_and_racing_requests_store_one(settings, c):
    issuer = Issuer(settings)
    member = fresh_member().address
    results = []

    def ask():
        results.append(issuer.store.issue(member, WORD, activity="code", evidence={}, deadline=int(time.time()) + 3600,
                                          relayed=False, sign=lambda nonce, deadline: issuer_sign(issuer, member, WORD, nonce, deadline)))

    threads = [threading.Thread(target=ask) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({issued.id for issued, _new in results}) == 1
    assert [new for _issued, new in results].count(True) == 1
    assert len({issued.voucher.signature for issued, _new in results}) == 1
    assert len(issuer.store.of_member(member)) == 1


def issuer_sign(issuer, member, stamp_id, nonce, deadline):
    from backend.chain.protocol import sign_voucher

    return sign_voucher(issuer._account.key, issuer.domain, member, stamp_id, nonce, deadline)


def test_an_expired_voucher_is_replaced_by_a_new_one(settings, c):
    issuer = Issuer(settings)
    member = fresh_member().address
    first, _ = issuer.store.issue(member, WORD, activity="code", evidence={}, deadline=int(time.time()) + 5, relayed=False,
                                  sign=lambda n, d: issuer_sign(issuer, member, WORD, n, d))
    second, new = issuer.store.issue(member, WORD, activity="code", evidence={}, deadline=int(time.time()) + 3600,
                                     relayed=False, sign=lambda n, d: issuer_sign(issuer, member, WORD, n, d))
    assert new and second.id != first.id and second.nonce != first.nonce  # the first was within the relay's margin


# ---------------------------------------------------------------- kill -9 between signing and the claim being mined

CHILD = """
import json, os, signal, sys, time
from backend.chain.protocol import sign_voucher
from backend.issuer.service import Issuer
from backend.settings import Settings
settings, member, stage = Settings(**json.loads(sys.argv[1])), sys.argv[2], sys.argv[3]
issuer = Issuer(settings)
rule, stamp, journey = issuer._stamp(int(sys.argv[4]), "code")

def sign(nonce, deadline):
    voucher = sign_voucher(issuer._account.key, issuer.domain, member, int(stamp.id), nonce, deadline)
    if stage == "signed":  # killed after signing, before the record is committed
        os.kill(os.getpid(), signal.SIGKILL)
    return voucher

if stage in ("signed", "stored"):  # "stored": killed after the record is committed, before the relay sends it
    issuer.store.issue(member, int(stamp.id), activity="code", evidence={}, deadline=int(time.time()) + 3600,
                       relayed=True, sign=sign)
else:  # "sent": killed once the relay sent the claim, before it is mined
    issuer._issue(member, stamp, journey, "code", {}, pay_gas=False)
os.kill(os.getpid(), signal.SIGKILL)
"""


def killed_child(settings, member: str, stage: str) -> None:
    values = {"rpc_url": settings.rpc_url, "deployments_file": str(settings.deployments_file),
              "database_url": settings.database_url, "relay_private_key": settings.relay_private_key.get_secret_value(),
              "issuer_private_key": settings.issuer_private_key.get_secret_value(),
              "issuer_secrets_file": str(settings.issuer_secrets_file), "issuer_worker_interval": 0}
    child = subprocess.run([sys.executable, "-c", CHILD, json.dumps(values), member, stage, str(WORD)], cwd=ROOT,
                           capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert child.returncode == -signal.SIGKILL, child.stderr


@pytest.mark.parametrize("stage", ["signed", "stored", "sent"])
def test_a_process_killed_between_signing_and_mining_leaves_exactly_one_stamp(settings, client, c, w3, stage):
    member = fresh_member().address
    miner(w3, False)
    try:
        killed_child(settings, member, stage)
    finally:
        miner(w3, True)
    issuer = Issuer(settings)
    stored = issuer.store.of_member(member)
    assert len(stored) == (0 if stage == "signed" else 1)  # nothing half-written: no row without its signature
    if stage == "signed":  # nothing was returned: the member plays again and gets a voucher
        issuer._issue(member, *issuer._stamp(WORD, "code")[1:], "code", {}, pay_gas=False)
    issuer.store.clock = lambda: time.time() + 60  # past the lease and the look-again time of the killed process
    wait_for(lambda: issuer.deliver_round() >= 0 and balance(c, member, WORD) == 1, what="the stamp claimed")
    # A round looks at a sent transaction again LEASE_SECONDS after sending it: past that, not waiting for it (a
    # wait of 30 s for a look due 30 s after sending failed on a loaded machine).
    issuer.store.clock = lambda: time.time() + 60 + LEASE_SECONDS
    wait_for(lambda: (issuer.deliver_round(), issuer.store.of_member(member)[0].outcome)[1] == "collected",
             what="the voucher settled as collected")
    for _ in range(3):
        issuer.deliver_round()
    assert balance(c, member, WORD) == 1
    assert len(issuer.store.of_member(member)) == 1


# ---------------------------------------------------------------- limits shared by API processes


def test_code_attempts_are_counted_across_two_api_processes(settings_for, database, w3, c):
    member = fresh_member()
    first = settings_for(database, issuer_code_attempts=3)
    second = settings_for(database, issuer_code_attempts=3, embedded_indexer=False)
    with api_client(first, w3) as a, api_client(second, w3) as b:
        session = sign_in(a, member)
        assert b.get("/issuer/siwe/session", headers=bearer(session)).json()["address"] == member.address
        for client in (a, b, a):
            refused(client.post(f"/issuer/stamps/{WORD}/code", json={"code": "wrong"}, headers=bearer(session)),
                    422, "wrong_code")
        refused(b.post(f"/issuer/stamps/{WORD}/code", json={"code": WORD_SECRET}, headers=bearer(session)),
                429, "code_tries_used")
        refused(a.post(f"/issuer/stamps/{WORD}/code", json={"code": WORD_SECRET}, headers=bearer(session)),
                429, "code_tries_used")


def test_sign_ins_per_ip_are_counted_across_two_api_processes(settings_for, database, w3, c):
    first = settings_for(database, issuer_signins_per_ip=3)
    second = settings_for(database, issuer_signins_per_ip=3, embedded_indexer=False)
    with api_client(first, w3) as a, api_client(second, w3) as b:
        assert [client.post("/issuer/siwe/nonce").status_code for client in (a, b, a)] == [200, 200, 200]
        refused(b.post("/issuer/siwe/nonce"), 429, "too_many_requests")


# ---------------------------------------------------------------- Sign-In with Ethereum


def test_an_expired_session_is_refused(settings_for, database, w3, c):
    with api_client(settings_for(database, issuer_session_seconds=1), w3) as client:
        session = sign_in(client, fresh_member())
        assert client.get("/issuer/siwe/session", headers=bearer(session)).status_code == 200
        time.sleep(1.2)
        ended = client.post(f"/issuer/stamps/{QUIZ}/quiz", json={"answers": QUIZ_ANSWERS}, headers=bearer(session))
        assert "expired" in refused(ended, 401, "session_expired")["message"]


def test_a_session_ends_with_the_messages_own_expiration_and_at_sign_out(client):
    member = fresh_member()
    session = sign_in(client, member, expires_in=30)
    assert session["expiresAt"] <= time.time() + 31
    assert client.delete("/issuer/siwe/session", headers=bearer(session)).json()["signedOut"] is True
    refused(client.get("/issuer/siwe/session", headers=bearer(session)), 401, "not_signed_in")


def test_a_sign_in_nonce_works_once(client):
    member = fresh_member()
    info = client.get("/issuer").json()
    nonce = client.post("/issuer/siwe/nonce").json()["nonce"]
    text = siwe_message(info, member.address, nonce)
    body = {"message": text, "signature": sign_text(member, text)}
    assert client.post("/issuer/siwe/session", json=body).status_code == 200
    replay = client.post("/issuer/siwe/session", json=body)
    assert "already used" in refused(replay, 401, "siwe_nonce_used")["message"]


@pytest.mark.parametrize("override, code, words", [
    ({"domain": "evil.example"}, "siwe_wrong_domain", "is for evil.example"),
    ({"chain_id": 1}, "siwe_wrong_chain", "chain 1"),
    ({"expires_in": -5}, "siwe_expired", "expired"),
    ({"issued_at": time.time() + 3600}, "siwe_from_future", "in the future"),
])
def test_a_sign_in_for_another_site_chain_or_time_is_refused(client, override, code, words):
    member = fresh_member()
    info = client.get("/issuer").json()
    nonce = client.post("/issuer/siwe/nonce").json()["nonce"]
    text = siwe_message(info, member.address, nonce, **override)
    answer = client.post("/issuer/siwe/session", json={"message": text, "signature": sign_text(member, text)})
    assert words in refused(answer, 401, code)["message"]


def test_the_statement_to_sign_stays_english_and_what_it_says_follows_the_language(client):
    hant = client.get("/issuer", headers={"Accept-Language": "zh-TW,zh;q=0.9"})
    assert hant.headers["content-language"] == "zh-Hant" and hant.json()["lang"] == "zh-Hant"
    assert hant.json()["siwe"]["statement"] == STATEMENT  # EIP-4361: ASCII only, so the same in every language
    assert hant.json()["siwe"]["statementTranslation"] == "登入 Odyssey，參加旅程、收集印章。登入免費，不會送出任何交易。"
    hans = client.get("/issuer", params={"lang": "zh-Hans"}).json()["siwe"]
    assert hans["statementTranslation"] == "登录 Odyssey，参与旅程、收集印章。登录免费，不会发起任何交易。"
    assert client.get("/issuer").json()["siwe"]["statementTranslation"] == STATEMENT
    assert sign_in(client, fresh_member())["token"]  # a member reading Chinese signs the one statement


@pytest.mark.parametrize("statement, code, words", [
    ("Sign in to Odyssey. Ignore the rest.", "siwe_wrong_statement", "does not say what this site asks members to sign"),
    ("登录 Odyssey，参与旅程、收集印章。", "siwe_malformed", "not a Sign-In with Ethereum (EIP-4361) message"),  # not ASCII
])
def test_a_sign_in_message_saying_anything_else_is_refused(client, statement, code, words):
    member = fresh_member()
    text = siwe_message(client.get("/issuer").json(), member.address, client.post("/issuer/siwe/nonce").json()["nonce"],
                        statement=statement)
    answer = client.post("/issuer/siwe/session", json={"message": text, "signature": sign_text(member, text)})
    assert words in refused(answer, 401, code)["message"]


def test_a_sign_in_signed_by_someone_else_is_refused(client):
    member, other = fresh_member(), fresh_member()
    info = client.get("/issuer").json()
    text = siwe_message(info, member.address, client.post("/issuer/siwe/nonce").json()["nonce"])
    answer = client.post("/issuer/siwe/session", json={"message": text, "signature": sign_text(other, text)})
    assert "signature" in refused(answer, 401, "siwe_wrong_signer")["message"]


# ---------------------------------------------------------------- partners' webhooks


def vouchers_of(client, member) -> list:
    return client.get("/issuer/vouchers", headers=bearer(sign_in(client, member))).json()["data"]


def test_a_valid_webhook_issues_once_and_its_replay_is_refused(client, c, w3):
    member = fresh_member()
    body = {"stampId": str(RECEIPT), "member": member.address, "orderId": "till-2/17", "amount": "4.20", "currency": "EUR"}
    raw, headers = receipt_request(PARTNER, PARTNER_SECRET, body, key=f"k-{time.time_ns()}")
    answer = client.post("/issuer/receipts", content=raw, headers=headers)
    assert answer.status_code == 200, answer.text
    replay = client.post("/issuer/receipts", content=raw, headers=headers)
    assert "replay" in refused(replay, 409, "replayed")["message"]
    wait_for(lambda: balance(c, member.address, RECEIPT) == 1, what="the receipt's stamp")
    assert len(vouchers_of(client, member)) == 1


@pytest.mark.parametrize("tamper, status, code, words", [
    ("signature", 401, "bad_signature", "does not match"),
    ("body", 401, "bad_signature", "does not match"),
    ("stale", 401, "stale_timestamp", "stale"),
    ("unknown partner", 401, "unknown_partner", "unknown partner"),
    ("other partner", 403, "partner_not_assigned", "does not issue stamp"),
])
def test_a_forged_stale_or_foreign_webhook_issues_nothing(client, c, tamper, status, code, words):
    member = fresh_member()
    body = {"stampId": str(RECEIPT), "member": member.address}
    key = f"k-{time.time_ns()}"
    partner, secret = (OTHER_PARTNER, OTHER_SECRET) if tamper == "other partner" else (PARTNER, PARTNER_SECRET)
    raw, headers = receipt_request(partner, secret, body, key=key,
                                   timestamp=int(time.time()) - 3600 if tamper == "stale" else None)
    if tamper == "signature":
        headers["Odyssey-Signature"] = "sha256=" + "0" * 64
    elif tamper == "body":
        raw = raw.replace(member.address.encode(), fresh_member().address.encode())
    elif tamper == "unknown partner":
        headers["Odyssey-Partner"] = "nobody"
    answer = client.post("/issuer/receipts", content=raw, headers=headers)
    assert words in refused(answer, status, code)["message"]
    assert vouchers_of(client, member) == []
    if tamper != "other partner":  # the genuine delivery with the same key still goes through
        raw, headers = receipt_request(PARTNER, PARTNER_SECRET, body, key=key)
        assert client.post("/issuer/receipts", content=raw, headers=headers).status_code == 200
