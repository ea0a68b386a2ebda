"""Helpers for the suites that play activities (issuer, CLI, browser): sign in with Ethereum as a member, sign a
partner's receipt webhook. The secrets are backend/dev's sample ones, public like Ganache's keys."""
import json
import time
from datetime import datetime, timezone

from eth_account import Account
from eth_account.messages import encode_defunct
from siwe import SiweMessage

from backend.issuer.partners import receipt_signature
from backend.settings import ROOT

SAMPLE_SECRETS = ROOT / "backend" / "dev" / "issuer-secrets.yaml"


def siwe_message(info: dict, address: str, nonce: str, *, domain: str | None = None, chain_id: int | None = None,
                 expires_in: float | None = None, issued_at: float | None = None, statement: str | None = None) -> str:
    """An EIP-4361 message as the page builds it from `GET /issuer`'s `siwe` (anything overridden to test refusals)."""
    siwe = info["siwe"]
    issued = datetime.fromtimestamp(issued_at or time.time(), timezone.utc)
    fields = dict(domain=domain or siwe["domain"], address=address, statement=statement or siwe["statement"],
                  uri=siwe["uri"],
                  version="1", chain_id=chain_id or siwe["chainId"], nonce=nonce,
                  issued_at=issued.isoformat().replace("+00:00", "Z"))
    if expires_in is not None:
        expiry = datetime.fromtimestamp(time.time() + expires_in, timezone.utc)
        fields["expiration_time"] = expiry.isoformat().replace("+00:00", "Z")
    return SiweMessage(**fields).prepare_message()


def sign_text(account, text: str) -> str:
    return Account.sign_message(encode_defunct(text=text), account.key).signature.to_0x_hex()


def sign_in(client, account, **message) -> dict:
    """Sign `account` in through `client` (a TestClient or a requests-like session with a base URL); the session body."""
    info = client.get("/issuer").json()
    nonce = client.post("/issuer/siwe/nonce").json()["nonce"]
    text = siwe_message(info, account.address, nonce, **message)
    response = client.post("/issuer/siwe/session", json={"message": text, "signature": sign_text(account, text)})
    assert response.status_code == 200, response.text
    return response.json()


def bearer(session: dict) -> dict:
    return {"Authorization": f"Bearer {session['token']}"}


def receipt_request(partner: str, secret: str, body: dict, *, key: str, timestamp: int | None = None) -> tuple[bytes, dict]:
    """A partner's signed webhook: the raw body and its headers (docs/activities.md)."""
    raw = json.dumps(body, separators=(",", ":")).encode()
    stamp_time = str(int(time.time()) if timestamp is None else timestamp)
    headers = {"Content-Type": "application/json", "Odyssey-Partner": partner, "Odyssey-Timestamp": stamp_time,
               "Idempotency-Key": key, "Odyssey-Signature": receipt_signature(secret.encode(), stamp_time, key, raw)}
    return raw, headers
