"""The shop and fair drops on the member page, in a real browser with the injected wallet against the real stack:
enter a free drop without paying, see the draw, claim as its winner; get a paid drop's deposit back as its loser; buy
a limited edition, the price and the fee shown before confirming. Screenshots in test-artifacts/web/."""
import itertools

from eth_account import Account
from playwright.sync_api import expect

from backend.chain.protocol import DropState
from tests.support.server import wait_until_indexed
from tests.support.web import OPS, RELAYER, fund, send
from tests.web.conftest import EDITION, ENTRY_PRICE, FREE_PRIZE, PAID_PRIZE, PRICE, TICKET
from tests.web.test_member_page import WAIT_MS, connected_page, mine

FIRST_DROP = 90


def ticket_holders(w3, c, count: int) -> list:
    """New members holding the ticket, with some ETH (a paid entry or purchase, or a fee)."""
    members = [Account.create() for _ in range(count)]
    send(w3, c["OdysseyStamps"].functions.airdrop(TICKET, [m.address for m in members]), OPS)
    for member in members:
        fund(w3, member.address)
    return members


def open_drop(w3, c, prize: int, price: int = 0, supply: int = 1, window: int = 12) -> int:
    # The chain's next unused id, not a counter here: pytest imports this module twice when another imports it.
    drop_id = next(i for i in itertools.count(FIRST_DROP) if c["OdysseyDrops"].functions.dropState(i).call() == DropState.NONE)
    opens = w3.eth.block_number + 1
    send(w3, c["OdysseyDrops"].functions.openDrop(drop_id, (prize, TICKET, price, supply, opens, opens + window - 1, 0)), OPS)
    return drop_id


def past_seed_block(w3, c, drop_id: int) -> None:
    seed_block = c["OdysseyDrops"].functions.drop(drop_id).call()[3]
    mine(w3, max(0, seed_block + 1 - w3.eth.block_number))


def winners(c, drop_id: int, members: list) -> list:
    drops = c["OdysseyDrops"]
    return [m for m in members if drops.functions.isWinner(drop_id, drops.functions.entry(drop_id, m.address).call()[0]).call()]


def test_member_enters_a_free_drop_sees_the_draw_and_the_winner_claims(server, browser_context, w3, c, shop_and_drops, artifacts):
    member, *others = ticket_holders(w3, c, 3)
    drop_id = open_drop(w3, c, FREE_PRIZE, supply=1)
    wait_until_indexed(server, w3)
    page, wallet, errors = connected_page(browser_context, member, w3, server, artifacts, "drop-free")
    card = page.locator(f'li[data-drop="{drop_id}"]')
    expect(card).to_contain_text("Holiday Cup", timeout=WAIT_MS)
    expect(card).to_contain_text("Open for entries")
    expect(card).to_contain_text("1 to win · free to enter · 0 entered")
    expect(card.locator(".countdown")).to_contain_text("Entries close")
    expect(card).to_contain_text("You may enter")
    page.screenshot(path=artifacts / "30-drop-open.png", full_page=True)

    ether = w3.eth.get_balance(member.address)
    card.locator('button[data-action="enter"]').click()
    expect(page.locator("#toast")).to_contain_text("You are in the draw for Holiday Cup", timeout=WAIT_MS)
    expect(card.locator(".entry")).to_have_text("You entered (entry #0).")
    assert w3.eth.get_balance(member.address) == ether  # gasless
    for other in others:
        send(w3, c["OdysseyDrops"].functions.enter(drop_id), other)

    past_seed_block(w3, c, drop_id)
    draw = card.locator('button[data-action="draw"]')
    expect(draw).to_be_visible(timeout=WAIT_MS)  # the page reads the drops again by itself
    expect(card).to_contain_text("Ready to draw")
    draw.click()
    expect(page.locator("#toast")).to_contain_text("The draw is done.", timeout=WAIT_MS)
    expect(card).to_contain_text("1 of 3 entries won")
    (winner,) = winners(c, drop_id, [member, *others])
    expect(card.locator(".result")).to_have_text("You won!" if winner is member else "Not this time.")
    page.screenshot(path=artifacts / "31-drop-drawn.png", full_page=True)

    if winner is not member:
        page, wallet, errors = connected_page(browser_context, winner, w3, server, artifacts, "drop-winner")
        card = page.locator(f'li[data-drop="{drop_id}"]')
    expect(card.locator(".result")).to_have_text("You won!", timeout=WAIT_MS)
    ether = w3.eth.get_balance(winner.address)
    card.locator('button[data-action="claim"]').click()
    expect(page.locator("#toast")).to_contain_text("Holiday Cup is yours.", timeout=WAIT_MS)
    expect(card.locator(".settled")).to_have_text("Claimed: the stamp is in your collection.")
    expect(page.locator(f'#gallery li[data-stamp="{FREE_PRIZE}"]')).to_contain_text("Holiday Cup")
    assert c["OdysseyStamps"].functions.balanceOf(winner.address, FREE_PRIZE).call() == 1
    assert w3.eth.get_balance(winner.address) == ether
    page.screenshot(path=artifacts / "32-drop-claimed.png", full_page=True)
    assert not errors


def test_member_enters_a_paid_drop_paying_and_the_loser_gets_the_deposit_back(server, browser_context, w3, c, shop_and_drops, artifacts):
    member, other = ticket_holders(w3, c, 2)
    drop_id = open_drop(w3, c, PAID_PRIZE, price=ENTRY_PRICE, supply=1)
    wait_until_indexed(server, w3)
    page, wallet, errors = connected_page(browser_context, member, w3, server, artifacts, "drop-paid")
    card = page.locator(f'li[data-drop="{drop_id}"]')
    expect(card).to_contain_text("0.001 ETH to enter, back in full if you don't win", timeout=WAIT_MS)

    ether = w3.eth.get_balance(member.address)
    card.locator('button[data-action="enter"]').click()
    quote = card.locator(".confirm .quote")
    expect(quote).to_contain_text("You deposit 0.001 ETH (returned in full if you don't win), plus a network fee of about", timeout=WAIT_MS)
    assert w3.eth.get_balance(member.address) == ether  # nothing sent before the member confirms
    page.screenshot(path=artifacts / "33-drop-paid-quote.png", full_page=True)
    card.locator(".confirm-button").click()
    expect(page.locator("#toast")).to_contain_text("You are in the draw for Siren", timeout=WAIT_MS)
    entered = [tx for tx in w3.eth.get_block("latest", full_transactions=True)["transactions"] if tx["from"] == member.address]
    assert entered and entered[0]["value"] == ENTRY_PRICE and entered[0]["to"] == c["OdysseyDrops"].address

    send(w3, c["OdysseyDrops"].functions.enter(drop_id), other, value=ENTRY_PRICE)
    past_seed_block(w3, c, drop_id)
    send(w3, c["OdysseyDrops"].functions.draw(drop_id), OPS)  # anyone may draw
    (winner,) = winners(c, drop_id, [member, other])
    loser = other if winner is member else member
    wait_until_indexed(server, w3)
    if loser is not member:
        page, wallet, errors = connected_page(browser_context, loser, w3, server, artifacts, "drop-loser")
        card = page.locator(f'li[data-drop="{drop_id}"]')
    expect(card.locator(".result")).to_have_text("Not this time.", timeout=WAIT_MS)
    ether = w3.eth.get_balance(loser.address)
    card.locator('button[data-action="refund"]').click()
    expect(page.locator("#toast")).to_contain_text("Your 0.001 ETH is back in your wallet.", timeout=WAIT_MS)
    expect(card.locator(".settled")).to_have_text("Your deposit was returned.")
    assert w3.eth.get_balance(loser.address) == ether + ENTRY_PRICE  # in full: the relayer paid the fee
    refund = w3.eth.get_block("latest", full_transactions=True)["transactions"][0]
    assert refund["from"] == RELAYER.address
    page.screenshot(path=artifacts / "34-drop-refunded.png", full_page=True)
    assert not errors


def test_member_buys_a_limited_edition_seeing_price_and_fee_first(server, browser_context, w3, c, shop_and_drops, artifacts):
    (member,) = ticket_holders(w3, c, 1)
    wait_until_indexed(server, w3)
    page, wallet, errors = connected_page(browser_context, member, w3, server, artifacts, "shop")
    item = page.locator(f'li[data-shop-item="{EDITION}"]')
    expect(item).to_contain_text("Winter Cup", timeout=WAIT_MS)
    expect(item).to_contain_text("40 points · 0.01 ETH")
    expect(item).to_contain_text("at most 2 per wallet")

    ether = w3.eth.get_balance(member.address)
    item.locator("button.buy").click()
    expect(item.locator(".confirm .quote")).to_contain_text("You pay 0.01 ETH, plus a network fee of about", timeout=WAIT_MS)
    assert w3.eth.get_balance(member.address) == ether
    page.screenshot(path=artifacts / "35-shop-quote.png", full_page=True)
    item.locator(".confirm-button").click()
    expect(page.locator("#toast")).to_contain_text("Bought: 1 × Winter Cup. It is in your collection.", timeout=WAIT_MS)
    expect(page.locator(f'#gallery li[data-stamp="{EDITION}"]')).to_contain_text("Winter Cup")
    expect(item).to_contain_text("You bought 1")
    (tx,) = [t for t in w3.eth.get_block("latest", full_transactions=True)["transactions"] if t["from"] == member.address]
    receipt = w3.eth.get_transaction_receipt(tx["hash"])
    assert tx["value"] == PRICE
    assert w3.eth.get_balance(member.address) == ether - PRICE - receipt["gasUsed"] * receipt["effectiveGasPrice"]
    page.screenshot(path=artifacts / "36-shop-bought.png", full_page=True)
    assert not errors
