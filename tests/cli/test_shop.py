"""`odyssey shop`, `buy`, `drops`, `enter` and `drop` on a real Ganache with the real API and relay: a purchase and a
paid entry are the member's own transactions (price and gas from their wallet), a free entry, a draw, a claim and a
refund are gasless; each refusal is one line, before anything is sent."""
import itertools
import json

import pytest
from eth_account import Account

from tests.cli.conftest import PASSWORD, make_cli, write_wallet
from tests.support.web import OPS, RELAYER, costs_relayer_nothing, fund, gasless_for, send

JOURNEY, EDITION, PRIZE, TICKET = 71, 7101, 7102, 7103  # a shop edition, a drop's prize, the soulbound ticket
PRICE, ENTRY_PRICE = 10**16, 10**15
_drop_ids = itertools.count(71)


@pytest.fixture(scope="module")
def catalogue(w3, c):
    stamps = c["OdysseyStamps"]
    send(w3, stamps.functions.createJourney(JOURNEY, "Shop and drops", "", 0, 0), OPS)
    send(w3, stamps.functions.createStampType(EDITION, JOURNEY, "Winter Cup", 40, False, 50), OPS)
    send(w3, stamps.functions.createStampType(PRIZE, JOURNEY, "Siren", 20, False, 50), OPS)
    send(w3, stamps.functions.createStampType(TICKET, JOURNEY, "Ticket", 1, True, 0), OPS)
    send(w3, c["OdysseyShop"].functions.setListing(EDITION, PRICE, 2), OPS)
    return c


@pytest.fixture
def members(chain, deployments_file, api_url, tmp_path, monkeypatch, capsys, w3, catalogue):
    """`members(n, paying=False)`: n CLIs with wallets of their own holding the ticket (funded when paying)."""
    monkeypatch.setenv("ODYSSEY_PASSWORD", PASSWORD)

    def make(count: int, paying: bool = False) -> list:
        clis = []
        for _ in range(count):
            account = Account.create()
            run = make_cli(chain, deployments_file, api_url, tmp_path / f"{account.address}.json", capsys)
            run.address = write_wallet(run.keystore, account)
            clis.append(run)
        send(w3, catalogue["OdysseyStamps"].functions.airdrop(TICKET, [m.address for m in clis]), OPS)
        for member in clis if paying else ():
            fund(w3, member.address)
        return clis

    return make


def open_drop(w3, c, price: int = 0, supply: int = 1, window: int = 20) -> int:
    drop_id = next(_drop_ids)
    opens = w3.eth.block_number + 1
    send(w3, c["OdysseyDrops"].functions.openDrop(drop_id, (PRIZE, TICKET, price, supply, opens, opens + window - 1, 0)), OPS)
    return drop_id


def past_seed_block(w3, c, drop_id: int) -> None:
    seed_block = c["OdysseyDrops"].functions.drop(drop_id).call()[3]
    if seed_block + 1 > w3.eth.block_number:
        w3.provider.make_request("evm_mine", [{"blocks": seed_block + 1 - w3.eth.block_number}])


def ok(member, *argv) -> str:
    code, out, err = member(*argv)
    assert code == 0, err
    return out


def refused(member, *argv, **kw) -> str:
    code, out, err = member(*argv, **kw)
    assert code == 1 and out == "", out
    assert err.startswith("error: ") and err.count("\n") == 1, err
    return err[len("error: "):].strip()


# ---------------------------------------------------------------- shop


def test_shop_lists_editions_and_buy_pays_price_and_gas_from_the_wallet(members, w3, c, synced):
    (member,) = members(1, paying=True)
    synced()
    listed = json.loads(ok(member, "shop", "--json"))["items"]
    item = next(i for i in listed if i["stampId"] == EDITION)
    assert (item["priceWei"], item["walletCap"], item["onSale"]) == (str(PRICE), 2, True)
    assert item["member"] == {"address": member.address, "bought": 0, "may_buy": 2}
    assert f"  #{EDITION:<6} Winter Cup · 40 points · 0.01 ETH · {item['left']} left of 50 · 2 per wallet" in ok(member, "shop").splitlines()

    before = w3.eth.get_balance(member.address)
    with costs_relayer_nothing(w3):
        result = json.loads(ok(member, "buy", str(EDITION), "2", "--json"))
    fee = int(result["feeWei"])
    assert result["relayed"] is False and result["priceWei"] == str(2 * PRICE) and fee > 0
    assert w3.eth.get_transaction(result["txHash"])["value"] == 2 * PRICE
    assert w3.eth.get_balance(member.address) == before - 2 * PRICE - fee
    assert c["OdysseyStamps"].functions.balanceOf(member.address, EDITION).call() == 2
    synced()
    mine = next(i for i in json.loads(ok(member, "shop", "--json"))["items"] if i["stampId"] == EDITION)["member"]
    assert mine == {"address": member.address, "bought": 2, "may_buy": 0}


def test_buy_says_what_the_price_was_in_words(members, w3):
    (member,) = members(1, paying=True)
    out = ok(member, "buy", str(EDITION))
    assert out.startswith("bought 1 × Winter Cup (40 points each) for 0.01 ETH (gas ") and out.strip().endswith(" ETH)")


def test_buy_refusals_are_one_line_and_send_nothing(members, w3):
    (member,) = members(1, paying=True)
    (poor,) = members(1)
    ok(member, "buy", str(EDITION), "2")
    with costs_relayer_nothing(w3):
        over_cap = refused(member, "buy", str(EDITION))
        unlisted = refused(member, "buy", str(TICKET))
        zero = refused(member, "buy", str(EDITION), "0")
        broke = refused(poor, "buy", str(EDITION))
    assert over_cap == "you may buy 0 more Winter Cup (2 per wallet, you bought 2)"
    assert unlisted == f"stamp {TICKET} is not for sale in the shop (see `odyssey shop`)"
    assert zero == "quantity '0' is not a number of at least 1"
    assert broke.startswith(f"{poor.address} has too little ETH: {PRICE} wei plus gas")


# ---------------------------------------------------------------- drops


def test_a_free_drop_entered_gaslessly_drawn_and_claimed_by_its_winner(members, w3, c, synced):
    entrants = members(3)
    drop_id = open_drop(w3, c, supply=1)
    synced()
    listed = next(d for d in json.loads(ok(entrants[0], "drops", "--json"))["drops"] if d["id"] == str(drop_id))
    assert listed["state"] == "open" and listed["member"]["next"] == "enter"
    for member in entrants:
        with gasless_for(w3, member.address):
            out = ok(member, "enter", str(drop_id))
        assert out.startswith(f"entered drop {drop_id} for Siren (1 to win, ")
    synced()
    assert f"drop #{drop_id}  [open]  Siren (20 points) · 1 to win · free · 3 entered" in ok(entrants[0], "drops").splitlines()
    with costs_relayer_nothing(w3):
        early = refused(entrants[0], "drop", str(drop_id), "draw")
    assert early.startswith("the draw can happen after block ")

    past_seed_block(w3, c, drop_id)
    drew = json.loads(ok(entrants[2], "drop", str(drop_id), "draw", "--json"))
    drops = c["OdysseyDrops"]
    assert drew["seed"] == "0x" + drops.functions.drop(drop_id).call()[4].hex()
    won = [m for m in entrants if drops.functions.isWinner(drop_id, drops.functions.entry(drop_id, m.address).call()[0]).call()]
    (winner,) = won
    loser = next(m for m in entrants if m is not winner)
    shown = json.loads(ok(loser, "drop", str(drop_id), "--json"))
    assert shown["winners"] == [winner.address] and shown["member"]["result"] == "lost" and shown["member"]["next"] is None
    assert "claim your stamp with odyssey drop" in ok(winner, "drop", str(drop_id))

    with gasless_for(w3, winner.address):
        assert ok(winner, "drop", str(drop_id), "claim").strip() == f"drop {drop_id}: Siren is yours"
    assert c["OdysseyStamps"].functions.balanceOf(winner.address, PRIZE).call() == 1
    with costs_relayer_nothing(w3):
        lost = refused(loser, "drop", str(drop_id), "claim")
        twice = refused(winner, "drop", str(drop_id), "claim")
        nothing = refused(loser, "drop", str(drop_id), "refund")
    assert lost == f"this entry did not win (DropNotWinner(dropId={drop_id}, member={loser.address}))"
    assert twice.startswith("this win was claimed already (DropAlreadyClaimed(")
    assert nothing.startswith("a free drop has no deposit to refund (DropNothingToRefund(")


def test_a_paid_entry_escrows_the_price_and_a_loser_gets_all_of_it_back(members, w3, c):
    entrants = members(2, paying=True)
    drop_id = open_drop(w3, c, price=ENTRY_PRICE, supply=1)
    for member in entrants:
        before = w3.eth.get_balance(member.address)
        with costs_relayer_nothing(w3):
            result = json.loads(ok(member, "enter", str(drop_id), "--json"))
        assert result["relayed"] is False and result["paidWei"] == str(ENTRY_PRICE)
        assert w3.eth.get_balance(member.address) == before - ENTRY_PRICE - int(result["feeWei"])
    past_seed_block(w3, c, drop_id)
    ok(entrants[0], "drop", str(drop_id), "draw")
    drops = c["OdysseyDrops"]
    loser = next(m for m in entrants
                 if not drops.functions.isWinner(drop_id, drops.functions.entry(drop_id, m.address).call()[0]).call())
    assert "get your 0.001 ETH deposit back: odyssey drop" in ok(loser, "drop", str(drop_id))
    before = w3.eth.get_balance(loser.address)
    refund = json.loads(ok(loser, "drop", str(drop_id), "refund", "--json"))
    assert refund["relayed"] is True and w3.eth.get_transaction(refund["txHash"])["from"] == RELAYER.address
    assert w3.eth.get_balance(loser.address) == before + ENTRY_PRICE  # the whole deposit, no gas paid


def test_entry_refusals_are_one_line_and_send_nothing(members, w3, c):
    (member,) = members(1)
    drop_id = open_drop(w3, c, window=8)
    ok(member, "enter", str(drop_id))
    stranger = Account.create()
    stranger_path = member.keystore.parent / "stranger.json"
    write_wallet(stranger_path, stranger)
    with costs_relayer_nothing(w3):
        twice = refused(member, "enter", str(drop_id))
        ticketless = refused(member, "enter", str(drop_id), keystore_path=stranger_path)
        unknown = refused(member, "enter", "999999")
        garbage = refused(member, "enter", "soon")
    assert twice == f"you already entered drop {drop_id} (entry #0)"
    assert ticketless == "not eligible: it is for holders of Ticket (stamp 7103)"
    assert unknown == "there is no drop 999999 (see `odyssey drops`)"
    assert garbage == "drop 'soon' is not a number"
    past_seed_block(w3, c, drop_id)
    (late,) = members(1)
    with costs_relayer_nothing(w3):
        closed = refused(late, "enter", str(drop_id))
    assert closed == f"drop {drop_id} is drawable: entries are closed"
