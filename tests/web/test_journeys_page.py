"""Journeys in a real browser against the real stack (API, indexer, relay and issuer service in one process): a new
member connects, signs in with Ethereum, fails the quiz (a clear message, no stamp), passes it and gets the stamp
without paying; reads the kiosk page's code in a second tab and enters it; a partner's till reports a purchase (a
forged report gets 401 and issues nothing); the completion stamp arrives once the last one lands. Then the gallery on
a phone, and a claim link opened with the wrong wallet. Screenshots in test-artifacts/web/2*.png."""
import re
import time

import pytest
import requests
import yaml
from eth_account import Account
from playwright.sync_api import expect

from backend.chain.protocol import voucher_link
from backend.dev.keys import local_key
from backend.issuer.kiosks import create_kiosk
from backend.issuer.rules import save_rules
from backend.settings import Settings
from scripts.journeys import load_journey_file
from tests.support.issuer import SAMPLE_SECRETS, receipt_request
from tests.support.server import running_server, wait_until_indexed
from tests.support.web import OPS, send, voucher_for
from tests.web.test_member_page import WAIT_MS, connect, open_page

TRAIL = 5  # a copy of journeys/coffee-origins.yaml under other ids: its quiz, kiosk code, receipt and completion
QUIZ, KIOSK, COMPLETION, RECEIPT = 501, 502, 503, 504
SECRETS = yaml.safe_load(SAMPLE_SECRETS.read_text())
PARTNER = "green-farm"


@pytest.fixture(scope="module")
def trail(w3, c):
    """Journey 5 on the chain: the sample journey's stamps renumbered 5xx, completion requiring the other three."""
    spec = load_journey_file("journeys/coffee-origins.yaml")
    ids = {101: QUIZ, 102: KIOSK, 103: COMPLETION, 104: RECEIPT}
    stamps = c["OdysseyStamps"].functions
    send(w3, stamps.createJourney(TRAIL, "Coffee Origins Trail", "", 0, 0), OPS)
    rules = {}
    for s in spec.stamps:
        send(w3, stamps.createStampType(ids[s.id], TRAIL, s.name, s.points, True, 0), OPS)
        earn = s.earn
        if earn.kind == "completion":
            earn = earn.model_copy(update={"requires": [QUIZ, KIOSK, RECEIPT]})
        rules[ids[s.id]] = earn
    return rules


@pytest.fixture(scope="module")
def issuer_server(chain, deployments_file, trail, built_page, tmp_path_factory, artifacts):
    """The stack with the issuer service (the local issuer key, the sample secrets, delivery rounds every second)."""
    folder = tmp_path_factory.mktemp("issuer-server")
    database = f"sqlite:///{folder / 'odyssey.db'}"
    save_rules(Settings(database_url=database), TRAIL, trail)
    env = {"ODYSSEY_WEB_BUILD_DIR": str(built_page), "ODYSSEY_ISSUER_PRIVATE_KEY": local_key("issuer"),
           "ODYSSEY_ISSUER_SECRETS_FILE": str(SAMPLE_SECRETS), "ODYSSEY_ISSUER_WORKER_INTERVAL": "1"}
    with running_server(chain, deployments_file, folder, artifacts / "issuer-server.log", poll_interval=0.3, env=env) as base:
        yield base, Settings(database_url=database, public_url=base)


def tile(page, stamp_id: int):
    return page.locator(f'#journeys .stamp-tile[data-stamp="{stamp_id}"]')


def answer(page, answers: dict) -> None:
    for question, choice in answers.items():
        page.check(f'#journeys input[data-choice="{question}:{choice}"]')
    page.click('#journeys form.quiz button[type="submit"]')


def test_member_plays_a_journey_to_its_completion_without_paying(issuer_server, browser_context, w3, c, artifacts):
    base, settings = issuer_server
    stamps = c["OdysseyStamps"].functions
    member = Account.create()  # a new member: no history, no ether
    page, wallet, errors = open_page(browser_context, member, w3, artifacts / "console-journeys.log")
    page.goto(base)
    connect(page, wallet)
    journey = page.locator(f'#journey-{TRAIL}')
    expect(journey).to_contain_text("Coffee Origins Trail")
    expect(journey.locator(".journey-progress")).to_have_text("0 of 4 collected")
    expect(tile(page, QUIZ)).to_contain_text("Quiz")
    expect(tile(page, KIOSK)).to_contain_text("Kiosk code")
    expect(tile(page, RECEIPT)).to_contain_text("Purchase")
    expect(tile(page, COMPLETION)).to_contain_text("Completion")
    page.screenshot(path=artifacts / "20-journeys.png", full_page=True)

    # The quiz, failed: a clear message, no stamp. Signing in is one wallet signature, no transaction.
    tile(page, QUIZ).locator("button").click()
    answer(page, {"q1": "a", "q2": "b", "q3": "a"})
    result = journey.locator(".play-result")
    expect(result).to_have_text("0 of 3 right: 2 needed to pass. No stamp this time. Try again (3 tries a day).",
                                timeout=WAIT_MS)
    assert "personal_sign" in wallet.calls
    assert stamps.balanceOf(member.address, QUIZ).call() == 0
    page.screenshot(path=artifacts / "21-quiz-failed.png", full_page=True)

    # Passed: the stamp is on its way, then collected, with the points and the new level.
    answer(page, SECRETS["quizzes"]["origins-quiz"])
    expect(page.locator("#toast")).to_contain_text("Stamp collected: Origins Quiz, +10 points · you reached level 1!",
                                                   timeout=WAIT_MS)
    expect(tile(page, QUIZ)).to_contain_text("✓ Collected")
    expect(journey.locator(".journey-progress")).to_have_text("1 of 4 collected")
    expect(page.locator("#points")).to_have_text("10")
    assert stamps.balanceOf(member.address, QUIZ).call() == 1
    page.screenshot(path=artifacts / "22-quiz-passed.png", full_page=True)

    # The kiosk in a second tab shows the rotating code; the member types it.
    _kiosk_id, token = create_kiosk(settings, KIOSK, "farm door")
    kiosk = browser_context.new_page()
    kiosk.set_viewport_size({"width": 1024, "height": 768})  # a tablet
    kiosk.goto(f"{base}/kiosk.html#token={token}")
    expect(kiosk.locator("#kiosk-code")).to_have_text(re.compile(r"^\d{6}$"), timeout=WAIT_MS)
    expect(kiosk.locator("#kiosk-stamp")).to_have_text("Farm Visit · 25 points")
    expect(kiosk.locator("#kiosk-qr svg")).to_be_visible()
    expect(kiosk.locator("#kiosk-left")).to_contain_text("New code in")
    kiosk.screenshot(path=artifacts / "23-kiosk.png", full_page=True)
    code = kiosk.locator("#kiosk-code").text_content()
    page.bring_to_front()
    tile(page, KIOSK).locator("button").click()
    page.fill(f"#code-{KIOSK}", "000000" if code != "000000" else "111111")
    page.click('#journeys form.code-form button[type="submit"]')
    # The issuer refuses with the code wrong_code; the page says it in its own words (the server's: lowercase).
    expect(page.locator("#toast")).to_have_text("That code is not right: check it and try again.", timeout=WAIT_MS)
    page.fill(f"#code-{KIOSK}", code)
    page.click('#journeys form.code-form button[type="submit"]')
    expect(page.locator("#toast")).to_contain_text("Stamp collected: Farm Visit, +25 points", timeout=WAIT_MS)
    assert stamps.balanceOf(member.address, KIOSK).call() == 1
    page.screenshot(path=artifacts / "24-kiosk-code-entered.png", full_page=True)

    # The member shows their member code at the farm shop's till; a forged report is refused and issues nothing.
    tile(page, RECEIPT).locator("button").click()
    page.click("#journeys button[data-member-code]")
    shown = journey.locator(".code-shown")
    expect(shown).to_contain_text("Show this code at the till:", timeout=WAIT_MS)
    member_code = shown.text_content().split(": ")[1].split(".")[0]
    body = {"stampId": str(RECEIPT), "memberCode": member_code, "orderId": "farm-shop/1"}
    raw, headers = receipt_request(PARTNER, "not-the-partners-secret-0123456789abcdef", body, key="farm-shop-1")
    forged = requests.post(f"{base}/issuer/receipts", data=raw, headers=headers, timeout=30)
    assert (forged.status_code, forged.json()["code"]) == (401, "bad_signature"), forged.text
    time.sleep(2)
    assert stamps.balanceOf(member.address, RECEIPT).call() == 0
    raw, headers = receipt_request(PARTNER, SECRETS["partners"][PARTNER], body, key="farm-shop-1")
    genuine = requests.post(f"{base}/issuer/receipts", data=raw, headers=headers, timeout=30)
    assert genuine.status_code == 200, genuine.text

    # The last stamp lands, and the completion stamp follows by itself.
    deadline = time.monotonic() + 60
    while stamps.balanceOf(member.address, COMPLETION).call() == 0:
        assert time.monotonic() < deadline, "the completion stamp did not arrive"
        time.sleep(0.5)
    assert stamps.balanceOf(member.address, RECEIPT).call() == 1
    wait_until_indexed(base, w3)
    page.reload()
    expect(page.locator(f'#journey-{TRAIL} .journey-progress')).to_have_text("Journey complete! 4 of 4 collected",
                                                                            timeout=WAIT_MS)
    expect(tile(page, COMPLETION)).to_contain_text("✓ Collected")
    expect(page.locator("#points")).to_have_text("100")
    page.screenshot(path=artifacts / "25-journey-complete.png", full_page=True)
    assert w3.eth.get_balance(member.address) == 0  # gasless: the member never held, nor needed, any ether
    assert "eth_sendTransaction" not in wallet.calls
    assert errors == []

    # On a phone (390 px wide): the stamp galleries show two or three stamps a row.
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator(f"#journey-{TRAIL}").scroll_into_view_if_needed()
    boxes = [tile(page, stamp_id).bounding_box() for stamp_id in (QUIZ, KIOSK, COMPLETION)]
    assert all(box["width"] < 390 / 2 for box in boxes), boxes
    assert boxes[0]["y"] == boxes[1]["y"], "the first two stamps share a row"
    gallery = page.locator("#gallery li").first.bounding_box()
    assert gallery["width"] < 390 / 2, gallery
    page.screenshot(path=artifacts / "26-phone-gallery.png", full_page=True)


def test_a_claim_link_opened_with_another_wallet_says_whose_it_is(issuer_server, browser_context, w3, c, artifacts):
    base, _settings = issuer_server
    owner, other = Account.create(), Account.create()
    page, wallet, errors = open_page(browser_context, other, w3, artifacts / "console-wrong-wallet.log")
    page.goto(voucher_link(base, voucher_for(c["OdysseyStamps"], owner.address, QUIZ)))
    connect(page, wallet)
    expect(page.locator("#claim-other")).to_contain_text(f"This stamp is for {owner.address}")
    expect(page.locator("#switch-account")).to_be_visible()
    expect(page.locator("#claim-button")).to_have_count(0)
    page.click("#switch-account")
    expect(page.locator("#toast")).to_contain_text("choose the account this stamp is for")
    assert c["OdysseyStamps"].functions.balanceOf(owner.address, QUIZ).call() == 0
    page.screenshot(path=artifacts / "27-claim-link-wrong-wallet.png", full_page=True)
    assert errors == []
