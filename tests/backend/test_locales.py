"""Which language a preference list picks (backend/i18n.py), against the cases the page's chooser passes too."""
import json
from pathlib import Path

import pytest

from backend.i18n import accept_language, negotiate

CASES = json.loads((Path(__file__).parents[1] / "support" / "locale_cases.json").read_text())["cases"]


@pytest.mark.parametrize("preferences, locale", CASES, ids=[",".join(p) or "none" for p, _ in CASES])
def test_preferences_pick_the_locale(preferences, locale):
    assert negotiate(preferences) == locale


@pytest.mark.parametrize("header, tags", [
    ("zh-TW,zh;q=0.9,en-US;q=0.8,en;q=0.7", ["zh-TW", "zh", "en-US", "en"]),
    ("en;q=0.5, zh-CN", ["zh-CN", "en"]),
    ("fr;q=0, zh-HK;q=0.3, *;q=0.1", ["zh-HK"]),
    ("zh-CN;q=abc, en", ["en"]),
    ("", []),
    (None, []),
])
def test_accept_language_ranks_by_quality_then_order(header, tags):
    assert accept_language(header) == tags
