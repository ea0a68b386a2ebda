"""The page's words, without a browser: every web catalog (web/src/locales/*.json) has exactly the keys of the others
and the same ICU arguments (FormatJS parses them: tests/web/catalog_shapes.mjs); the page picks a language by the
rule backend/i18n.py follows (tests/support/locale_cases.json, run through node); and no English is left in the
HTML or in the page's scripts outside the catalogs."""
import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

from backend.settings import ROOT

LOCALES_DIR = ROOT / "web" / "src" / "locales"
CATALOGS = sorted(LOCALES_DIR.glob("*.json"))
SHAPES = ROOT / "tests" / "web" / "catalog_shapes.mjs"


def shapes(paths: list[Path]) -> dict:
    out = subprocess.run(["node", str(SHAPES), *map(str, paths)], cwd=ROOT, check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def catalog_problems(paths: list[Path]) -> list[str]:
    """What differs between the catalogs at `paths`: keys one lacks, arguments (or a select's choices) one changes."""
    found = shapes(paths)
    problems = []
    keys = set().union(*(set(c) for c in found.values()))
    for locale, catalog in found.items():
        problems += [f"{locale} lacks {key}" for key in sorted(keys - set(catalog))]
        problems += [f"{locale} {key}: {args[0]}" for key, args in catalog.items() if args and args[0].startswith("unparsable")]
    reference = found["en"]
    for locale, catalog in found.items():
        for key in sorted(set(catalog) & set(reference)):
            if catalog[key] != reference[key]:
                problems.append(f"{locale} {key}: arguments {catalog[key]}, English has {reference[key]}")
    return problems


def test_the_three_catalogs_exist():
    assert [p.stem for p in CATALOGS] == ["en", "zh-Hans", "zh-Hant"]


def test_every_catalog_has_the_keys_and_arguments_of_the_others():
    assert catalog_problems(CATALOGS) == []


def test_a_missing_key_or_a_changed_argument_is_found(tmp_path):
    english = json.loads((LOCALES_DIR / "en.json").read_text())
    chinese = json.loads((LOCALES_DIR / "zh-Hans.json").read_text())
    del chinese["vote.done"]
    chinese["points"] = "{count, plural, other {#积分}}"
    chinese["drops.state"] = "{state, select, open {报名中} other {已开奖}}"
    for locale, catalog in (("en", english), ("zh-Hans", chinese)):
        (tmp_path / f"{locale}.json").write_text(json.dumps(catalog, ensure_ascii=False))
    problems = catalog_problems([tmp_path / "en.json", tmp_path / "zh-Hans.json"])
    assert "zh-Hans lacks vote.done" in problems
    assert any(p.startswith("zh-Hans points: arguments ['count:plural']") for p in problems)
    assert any(p.startswith("zh-Hans drops.state: arguments ['state:select[open|other]']") for p in problems)
    assert len(problems) == 3


def test_chinese_catalogs_are_translated():
    """No message left in English in a Chinese catalog (brand names, units and placeholders aside)."""
    for locale in ("zh-Hans", "zh-Hant"):
        catalog = json.loads((LOCALES_DIR / f"{locale}.json").read_text())
        for key, message in catalog.items():
            words = re.sub(r"\{\w+, (plural|select|number)(, \w+)?|[A-Za-z0-9_=]+ ?\{|\{\w+\}", "", message)  # ICU syntax
            words = re.sub(r"Odyssey|MetaMask|ETH|QR|#token", "", words)
            assert not re.search(r"[A-Za-z]{3,}", words), f"{locale} {key} is not translated: {message}"


def test_the_page_picks_a_language_by_the_backends_rule():
    cases = json.loads((ROOT / "tests" / "support" / "locale_cases.json").read_text())["cases"]
    script = (
        "import { negotiate } from './web/src/locale.js';"
        "const cases = JSON.parse(process.argv[1]);"
        "console.log(JSON.stringify(cases.map(([preferences]) => negotiate(preferences))));"
    )
    out = subprocess.run(["node", "--input-type=module", "-e", script, json.dumps(cases)], cwd=ROOT, check=True,
                         capture_output=True, text=True)
    picked = json.loads(out.stdout)
    assert [(prefs, got) for (prefs, _), got in zip(cases, picked)] == [(prefs, want) for prefs, want in cases]


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.words: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("script", "style")
        for name, value in attrs:
            if name in ("alt", "title", "placeholder", "aria-label") and value:
                self.words.append(value)

    def handle_endtag(self, tag):
        self.skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self.skip and data.strip():
            self.words.append(data.strip())


def test_the_html_has_no_words_of_its_own():
    """index.html and kiosk.html name their messages (data-i18n); only the brand and its logo are written there."""
    for name in ("index.html", "kiosk.html"):
        parser = _Text()
        parser.feed((ROOT / "web" / name).read_text())
        assert set(parser.words) <= {"◎", "Odyssey"}, f"{name}: {parser.words}"


# JavaScript's string literals, comments and regular expressions, told apart well enough for the page's own code: a
# "/" starts a regular expression where an operand is expected (after an operator or an opening bracket).
_TOKEN = re.compile(r"""//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`|/""", re.S)
_REGEX = re.compile(r"/(?:\\.|\[(?:\\.|[^\]\\])*\]|[^/\\\n])+/[dgimsuy]*")
_OPERAND_EXPECTED = set("(,=:[!&|?{};+-*%<>~^") | {""}


def string_literals(source: str) -> list[tuple[int, str]]:
    """(line, text) of each string or template literal in `source` (a template's ${...} parts left in)."""
    found, index = [], 0
    while (match := _TOKEN.search(source, index)) is not None:
        token, start = match.group(), match.start()
        if token == "/":
            before = source[:start].rstrip()[-1:]
            regex = _REGEX.match(source, start) if before in _OPERAND_EXPECTED or source[:start].rstrip().endswith("return") else None
            index = regex.end() if regex else start + 1
            continue
        if token[0] in "\"'`":
            found.append((source.count("\n", 0, start) + 1, token[1:-1]))
        index = match.end()
    return found


# Words a member reads, two or more in a row: they belong in the catalogs. What is not for members: ABI signatures,
# the catalog's own error for a programmer, CSS selectors and URLs.
_WORDS = re.compile(r"\b[A-Za-z]{2,}\s+[A-Za-z]{2,}\b")
_NOT_FOR_MEMBERS = re.compile(r"^(function |no message |#|\.|/)|^[a-z-]+(\[[^\]]*\])?( [a-z.#-]+)*$")


def test_the_page_scripts_leave_their_words_to_the_catalogs():
    leftovers = []
    for path in sorted((ROOT / "web" / "src").glob("*.js")):
        for line, text in string_literals(path.read_text()):
            if _WORDS.search(re.sub(r"\$\{[^}]*\}", " ", text)) and not _NOT_FOR_MEMBERS.search(text):
                leftovers.append(f"{path.name}:{line}: {text}")
    assert leftovers == []


def test_the_scan_finds_a_sentence_left_in_code():
    source = 'const a = x / 2; toast("Thank you for voting"); const r = /"(a|b)"/g; h("p", {}, `Hello ${name} there`);'
    assert [t for _, t in string_literals(source)] == ["Thank you for voting", "p", "Hello ${name} there"]


def _code_map(source: str, name: str) -> dict[str, str]:
    block = re.search(rf"const {name} = \{{(.*?)\n\}};", source, re.S)
    assert block, f"{name} not found in web/src/main.js"
    return dict(re.findall(r"^\s*(\w+): \"(\w+)\",$", block.group(1), re.M))


def test_the_pages_refusal_codes_are_the_services_and_worded_in_every_catalog():
    """A code the page maps must be one the issuer or the relay sends, and its words must be in every catalog."""
    from backend.issuer.refusals import REFUSALS as ISSUER_CODES
    from backend.relay.refusals import REFUSALS as RELAY_CODES

    source = (ROOT / "web" / "src" / "main.js").read_text()
    issuer, relay = _code_map(source, "ISSUER_REFUSALS"), _code_map(source, "RELAY_REFUSALS")
    assert issuer and relay
    assert set(issuer) - set(ISSUER_CODES) == set() and set(relay) - set(RELAY_CODES) == set()
    assert set(issuer) & set(relay) == set()  # main.js looks a code up in both maps
    for catalog in CATALOGS:
        words = json.loads(catalog.read_text())
        assert [key for key in {**issuer, **relay}.values() if f"refusal.{key}" not in words] == [], catalog.name
