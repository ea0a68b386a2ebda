"""Member-facing text the ops files give per language: journey, stamp type, drop and benefit names and descriptions,
earn descriptions, quiz questions and choices.

    name: Coffee Origins                                          # English only
    name: {en: Coffee Origins, zh-Hans: 咖啡溯源之旅, zh-Hant: 咖啡溯源之旅}  # English and translations

English is required (every reader falls back to it, and the chain keeps it); the other keys are the locales of
backend/i18n.py. The loading scripts write the texts to `translations` (`save_texts`); the API and the issuer read them
in one language (`Texts`).
"""
from typing import Annotated

from pydantic import BeforeValidator
from sqlalchemy import Connection, and_, delete, select
from sqlalchemy.orm import Session

from backend.db import migrate
from backend.db.models import Translation
from backend.db.session import get_engine, write_connection
from backend.i18n import DEFAULT_LOCALE, LOCALES
from backend.settings import Settings

MAX_TEXT = 500


def _localized(value):
    """A plain string (English) or a mapping locale -> text; a ValueError naming what is wrong otherwise."""
    if isinstance(value, str):
        value = {DEFAULT_LOCALE: value}
    if not isinstance(value, dict):
        raise ValueError(f"text expected, or a mapping of {', '.join(LOCALES)} to texts")
    unknown = [str(k) for k in value if k not in LOCALES]
    if unknown:
        raise ValueError(f"unknown language {unknown[0]!r}: the languages are {', '.join(LOCALES)}")
    if DEFAULT_LOCALE not in value:
        raise ValueError(f"no English text ({DEFAULT_LOCALE}): every reader falls back to it")
    for locale, text in value.items():
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"{locale}: text expected, not {text!r}")
        if len(text) > MAX_TEXT:
            raise ValueError(f"{locale}: longer than {MAX_TEXT} characters")
    return {locale: value[locale] for locale in LOCALES if locale in value}  # one order: stored specs compare equal


Localized = Annotated[dict[str, str], BeforeValidator(_localized)]


def pick(text: dict[str, str] | None, locale: str) -> str | None:
    """`text` in `locale`, else in English; None for no text."""
    if not text:
        return None
    return text.get(locale) or text.get(DEFAULT_LOCALE)


def save_texts(settings: Settings, subject: str, texts: dict[str, dict[str, dict[str, str] | None]]) -> list[str]:
    """Bring the stored texts of `subject`'s ids (id -> field -> Localized, None for a field the file leaves out) in line
    with them, writing only what differs; what changed (empty when nothing did). Ids not named are left alone: another
    file may hold them."""
    migrate.upgrade(settings)
    changes = []
    with write_connection(get_engine(settings)) as connection, connection.begin():
        for subject_id, fields in texts.items():
            stored = {(row.field, row.locale): row.text for row in connection.execute(
                select(Translation.field, Translation.locale, Translation.text)
                .where(Translation.subject == subject, Translation.subject_id == subject_id))}
            wanted = {(field, locale): text for field, text in fields.items() for locale, text in (text or {}).items()}
            if stored == wanted:
                continue
            connection.execute(delete(Translation).where(
                and_(Translation.subject == subject, Translation.subject_id == subject_id)))
            if wanted:
                connection.execute(Translation.__table__.insert(), [
                    {"subject": subject, "subject_id": subject_id, "field": field, "locale": locale, "text": text}
                    for (field, locale), text in wanted.items()])
            languages = sorted({locale for _, locale in wanted}, key=LOCALES.index)
            changes.append(f"{subject} {subject_id} texts in {', '.join(languages) or 'no language'}")
    return changes


class Texts:
    """The stored texts (`translations`) of some ids of one subject, for one locale.
    Names the chain keeps (journeys', stamp types') are the chain's in English: a file's English is only a fallback
    for what the chain does not know (descriptions; drop and benefit names)."""

    def __init__(self, db: Session | Connection, subject: str, ids, locale: str):
        self.locale, self._texts = locale, {}
        ids = sorted({str(i) for i in ids})
        for start in range(0, len(ids), 5000):
            self._texts.update({(r.subject_id, r.field, r.locale): r.text for r in db.execute(
                select(Translation.subject_id, Translation.field, Translation.locale, Translation.text)
                .where(Translation.subject == subject, Translation.subject_id.in_(ids[start:start + 5000]),
                       Translation.locale.in_({locale, DEFAULT_LOCALE})))})

    def get(self, subject_id, field: str) -> str | None:
        """The text in the locale, else in English, else None."""
        key = str(subject_id), field
        return self._texts.get((*key, self.locale)) or self._texts.get((*key, DEFAULT_LOCALE))

    def name(self, subject_id, on_chain: str) -> str:
        """A name the chain keeps, in the locale when the file translated it."""
        if self.locale == DEFAULT_LOCALE:
            return on_chain
        return self._texts.get((str(subject_id), "name", self.locale), on_chain)
