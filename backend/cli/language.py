"""The member's language for one run of `odyssey`: English, Simplified or Traditional Chinese, chosen by `--lang`, else
by the POSIX locale variables (LC_ALL, then LC_MESSAGES, then LANG: the first one set decides), mapped by
backend.i18n.match (`zh_CN.UTF-8` → zh-Hans, `zh_TW.UTF-8` → zh-Hant, `C` or unset → English).

Words go through gettext (domain `cli`, msgid = the English text, catalogs in backend/locales, `make catalogs`):
`_()` where a sentence is said, `N_()` to mark a template kept in a table and translated where it is used
(`NP_()` with a context where one English word needs two translations); argparse's usage errors go through them
too (`ARGPARSE_WORDS`). Dates, times, numbers and relative times come from Babel's locale data, in the time zone TZ
names (UTC, said, when TZ is unset). `--json` output is for programs: English, the names too unless --lang asks for a
language (backend/cli/main.py).
"""
import argparse
import datetime
import gettext
import os
import time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date, format_datetime, format_timedelta
from babel.numbers import format_decimal

from backend import i18n
from backend.i18n import N_  # the CLI's modules mark their templates with it, imported from here

DOMAIN = "cli"
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


# argparse's own words that the CLI's parser says to a member (its usage errors, Python 3.11's wording), marked for the
# cli catalogs: argparse looks up its module's `_` and `ngettext` at each call, which use() binds to the member's language.
ARGPARSE_WORDS = (
    N_("%(prog)s: error: %(message)s\n"),
    N_("the following arguments are required: %s"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("unrecognized arguments: %s"),
    N_("expected one argument"),
    N_("invalid %(type)s value: %(value)r"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("ignored explicit argument %r"),
)


class UnsupportedLanguage(ValueError):
    """A --lang value that names none of i18n.LOCALES."""


class _Current:
    locale = i18n.DEFAULT_LOCALE
    content = i18n.DEFAULT_LOCALE
    translations: gettext.NullTranslations = gettext.NullTranslations()


def from_environment(environ=os.environ) -> str:
    """The locale the POSIX variables ask for (the first one set, as setlocale reads them); English if none is ours."""
    for name in LOCALE_VARIABLES:
        if environ.get(name):
            return i18n.match(environ[name]) or i18n.DEFAULT_LOCALE
    return i18n.DEFAULT_LOCALE


def chosen(option: str | None, environ=os.environ) -> str:
    """`--lang` when given (any tag backend.i18n.match knows, e.g. zh-TW), else the environment's locale."""
    if option is None:
        return from_environment(environ)
    locale = i18n.match(option)
    if locale is None:
        raise UnsupportedLanguage(option)
    return locale


def use(locale: str, content: str | None = None) -> None:
    """Speak `locale` from now on (one run of the CLI speaks one language), and ask the API for names and descriptions
    in `content` (default: `locale`; `--json --lang zh-Hans` says English words around Chinese names)."""
    _Current.locale = locale
    _Current.content = content or locale
    _Current.translations = i18n.translations(DOMAIN, locale)
    argparse._, argparse.ngettext = _, ngettext  # argparse's usage errors too (ARGPARSE_WORDS)


def current_locale() -> str:
    """The language the CLI speaks in this run."""
    return _Current.locale


def content() -> str:
    """The language the API and the issuer are asked to answer in (Accept-Language)."""
    return _Current.content


def _(message: str) -> str:
    return _Current.translations.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _Current.translations.ngettext(singular, plural, count)


def NP_(context: str, message: str) -> tuple[str, str]:
    """Marks a word whose translation depends on what it describes (a drop that is `open` takes entries, an idea that
    is `open` gathers support): gettext's message context."""
    return context, message


def word(table: dict, key) -> str:
    """`table[key]`, a word marked with N_() or NP_(), translated (kept out of `_()` so the extraction does not take
    the key for a message)."""
    entry = table[key]
    return _Current.translations.pgettext(*entry) if isinstance(entry, tuple) else _(entry)


def _babel():
    return i18n.babel_locale(_Current.locale)


def _zone() -> datetime.tzinfo:
    try:
        return ZoneInfo(os.environ["TZ"]) if os.environ.get("TZ") else datetime.timezone.utc
    except (ZoneInfoNotFoundError, ValueError):
        return datetime.timezone.utc


def _instant(timestamp: int) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(int(timestamp), datetime.timezone.utc)


def number(value: int | str) -> str:
    """`12345` → `12,345` in the member's locale."""
    return format_decimal(int(value), locale=_babel())


def date(timestamp: int) -> str:
    """A day: `2026-11-26` in English (as it always read), `2026年11月26日` in Chinese."""
    pattern = "yyyy-MM-dd" if _Current.locale == i18n.DEFAULT_LOCALE else "long"
    return format_date(_instant(timestamp).astimezone(_zone()).date(), pattern, locale=_babel())


def moment(timestamp: int) -> str:
    """A time as the member's clock shows it (TZ), or in UTC saying so when TZ is unset: `2027-01-15 08:00 UTC` in
    English, `2027/1/15 08:00 UTC` in Simplified Chinese, `2027/1/15 下午4:00` in Traditional Chinese in Taipei."""
    when, zone, locale = _instant(timestamp), _zone(), _babel()
    english = _Current.locale == i18n.DEFAULT_LOCALE
    shown = format_datetime(when, "yyyy-MM-dd HH:mm" if english else "short", tzinfo=zone, locale=locale)
    return shown + " UTC" if zone is datetime.timezone.utc else shown


def relative(timestamp: int, now: float | None = None) -> str:
    """How far `timestamp` is from now: `in 3 minutes` / `3分钟后` / `2 hours ago`."""
    delta = datetime.timedelta(seconds=int(timestamp) - (time.time() if now is None else now))
    return format_timedelta(delta, add_direction=True, locale=_babel())


def estimated(timestamp: int) -> str:
    """An estimated time (the API's, from the chain's recent block times): the time, and how far off it is if still
    to come (`2026-11-26 05:52 UTC, in 3 minutes` / `2026/11/26 05:52 UTC（3分钟后）`), under a second: any moment now.
    """
    ahead = timestamp - time.time()
    if ahead <= 0:
        return moment(timestamp)
    if ahead < 1:  # not "in 0 seconds"
        return _("{time}, any moment now").format(time=moment(timestamp))
    return _("{time}, {relative}").format(time=moment(timestamp), relative=relative(timestamp))
