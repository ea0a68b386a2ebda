"""Partners' point-of-sale webhooks and the member codes they name members by (docs/activities.md has the format).

A receipt is `POST /issuer/receipts` with the headers `Odyssey-Partner`, `Odyssey-Timestamp` (unix seconds),
`Idempotency-Key` and `Odyssey-Signature: sha256=<hex>`, the HMAC-SHA256 with the partner's own secret of

    <timestamp> "." <idempotency key> "." <the raw body>

so neither the time, nor the key, nor a byte of the body can change without the partner's secret. A delivery is
recorded by (partner, key) once it has issued: the same key again is a replay, refused.
"""
import hashlib
import hmac
import secrets
import time

from sqlalchemy import select

from backend.db.models import MemberCode, WebhookDelivery
from backend.db.session import get_engine, upsert, write_connection
from backend.settings import Settings

# Crockford's base32 without I, L, O, U: nothing a cashier can misread. Eight characters: 40 bits.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 8


def receipt_signature(secret: bytes, timestamp: str, key: str, body: bytes) -> str:
    """The `Odyssey-Signature` header a partner sends with a receipt."""
    digest = hmac.new(secret, f"{timestamp}.{key}.".encode() + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def signature_matches(secret: bytes, timestamp: str, key: str, body: bytes, signature: str) -> bool:
    return hmac.compare_digest(receipt_signature(secret, timestamp, key, body).encode(), signature.strip().encode())


def normalised_code(text: str) -> str:
    """A member code as typed or scanned: any case, hyphens and spaces ignored."""
    return "".join(c for c in text.upper() if c not in "- ")


def shown_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


class Partners:
    def __init__(self, settings: Settings):
        self.engine = get_engine(settings)
        self.insert = upsert(self.engine)

    def member_code(self, member: str) -> str:
        """The member's code (made on first use, the same ever after), as shown: XXXX-XXXX."""
        with write_connection(self.engine) as connection, connection.begin():
            code = connection.execute(select(MemberCode.code).where(MemberCode.member == member)).scalar()
            while code is None:
                candidate = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
                connection.execute(self.insert(MemberCode).values(member=member, code=candidate).on_conflict_do_nothing())
                code = connection.execute(select(MemberCode.code).where(MemberCode.member == member)).scalar()
        return shown_code(code)

    def member_of_code(self, text: str) -> str | None:
        with write_connection(self.engine) as connection:
            return connection.execute(select(MemberCode.member).where(MemberCode.code == normalised_code(text))).scalar()

    def delivered(self, partner: str, key: str):
        """The earlier delivery with this idempotency key, if any."""
        with write_connection(self.engine) as connection:
            return connection.execute(select(WebhookDelivery).where(
                WebhookDelivery.partner == partner, WebhookDelivery.key == key)).first()

    def record(self, partner: str, key: str, body: bytes, voucher_id: int | None) -> bool:
        """Record a delivery that issued (or found the stamp held); False if the key was recorded meanwhile."""
        with write_connection(self.engine) as connection, connection.begin():
            return connection.execute(self.insert(WebhookDelivery).values(
                partner=partner, key=key, body_sha256=hashlib.sha256(body).hexdigest(), received_at=time.time(),
                voucher_id=voucher_id,
            ).on_conflict_do_nothing().returning(WebhookDelivery.key)).first() is not None
