"""A member plays through the API: a quiz failed then passed, a kiosk's rotating code, a code word, a completion that
arrives by itself; each earned stamp sent by the relay (the member pays nothing) and collected once. What members see
of a rule never includes a secret."""
import time

import pyotp
import pytest

from backend.issuer.service import issuer_for
from tests.issuer.conftest import (
    COMPLETION, KIOSK, LINK, PARTNER, PARTNER_SECRET, QUIZ, QUIZ_ANSWERS, RECEIPT, SEED, WORD, WORD_SECRET, fresh_member,
    refused, wait_for, wait_indexed,
)
from tests.support.issuer import bearer, receipt_request, sign_in
from tests.support.web import gasless_for

WRONG = {"q1": "a", "q2": "b", "q3": "a"}


@pytest.fixture(params=["sqlite"])
def db_kind(request) -> str:
    """These tests play the activities on SQLite; test_records.py runs what the database decides on both."""
    return request.param


def collected(client, session, stamp_id: int) -> dict:
    """The member's voucher for the stamp, once the relay's claim is mined and indexed."""
    def done():
        found = [v for v in client.get("/issuer/vouchers", headers=bearer(session)).json()["data"] if v["stampId"] == str(stamp_id)]
        return found[0] if found and found[0]["status"] == "collected" else None
    return wait_for(done, what=f"stamp {stamp_id} collected")


def test_journeys_show_how_each_stamp_is_earned_and_no_secret(client):
    journey = client.get("/journeys/70").json()["data"]
    earn = {s["id"]: s["earn"] for s in journey["stamp_types"]}
    assert earn[str(QUIZ)]["kind"] == "quiz" and earn[str(QUIZ)]["pass_mark"] == 2
    assert [q["id"] for q in earn[str(QUIZ)]["questions"]] == ["q1", "q2", "q3"]
    assert (earn[str(KIOSK)]["kind"], earn[str(KIOSK)]["rotating"], earn[str(KIOSK)]["period"]) == ("code", True, 30)
    assert earn[str(WORD)]["rotating"] is False
    assert earn[str(RECEIPT)]["partner"] == PARTNER
    assert earn[str(COMPLETION)]["requires"] == [str(QUIZ), str(WORD)]
    assert earn[str(LINK)]["kind"] == "link"
    text = client.get("/journeys").text + client.get(f"/stamps/{QUIZ}").text
    for secret in ("test-quiz", "test-kiosk", "test-word", WORD_SECRET, SEED, PARTNER_SECRET, '"answers"'):
        assert secret not in text
    assert journey["image_url"].endswith("/images/journeys/70.svg")
    assert client.get("/images/journeys/70.svg").text.startswith("<svg")


def test_a_failed_quiz_issues_nothing_and_a_passed_one_the_stamp_gasless(client, w3, c):
    member = fresh_member()
    session = sign_in(client, member)
    with gasless_for(w3, member.address):
        failed = client.post(f"/issuer/stamps/{QUIZ}/quiz", json={"answers": WRONG}, headers=bearer(session))
        assert failed.status_code == 200
        assert failed.json() == {"passed": False, "score": 0, "passMark": 2, "questions": 3, "voucher": None}
        assert client.get("/issuer/vouchers", headers=bearer(session)).json()["data"] == []
        passed = client.post(f"/issuer/stamps/{QUIZ}/quiz", json={"answers": QUIZ_ANSWERS}, headers=bearer(session)).json()
        assert passed["passed"] is True and passed["score"] == 3
        assert passed["voucher"]["status"] == "sending" and passed["voucher"]["txHash"]
        collected(client, session, QUIZ)
    assert c["OdysseyStamps"].functions.balanceOf(member.address, QUIZ).call() == 1
    again = client.post(f"/issuer/stamps/{QUIZ}/quiz", json={"answers": QUIZ_ANSWERS}, headers=bearer(session))
    assert "already have" in refused(again, 409, "stamp_held")["message"]


def test_quiz_attempts_per_day_run_out(client):
    session = sign_in(client, fresh_member())
    for _ in range(3):
        assert client.post(f"/issuer/stamps/{QUIZ}/quiz", json={"answers": WRONG}, headers=bearer(session)).json()["passed"] is False
    tired = client.post(f"/issuer/stamps/{QUIZ}/quiz", json={"answers": QUIZ_ANSWERS}, headers=bearer(session))
    assert "no tries left today" in refused(tired, 429, "quiz_tries_used")["message"]
    assert int(tired.headers["Retry-After"]) > 0


def test_an_incomplete_quiz_is_a_422_and_no_attempt(client):
    session = sign_in(client, fresh_member())
    for _ in range(4):
        answer = client.post(f"/issuer/stamps/{QUIZ}/quiz", json={"answers": {"q1": "b"}}, headers=bearer(session))
        assert "missing: q2, q3" in refused(answer, 422, "unanswered_question")["message"]
    refused(client.post(f"/issuer/stamps/{QUIZ}/quiz", json={"answers": {**QUIZ_ANSWERS, "q3": "z"}},
                        headers=bearer(session)), 422, "unknown_choice")
    assert client.post(f"/issuer/stamps/{QUIZ}/quiz", json={"answers": QUIZ_ANSWERS}, headers=bearer(session)).json()["passed"]


def test_kiosk_shows_the_current_code_and_a_member_who_enters_it_earns_the_stamp(client, settings, w3, c):
    from backend.issuer.kiosks import create_kiosk, revoke_kiosks

    kiosk_id, token = create_kiosk(settings, KIOSK, "front door")
    shown = client.get("/issuer/kiosk", headers={"Authorization": f"Bearer {token}"}).json()
    assert shown["stamp"]["id"] == str(KIOSK) and shown["period"] == 30
    assert shown["code"] == pyotp.TOTP(SEED).now()
    assert shown["qrSvg"].startswith("<svg") and shown["link"].endswith(f"#stamp={KIOSK}&code={shown['code']}")
    assert SEED not in str(shown) and token not in str(shown)
    assert shown["stamp"]["description"] == "The kiosk's code."
    in_taipei = client.get("/issuer/kiosk", headers={"Authorization": f"Bearer {token}", "Accept-Language": "zh-TW"})
    assert in_taipei.headers["content-language"] == "zh-Hant"
    assert in_taipei.json()["stamp"]["description"] == "門市螢幕上的動態碼。"
    assert client.get("/issuer/kiosk", params={"lang": "zh-Hans"},  # not translated: English
                      headers={"Authorization": f"Bearer {token}"}).json()["stamp"]["description"] == "The kiosk's code."
    member = fresh_member()
    session = sign_in(client, member)
    wrong = client.post(f"/issuer/stamps/{KIOSK}/code", json={"code": "000000" if shown["code"] != "000000" else "111111"},
                        headers=bearer(session))
    assert "not right" in refused(wrong, 422, "wrong_code")["message"]
    with gasless_for(w3, member.address):
        earned = client.post(f"/issuer/stamps/{KIOSK}/code", json={"code": shown["code"]}, headers=bearer(session))
        assert earned.status_code == 200, earned.text
        collected(client, session, KIOSK)
    revoke_kiosks(settings, str(kiosk_id))
    refused(client.get("/issuer/kiosk", headers={"Authorization": f"Bearer {token}"}), 401, "kiosk_token_invalid")
    refused(client.get("/issuer/kiosk"), 401, "kiosk_token_invalid")


def test_a_code_word_ignores_case_and_spacing(client):
    session = sign_in(client, fresh_member())
    answer = client.post(f"/issuer/stamps/{WORD}/code", json={"code": "  espresso   MARTINI "}, headers=bearer(session))
    assert answer.status_code == 200 and answer.json()["voucher"]["activity"] == "code"


def test_guessing_a_code_is_cut_off_after_five_tries(client):
    session = sign_in(client, fresh_member())
    for guess in range(5):
        refused(client.post(f"/issuer/stamps/{WORD}/code", json={"code": f"guess {guess}"}, headers=bearer(session)),
                422, "wrong_code")
    cut_off = client.post(f"/issuer/stamps/{WORD}/code", json={"code": WORD_SECRET}, headers=bearer(session))
    assert "too many codes" in refused(cut_off, 429, "code_tries_used")["message"]


def test_an_activity_of_another_kind_or_without_signing_in_is_refused(client):
    session = sign_in(client, fresh_member())
    refused(client.post(f"/issuer/stamps/{WORD}/quiz", json={"answers": {}}, headers=bearer(session)),
            404, "not_earned_this_way")
    refused(client.post(f"/issuer/stamps/{LINK}/code", json={"code": "x"}, headers=bearer(session)),
            404, "not_earned_this_way")
    unsigned = client.post(f"/issuer/stamps/{QUIZ}/quiz", json={"answers": QUIZ_ANSWERS})
    assert "sign in" in refused(unsigned, 401, "not_signed_in")["message"]
    forged = client.post(f"/issuer/stamps/{QUIZ}/quiz", json={"answers": QUIZ_ANSWERS}, headers={"Authorization": "Bearer nope"})
    refused(forged, 401, "not_signed_in")


def test_the_completion_stamp_arrives_when_the_last_required_one_lands(client, settings, w3, c):
    stamps = c["OdysseyStamps"].functions
    member = fresh_member()
    session = sign_in(client, member)
    early = client.post(f"/issuer/stamps/{COMPLETION}/completion", json={}, headers=bearer(session))
    assert f"Stamp {QUIZ}" in refused(early, 409, "stamps_missing")["message"]
    issuer = issuer_for(settings)
    client.post(f"/issuer/stamps/{QUIZ}/quiz", json={"answers": QUIZ_ANSWERS}, headers=bearer(session))
    collected(client, session, QUIZ)
    issuer.deliver_round()
    assert stamps.balanceOf(member.address, COMPLETION).call() == 0  # one required stamp still missing
    client.post(f"/issuer/stamps/{WORD}/code", json={"code": WORD_SECRET}, headers=bearer(session))
    collected(client, session, WORD)
    wait_indexed(client, w3)
    assert issuer.deliver_round() >= 1
    voucher = collected(client, session, COMPLETION)
    assert voucher["activity"] == "completion"
    assert stamps.balanceOf(member.address, COMPLETION).call() == 1
    issuer.deliver_round()
    assert stamps.balanceOf(member.address, COMPLETION).call() == 1


def test_a_partners_receipt_names_the_member_by_code(client, w3, c):
    member = fresh_member()
    session = sign_in(client, member)
    code = client.get("/issuer/siwe/session", headers=bearer(session)).json()["memberCode"]
    assert len(code) == 9 and code[4] == "-"
    raw, headers = receipt_request(PARTNER, PARTNER_SECRET, {"stampId": str(RECEIPT), "memberCode": code.lower(),
                                                             "orderId": "till-1/1"}, key=f"order-{time.time_ns()}")
    with gasless_for(w3, member.address):
        answer = client.post("/issuer/receipts", content=raw, headers=headers)
        assert answer.status_code == 200, answer.text
        assert answer.json()["member"] == member.address
        collected(client, session, RECEIPT)
    assert c["OdysseyStamps"].functions.balanceOf(member.address, RECEIPT).call() == 1


def test_a_voucher_the_chain_refuses_for_now_stays_stored_and_is_collected_later(client, settings, w3, c):
    """Issuance paused (as when the DAO's issuance budget is spent, `OdysseyIssuanceBudgetExceeded`): the relay's
    simulation refuses the claim, the member is told why, and the stored voucher is sent once the chain takes it."""
    from backend.dev.keys import local_account
    from tests.support.web import send

    stamps = c["OdysseyStamps"].functions
    member = fresh_member()
    session = sign_in(client, member)
    snapshot = w3.provider.make_request("evm_snapshot", [])["result"]
    send(w3, stamps.pause(), local_account(9))  # the guardian
    try:
        earned = client.post(f"/issuer/stamps/{QUIZ}/quiz", json={"answers": QUIZ_ANSWERS}, headers=bearer(session)).json()
        voucher = earned["voucher"]
        assert voucher["status"] == "waiting" and "EnforcedPause" in voucher["reason"]
        again = client.post(f"/issuer/stamps/{QUIZ}/quiz", json={"answers": QUIZ_ANSWERS}, headers=bearer(session)).json()
        assert again["voucher"]["nonce"] == voucher["nonce"]  # the same voucher, not a second one
    finally:
        assert w3.provider.make_request("evm_revert", [snapshot])["result"] is True  # issuance resumes
    issuer = issuer_for(settings)
    issuer.store.clock = lambda: time.time() + 120  # the round's retry time has come
    wait_for(lambda: (issuer.deliver_round(), stamps.balanceOf(member.address, QUIZ).call())[1] == 1,
             what="the stored voucher collected")
    assert len(client.get("/issuer/vouchers", headers=bearer(session)).json()["data"]) == 1
