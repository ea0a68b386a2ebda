"""The Python side's gettext catalogs (backend/locales/<locale>/LC_MESSAGES/<domain>.po): every message the code marks
is in its domain's template and every catalog (as `make catalogs` extracts them), every locale translates every message
another one has, nothing is left fuzzy or empty, and placeholders survive translation."""
import filecmp
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from backend.i18n import CATALOGS, LOCALES, babel_locale, catalog_path

DOMAINS = sorted({po.stem for po in CATALOGS.glob("*/LC_MESSAGES/*.po")})
ROOT = Path(__file__).parents[2]
BACKEND = ROOT / "backend"
SOURCES = {"cli": ["cli"], "api": ["api", "issuer"]}  # what the Makefile's catalogs target extracts each template from
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


def _key(context, message) -> tuple:
    return context, message if isinstance(message, str) else tuple(message)  # a plural: (singular, plural)


def _extracted(domain: str) -> set:
    """Every message marked in the domain's sources (_(), N_(), NP_(), ngettext()), with its context, as
    `make catalogs` extracts it."""
    keywords = {**DEFAULT_KEYWORDS, "NP_": ((1, "c"), 2)}
    found = [m for folder in SOURCES[domain] for m in extract_from_dir(str(BACKEND / folder), method_map=[("**.py", "python")],
                                                                      keywords=keywords)]
    return {_key(context, message) for _, _, message, _, context in found}


def _ids(path: Path, locale=None) -> set:
    with path.open("rb") as po:
        return {_key(m.context, m.id) for m in read_po(po, locale=locale) if m.id}


def test_every_domain_has_its_sources():
    assert sorted(SOURCES) == DOMAINS


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_word_the_code_says_is_in_the_template_and_every_catalog(domain):
    said = _extracted(domain)
    assert said, f"nothing marked for {domain} in {SOURCES[domain]}"
    template = CATALOGS / f"{domain}.pot"
    assert said == _ids(template), f"{template} is stale: run `make catalogs` and translate what is new"
    for locale in TRANSLATED:
        path = catalog_path(domain, locale)
        assert said == _ids(path, babel_locale(locale)), f"{path} is stale: run `make catalogs` and translate what is new"


def test_make_catalogs_changes_nothing_when_nothing_changed(tmp_path):
    copy = tmp_path / "locales"
    shutil.copytree(CATALOGS, copy)
    subprocess.run(["make", "-s", "catalogs", f"CATALOGS={copy}"], cwd=ROOT, check=True, capture_output=True)
    files = sorted(str(path.relative_to(CATALOGS)) for path in CATALOGS.rglob("*") if path.is_file())
    assert files == sorted(str(path.relative_to(copy)) for path in copy.rglob("*") if path.is_file())
    _, changed, errors = filecmp.cmpfiles(CATALOGS, copy, files, shallow=False)
    assert (changed, errors) == ([], []), "make catalogs rewrites what did not change"
