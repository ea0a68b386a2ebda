"""Each refusal of the issuer names itself by its code (backend/issuer/refusals.py): the refusals the other modules of
tests/issuer do not meet on their way, and a check that every code is raised, asserted and documented."""
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import yaml
from fastapi.testclient import TestClient
from siwe import SiweMessage
from sqlalchemy import update

from backend.api.main import create_app
from backend.db import models
from backend.issuer.kiosks import create_kiosk
from backend.issuer.refusals import REFUSALS
from backend.issuer.service import issuer_for
from tests.issuer.conftest import (
    JOURNEY, PARTNER, PARTNER_SECRET, QUIZ, QUIZ_ANSWERS, RECEIPT, WORD, api_client, fresh_member, refused,
)
from tests.support.refusals import assert_codes_kept
from tests.support.issuer import bearer, receipt_request, sign_in, sign_text

def test_every_code_is_raised_by_the_issuer_asserted_by_its_tests_and_documented():
    assert_codes_kept(REFUSALS, Path("backend/issuer"), Path("docs/activities.md"), asserted_by=Path(__file__).parent)


def test_a_refusal_body_carries_its_code_beside_the_english_detail(client):
    body = refused(client.post(f"/issuer/stamps/{WORD}/code", json={"code": "nope"},
                               headers=bearer(sign_in(client, fresh_member()))), 422, "wrong_code")
    assert body["detail"] == [{"loc": ["body", "code"], "msg": "that code is not right: check it and try again",
                               "type": "wrong_code"}]
    body = refused(client.get("/issuer/vouchers"), 401, "not_signed_in")
    assert body["detail"] == body["message"] == "sign in with your wallet first: send Authorization: Bearer <token>"


def test_a_stamp_that_does_not_exist_and_a_quiz_answered_wrongly_are_refused(client):
    session = bearer(sign_in(client, fresh_member()))
    refused(client.post("/issuer/stamps/999999/code", json={"code": "x"}, headers=session), 404, "no_such_stamp")
    refused(client.post(f"/issuer/stamps/{QUIZ}/quiz", json={"answers": {**QUIZ_ANSWERS, "q9": "a"}}, headers=session),
            422, "unknown_question")
    refused(client.post(f"/issuer/stamps/{QUIZ}/quiz", json={"answers": {**QUIZ_ANSWERS, "q3": "z"}}, headers=session),
            422, "unknown_choice")


def test_a_journey_not_yet_open_or_closed_is_refused(client, settings):
    session = bearer(sign_in(client, fresh_member()))
    now = int(time.time())
    for window, code in (({"start": now + 3600, "end": 0}, "journey_not_started"),
                         ({"start": 0, "end": now - 60}, "journey_ended")):
        with issuer_for(settings).reads() as mirror:  # the journey's window as the mirror holds it
            mirror.execute(update(models.Journey).where(models.Journey.id == JOURNEY).values(**window))
            mirror.commit()
        refused(client.post(f"/issuer/stamps/{WORD}/code", json={"code": "x"}, headers=session), 409, code)


def test_a_sign_in_message_not_valid_yet_is_refused(client):
    member = fresh_member()
    info = client.get("/issuer").json()["siwe"]
    now = datetime.now(timezone.utc)
    text = SiweMessage(domain=info["domain"], address=member.address, statement=info["statement"], uri=info["uri"],
                       version="1", chain_id=info["chainId"], nonce=client.post("/issuer/siwe/nonce").json()["nonce"],
                       issued_at=now.isoformat().replace("+00:00", "Z"),
                       not_before=(now + timedelta(minutes=5)).isoformat().replace("+00:00", "Z")).prepare_message()
    refused(client.post("/issuer/siwe/session", json={"message": text, "signature": sign_text(member, text)}),
            401, "siwe_not_yet_valid")


def test_a_receipt_for_an_unknown_member_code_is_refused(client):
    raw, headers = receipt_request(PARTNER, PARTNER_SECRET,
                                   {"stampId": str(RECEIPT), "memberCode": "NOBODY42"}, key=f"k-{time.time_ns()}")
    refused(client.post("/issuer/receipts", content=raw, headers=headers), 422, "unknown_member_code")


def test_a_kiosk_for_a_code_word_or_asking_too_often_is_refused(settings_for, database, w3):
    settings = settings_for(database, issuer_kiosk_fetches=1)
    with api_client(settings, w3) as client:
        _, word_token = create_kiosk(settings, WORD, "poster")
        refused(client.get("/issuer/kiosk", headers={"Authorization": f"Bearer {word_token}"}), 404, "not_rotating_code")
        refused(client.get("/issuer/kiosk", headers={"Authorization": f"Bearer {word_token}"}), 429, "kiosk_too_often")


def test_an_activity_whose_secret_is_missing_is_refused(settings_for, database, w3, tmp_path):
    secrets = tmp_path / "secrets.yaml"
    secrets.write_text(yaml.safe_dump({"quizzes": {"test-quiz": QUIZ_ANSWERS}, "words": {}, "seeds": {}, "partners": {}}))
    with api_client(settings_for(database, issuer_secrets_file=secrets), w3) as client:
        session = bearer(sign_in(client, fresh_member()))
        refused(client.post(f"/issuer/stamps/{WORD}/code", json={"code": "x"}, headers=session), 503, "activity_not_set_up")


def test_an_issuer_without_its_role_or_without_a_node_is_refused(settings_for, database):
    no_role = settings_for(database, issuer_private_key="0x" + "42" * 32, embedded_indexer=False)
    with TestClient(create_app(no_role)) as client:
        assert "ISSUER_ROLE" in refused(client.get("/issuer"), 503, "issuer_not_set_up")["message"]
    no_node = settings_for(database, rpc_url="http://127.0.0.1:9", rpc_timeout=2, embedded_indexer=False)
    with TestClient(create_app(no_node)) as client:
        refused(client.get("/issuer"), 503, "node_unreachable")
