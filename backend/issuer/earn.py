"""How a stamp type is earned: the `earn` entry of a stamp in a journey file (journeys/*.yaml), checked by these
models when scripts/journeys.py loads the file, stored as an `earn_rules` row, shown by the API with `public(locale)`.

    earn: {kind: quiz, answers: origins-quiz, pass_mark: 2, attempts_per_day: 3, questions: [...]}
    earn: {kind: code, word: farm-word}                      # a secret word, POAP style
    earn: {kind: code, rotating: {seed: roastery, period: 30}} # a kiosk's rotating code (RFC 6238)
    earn: {kind: receipt, partner: green-farm}               # a partner's point-of-sale webhook
    earn: {kind: completion, requires: [101, 102]}           # or `requires: journey`: every other stamp of the file
    earn: {kind: link | allowlist | airdrop | sale | drop}   # given out by ops' scripts, the shop or a fair drop

Secrets (quiz answers, code words, rotating-code seeds, partner secrets) are never in the file: it names them, and the
issuer's secrets file or environment holds them (backend/issuer/vault.py). Every kind may carry a `description`, the
sentence members read about what the stamp takes; it, the quiz's questions and its choices may be given per language
(backend/content.py), and `public(locale)` shows them in one.
"""
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from backend.content import Localized, pick

SecretName = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$", description="a name in the issuer's secrets")]
QuestionId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,31}$")]
SIMPLE_KINDS = ("link", "allowlist", "airdrop", "sale", "drop")
# The kinds members play through the issuer service (backend/issuer/router.py), each with its own route.
PLAYED_KINDS = ("quiz", "code", "completion")


class _Kind(BaseModel):
    model_config = ConfigDict(extra="forbid")

    description: Localized | None = None

    def public(self, locale: str) -> dict:
        """What members, the page and the CLI see, in `locale` where the file gave it (else English): never a secret,
        nor a secret's name."""
        return {"kind": self.kind, "description": pick(self.description, locale) or ""}


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: QuestionId
    text: Localized
    choices: dict[QuestionId, Localized] = Field(min_length=2, max_length=8)  # choice id -> what it says, in order


class Quiz(_Kind):
    kind: Literal["quiz"]
    questions: list[Question] = Field(min_length=1, max_length=20)
    pass_mark: int = Field(ge=1, description="right answers needed")
    attempts_per_day: int = Field(default=3, ge=1, le=50)
    answers: SecretName  # the secret mapping each question id to its right choice id

    @model_validator(mode="after")
    def _consistent(self):
        ids = [q.id for q in self.questions]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"question ids repeated: {repeated}")
        if self.pass_mark > len(self.questions):
            raise ValueError(f"pass_mark {self.pass_mark} is above the {len(self.questions)} questions")
        return self

    def public(self, locale: str) -> dict:
        questions = [{"id": q.id, "text": pick(q.text, locale),
                      "choices": [{"id": c, "text": pick(t, locale)} for c, t in q.choices.items()]}
                     for q in self.questions]
        return {**super().public(locale), "questions": questions, "pass_mark": self.pass_mark,
                "attempts_per_day": self.attempts_per_day}


class Rotating(BaseModel):
    model_config = ConfigDict(extra="forbid")

    seed: SecretName  # a base32 TOTP seed (RFC 6238) in the issuer's secrets
    period: int = Field(default=30, ge=10, le=600, description="seconds each code is shown")
    digits: int = Field(default=6, ge=6, le=8)


class Code(_Kind):
    kind: Literal["code"]
    word: SecretName | None = None  # a secret word members are told where they are
    rotating: Rotating | None = None  # a code a kiosk shows, changing every `period` seconds

    @model_validator(mode="after")
    def _one_source(self):
        if (self.word is None) == (self.rotating is None):
            raise ValueError("a code is either a secret `word` or `rotating` (a kiosk's code), not both or neither")
        return self

    def public(self, locale: str) -> dict:
        shown = {"rotating": self.rotating is not None}
        if self.rotating:
            shown |= {"period": self.rotating.period, "digits": self.rotating.digits}
        return {**super().public(locale), **shown}


class Receipt(_Kind):
    kind: Literal["receipt"]
    partner: SecretName  # the partner whose point-of-sale webhook issues it, signed with the partner's own secret

    def public(self, locale: str) -> dict:
        return {**super().public(locale), "partner": self.partner}


class Completion(_Kind):
    kind: Literal["completion"]
    # Stamp ids, or "journey": every other stamp of the same file (resolved when the file is loaded).
    requires: Annotated[list[Annotated[int, Field(ge=1)]], Field(min_length=1)] | Literal["journey"]

    @property
    def required(self) -> list[int]:
        assert isinstance(self.requires, list), "resolved when the journey file was loaded"
        return self.requires

    def public(self, locale: str) -> dict:
        return {**super().public(locale), "requires": [str(i) for i in self.required]}


class Given(_Kind):
    """A stamp ops give out: a claim link (`scripts/vouchers.py`), an allowlist, an airdrop, a sale in the shop, a
    fair drop. Nothing to play; shown so members know how it comes."""

    kind: Literal[SIMPLE_KINDS]


Earn = Annotated[Quiz | Code | Receipt | Completion | Given, Field(discriminator="kind")]


class EarnRule(BaseModel):
    """A stored rule read back (`earn_rules.spec`)."""

    earn: Earn


def parse(spec: dict) -> Quiz | Code | Receipt | Completion | Given:
    """The earn model of a stored spec."""
    return EarnRule.model_validate({"earn": spec}).earn


def resolve_journey(earn, stamp_id: int, file_stamps: list[int]):
    """A completion's `requires: journey` as the other stamp ids of its file; a completion may not require itself."""
    if isinstance(earn, Completion):
        required = [i for i in file_stamps if i != stamp_id] if earn.requires == "journey" else earn.requires
        if stamp_id in required:
            raise ValueError("a completion stamp cannot require itself")
        if not required:
            raise ValueError("requires: journey, but the file has no other stamp")
        earn = earn.model_copy(update={"requires": sorted(set(required))})
    return earn
