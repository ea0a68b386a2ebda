"""The Python side's gettext catalogs (backend/locales/<locale>/LC_MESSAGES/<domain>.po): every locale translates
every message another one has, nothing is left fuzzy or empty, and placeholders survive translation."""
import re

import pytest
from babel.messages.pofile import read_po

from backend.i18n import CATALOGS, LOCALES, babel_locale, catalog_path

DOMAINS = sorted({po.stem for po in CATALOGS.glob("*/LC_MESSAGES/*.po")})
TRANSLATED = [locale for locale in LOCALES if locale != "en"]
PLACEHOLDER = re.compile(r"\{[a-z_]+[^}]*\}|%\([a-z_]+\)[sd]")


def catalog(domain, locale):
    with catalog_path(domain, locale).open("rb") as po:
        return read_po(po, locale=babel_locale(locale))


def test_there_are_catalogs():
    assert DOMAINS, f"no .po catalogs under {CATALOGS}"


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_locale_has_every_message_translated(domain):
    catalogs = {locale: catalog(domain, locale) for locale in TRANSLATED}
    ids = {locale: {m.id for m in c if m.id} for locale, c in catalogs.items()}
    every = set().union(*ids.values())
    for locale, c in catalogs.items():
        assert not every - ids[locale], f"{domain} {locale} lacks {sorted(every - ids[locale], key=str)[:5]}"
        for message in c:
            if not message.id:
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            assert all(strings) and not message.fuzzy, f"{domain} {locale}: {message.id!r} is untranslated or fuzzy"
            source = message.id if isinstance(message.id, str) else message.id[-1]  # Chinese has the plural form only
            for text in strings:
                assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(source)), (
                    f"{domain} {locale}: {message.id!r} has placeholders {PLACEHOLDER.findall(text)}")
