"""The API answers in the language asked (`?lang=` first, then Accept-Language, English last): names and descriptions
from the ops files' texts (the `translations` table, backend/content.py) where a file gave one, else English; it says
which in Content-Language, Vary and the envelope's `lang`. On SQLite and PostgreSQL, on the real contracts."""
import base64
import io
import re

import pytest
from fontTools.ttLib import TTFont

from backend.content import save_texts
from backend.indexer.runner import Indexer
from backend.issuer.earn import parse
from backend.issuer.rules import save_rules
from scripts.benefits import load_benefit_file
from scripts.drops import load_drop_file
from scripts.journeys import apply_texts, load_journey_file
from scripts.lib.common import ScriptError

# setup_catalogue (backend/dev/chain.py): journeys 1 Coffee Origins and 2 Holiday Drop; stamps 1 Origins Quiz, 2 Tasting
# Notes (journey 1), 3 Holiday Cup (in the shop), 4 Snowflake (journey 2); benefit 1.
QUIZ_NAME = {"en": "Origins Quiz", "zh-Hans": "产地小测验", "zh-Hant": "產地小測驗"}
QUIZ_DESCRIPTION = {"en": "Three questions on coffee.", "zh-Hans": "三道咖啡题。", "zh-Hant": "三道咖啡題。"}
JOURNEY_NAME = {"en": "Coffee Origins", "zh-Hans": "咖啡溯源", "zh-Hant": "咖啡溯源之旅"}
CUP_NAME = {"en": "Holiday Cup", "zh-Hans": "节日杯", "zh-Hant": "節日杯"}
BENEFIT = {"name": {"en": "Free refill", "zh-Hans": "免费续杯", "zh-Hant": "免費續杯"},
           "description": {"en": "One refill a day."}}
QUIZ_RULE = parse({"kind": "quiz", "answers": "q", "pass_mark": 1, "description": QUIZ_DESCRIPTION, "questions": [
    {"id": "q1", "text": {"en": "Where?", "zh-Hans": "在哪里？", "zh-Hant": "在哪裡？"},
     "choices": {"a": {"en": "Ethiopia", "zh-Hans": "埃塞俄比亚", "zh-Hant": "衣索比亞"}, "b": "Brazil"}}]})


@pytest.fixture
def client(chain, settings, client_for):
    chain.claim(4, 1)
    chain.claim(4, 2)
    chain.open_drop(1, stamp_id=3, supply=1, window=50)
    indexer = Indexer(settings)
    indexer.setup()
    indexer.sync()
    save_texts(settings, "journey", {"1": {"name": JOURNEY_NAME}})
    save_texts(settings, "stamp", {"1": {"name": QUIZ_NAME, "description": QUIZ_DESCRIPTION},
                                   "2": {"description": {"en": "Taste three coffees."}}, "3": {"name": CUP_NAME}})
    save_texts(settings, "benefit", {"1": BENEFIT})
    save_rules(settings, 1, {1: QUIZ_RULE})
    return client_for(settings)


def stamp(client, stamp_id: str, **request) -> dict:
    return next(s for s in client.get("/stamps", **request).json()["data"] if s["id"] == stamp_id)


@pytest.mark.parametrize("request_, locale", [
    ({}, "en"),
    ({"headers": {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}}, "zh-Hans"),
    ({"headers": {"Accept-Language": "zh-TW"}}, "zh-Hant"),
    ({"headers": {"Accept-Language": "fr-FR, zh-HK;q=0.5"}}, "zh-Hant"),  # French skipped, Hong Kong reads Traditional
    ({"headers": {"Accept-Language": "en;q=0.2, zh-SG;q=0.9"}}, "zh-Hans"),  # by q, not by order
    ({"params": {"lang": "zh-Hant"}}, "zh-Hant"),
    ({"params": {"lang": "zh-MO"}}, "zh-Hant"),
    ({"params": {"lang": "en"}, "headers": {"Accept-Language": "zh-TW"}}, "en"),  # ?lang= wins
    ({"params": {"lang": "zh-CN"}, "headers": {"Accept-Language": "zh-TW"}}, "zh-Hans"),
    ({"params": {"lang": "fr"}}, "en"),  # unknown tag: English
    ({"params": {"lang": "x-klingon-@@"}, "headers": {"Accept-Language": "de;q=garbage"}}, "en"),
])
def test_the_language_comes_from_lang_then_accept_language_then_english(client, request_, locale):
    response = client.get("/stamps", **request_)
    assert response.status_code == 200
    assert response.headers["content-language"] == locale
    assert "Accept-Language" in response.headers["vary"]
    body = response.json()
    assert body["lang"] == locale
    quiz = next(s for s in body["data"] if s["id"] == "1")
    assert quiz["name"] == QUIZ_NAME[locale]
    assert quiz["description"] == QUIZ_DESCRIPTION[locale]
    assert quiz["earn"]["description"] == QUIZ_DESCRIPTION[locale]


def test_what_a_file_did_not_translate_falls_back_to_english(client):
    tasting = stamp(client, "2", params={"lang": "zh-Hans"})
    assert (tasting["name"], tasting["description"]) == ("Tasting Notes", "Taste three coffees.")  # the chain's name
    snowflake = stamp(client, "4", params={"lang": "zh-Hant"})
    assert (snowflake["name"], snowflake["description"]) == ("Snowflake", None)
    question = stamp(client, "1", params={"lang": "zh-Hant"})["earn"]["questions"][0]
    assert question["text"] == "在哪裡？"
    assert question["choices"] == [{"id": "a", "text": "衣索比亞"}, {"id": "b", "text": "Brazil"}]


def test_english_names_are_the_chains_even_where_a_file_says_otherwise(client, settings):
    save_texts(settings, "stamp", {"4": {"name": {"en": "Snowflake (old name)", "zh-Hans": "雪花"}}})
    assert stamp(client, "4")["name"] == "Snowflake"
    assert stamp(client, "4", params={"lang": "zh-Hans"})["name"] == "雪花"


def test_journeys_profiles_shop_drops_and_benefits_answer_in_the_language_asked(client, chain):
    zh_tw = {"headers": {"Accept-Language": "zh-TW"}}
    journeys = client.get("/journeys", **zh_tw).json()
    assert journeys["lang"] == "zh-Hant"
    assert [j["name"] for j in journeys["data"]][:2] == ["咖啡溯源之旅", "Holiday Drop"]
    assert journeys["data"][0]["stamp_types"][0]["name"] == "產地小測驗"
    assert client.get("/journeys/1", params={"lang": "zh-Hans"}).json()["data"]["name"] == "咖啡溯源"

    member = chain.address(4)
    profile = client.get(f"/members/{member}", params={"lang": "zh-Hans"})
    assert (profile.headers["content-language"], profile.json()["lang"]) == ("zh-Hans", "zh-Hans")
    assert [h["name"] for h in profile.json()["data"]["holdings"]] == ["产地小测验", "Tasting Notes"]
    assert [h["name"] for h in client.get(f"/members/{member}").json()["data"]["holdings"]] == ["Origins Quiz", "Tasting Notes"]
    stamps = client.get(f"/members/{member}/stamps", **zh_tw)
    assert stamps.headers["content-language"] == "zh-Hant" and stamps.json()["data"][0]["name"] == "產地小測驗"

    assert client.get("/shop", **zh_tw).json()["data"][0]["name"] == "節日杯"
    assert client.get("/shop/3", params={"lang": "en"}).json()["data"]["name"] == "Holiday Cup"
    drop = client.get("/drops/1", params={"lang": "zh-Hans"}).json()["data"]
    assert (drop["name"], drop["stamp_name"], drop["description"]) == ("节日杯", "节日杯", None)  # named after its stamp
    benefit = client.get("/benefits", **zh_tw).json()["data"][0]
    assert (benefit["name"], benefit["description"]) == ("免費續杯", "One refill a day.")


def test_a_drop_file_names_the_drop(client, settings):
    save_texts(settings, "drop", {"1": {"name": {"en": "Cup draw", "zh-Hant": "節日杯抽籤"}, "description": None}})
    assert client.get("/drops", params={"lang": "zh-Hant"}).json()["data"][0]["name"] == "節日杯抽籤"
    assert client.get("/drops", params={"lang": "zh-Hans"}).json()["data"][0]["name"] == "Cup draw"


def test_every_route_says_its_language_even_where_nothing_depends_on_it(client):
    levels = client.get("/levels", headers={"Accept-Language": "zh-CN"})
    assert levels.headers["content-language"] == "zh-Hans" and levels.json()["lang"] is None
    image = client.get("/images/1.svg", params={"lang": "zh-Hant"})
    assert image.headers["content-language"] == "zh-Hant" and "產地小測驗" in image.text and "咖啡溯源之旅" in image.text
    banner = client.get("/images/journeys/1.svg", headers={"Accept-Language": "zh-CN"})
    assert banner.headers["content-language"] == "zh-Hans" and "咖啡溯源" in banner.text


def test_the_openapi_schema_documents_lang_and_accept_language(client):
    parameters = client.get("/openapi.json").json()["paths"]["/stamps"]["get"]["parameters"]
    assert {("query", "lang"), ("header", "Accept-Language")} <= {(p["in"], p["name"]) for p in parameters}


def test_saving_texts_again_changes_nothing_and_a_changed_file_replaces_them(settings):
    texts = {"7": {"name": JOURNEY_NAME, "description": None}}
    assert save_texts(settings, "journey", texts) == ["journey 7 texts in en, zh-Hans, zh-Hant"]
    assert save_texts(settings, "journey", texts) == []
    assert save_texts(settings, "journey", {"7": {"name": {"en": "Coffee Origins"}}}) == ["journey 7 texts in en"]
    assert save_texts(settings, "stamp", {"7": {"name": {"en": "Other subject, same id"}}}) == ["stamp 7 texts in en"]
    assert save_texts(settings, "journey", {"7": {"name": {"en": "Coffee Origins"}}}) == []


@pytest.mark.parametrize("name, message", [
    ("{en: A, zh-CN: 甲}", "journey.name: Value error, unknown language 'zh-CN': the languages are en, zh-Hans, zh-Hant"),
    ("{zh-Hans: 甲, zh-Hant: 甲}", "journey.name: Value error, no English text (en): every reader falls back to it"),
    ("{en: A, zh-Hans: ''}", "journey.name: Value error, zh-Hans: text expected"),
    ("[A]", "journey.name: Value error, text expected, or a mapping of en, zh-Hans, zh-Hant to texts"),
])
def test_a_bad_translation_in_a_file_is_one_line_naming_the_file_and_field(tmp_path, name, message):
    path = tmp_path / "j.yaml"
    path.write_text(f"journey: {{id: 1, name: {name}}}\nstamps: []\n")
    with pytest.raises(ScriptError) as error:
        load_journey_file(path)
    assert str(error.value).startswith(f"{path}: {message}") and "\n" not in str(error.value)


def test_a_bad_translation_deep_in_a_quiz_names_its_place(tmp_path):
    path = tmp_path / "j.yaml"
    path.write_text("journey: {id: 1, name: A}\nstamps:\n  - {id: 5, name: Q, points: 1, earn: {kind: quiz, answers: q, "
                    "pass_mark: 1, questions: [{id: q1, text: Which, choices: {a: A, b: {en: B, fr: Bé}}}]}}\n")
    with pytest.raises(ScriptError, match=r"stamps\.0\.earn\.quiz\.questions\.0\.choices\.b: Value error, unknown "
                                          r"language 'fr'"):
        load_journey_file(path)



def test_the_sample_files_carry_all_three_languages():
    for path in ("journeys/coffee-origins.yaml", "journeys/welcome.yaml", "journeys/fair-drops.yaml",
                 "journeys/holiday-drop.yaml"):
        spec = load_journey_file(path)
        for named in [spec.journey, *spec.stamps]:
            assert set(named.names) == {"en", "zh-Hans", "zh-Hant"}, (path, named.id)
        for s in spec.stamps:
            public = [s.earn.public(locale) for locale in ("zh-Hans", "zh-Hant")]
            assert all(p["description"] for p in public), (path, s.id)
    for path in ("drops/holiday-cup.yaml", "drops/siren-collection.yaml"):
        drop = load_drop_file(path)
        assert set(drop.name) == set(drop.description) == {"en", "zh-Hans", "zh-Hant"}, path
    for benefit in load_benefit_file("benefits/member-perks.yaml").benefits:
        assert set(benefit.name) == set(benefit.description) == {"en", "zh-Hans", "zh-Hant"}, benefit.id


def test_the_loading_scripts_store_every_language_and_reloading_changes_nothing(settings):
    spec = load_journey_file("journeys/coffee-origins.yaml")
    assert apply_texts(spec, settings) == ["journey 1 texts in en, zh-Hans, zh-Hant"] + [
        f"stamp {s.id} texts in en, zh-Hans, zh-Hant" for s in spec.stamps]
    assert apply_texts(spec, settings) == []


def test_erc1155_metadata_lists_its_locales_and_serves_each(client, settings):
    body = client.get("/metadata/1.json", headers={"Accept-Language": "zh-TW"}).json()  # the base file is English
    assert body["localization"] == {"uri": "http://127.0.0.1:8000/metadata/{locale}/{id}.json", "default": "en",
                                    "locales": ["en", "zh-Hans", "zh-Hant"]}
    assert (body["name"], body["description"]) == (
        "Origins Quiz", "Origins Quiz: a soulbound Coffee Origins stamp worth 10 points (open edition).")
    hans = client.get(f"/metadata/zh-Hans/{1:064x}.json")  # {id} as the standard substitutes it
    assert hans.status_code == 200 and hans.headers["content-language"] == "zh-Hans"
    hans = hans.json()
    assert hans["name"] == "产地小测验"
    assert hans["description"] == "产地小测验：“咖啡溯源”旅程中一枚不可转让的印章，价值 10 积分（不限量）。"
    assert [(a["trait_type"], a["value"]) for a in hans["attributes"]][:4] == [
        ("旅程", "咖啡溯源"), ("积分", 10), ("类型", "不可转让"), ("发行量", "不限量")]
    assert hans["image"].endswith("/images/1.svg?lang=zh-Hans")
    cup = client.get("/metadata/zh-Hant/3.json").json()
    assert cup["description"] == "節日杯：「Holiday Drop」旅程中一枚可轉讓的印章，價值 40 積分（限量 40 枚）。"
    assert client.get("/metadata/en/1.json").json()["description"] == body["description"]


@pytest.mark.parametrize("url, message", [
    ("/metadata/fr/1.json", "no metadata in 'fr': the locales are en, zh-Hans, zh-Hant"),
    ("/metadata/zh-CN/1.json", "no metadata in 'zh-CN'"),  # the standard substitutes a listed locale, nothing else
    ("/metadata/zh-Hant/999.json", "stamp type 999 not found"),
])
def test_metadata_in_an_unlisted_locale_or_of_an_unknown_stamp_is_a_404(client, url, message):
    response = client.get(url)
    assert response.status_code == 404 and message in response.json()["message"]


def test_the_art_names_cjk_fonts_first_in_the_texts_script_and_escapes_the_names(client, settings):
    hant = client.get("/images/1.svg", params={"lang": "zh-Hant"}).text
    assert 'xml:lang="zh-Hant"' in hant and "10 積分" in hant
    stack = hant.split('font-family="')[1].split('"')[0]
    assert stack.index("'PingFang TC'") < stack.index("'PingFang SC'") and "'Noto Sans CJK TC'" in stack
    assert stack.endswith("sans-serif") and "url(http" not in hant and "@import" not in hant  # nothing fetched
    hans = client.get("/images/1.svg", params={"lang": "zh-Hans"}).text
    stack = hans.split('font-family="')[1].split('"')[0]
    assert stack.index("'Microsoft YaHei'") < stack.index("'Microsoft JhengHei'")
    save_texts(settings, "stamp", {"1": {"name": {"en": "x", "zh-Hans": '<b onload="x">&'}}})
    hostile = client.get("/images/1.svg", params={"lang": "zh-Hans"}).text
    assert "&lt;b onload=&quot;x&quot;&gt;&amp;" in hostile and "<b " not in hostile


def test_the_art_embeds_only_the_glyphs_of_its_chinese_text_and_english_art_none(client):
    hans = client.get("/images/1.svg", params={"lang": "zh-Hans"}).text
    face = re.search(r'<style>@font-face\{font-family:"Odyssey Art";src:url\(data:font/woff;base64,([A-Za-z0-9+/=]+)\)\}</style>', hans)
    font = TTFont(io.BytesIO(base64.b64decode(face.group(1))))
    assert {chr(c) for c in font.getBestCmap()} == set("咖啡溯源" + "产地小测验" + "10 积分")
    assert hans.split('font-family="')[1].startswith("'Odyssey Art', system-ui")
    assert len(hans.encode()) < 8_000  # docs/languages.md: what the art weighs
    banner = client.get("/images/journeys/1.svg", params={"lang": "zh-Hant"}).text
    assert {chr(c) for c in TTFont(io.BytesIO(base64.b64decode(
        re.search(r"base64,([A-Za-z0-9+/=]+)", banner).group(1)))).getBestCmap()} == set("咖啡溯源之旅")
    english = client.get("/images/1.svg").text
    assert "<style>" not in english and "Odyssey Art" not in english and len(english.encode()) < 2_500

