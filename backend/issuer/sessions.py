"""Sign-In with Ethereum (EIP-4361): who is playing. A member asks for a nonce, signs a message naming this site's
domain, the chain and the nonce in their wallet (EIP-191 `personal_sign`), and gets a session token to send as
`Authorization: Bearer <token>` with each activity.

- Nonces are single-use and expire (`issuer_nonce_seconds`): the sign-in that names one deletes it, in the same
  statement that checks it, so of two sign-ins with one nonce (in one process or two) only one succeeds.
- The message must name `settings.siwe_domain` (this site, never what the request's Host header says) and this chain,
  and say exactly `STATEMENT`; its signature must recover to its address (smart-contract wallets, EIP-1271, are not
  supported), and its `Expiration Time` and `Not Before`, when present, hold.
- Sessions expire (`issuer_session_seconds`, or the message's own expiration, whichever is sooner). Only the token's
  SHA-256 is stored, so a copy of the database signs nobody in.

The statement stays English in every language: EIP-4361 allows only ASCII there (its ABNF; wallets that recognise a
sign-in message, and the siwe parser here, refuse anything else, and a wallet that does not recognise one shows it as a
bare signature request, without its check of the site). What it says is shown to members in their language beside the
wallet's prompt (`statement_translation`, gettext domain `api`).
"""
import hashlib
import secrets
import time
from datetime import datetime, timezone

from siwe import ExpiredMessage, NotYetValidMessage, SiweMessage, VerificationError
from sqlalchemy import delete, insert, select

from backend.db.models import MemberSession, SiweNonce
from backend.db.session import get_engine, write_connection
from backend.i18n import N_, translations
from backend.issuer.refusals import Refusal
from backend.settings import Settings

MAX_CLOCK_SKEW = 300  # seconds a message's Issued At may be ahead of the server's clock
STATEMENT = N_("Sign in to Odyssey to play journeys and collect stamps. This costs nothing and sends no transaction.")


def statement_translation(locale: str) -> str:
    """What STATEMENT says, in `locale`: to show beside the wallet's prompt, never to sign."""
    return translations("api", locale).gettext(STATEMENT)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Sessions:
    def __init__(self, settings: Settings, chain_id: int, clock=time.time):
        self.settings = settings
        self.chain_id = chain_id
        self.engine = get_engine(settings)
        self.clock = clock

    def new_nonce(self) -> tuple[str, float]:
        """A fresh nonce and when it expires; ended nonces and sessions are swept on the way."""
        nonce, now = secrets.token_hex(16), self.clock()
        expires = now + self.settings.issuer_nonce_seconds
        with write_connection(self.engine) as connection, connection.begin():
            connection.execute(delete(SiweNonce).where(SiweNonce.expires_at <= now))
            connection.execute(delete(MemberSession).where(MemberSession.expires_at <= now))
            connection.execute(insert(SiweNonce).values(nonce=nonce, expires_at=expires))
        return nonce, expires

    def sign_in(self, message: str, signature: str) -> tuple[str, str, float]:
        """Check a signed EIP-4361 message; (session token, member address, expiry). A Refusal says why not."""
        try:
            parsed = SiweMessage.from_message(message)
        except Exception:  # the parser raises ValueError and pydantic's errors alike
            raise Refusal("siwe_malformed", "not a Sign-In with Ethereum (EIP-4361) message") from None
        domain = self.settings.siwe_domain
        if parsed.domain != domain:
            raise Refusal("siwe_wrong_domain", f"the message is for {parsed.domain}, not {domain}: sign in on this site")
        if parsed.chain_id != self.chain_id:
            raise Refusal("siwe_wrong_chain", f"the message is for chain {parsed.chain_id}, not {self.chain_id}")
        if parsed.statement != STATEMENT:
            raise Refusal("siwe_wrong_statement", "the message does not say what this site asks members to sign (GET /issuer: siwe.statement)")
        now = self.clock()
        issued = _unix(parsed.issued_at)
        if issued > now + MAX_CLOCK_SKEW:
            raise Refusal("siwe_from_future", "the message was issued in the future: check your device's clock")
        try:
            parsed.verify(signature, domain=domain, timestamp=datetime.fromtimestamp(now, timezone.utc))
        except ExpiredMessage:
            raise Refusal("siwe_expired", "the sign-in message has expired: sign in again") from None
        except NotYetValidMessage:
            raise Refusal("siwe_not_yet_valid", "the sign-in message is not valid yet") from None
        except VerificationError:
            raise Refusal("siwe_wrong_signer", f"the signature is not {parsed.address}'s") from None
        expires = now + self.settings.issuer_session_seconds
        if parsed.expiration_time is not None:
            expires = min(expires, _unix(parsed.expiration_time))
        token = secrets.token_urlsafe(32)
        with write_connection(self.engine) as connection, connection.begin():
            taken = connection.execute(
                delete(SiweNonce).where(SiweNonce.nonce == parsed.nonce, SiweNonce.expires_at > now).returning(SiweNonce.nonce)
            ).first()
            if taken is None:
                raise Refusal("siwe_nonce_used", "this sign-in request expired or was already used: sign in again")
            connection.execute(insert(MemberSession).values(token_hash=token_hash(token), member=parsed.address, expires_at=expires))
        return token, parsed.address, expires

    def member(self, token: str) -> tuple[str, float]:
        """The member a session token signs in, and when the session ends; a Refusal when it is unknown or over."""
        with write_connection(self.engine) as connection:
            row = connection.execute(
                select(MemberSession.member, MemberSession.expires_at).where(MemberSession.token_hash == token_hash(token))
            ).first()
        if row is None:
            raise Refusal("not_signed_in", "not signed in (or signed out): sign in with your wallet")
        if row.expires_at <= self.clock():
            raise Refusal("session_expired", "your session has expired: sign in again")
        return row.member, row.expires_at

    def sign_out(self, token: str) -> None:
        with write_connection(self.engine) as connection, connection.begin():
            connection.execute(delete(MemberSession).where(MemberSession.token_hash == token_hash(token)))


def _unix(value) -> float:
    """A message's ISO 8601 time (siwe's ISO8601Datetime) as unix seconds."""
    return value._datetime.timestamp()
