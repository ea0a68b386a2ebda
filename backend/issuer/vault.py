"""The issuer's secrets, which journey files only name: quiz answers, code words, rotating-code seeds, partner secrets.

They come from a YAML file named by ODYSSEY_ISSUER_SECRETS_FILE and/or JSON of the same shape in
ODYSSEY_ISSUER_SECRETS (whose entries win), never from the repository (make run passes backend/dev's sample file):

    quizzes:  {origins-quiz: {q1: b, q2: a, q3: c}}    # question id -> the right choice id
    words:    {farm-word: terroir}                      # compared ignoring case and spaces around it
    seeds:    {roastery: JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP}   # base32 TOTP seeds, at least 160 bits
    partners: {green-farm: 9b1c...}                     # each partner's webhook secret, at least 32 characters

They never reach the chain, the API's answers, the page or the logs: a value is only ever compared or used as a key
here, and every error names the secret, never its value.
"""
import base64
import binascii
import json
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from backend.issuer.earn import Code, Quiz, Receipt
from backend.settings import Settings

MIN_SEED_BYTES = 20  # RFC 4226 recommends 160 bits
MIN_PARTNER_SECRET = 32


_ENTRY = {"quizzes": "quiz answers", "words": "code word", "seeds": "rotating-code seed", "partners": "partner secret"}


class SecretsError(Exception):
    """The secrets are malformed, or one a journey file names is missing: one line, naming it."""


class _Secrets(BaseModel):
    model_config = ConfigDict(extra="forbid")

    quizzes: dict[str, dict[str, str]] = {}
    words: dict[str, str] = {}
    seeds: dict[str, str] = {}
    partners: dict[str, Annotated[str, Field(min_length=MIN_PARTNER_SECRET)]] = {}

    @field_validator("seeds")
    @classmethod
    def _base32_seeds(cls, seeds: dict[str, str]) -> dict[str, str]:
        for name, seed in seeds.items():
            try:
                raw = base64.b32decode(seed.upper() + "=" * (-len(seed) % 8))
            except (binascii.Error, ValueError):
                raise ValueError(f"seed {name!r} is not base32") from None
            if len(raw) < MIN_SEED_BYTES:
                raise ValueError(f"seed {name!r} has {len(raw) * 8} bits, fewer than {MIN_SEED_BYTES * 8}")
        return seeds


class Vault:
    def __init__(self, secrets: _Secrets, source: str):
        self._secrets = secrets
        self.source = source  # where they came from, for error messages

    @classmethod
    def from_settings(cls, settings: Settings) -> "Vault":
        merged, sources = {}, []
        if settings.issuer_secrets_file is not None:
            path = Path(settings.issuer_secrets_file)
            try:
                loaded = yaml.safe_load(path.read_text()) or {}
            except FileNotFoundError:
                raise SecretsError(f"ODYSSEY_ISSUER_SECRETS_FILE {path} does not exist") from None
            except yaml.YAMLError as exc:
                raise SecretsError(f"{path}: not valid YAML: {getattr(exc, 'problem', exc)}") from None
            _merge(merged, loaded, str(path))
            sources.append(str(path))
        if settings.issuer_secrets is not None:
            try:
                loaded = json.loads(settings.issuer_secrets.get_secret_value())
            except json.JSONDecodeError as exc:
                raise SecretsError(f"ODYSSEY_ISSUER_SECRETS is not valid JSON ({exc.msg} at character {exc.pos})") from None
            _merge(merged, loaded, "ODYSSEY_ISSUER_SECRETS")
            sources.append("ODYSSEY_ISSUER_SECRETS")
        try:
            secrets = _Secrets.model_validate(merged)
        except ValidationError as exc:
            error = exc.errors()[0]
            field = ".".join(str(p) for p in error["loc"])
            raise SecretsError(f"the issuer's secrets ({' + '.join(sources)}): {field}: {error['msg']}") from None
        return cls(secrets, " + ".join(sources) or "none: set ODYSSEY_ISSUER_SECRETS_FILE or ODYSSEY_ISSUER_SECRETS")

    def _get(self, section: str, name: str):
        value = getattr(self._secrets, section).get(name)
        if value is None:
            raise SecretsError(f"no {_ENTRY[section]} {name!r} in the issuer's secrets ({self.source})")
        return value

    def quiz_answers(self, name: str) -> dict[str, str]:
        return self._get("quizzes", name)

    def word(self, name: str) -> str:
        return self._get("words", name)

    def seed(self, name: str) -> str:
        return self._get("seeds", name)

    def partner_secret(self, partner: str) -> bytes:
        return self._get("partners", partner).encode()

    def check(self, stamp_id: int, earn) -> None:
        """SecretsError unless every secret `earn` names is here and fits it (a quiz's answers: one per question,
        each one of its choices)."""
        where = f"stamp {stamp_id}"
        try:
            if isinstance(earn, Quiz):
                answers = self.quiz_answers(earn.answers)
                for question in earn.questions:
                    if question.id not in answers:
                        raise SecretsError(f"quiz answers {earn.answers!r} have none for question {question.id!r}")
                    if answers[question.id] not in question.choices:
                        raise SecretsError(f"quiz answers {earn.answers!r}: {answers[question.id]!r} is not a choice "
                                           f"of question {question.id!r}")
                extra = sorted(set(answers) - {q.id for q in earn.questions})
                if extra:
                    raise SecretsError(f"quiz answers {earn.answers!r} answer questions the quiz does not ask: {extra}")
            elif isinstance(earn, Code):
                self.word(earn.word) if earn.word else self.seed(earn.rotating.seed)
            elif isinstance(earn, Receipt):
                self._get("partners", earn.partner)
        except SecretsError as exc:
            raise SecretsError(f"{where}: {exc}") from None


def _merge(into: dict, loaded, source: str) -> None:
    if not isinstance(loaded, dict):
        raise SecretsError(f"{source}: expected a mapping of quizzes, words, seeds and partners")
    for section, entries in loaded.items():
        if isinstance(entries, dict) and isinstance(into.get(section), dict):
            into[section] = {**into[section], **entries}
        else:
            into[section] = entries
