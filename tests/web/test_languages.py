"""The member page in Chinese, in a real browser against the real stack: a browser set to zh-CN (then zh-TW) opens a
claim link, connects, collects the stamp, votes and submits an idea, and every screen reads in Simplified (then
Traditional) Chinese: no English word outside brand names, units, addresses and the content members and operators
wrote (elements marked data-content: names, titles, descriptions, which come from the chain and the API as they were
given), and no character only the other script uses. A drop (entered, drawn, claimed) reads the same in Simplified
Chinese and a purchase in the shop in Traditional Chinese. The switcher changes the language and is remembered across a
reload, ahead of the browser's own. Screenshots in test-artifacts/web/4*.png and 5*.png."""
import json
import re
from contextlib import contextmanager

import pytest
from eth_account import Account
from playwright.sync_api import expect
from web3 import Web3

from backend.chain.protocol import voucher_link
from backend.settings import ROOT
from tests.support.server import wait_until_indexed
from tests.support.web import voucher_for
from tests.web.conftest import EDITION, FREE_PRIZE, PRICE, QUIZ_JOURNEY, QUIZ_POINTS, QUIZ_STAMP
from tests.web.test_member_page import WAIT_MS, connect, connected_page, open_page, open_proposal
from tests.web.test_shop_drops import open_drop, past_seed_block, ticket_holders

CATALOGS = {name: json.loads((ROOT / "web" / "src" / "locales" / f"{name}.json").read_text()) for name in ("zh-Hans", "zh-Hant")}
# Not English words: brand names, a unit, and the part of a kiosk link staff look for.
NOT_WORDS = ["Odyssey", "ETH", "MetaMask", "#token="]


def _han(locale: str) -> set[str]:
    return {ch for message in CATALOGS[locale].values() for ch in message if "\u4e00" <= ch <= "\u9fff"}


# Characters one script's catalog uses and the other's never does (领/領, 积/積, 后/後 ...): seeing one on a page in
# the other script means a message fell through to the wrong catalog.
ONLY_IN = {"zh-Hans": _han("zh-Hans") - _han("zh-Hant"), "zh-Hant": _han("zh-Hant") - _han("zh-Hans")}
OTHER = {"zh-Hans": "zh-Hant", "zh-Hant": "zh-Hans"}

# Every visible text and label on the page except the content people wrote (data-content) and the language switcher
# (each language's own name), with that content cut out where a message quotes it ("印章已领取：Origins Quiz ...").
PAGE_WORDS = """() => {
  const content = [...document.querySelectorAll("[data-content]")].map((el) => el.textContent.trim()).filter(Boolean)
    .sort((a, b) => b.length - a.length);
  const skipped = (el) => el.closest("[data-content], #switcher, script, style");
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (node.textContent.trim() && !skipped(el) && el.checkVisibility()) out.push(node.textContent);
  }
  for (const el of document.querySelectorAll("[aria-label], [alt], [title], [placeholder]")) {
    if (skipped(el) || !el.checkVisibility()) continue;
    for (const name of ["aria-label", "alt", "title", "placeholder"]) if (el.getAttribute(name)) out.push(el.getAttribute(name));
  }
  out.push(document.title);
  return out.map((text) => content.reduce((rest, c) => rest.split(c).join(" "), text));
}"""


def leaks(page, locale: str) -> list[str]:
    """English words and characters of the other script on `page`, which should read in `locale`."""
    found = []
    for text in page.evaluate(PAGE_WORDS):
        rest = re.sub(r"0x[0-9a-fA-F]+(…[0-9a-fA-F]+)?", " ", text)
        for name in NOT_WORDS:
            rest = rest.replace(name, " ")
        found += [f"English {word!r} in {text!r}" for word in re.findall(r"[A-Za-z]{3,}", rest)]
        found += [f"{OTHER[locale]} {ch!r} in {text!r}" for ch in sorted(set(rest) & ONLY_IN[OTHER[locale]])]
    return found


# What the member reads at each step, in each script (written here, not read from the catalogs, so a wrong message
# in a catalog fails the test).
WORDS = {
    "zh-Hans": {
        "collect": "领取这枚印章", "not_member": "你还不是会员", "journey": "咖啡溯源", "stamp": "咖啡产地小测验",
        "collected": f"印章已领取：咖啡产地小测验，+{QUIZ_POINTS}积分。",
        "open": "投票中", "weight": f"你的一票计为{QUIZ_POINTS}积分", "closes": re.compile(r"^(\d+(秒钟|分钟|小时|天)后截止|即将截止)$"),
        "vote": "投赞成", "counted": "谢谢！你的“赞成”票已计入。", "my_vote": f"你投了：赞成（{QUIZ_POINTS}积分）",
        "title_label": "标题", "text_label": "具体说说", "submit": "提交创意", "idea": "全店供应燕麦奶",
        "idea_text": "每家门店都提供燕麦奶，不另外加价。", "submitted": "谢谢！“全店供应燕麦奶”已发布到创意墙。",
        "proposal": "每集满一百枚印章，就种一棵树\n\n本季每收集一百枚印章，社区金库就出资种一棵树。",
        "supporters": "0人支持", "fresh": "数据已与网络同步", "votes_title": "社区投票", "loading": "加载中",
    },
    "zh-Hant": {
        "collect": "領取這枚印章", "not_member": "你還不是會員", "journey": "咖啡溯源", "stamp": "咖啡產地小測驗",
        "collected": f"印章已領取：咖啡產地小測驗，+{QUIZ_POINTS}積分。",
        "open": "投票中", "weight": f"你的一票計為{QUIZ_POINTS}積分", "closes": re.compile(r"^(\d+ ?(秒|分鐘|小時|天)後截止|即將截止)$"),
        "vote": "投贊成", "counted": "謝謝！你的「贊成」票已計入。", "my_vote": f"你投了：贊成（{QUIZ_POINTS}積分）",
        "title_label": "標題", "text_label": "詳細說明", "submit": "送出創意", "idea": "全店供應燕麥奶",
        "idea_text": "每家門市都提供燕麥奶，不另外加價。", "submitted": "謝謝！「全店供應燕麥奶」已發佈到創意牆。",
        "proposal": "每集滿一百枚印章，就種一棵樹\n\n本季每收集一百枚印章，社群金庫就出資種一棵樹。",
        "supporters": "0人支持", "fresh": "資料已與網路同步", "votes_title": "社群投票", "loading": "載入中",
    },
}


@pytest.mark.parametrize(("browser_locale", "locale", "first_shot"), [("zh-CN", "zh-Hans", 40), ("zh-TW", "zh-Hant", 45)])
def test_member_flow_reads_in_chinese(server, browser, w3, c, artifacts, browser_locale, locale, first_shot):
    words = WORDS[locale]
    member = Account.from_key(Web3.keccak(text=f"odyssey web member reading {browser_locale}"))
    context = browser.new_context(locale=browser_locale, viewport={"width": 1100, "height": 900})
    try:
        page, wallet, errors = open_page(context, member, w3, artifacts / f"console-{browser_locale}.log")
        languages = []
        page.on("request", lambda request: "/proposals" in request.url
                and languages.append(request.headers.get("accept-language")))
        shot = iter(range(first_shot, first_shot + 5))

        def screen(name: str) -> None:
            shoot(page, locale, artifacts / f"{next(shot)}-{browser_locale}-{name}.png")

        # 1. The claim link, before connecting: the page follows the browser's language.
        page.goto(voucher_link(server, voucher_for(c["OdysseyStamps"], member.address, QUIZ_STAMP)))
        expect(page.locator("html")).to_have_attribute("lang", locale)
        expect(page.locator("#claim-button")).to_have_text(words["collect"], timeout=WAIT_MS)
        # The API's content in the member's language (journeys/coffee-origins.yaml's names for journey 1, stamp 101).
        expect(page.locator("#claim strong")).to_have_text(words["stamp"])
        expect(page.locator(f"#journey-{QUIZ_JOURNEY} h3")).to_have_text(words["journey"])
        expect(page.locator("#block")).to_contain_text(words["fresh"])
        expect(page.locator("main")).not_to_contain_text(words["loading"])
        screen("claim-link")

        # 2. Connect, 3. collect the stamp (the relay pays).
        connect(page, wallet)
        expect(page.locator("#me-body")).to_contain_text(words["not_member"])
        page.click("#claim-button")
        expect(page.locator("#toast")).to_contain_text(words["collected"], timeout=WAIT_MS)
        expect(page.locator("#points")).to_have_text(str(QUIZ_POINTS))
        expect(page.locator(f'#gallery li[data-stamp="{QUIZ_STAMP}"] .name')).to_have_text(words["stamp"])
        screen("stamp-collected")

        # 4. A vote opens: its close is a time, not a block (the block is in the tooltip).
        proposal_id = open_proposal(w3, c, words["proposal"])
        wait_until_indexed(server, w3)
        page.reload()
        proposal = page.locator(f'li[data-proposal="{proposal_id}"]')
        expect(proposal).to_contain_text(words["open"], timeout=WAIT_MS)
        expect(proposal).to_contain_text(words["weight"])
        expect(proposal.locator(".when")).to_have_text(words["closes"])
        expect(proposal.locator(".when")).to_have_attribute("title", re.compile(r"^區塊 \d+$|^区块 \d+$"))
        expect(page.locator("main")).not_to_contain_text(words["loading"])
        screen("vote-open")

        # 5. Vote For, by signature.
        proposal.locator('button[data-vote="For"]').click()
        expect(proposal.locator('button[data-vote="For"]')).to_have_count(0, timeout=WAIT_MS)
        expect(page.locator("#toast")).to_contain_text(words["counted"], timeout=WAIT_MS)
        expect(page.locator(f'li[data-proposal="{proposal_id}"] .my-vote')).to_have_text(words["my_vote"])
        screen("vote-counted")

        # 6. An idea, in the member's own words.
        form = page.locator("#idea-form")
        expect(form).to_be_visible(timeout=WAIT_MS)
        form.get_by_label(words["title_label"]).fill(words["idea"])
        form.get_by_label(words["text_label"]).fill(words["idea_text"])
        form.get_by_role("button", name=words["submit"]).click()
        expect(page.locator("#toast")).to_contain_text(words["submitted"], timeout=WAIT_MS)
        expect(page.locator("li.idea", has_text=words["idea"])).to_contain_text(words["supporters"])
        screen("idea-submitted")

        assert languages and set(languages) == {locale}, "the page asks the API for its content in the member's language"
        assert errors == []
    finally:
        context.close()


def shoot(page, locale: str, path) -> None:
    """No English and no character of the other script on `page`, then its screenshot."""
    assert leaks(page, locale) == []
    page.screenshot(path=path, full_page=True)


@contextmanager
def connected_in(browser, browser_locale: str, locale: str, member, w3, server, artifacts, name: str):
    """`member`'s page, connected, in a browser set to `browser_locale`, reading `locale`; no page error by the end."""
    context = browser.new_context(locale=browser_locale, viewport={"width": 1100, "height": 900})
    try:
        page, _wallet, errors = connected_page(context, member, w3, server, artifacts, f"{name}-{browser_locale}")
        expect(page.locator("html")).to_have_attribute("lang", locale)
        yield page
        assert errors == []
    finally:
        context.close()


def test_a_drop_entered_drawn_and_claimed_reads_in_simplified_chinese(server, browser, w3, c, shop_and_drops, artifacts):
    (member,) = ticket_holders(w3, c, 1)
    drop_id = open_drop(w3, c, FREE_PRIZE, supply=1)  # one prize, one entry: the member wins
    wait_until_indexed(server, w3)
    with connected_in(browser, "zh-CN", "zh-Hans", member, w3, server, artifacts, "drop") as page:
        card = page.locator(f'li[data-drop="{drop_id}"]')
        expect(card).to_contain_text("报名中", timeout=WAIT_MS)
        expect(card).to_contain_text("共1份 · 免费报名 · 已有0人报名")
        expect(card.locator(".countdown")).to_have_text(re.compile(r"^报名(将于.+|马上)截止$"))
        expect(card).to_contain_text("你可以报名：每人一次，每次报名中签机会均等。")
        shoot(page, "zh-Hans", artifacts / "52-zh-CN-drop-open.png")

        card.locator('button[data-action="enter"]').click()
        expect(page.locator("#toast")).to_contain_text("你已参加“Holiday Cup”的抽签，祝你好运！", timeout=WAIT_MS)
        expect(card.locator(".entry")).to_have_text("你已报名（第0号）。")
        past_seed_block(w3, c, drop_id)
        draw = card.locator('button[data-action="draw"]')
        expect(draw).to_be_visible(timeout=WAIT_MS)  # the page reads the drops again by itself
        expect(card).to_contain_text("可以开奖")
        shoot(page, "zh-Hans", artifacts / "53-zh-CN-drop-ready.png")

        draw.click()
        expect(page.locator("#toast")).to_contain_text("已开奖。", timeout=WAIT_MS)
        expect(card.locator(".result")).to_have_text("恭喜中签！")
        shoot(page, "zh-Hans", artifacts / "54-zh-CN-drop-won.png")

        card.locator('button[data-action="claim"]').click()
        expect(page.locator("#toast")).to_contain_text("“Holiday Cup”归你了。", timeout=WAIT_MS)
        expect(card.locator(".settled")).to_have_text("已领取：印章已在你的收藏中。")
        expect(page.locator(f'#gallery li[data-stamp="{FREE_PRIZE}"]')).to_contain_text("Holiday Cup")
        assert c["OdysseyStamps"].functions.balanceOf(member.address, FREE_PRIZE).call() == 1
        shoot(page, "zh-Hans", artifacts / "55-zh-CN-drop-claimed.png")


def test_a_purchase_in_the_shop_reads_in_traditional_chinese(server, browser, w3, c, shop_and_drops, artifacts):
    (member,) = ticket_holders(w3, c, 1)
    wait_until_indexed(server, w3)
    with connected_in(browser, "zh-TW", "zh-Hant", member, w3, server, artifacts, "shop") as page:
        item = page.locator(f'li[data-shop-item="{EDITION}"]')
        expect(item).to_contain_text("Winter Cup", timeout=WAIT_MS)
        expect(item).to_contain_text("40積分 · 0.01 ETH")
        expect(item).to_contain_text("每個錢包限購2份")
        shoot(page, "zh-Hant", artifacts / "56-zh-TW-shop.png")

        ether = w3.eth.get_balance(member.address)
        item.locator("button.buy").click()
        expect(item.locator(".confirm .quote")).to_contain_text(re.compile(r"^你將從錢包支付 0\.01 ETH，另付約 [0-9.]+ ETH 網路手續費。$"),
                                                               timeout=WAIT_MS)
        assert w3.eth.get_balance(member.address) == ether  # nothing sent before the member confirms
        shoot(page, "zh-Hant", artifacts / "57-zh-TW-shop-quote.png")

        item.locator(".confirm-button").click()
        expect(page.locator("#toast")).to_contain_text("購買成功：Winter Cup × 1，已放入你的收藏。", timeout=WAIT_MS)
        expect(item).to_contain_text("你已購買1份")
        expect(page.locator(f'#gallery li[data-stamp="{EDITION}"]')).to_contain_text("Winter Cup")
        (tx,) = [t for t in w3.eth.get_block("latest", full_transactions=True)["transactions"] if t["from"] == member.address]
        assert tx["value"] == PRICE
        shoot(page, "zh-Hant", artifacts / "58-zh-TW-shop-bought.png")


def test_kiosk_page_speaks_its_browsers_language(server, browser, artifacts):
    """A kiosk tablet set to Traditional Chinese: the kiosk page's own words are Traditional (a link without its token
    says so; the code itself is tested in test_journeys_page.py)."""
    context = browser.new_context(locale="zh-HK")
    try:
        page = context.new_page()
        page.goto(f"{server}/kiosk.html")
        expect(page.locator("html")).to_have_attribute("lang", "zh-Hant")
        expect(page.locator("#kiosk-error")).to_have_text("這個門市螢幕連結不完整：請開啟收到的完整連結（以 #token=… 結尾）。")
        expect(page).to_have_title("Odyssey 門市螢幕")
        assert leaks(page, "zh-Hant") == []
    finally:
        context.close()


def test_switcher_changes_the_language_and_remembers_it(server, browser, artifacts):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1100, "height": 900})
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(server)
        expect(page.locator("html")).to_have_attribute("lang", "zh-Hans", timeout=WAIT_MS)
        expect(page.locator("#language")).to_have_value("zh-Hans")

        # Traditional, chosen over the browser's Simplified: the page starts again in it, and stays after a reload.
        page.select_option("#language", "zh-Hant")
        expect(page.locator("html")).to_have_attribute("lang", "zh-Hant", timeout=WAIT_MS)
        page.reload()
        expect(page.locator("html")).to_have_attribute("lang", "zh-Hant", timeout=WAIT_MS)
        expect(page.locator("#proposals-title")).to_have_text(WORDS["zh-Hant"]["votes_title"])
        expect(page.locator("body")).to_have_attribute("data-ready", "1", timeout=WAIT_MS)
        assert leaks(page, "zh-Hant") == []
        page.screenshot(path=artifacts / "50-switched-to-traditional.png", full_page=True)

        # English: the same check now finds English words, so it is one that can fail.
        page.select_option("#language", "en")
        expect(page.locator("html")).to_have_attribute("lang", "en", timeout=WAIT_MS)
        expect(page.locator("#proposals-title")).to_have_text("Community votes")
        assert any("'Community'" in leak for leak in leaks(page, "zh-Hans"))
        page.screenshot(path=artifacts / "51-switched-to-english.png", full_page=True)
        assert errors == []
    finally:
        context.close()
