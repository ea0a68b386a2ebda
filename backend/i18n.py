"""The members' languages: which of English, Simplified Chinese and Traditional Chinese a browser, a request or a
terminal asks for. One rule for every side (the page's web/src/i18n.js follows the same cases,
tests/support/locale_cases.json):

- an explicit script wins (`zh-Hant-CN` is Traditional);
- otherwise the region says it: TW, HK and MO read Traditional, every other region (CN, SG, MY, ...) Simplified;
- a bare `zh` is Simplified, the larger readership;
- `en-*` is English; anything else is skipped in favour of the next preference, and English closes the list.
"""
import gettext
from collections.abc import Iterable
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALES = ("en", "zh-Hans", "zh-Hant")
DEFAULT_LOCALE = "en"
_TRADITIONAL_REGIONS = frozenset({"TW", "HK", "MO"})


# gettext catalogs, one domain per side that speaks (`cli`, `api`): locales/<zh_Hans>/LC_MESSAGES/<domain>.po, the
# msgids being the English text. Read from the .po at first use: no compiled files to keep in step.
CATALOGS = Path(__file__).parent / "locales"


def N_(message: str) -> str:
    """Marks a message kept in a constant for extraction (`make catalogs`); `gettext()` translates it where it is used."""
    return message


def match(tag: str) -> str | None:
    """One BCP 47 tag (`zh-TW`, `zh-Hant`) or POSIX locale (`zh_CN.UTF-8`, `zh_TW@euro`) → one of LOCALES, or None."""
    parts = [p for p in tag.split(".", 1)[0].split("@", 1)[0].replace("_", "-").strip().split("-") if p]
    if not parts:
        return None
    language = parts[0].lower()
    if language == "en":
        return "en"
    if language != "zh":
        return None
    subtags = [p.lower() for p in parts[1:]]
    if "hant" in subtags:
        return "zh-Hant"
    if "hans" in subtags:
        return "zh-Hans"
    return "zh-Hant" if any(p.upper() in _TRADITIONAL_REGIONS for p in subtags) else "zh-Hans"


def negotiate(preferences: Iterable[str]) -> str:
    """The first of `preferences` (most wanted first) that one of LOCALES serves; English when none does."""
    for tag in preferences:
        locale = match(tag)
        if locale is not None:
            return locale
    return DEFAULT_LOCALE


def accept_language(header: str | None) -> list[str]:
    """An HTTP Accept-Language header's tags, most wanted first (by q, then order); q=0 and malformed q are dropped."""
    ranked = []
    for index, item in enumerate((header or "").split(",")):
        tag, _, params = item.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag.strip() and tag.strip() != "*" and quality > 0:
            ranked.append((-quality, index, tag.strip()))
    return [tag for _, _, tag in sorted(ranked)]


def babel_locale(locale: str) -> Locale:
    """Babel's locale for one of LOCALES (`zh-Hans` → zh_Hans), for dates, numbers, relative times and plurals."""
    return Locale.parse(locale.replace("-", "_"))


def catalog_path(domain: str, locale: str) -> Path:
    return CATALOGS / str(babel_locale(locale)) / "LC_MESSAGES" / f"{domain}.po"


@lru_cache(maxsize=None)
def translations(domain: str, locale: str) -> gettext.NullTranslations:
    """`domain`'s catalog in `locale` (gettext/ngettext); English, the msgids themselves, needs none. Fuzzy entries
    are skipped, so an unreviewed translation shows the English instead."""
    path = catalog_path(domain, locale)
    if locale == DEFAULT_LOCALE or not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=babel_locale(locale), domain=domain)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)
