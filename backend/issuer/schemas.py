"""Request and response bodies of the issuer's routes (Pydantic v2). Like the relay's, they are actions, not reads of
the mirror: no block envelope, camelCase keys (a voucher's are the protocol's: member, stampId, nonce, deadline,
signature)."""
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from backend.api.schemas import MEMBER, TX_HASH, example
from backend.relay.schemas import Address, Signature, Uint256

ISSUER = "0x3B2B3C2e2F0a7B1C6d5E4f3A2b1C0d9E8f7A6b5C"
SIGNATURE = "0x" + "5c" * 65
Status = Literal["collected", "sending", "waiting", "ready", "expired", "refused"]
Choice = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,31}$")]


class SiweOut(BaseModel):
    domain: str
    uri: str
    statement: str = Field(description="what the message's statement must be, exactly (ASCII, as EIP-4361 requires)")
    statementTranslation: str = Field(description="what the statement says, in the language asked: to show, not to "
                                                  "sign")
    version: Literal["1"]
    chainId: int
    nonceSeconds: int
    sessionSeconds: int


class IssuerInfoOut(BaseModel):
    model_config = example(
        issuer=ISSUER, chainId=1337, lang="zh-Hans",
        siwe={"domain": "127.0.0.1:8000", "uri": "http://127.0.0.1:8000", "version": "1", "chainId": 1337,
              "statement": "Sign in to Odyssey to play journeys and collect stamps. This costs nothing and sends no "
                           "transaction.",
              "statementTranslation": "登录 Odyssey，参与旅程、收集印章。登录免费，不会发起任何交易。", "nonceSeconds": 300,
              "sessionSeconds": 43200},
        limits={"windowSeconds": 600.0, "signinsPerIp": 30, "attemptsPerIp": 120, "codeAttempts": 5,
                "webhooksPerIp": 600, "kioskFetches": 120, "webhookToleranceSeconds": 300, "voucherSeconds": 604800},
    )

    issuer: str = Field(description="the address that signs vouchers (ISSUER_ROLE)")
    chainId: int
    lang: str = Field(description="the language of `siwe.statementTranslation` (en, zh-Hans or zh-Hant)")
    siwe: SiweOut = Field(description="what a Sign-In with Ethereum message must say")
    limits: dict[str, int | float]


class NonceOut(BaseModel):
    model_config = example(nonce="8f14e45fceea167a5a36dedd4bea2543", expiresAt=1795400300.0)

    nonce: str
    expiresAt: float


class SignInIn(BaseModel):
    """An EIP-4361 message and the member's EIP-191 signature of it."""

    model_config = ConfigDict(extra="forbid")

    message: str = Field(min_length=1, max_length=2000)
    signature: Signature


class SessionOut(BaseModel):
    model_config = example(token="q3Yt0nXbWc1v9Vd2Lk5sHh8PpZr4Jm7aQe6Uo0Ii3Bw", address=MEMBER, expiresAt=1795443200.0)

    token: str = Field(description="send as `Authorization: Bearer <token>`")
    address: str
    expiresAt: float


class MeOut(BaseModel):
    model_config = example(address=MEMBER, expiresAt=1795443200.0, memberCode="7KQ2-MZ4D")

    address: str
    expiresAt: float
    memberCode: str = Field(description="what a partner's till may name the member by")


class SignedOutOut(BaseModel):
    model_config = example(address=MEMBER, signedOut=True)

    address: str
    signedOut: bool


class VoucherOut(BaseModel):
    model_config = example(
        member=MEMBER, stampId="101", nonce="34028236692093846346337460743176821145600001", deadline=1796004800,
        signature=SIGNATURE, link="http://127.0.0.1:8000/#claim=eyJtZW1iZXIiOi4uLn0", activity="quiz",
        issuedAt=1795400000.0, status="sending", txHash=TX_HASH, reason=None,
    )

    member: str
    stampId: str
    nonce: str
    deadline: int
    signature: str
    link: str = Field(description="a claim link carrying the voucher (docs/protocol.md)")
    activity: str
    issuedAt: float
    status: Status = Field(description="collected; sending (the relay sent it: txHash); waiting (to be sent again, "
                                       "`reason` says why); ready (the member sends it); expired; refused")
    txHash: str | None
    reason: str | None


class ActivityIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    payGas: bool = Field(False, description="the member sends the voucher and pays the fee; by default the relay does")


class QuizIn(ActivityIn):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"answers": {"q1": "b", "q2": "a"}}]})

    answers: dict[Choice, Choice] = Field(max_length=20, description="question id -> the chosen choice id")


class CodeIn(ActivityIn):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"code": "493021"}]})

    code: str = Field(min_length=1, max_length=64)


class ActivityOut(BaseModel):
    model_config = example(passed=True, score=3, passMark=2, questions=3, voucher=VoucherOut.model_config[
        "json_schema_extra"]["examples"][0])

    passed: bool | None = Field(None, description="a quiz: whether the member passed")
    score: int | None = Field(None, description="a quiz: right answers (which ones is not said)")
    passMark: int | None = None
    questions: int | None = None
    voucher: VoucherOut | None = Field(description="the voucher earned (None: a quiz failed)")


class VouchersOut(BaseModel):
    model_config = example(data=[VoucherOut.model_config["json_schema_extra"]["examples"][0]])

    data: list[VoucherOut]


class ReceiptIn(BaseModel):
    """A purchase a partner's point-of-sale system reports, naming the member by address or member code."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"stampId": "104", "memberCode": "7KQ2-MZ4D", "orderId": "till-3/0042", "amount": "12.50", "currency": "EUR"}]})

    stampId: Uint256
    member: Address | None = None
    memberCode: str | None = Field(None, pattern=r"^[0-9A-Za-z -]{4,20}$")
    orderId: str | None = Field(None, max_length=64)
    amount: str | None = Field(None, pattern=r"^[0-9]{1,12}(\.[0-9]{1,6})?$")
    currency: str | None = Field(None, pattern=r"^[A-Z]{3}$")

    @model_validator(mode="after")
    def _one_member(self):
        if (self.member is None) == (self.memberCode is None):
            raise ValueError("name the member by exactly one of member (address) or memberCode")
        return self


class ReceiptOut(BaseModel):
    model_config = example(stampId="104", member=MEMBER, status="sending",
                           voucher=VoucherOut.model_config["json_schema_extra"]["examples"][0])

    stampId: str
    member: str
    status: Status = Field(description="`collected` also when the member held the stamp already (nothing issued)")
    voucher: VoucherOut | None


class KioskStampOut(BaseModel):
    id: str
    name: str
    points: int
    journey: str | None
    description: str


class KioskOut(BaseModel):
    model_config = example(
        kiosk={"id": 1, "name": "Roastery counter"},
        stamp={"id": "102", "name": "Roastery Visit", "points": 25, "journey": "Coffee Origins",
               "description": "Visit the roastery and enter the code on the screen by the counter."},
        code="493021", changesAt=1795400010, period=30, link="http://127.0.0.1:8000/#stamp=102&code=493021",
        qrSvg='<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 37 37">…</svg>',
    )

    kiosk: dict[str, int | str]
    stamp: KioskStampOut
    code: str
    changesAt: int = Field(description="unix time the code changes")
    period: int
    link: str = Field(description="what the QR code holds: the member page, the code filled in")
    qrSvg: str
