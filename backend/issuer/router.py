"""Issuer routes, mounted by the API like the relay's (`app.include_router(backend.issuer.router.router)`):

    GET    /issuer                          the issuer's address, what a sign-in message must say, the limits
    POST   /issuer/siwe/nonce               a single-use nonce for a Sign-In with Ethereum message
    POST   /issuer/siwe/session             the signed message → a session token (Authorization: Bearer <token>)
    GET    /issuer/siwe/session             who is signed in, until when, and their member code
    DELETE /issuer/siwe/session             sign out
    GET    /issuer/vouchers                 the signed-in member's vouchers and how their delivery goes
    POST   /issuer/stamps/{id}/quiz         answers → score; passing earns the stamp
    POST   /issuer/stamps/{id}/code         a secret word or a kiosk's rotating code
    POST   /issuer/stamps/{id}/completion   holding every stamp it requires (read on the chain) earns it
    POST   /issuer/receipts                 a partner's signed purchase (HMAC: backend/issuer/partners.py)
    GET    /issuer/kiosk                    what a kiosk shows now (Authorization: Bearer <kiosk token>)

Refusals: 401 not signed in, a session expired, a webhook's signature or a kiosk's token wrong; 403 a partner's webhook
for a stamp ops did not assign it; 404 no such stamp, or not earned that way; 409 the journey closed, the stamp held
already, the requirements of a completion not met, a webhook replayed; 422 bad input or a wrong code (naming the field);
429 over a limit (Retry-After); 503 the issuer not set up (no key, secrets missing) or the node unreachable. Each
names itself by a `code` of backend/issuer/refusals.py in the error body, besides its English detail.
"""
from functools import partial
from typing import Annotated

import requests
from fastapi import APIRouter, Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from backend.api.deps import IdPath, LocaleDep, SettingsDep, json_body
from backend.api.errors import CodedError, coded_refusal, coded_responses
from backend.chain.deployment import DeploymentError
from backend.indexer.rpc import describe_failure
from backend.issuer.schemas import (
    ActivityIn, ActivityOut, CodeIn, IssuerInfoOut, KioskOut, MeOut, NonceOut, QuizIn, ReceiptIn, ReceiptOut, SessionOut,
    SignedOutOut, SignInIn, VouchersOut,
)
from backend.issuer.service import Issuer, issuer_for
from backend.issuer.refusals import REFUSALS, Refusal
from backend.issuer.sessions import STATEMENT, statement_translation

router = APIRouter(prefix="/issuer", tags=["issuer"])

member_bearer = HTTPBearer(auto_error=False, scheme_name="member session",
                           description="the token of POST /issuer/siwe/session")
kiosk_bearer = HTTPBearer(auto_error=False, scheme_name="kiosk token", description="the token scripts/kiosk.py issued")
ASK_SIGN_IN = {"WWW-Authenticate": 'Bearer realm="odyssey"'}


def get_issuer(settings: SettingsDep) -> Issuer:
    """This process's issuer (`issuer_for`); 503 when it is not set up or the node cannot be reached."""
    try:
        return issuer_for(settings)
    except (RuntimeError, DeploymentError) as exc:
        raise refused(Refusal("issuer_not_set_up", f"the issuer service is not set up: {exc}")) from None
    except Exception as exc:
        raise refused(Refusal("node_unreachable", f"the issuer service is unavailable: {describe_failure(exc)}")) from None


IssuerDep = Annotated[Issuer, Depends(get_issuer)]


def refused(exc: Refusal) -> CodedError:
    """A refusal as the API's error body: its code and English line; a 422 in the validation errors' shape, naming the
    body field; a 401 asks to sign in."""
    headers = ASK_SIGN_IN if exc.status == 401 and exc.headers is None else exc.headers
    return coded_refusal(exc.status, exc.message, exc.code, field=exc.field if exc.status == 422 else None,
                         headers=headers)


# The OpenAPI responses of an issuer route refusing with some of its codes (each status's description naming them).
refusal_responses = partial(coded_responses, REFUSALS)


def _run(call, *args, **kwargs):
    try:
        return call(*args, **kwargs)
    except Refusal as exc:
        raise refused(exc) from None
    except requests.RequestException as exc:
        raise refused(Refusal("node_unreachable", f"the chain node is unreachable: {describe_failure(exc)}")) from None


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _token(credentials: HTTPAuthorizationCredentials | None, code: str, what: str) -> str:
    if credentials is None:
        raise refused(Refusal(code, f"{what}: send Authorization: Bearer <token>"))
    return credentials.credentials


def signed_in(issuer: IssuerDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(member_bearer)]) -> tuple[str, float]:
    """The signed-in member and when the session ends; 401 otherwise."""
    token = _token(credentials, "not_signed_in", "sign in with your wallet first")
    return _run(issuer.sessions.member, token)


MemberDep = Annotated[tuple[str, float], Depends(signed_in)]
IpDep = Annotated[str, Depends(client_ip)]
SET_UP = ("issuer_not_set_up", "node_unreachable")
SIGN_IN = ("siwe_malformed", "siwe_wrong_domain", "siwe_wrong_chain", "siwe_wrong_statement", "siwe_from_future",
           "siwe_expired", "siwe_not_yet_valid", "siwe_wrong_signer", "siwe_nonce_used")
RECEIPT = ("unknown_partner", "stale_timestamp", "bad_signature", "partner_not_assigned", "no_such_stamp",
           "not_earned_this_way", "replayed", "journey_not_started", "journey_ended", "unknown_member_code")
SESSION = ("not_signed_in", "session_expired", *SET_UP)
STAMP = ("no_such_stamp", "not_earned_this_way", "journey_not_started", "journey_ended", "stamp_held",
         "too_many_requests", "activity_not_set_up")
ACTIVITY = {
    401: "not signed in, or the session expired: sign in again",
    404: "no such stamp, or it is not earned this way",
    409: "the journey is not open, the member holds the stamp already, or a completion's stamps are missing",
    422: "bad input, or a wrong code (the field named)",
    429: "too many attempts (per member and stamp, per client IP)",
    503: "the issuer is not set up (key, secrets) or the chain node is unreachable",
}


@router.get("", response_model=IssuerInfoOut, responses=refusal_responses(*SET_UP, also=(422,)))
def issuer_info(issuer: IssuerDep, settings: SettingsDep, locale: LocaleDep) -> dict:
    """The issuer's address, what a Sign-In with Ethereum message must say (domain, URI, chain, statement), and the
    limits on attempts. The statement to sign is English whatever the language (EIP-4361 allows only ASCII there);
    `statementTranslation` says the same in the language of `?lang=` or Accept-Language, to show beside it."""
    s = settings
    return {
        "issuer": issuer.address, "chainId": issuer.chain_id, "lang": locale,
        "siwe": {"domain": s.siwe_domain, "uri": s.public_url, "statement": STATEMENT,
                 "statementTranslation": statement_translation(locale), "version": "1",
                 "chainId": issuer.chain_id, "nonceSeconds": s.issuer_nonce_seconds, "sessionSeconds": s.issuer_session_seconds},
        "limits": {"windowSeconds": s.issuer_window_seconds, "signinsPerIp": s.issuer_signins_per_ip,
                   "attemptsPerIp": s.issuer_attempts_per_ip, "codeAttempts": s.issuer_code_attempts,
                   "webhooksPerIp": s.issuer_webhooks_per_ip, "kioskFetches": s.issuer_kiosk_fetches,
                   "webhookToleranceSeconds": s.issuer_webhook_tolerance, "voucherSeconds": s.issuer_voucher_seconds},
    }


@router.post("/siwe/nonce", response_model=NonceOut, responses=refusal_responses("too_many_requests", *SET_UP))
def siwe_nonce(issuer: IssuerDep, ip: IpDep, settings: SettingsDep) -> NonceOut:
    """A single-use nonce for the member's Sign-In with Ethereum (EIP-4361) message; it expires unused."""
    _run(issuer.count_ip, "signin", ip, settings.issuer_signins_per_ip)
    nonce, expires = issuer.sessions.new_nonce()
    return NonceOut(nonce=nonce, expiresAt=expires)


@router.post("/siwe/session", response_model=SessionOut, dependencies=[Depends(json_body)],
             responses=refusal_responses(*SIGN_IN, "too_many_requests", *SET_UP, also=(400, 413, 415, 422), described={
                 401: "the message is for another site or chain, expired, its nonce unknown or used, or its signature "
                      "not its address's"}))
def siwe_session(body: SignInIn, issuer: IssuerDep, ip: IpDep, settings: SettingsDep) -> SessionOut:
    """Sign in: an EIP-4361 message naming this site's domain, this chain and a nonce from `/issuer/siwe/nonce`, and
    the member's EIP-191 signature of it. The nonce is used up; the session lasts `sessionSeconds` at most."""
    _run(issuer.count_ip, "signin", ip, settings.issuer_signins_per_ip)
    token, address, expires = _run(issuer.sessions.sign_in, body.message, body.signature)
    return SessionOut(token=token, address=address, expiresAt=expires)


@router.get("/siwe/session", response_model=MeOut, responses=refusal_responses(*SESSION))
def siwe_whoami(member: MemberDep, issuer: IssuerDep) -> MeOut:
    """Who is signed in, until when, and their member code (what a partner's till may name them by)."""
    address, expires = member
    return MeOut(address=address, expiresAt=expires, memberCode=issuer.partners.member_code(address))


@router.delete("/siwe/session", response_model=SignedOutOut, responses=refusal_responses(*SESSION))
def siwe_sign_out(member: MemberDep, issuer: IssuerDep,
                  credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(member_bearer)]) -> SignedOutOut:
    """Sign out: the session token stops working."""
    issuer.sessions.sign_out(credentials.credentials)
    return SignedOutOut(address=member[0], signedOut=True)


@router.get("/vouchers", response_model=VouchersOut, responses=refusal_responses(*SESSION))
def vouchers(member: MemberDep, issuer: IssuerDep) -> VouchersOut:
    """The signed-in member's vouchers, newest first, and where each one's delivery stands."""
    return VouchersOut(data=[issuer.voucher_view(v) for v in issuer.store.of_member(member[0])])


@router.post("/stamps/{stamp_id}/quiz", response_model=ActivityOut, dependencies=[Depends(json_body)],
             responses=refusal_responses(*SESSION, *STAMP, "unknown_question", "unanswered_question", "unknown_choice",
                                         "quiz_tries_used", also=(400, 413, 415, 422), described=ACTIVITY))
def play_quiz(stamp_id: IdPath, body: QuizIn, member: MemberDep, issuer: IssuerDep, ip: IpDep) -> dict:
    """Answer a stamp's quiz (its questions are in `GET /journeys`). The answer says how many were right, never which;
    passing earns the stamp's voucher, which the relay sends. Attempts per member and day are the quiz's own."""
    return _run(issuer.quiz, member[0], ip, stamp_id, body.answers, body.payGas)


@router.post("/stamps/{stamp_id}/code", response_model=ActivityOut, dependencies=[Depends(json_body)],
             responses=refusal_responses(*SESSION, *STAMP, "wrong_code", "code_tries_used", also=(400, 413, 415, 422),
                                         described=ACTIVITY))
def enter_code(stamp_id: IdPath, body: CodeIn, member: MemberDep, issuer: IssuerDep, ip: IpDep) -> dict:
    """Enter a stamp's code: a secret word, or the rotating code a kiosk shows. A right one earns the voucher."""
    return _run(issuer.code, member[0], ip, stamp_id, body.code, body.payGas)


@router.post("/stamps/{stamp_id}/completion", response_model=ActivityOut, dependencies=[Depends(json_body)],
             responses=refusal_responses(*SESSION, *STAMP, "stamps_missing", also=(400, 413, 415, 422), described=ACTIVITY))
def complete(stamp_id: IdPath, body: ActivityIn, member: MemberDep, issuer: IssuerDep, ip: IpDep) -> dict:
    """Ask for a completion stamp: holding every stamp it requires, as the chain says now, earns it. (The issuer also
    gives it by itself within seconds of the last one landing.)"""
    return _run(issuer.completion, member[0], ip, stamp_id, body.payGas)


async def raw_body(request: Request) -> bytes:
    """The body exactly as it came: what a partner signed."""
    return await request.body()


@router.post("/receipts", response_model=ReceiptOut, dependencies=[Depends(json_body)],
             responses=refusal_responses(*RECEIPT, "too_many_requests", *SET_UP, also=(400, 413, 415), described={
                 401: "unknown partner, a stale timestamp, or a signature that does not match",
                 403: "the stamp is not one ops assigned to this partner",
                 404: "no such stamp, or it is not earned by a receipt",
                 409: "the Idempotency-Key was delivered before (a replay), or the journey is not open",
                 422: "bad input: headers or body (the field named), or an unknown member code",
             }))
def receipt(
    body: ReceiptIn, issuer: IssuerDep, ip: IpDep, raw: Annotated[bytes, Depends(raw_body)],
    partner: Annotated[str, Header(alias="Odyssey-Partner", pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")],
    timestamp: Annotated[str, Header(alias="Odyssey-Timestamp", pattern=r"^[0-9]{1,12}$")],
    key: Annotated[str, Header(alias="Idempotency-Key", pattern=r"^[A-Za-z0-9._:-]{1,64}$")],
    signature: Annotated[str, Header(alias="Odyssey-Signature", pattern=r"^sha256=[0-9a-f]{64}$")],
) -> dict:
    """A partner's point-of-sale system reports a purchase that earns a stamp, naming the member by address or member
    code. Signed with the partner's own secret: `Odyssey-Signature: sha256=` + hex HMAC-SHA256 of
    `<Odyssey-Timestamp>.<Idempotency-Key>.<raw body>` (docs/activities.md has a worked example). A stale, forged or
    replayed delivery issues nothing."""
    evidence = {k: v for k, v in {"orderId": body.orderId, "amount": body.amount, "currency": body.currency}.items() if v}
    return _run(issuer.receipt, partner=partner, timestamp=timestamp, key=key, signature=signature, body=raw, ip=ip,
                stamp_id=body.stampId, member=body.member, member_code=body.memberCode, evidence=evidence)


@router.get("/kiosk", response_model=KioskOut, responses=refusal_responses(
    "kiosk_token_invalid", "no_such_stamp", "not_earned_this_way", "not_rotating_code", "kiosk_too_often",
    "activity_not_set_up", *SET_UP, also=(422,), described={
    401: "no kiosk token, or one unknown or switched off",
    404: "the kiosk's stamp is not earned by a rotating code",
    429: "the kiosk asks too often",
}))
def kiosk(issuer: IssuerDep, ip: IpDep, locale: LocaleDep,
          credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(kiosk_bearer)]) -> dict:
    """What a staff kiosk shows now: its stamp (names and description in the language of `?lang=` or
    Accept-Language), the rotating code and a QR code of the member page's link with the code filled in, and when the
    code changes. The kiosk holds only its token: no key, no seed."""
    return _run(issuer.kiosk, _token(credentials, "kiosk_token_invalid", "this page needs its kiosk link"), ip, locale)
