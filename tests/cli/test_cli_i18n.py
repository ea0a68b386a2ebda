"""The member CLI in the members' languages, on the real chain and API: `--lang`, else LC_ALL, LC_MESSAGES and LANG
(POSIX order) choose English, Simplified or Traditional Chinese; the contracts' errors keep their precise names; times
are relative and written as each language writes them (tests/backend/test_catalogs.py checks that every word the CLI says
is in the template and the catalogs)."""
import argparse
import inspect
import json
import re

import httpx
import pytest
from eth_account import Account

from backend.chain.protocol import voucher_link
from backend.cli import language
from backend.cli.refusals import ISSUER, RELAY, refusal_line
from backend.content import save_texts
from backend.i18n import LOCALES
from tests.cli.conftest import STAMPS, write_wallet
from tests.support.governance import give_proposer_points, propose
from tests.support.web import OPS, costs_relayer_nothing, send, voucher_for

JOURNEY, PRIZE = 72, 7201
QUIZ, KIOSK = 101, 102  # the sample journey's (journeys/coffee-origins.yaml, named in three languages)
_stamp_ids = iter(reversed(STAMPS))  # test_cli.py takes them from the front
_drop_ids = iter(range(720, 800))
# Characters that differ between the two scripts, in words the CLI uses (积/積 points,级/級 level,据/據 records, ...)
SIMPLIFIED_ONLY = set("积级据区块录还没")
TRADITIONAL_ONLY = set("積級據區塊錄還沒")


@pytest.fixture
def speaking(monkeypatch):
    """`speaking(LANG=..., LC_ALL=...)`: the locale variables (and TZ) a member's terminal has (the others unset: times
    in UTC)."""

    def set_to(**variables):
        for name in (*language.LOCALE_VARIABLES, "TZ"):
            monkeypatch.delenv(name, raising=False)
        for name, value in variables.items():
            monkeypatch.setenv(name, value)

    return set_to


@pytest.fixture
def holder(cli, c, synced):
    """An address holding one stamp (claimed through the CLI), the stamp's id and the block the API reflects."""
    member = Account.create().address
    stamp_id = next(_stamp_ids)
    assert cli("claim", voucher_link("http://x", voucher_for(c["OdysseyStamps"], member, stamp_id)))[0] == 0
    return member, stamp_id, synced()


def lines_of(cli, *argv) -> list[str]:
    """What `odyssey <argv>` printed, line by line (it must succeed)."""
    code, out, err = cli(*argv)
    assert code == 0, err
    return out.splitlines()


def member_number(cli, member) -> int:
    return json.loads(cli("stamps", member, "--json")[1])["number"]


# What `odyssey stamps` says of a holder of one 20-point stamp, in each script, and the other script's characters.
STAMPS_IN = {
    "zh_CN.UTF-8": ("{date}起成为第 {number} 号会员", [
        "积分 20 · 1级，再得 30 积分升到2级", "票数 20", "印章（1枚）：", "  #{stamp:<6} Stamp {stamp} · 20 积分", "（数据截至区块 {block}）",
    ], TRADITIONAL_ONLY),
    "zh_TW.UTF-8": ("{date}起成為第 {number} 號會員", [
        "積分 20 · 1級，再得 30 積分升到2級", "票數 20", "印章（1枚）：", "  #{stamp:<6} Stamp {stamp} · 20 積分", "（資料截至區塊 {block}）",
    ], SIMPLIFIED_ONLY),
}


@pytest.mark.parametrize("lang", STAMPS_IN)
def test_stamps_under_a_chinese_terminal(cli, holder, speaking, lang):
    member, stamp_id, block = holder
    heading, expected, other_script = STAMPS_IN[lang]
    speaking(LANG=lang)
    lines = lines_of(cli, "stamps", member)
    date = r"\d{4}年\d{1,2}月\d{1,2}日"  # Babel's long date, in the time zone TZ names
    assert re.fullmatch(re.escape(f"{member}: ") + heading.format(date=date, number=member_number(cli, member)), lines[0])
    assert lines[1:] == [line.format(stamp=stamp_id, block=block) for line in expected]
    assert not other_script & set("".join(lines))


def test_names_come_from_the_api_in_the_chosen_language(cli, c, synced, speaking):
    member = Account.create().address
    assert cli("claim", voucher_link("http://x", voucher_for(c["OdysseyStamps"], member, QUIZ)))[0] == 0
    synced()
    speaking(LANG="zh_CN.UTF-8")
    assert f"  #{QUIZ:<6} 咖啡产地小测验 · 10 积分" in lines_of(cli, "stamps", member)
    names = {lang: json.loads(cli("stamps", member, "--json", *lang)[1])["stamps"][0]["name"] for lang in ((), ("--lang", "zh-Hant"))}
    assert names == {(): "Origins Quiz", ("--lang", "zh-Hant"): "咖啡產地小測驗"}  # --json: English unless asked
    speaking(LANG="zh_TW.UTF-8")
    code, out, err = cli("journeys")
    assert code == 0, err
    assert "咖啡溯源（旅程 1）· 開放中" in out.splitlines()  # open-ended on this chain (conftest.py)
    assert f"#{QUIZ:<6} 咖啡產地小測驗 · 10 積分 · 問答 — 三道關於咖啡產地的題目，答對兩題就能獲得這枚印章。" in out
    assert "門市螢幕上的動態碼" in out and "在合作門市消費" in out and "集滿旅程" in out
    code, _, err = cli("play", str(KIOSK), "--lang", "zh-Hans")
    assert (code, err) == (1, f"错误：印章 {KIOSK}（农场探访）不是问答题：获得方式是门店屏上的动态码（odyssey code {KIOSK} <口令>）\n")


def test_a_benefit_is_named_in_the_chosen_language(cli, c, w3, server_settings, synced, speaking):
    benefits = c["OdysseyBenefits"]
    send(w3, benefits.functions.createBenefit(1, 5, "ipfs://lantern-refill"), OPS)
    benefit = benefits.functions.benefitCount().call()
    save_texts(server_settings, "benefit", {str(benefit): {"name": {"en": "Lantern refill", "zh-Hans": "元宵节免费续杯",
                                                                   "zh-Hant": "元宵節免費續杯"}}})
    synced()
    stranger = Account.create().address
    speaking(LANG="zh_TW.UTF-8")
    assert f"  #{benefit:<4} 元宵節免費續杯 · 1級以上 · 剩 5 份 · 需要1級" in lines_of(cli, "benefits", stranger)
    speaking(LANG="C")
    assert f"  #{benefit:<4} Lantern refill · level 1+ · 5 left · needs level 1" in lines_of(cli, "benefits", stranger)


def test_lang_option_wins_over_the_environment_and_lc_all_over_lang(cli, holder, speaking):
    member, _, block = holder
    speaking(LANG="zh_CN.UTF-8")
    assert lines_of(cli, "stamps", member)[-1] == f"（数据截至区块 {block}）"
    assert lines_of(cli, "stamps", "--lang", "zh-Hant", member)[-1] == f"（資料截至區塊 {block}）"  # before the command
    assert lines_of(cli, "stamps", member, "--lang", "zh-TW")[-1] == f"（資料截至區塊 {block}）"  # after it, as a region
    assert lines_of(cli, "stamps", member, "--lang", "en")[-1] == f"(records up to block {block})"
    speaking(LANG="zh_CN.UTF-8", LC_ALL="zh_TW.UTF-8")
    assert lines_of(cli, "stamps", member)[-1] == f"（資料截至區塊 {block}）"
    speaking(LANG="zh_TW.UTF-8", LC_MESSAGES="zh_CN.UTF-8")
    assert lines_of(cli, "stamps", member)[-1] == f"（数据截至区块 {block}）"
    speaking(LANG="zh_CN.UTF-8", LC_ALL="C")  # LC_ALL set: it decides, and C is English
    assert lines_of(cli, "stamps", member)[-1] == f"(records up to block {block})"


def test_a_c_or_unset_locale_speaks_english(cli, holder, speaking):
    member, stamp_id, block = holder
    for variables in ({"LANG": "C"}, {}, {"LANG": "fr_FR.UTF-8"}):
        speaking(**variables)
        assert lines_of(cli, "stamps", member)[1:] == [
            "points 20 · level 1, 30 points to level 2", "votes 20", "stamps (1):", f"  #{stamp_id:<6} Stamp {stamp_id} · 20 points",
            f"(records up to block {block})",
        ]


def test_json_output_stays_english_under_a_chinese_locale(cli, holder, speaking):
    member, stamp_id, _ = holder
    speaking(LANG="zh_CN.UTF-8")
    code, out, _ = cli("stamps", member, "--json")
    result = json.loads(out)
    assert code == 0 and result["points"] == 20 and result["stamps"][0]["stampId"] == stamp_id and "message" not in result
    code, out, err = cli("delegate", "0xnot-an-address", "--json")
    assert code == 1 and json.loads(out) == {"error": "delegate '0xnot-an-address' is not an address (0x and 40 hex digits)"}


def test_an_unknown_language_is_one_line_naming_the_supported_ones(cli, speaking):
    speaking(LANG="C")
    code, out, err = cli("stamps", "--lang", "xx")
    assert (code, out, err) == (2, "", "error: unsupported language 'xx': use one of en, zh-Hans, zh-Hant\n")
    speaking(LANG="zh_TW.UTF-8")  # said in the terminal's language
    code, out, err = cli("stamps", "--lang", "klingon")
    assert (code, out) == (2, "") and err == "錯誤：不支援的語言 'klingon'，請使用以下其中之一：en, zh-Hans, zh-Hant\n"


# argparse's usage errors, said before any chain or API is asked: (argv, what the last line of stderr says) per locale.
USAGE_ERRORS = {
    "zh_CN.UTF-8": [
        (["vote"], "odyssey vote：错误：缺少必需的参数：proposal, choice"),
        (["wallet", "bogus"], "odyssey wallet：错误：参数 wallet_action：无效的选择：'bogus'（可选：'new', 'import', 'address'）"),
        (["stamps", "0x1", "extra"], "odyssey：错误：无法识别的参数：extra"),
        (["stamps", "--timeout", "soon"], "odyssey stamps：错误：参数 --timeout：无效的 float 值：'soon'"),
    ],
    "zh_TW.UTF-8": [
        (["vote"], "odyssey vote：錯誤：缺少必要的引數：proposal, choice"),
        (["wallet", "bogus"], "odyssey wallet：錯誤：引數 wallet_action：無效的選擇：'bogus'（可選：'new', 'import', 'address'）"),
        (["stamps", "0x1", "extra"], "odyssey：錯誤：無法辨識的引數：extra"),
        (["stamps", "--timeout", "soon"], "odyssey stamps：錯誤：引數 --timeout：無效的 float 值：'soon'"),
    ],
    "C": [
        (["vote"], "odyssey vote: error: the following arguments are required: proposal, choice"),
        (["wallet", "bogus"], "odyssey wallet: error: argument wallet_action: invalid choice: 'bogus' (choose from 'new', 'import', 'address')"),
        (["stamps", "0x1", "extra"], "odyssey: error: unrecognized arguments: extra"),
        (["stamps", "--timeout", "soon"], "odyssey stamps: error: argument --timeout: invalid float value: 'soon'"),
    ],
}


@pytest.mark.parametrize("lang", USAGE_ERRORS)
def test_argparses_usage_errors_read_in_the_members_language(speaking, capsys, lang):
    from backend.cli.main import main

    speaking(LANG=lang)
    for argv, said in USAGE_ERRORS[lang]:
        assert main(argv) == 2
        out, err = capsys.readouterr()
        usage, *_, last = err.splitlines()
        assert (out, last) == ("", said)
        assert usage.startswith("用法：odyssey " if lang != "C" else "usage: odyssey ")


def test_the_argparse_words_in_the_catalogs_are_argparses_own():
    """A Python whose argparse words its errors differently would show them in English: this says which changed."""
    source = inspect.getsource(argparse)
    assert [word for word in language.ARGPARSE_WORDS if repr(word) not in source] == []


def test_a_contract_error_reads_in_chinese_with_its_precise_name(cli, c, w3, speaking):
    stamps = c["OdysseyStamps"]
    member = Account.create().address
    stamp_id = next(_stamp_ids)
    assert cli("claim", voucher_link("http://x", voucher_for(stamps, member, stamp_id)))[0] == 0
    speaking(LANG="zh_CN.UTF-8")
    with costs_relayer_nothing(w3):
        code, _, err = cli("claim", voucher_link("http://x", voucher_for(stamps, member, stamp_id)))
    assert code == 1
    assert err == f"错误：{member} 已经持有印章 {stamp_id}（OdysseyAlreadyHolds(member={member}, stampId={stamp_id})）\n"
    speaking(LANG="zh_HK.UTF-8")
    code, _, err = cli("claim", voucher_link("http://x", voucher_for(stamps, member, stamp_id)))
    assert err == f"錯誤：{member} 已經持有印章 {stamp_id}（OdysseyAlreadyHolds(member={member}, stampId={stamp_id})）\n"


def test_a_checked_refusal_reads_in_chinese(cli, c, w3, speaking):
    stamps = c["OdysseyStamps"]
    member = Account.create().address
    voucher = voucher_for(stamps, member, next(_stamp_ids))
    assert cli("claim", voucher_link("http://x", voucher))[0] == 0
    speaking(LANG="zh_CN.UTF-8")
    with costs_relayer_nothing(w3):
        code, _, err = cli("claim", voucher_link("http://x", voucher))
    assert (code, err) == (1, "错误：这张兑换券已被领取（或已撤销）\n")


def test_relative_times_by_locale():
    now = 1_800_000_000
    expected = {"en": ("in 3 minutes", "2 hours ago"), "zh-Hans": ("3分钟后", "2小时前"), "zh-Hant": ("3 分鐘後", "2 小時前")}
    try:
        for locale in LOCALES:
            language.use(locale)
            assert (language.relative(now + 170, now=now), language.relative(now - 7200, now=now)) == expected[locale]
    finally:
        language.use("en")


@pytest.fixture(scope="module")
def prize(w3, c) -> int:
    """A stamp for drops to give away, in a journey of its own."""
    stamps = c["OdysseyStamps"]
    send(w3, stamps.functions.createJourney(JOURNEY, "Drops in Chinese", "", 0, 0), OPS)
    send(w3, stamps.functions.createStampType(PRIZE, JOURNEY, "Lantern", 20, False, 50), OPS)
    return PRIZE


def test_estimated_times_say_how_far_off_they_are(speaking, monkeypatch):
    speaking()
    monkeypatch.setattr(language.time, "time", lambda: 1_800_000_000.5)
    try:
        language.use("zh-Hans")
        assert language.estimated(1_800_000_180) == "2027/1/15 08:03 UTC（3分钟后）"
        assert language.estimated(1_800_000_001) == "2027/1/15 08:00 UTC（马上就到）"  # not "0秒钟后"
        assert language.estimated(1_799_999_000) == "2027/1/15 07:43 UTC"  # passed: the time alone
        language.use("en")
        assert language.estimated(1_800_000_180) == "2027-01-15 08:03 UTC, in 3 minutes"
    finally:
        language.use("en")


@pytest.mark.parametrize("zone, expected", [
    (None, {"en": "2027-01-15 08:00 UTC", "zh-Hans": "2027/1/15 08:00 UTC", "zh-Hant": "2027/1/15 上午8:00 UTC"}),
    ("Asia/Taipei", {"en": "2027-01-15 16:00", "zh-Hans": "2027/1/15 16:00", "zh-Hant": "2027/1/15 下午4:00"}),
])
def test_times_read_as_the_members_clock_and_locale_write_them(speaking, zone, expected):
    speaking(**({"TZ": zone} if zone else {}))
    try:
        for locale in LOCALES:
            language.use(locale)
            assert language.moment(1_800_000_000) == expected[locale]
            assert language.date(1_800_000_000) == ("2027-01-15" if locale == "en" else "2027年1月15日")
            assert language.number(1234567) == "1,234,567"
    finally:
        language.use("en")


def test_an_open_drop_says_when_entries_close_in_chinese(cli, c, w3, prize, synced, speaking):
    drop_id = next(_drop_ids)
    opens = w3.eth.block_number + 1  # free, for members at level 1 or above, open for 10,000 blocks
    send(w3, c["OdysseyDrops"].functions.openDrop(drop_id, (prize, 0, 0, 1, opens, opens + 10_000, 1)), OPS)
    synced()
    speaking(LANG="zh_CN.UTF-8")
    code, out, err = cli("drops", "--state", "open")
    assert code == 0, err
    lines = out.splitlines()
    heading = lines.index(f"抽签 #{drop_id}  [报名中]  Lantern（20 积分）· 共 1 份 · 免费 · 已有 0 人报名")
    assert re.fullmatch(r"    报名截止：\d{4}/\d{1,2}/\d{1,2} \d{2}:\d{2} \S+（(\d+ ?(秒钟|分钟|小时|天|周|个月)后|马上就到)） · 限1级及以上的会员",
                        lines[heading + 1])
    speaking(LANG="zh_TW.UTF-8")
    out = cli("drops", "--state", "open")[1]
    assert f"抽籤 #{drop_id}  [報名中]  Lantern（20 積分）· 共 1 份 · 免費 · 已有 0 人報名" in out
    assert re.search(r"報名截止：\S+ .*（(\d+ ?(秒|分鐘|小時|天|週|個月)後|馬上就到)） · 限1級以上的會員", out)


def test_a_vote_says_when_it_closes_and_how_it_went_in_chinese(cli, c, w3, synced, speaking):
    stamps, governor = c["OdysseyStamps"], c["OdysseyGovernor"]
    give_proposer_points(w3, stamps, STAMPS[-1])
    proposal = propose(w3, governor, stamps, f"Lantern festival cups (#{next(_drop_ids)})")
    synced()
    speaking(LANG="zh_CN.UTF-8")
    code, out, err = cli("proposals", "--state", "active")
    assert code == 0, err
    lines = out.splitlines()
    heading = next(i for i, line in enumerate(lines) if line.startswith(f"{proposal}  [投票中]  Lantern festival cups"))
    assert lines[heading + 1] == "    赞成 0 · 反对 0 · 弃权 0"
    assert re.fullmatch(r"    投票截止：\d{4}/\d{1,2}/\d{1,2} \d{2}:\d{2} \S+（\d+ ?(秒钟|分钟|小时|天)后）", lines[heading + 2])
    member_wallet = write_wallet(cli.keystore, Account.create())  # no points at the snapshot: a vote of weight 0
    speaking(LANG="zh_TW.UTF-8")
    code, out, err = cli("vote", str(proposal), "for")
    assert code == 0, err
    assert re.fullmatch(rf"已對提案 {proposal} 投「贊成」，共 0 票（提案快照時（\d{{4}}/\d{{1,2}}/\d{{1,2}} .+）你沒有積分）\n", out)
    assert governor.functions.hasVoted(proposal, member_wallet).call()



def test_a_wrong_quiz_answer_and_a_wrong_kiosk_code_read_in_chinese(cli, w3, speaking):
    """The issuer's refusal of a code is matched by its `code` and worded by the CLI; its English line stays for logs."""
    write_wallet(cli.keystore, Account.create())
    speaking(LANG="zh_CN.UTF-8")
    code, _, err = cli("code", str(KIOSK), "000000x")
    assert (code, err) == (1, "错误：口令不正确：请检查后再试\n")
    with costs_relayer_nothing(w3):
        code, _, err = cli("play", str(QUIZ), "--answers", "q1=a,q2=b,q3=a")
    assert (code, err) == (1, "错误：未通过：3 题答对 0 题，需要答对 2 题；再试一次吧（每天次数有限）\n")
    speaking(LANG="zh_TW.UTF-8")
    code, _, err = cli("code", str(KIOSK), "000000x")
    assert (code, err) == (1, "錯誤：口令不正確：請檢查後再試\n")


@pytest.mark.parametrize("lang, expected", [
    ("zh-Hans", "0xAbC 的中继请求过多：请 61 秒后再试"),
    ("zh-Hant", "0xAbC 的中繼請求過多：請 61 秒後再試"),
    ("en", "too many relayed requests for 0xAbC: try again in 60 s"),  # English: the server's own line, as it is
])
def test_a_relay_refusal_is_worded_by_its_code(lang, expected):
    body = {"detail": "too many relayed requests for 0xAbC: try again in 60 s", "code": "member_rate_limited"}
    language.use(lang)
    try:
        assert refusal_line(httpx.Response(429, json={**body, "message": body["detail"]}, headers={"Retry-After": "61"}),
                            RELAY, "0xAbC") == expected
    finally:
        language.use("en")


def test_a_refusal_code_the_cli_does_not_know_shows_the_servers_english_line():
    language.use("zh-Hans")
    try:
        unknown = httpx.Response(403, json={"detail": "to: 0x1 is not a contract the relayer calls",
                                            "message": "to: 0x1 is not a contract the relayer calls", "code": "contract_not_relayed"})
        uncoded = httpx.Response(503, json={"detail": "database unavailable, retry shortly", "message": "database unavailable, retry shortly"})
        assert refusal_line(unknown, RELAY) == "to: 0x1 is not a contract the relayer calls"
        assert refusal_line(uncoded, ISSUER) == "database unavailable, retry shortly"
    finally:
        language.use("en")


def test_the_cli_words_only_codes_the_services_have():
    from backend.issuer.refusals import REFUSALS as ISSUER_CODES
    from backend.relay.refusals import REFUSALS as RELAY_CODES

    assert set(ISSUER) - set(ISSUER_CODES) == set() and set(RELAY) - set(RELAY_CODES) == set()
