"""Drops through the relay: a free entry, a draw and a move of an expired seed block are the member's signed requests
(forwarded); a winner's claim and a loser's refund name the entrant and may be sent by anyone (direct). A paid entry
is never relayed (the relayer sends no ether). Each call has a gas bound of its own; every refusal costs the relayer
nothing."""
import itertools

import pytest
from eth_account import Account

from backend.relay import allowlist
from tests.relay.conftest import relay_client, relay_settings, wait_status
from tests.support.web import OPS, RELAYER, costs_relayer_nothing, forward_request, fund, gasless_for, send

JOURNEY, PRIZE, TICKET = 61, 6101, 6102  # the dropped edition, and the soulbound stamp entrants must hold
PRICE = 10**15
_drop_ids = itertools.count(1)


@pytest.fixture(scope="module")
def drops(w3, c):
    stamps = c["OdysseyStamps"]
    send(w3, stamps.functions.createJourney(JOURNEY, "Drops", "", 0, 0), OPS)
    send(w3, stamps.functions.createStampType(PRIZE, JOURNEY, "Prize", 20, False, 0), OPS)
    send(w3, stamps.functions.createStampType(TICKET, JOURNEY, "Ticket", 1, True, 0), OPS)
    return c["OdysseyDrops"]


def mine(w3, blocks: int) -> None:
    if blocks > 0:
        w3.provider.make_request("evm_mine", [{"blocks": blocks}])


def entrants(w3, c, count: int, paying: bool = False) -> list:
    """New members holding the ticket (funded for a paid entry)."""
    members = [Account.create() for _ in range(count)]
    send(w3, c["OdysseyStamps"].functions.airdrop(TICKET, [m.address for m in members]), OPS)
    for member in members if paying else ():
        fund(w3, member.address)
    return members


def open_drop(w3, drops, price: int = 0, supply: int = 1, window: int = 30) -> int:
    drop_id = next(_drop_ids)
    opens = w3.eth.block_number + 1
    send(w3, drops.functions.openDrop(drop_id, (PRIZE, TICKET, price, supply, opens, opens + window - 1, 0)), OPS)
    return drop_id


def call(drops, function: str, *args) -> str:
    return drops.encode_abi(function, args=list(args))


def forwarded(w3, c, member, drops, function: str, *args, **kw) -> dict:
    """`member`'s signed request for `drops.function(*args)`, asking for the most gas the relay pays for that call."""
    gas = allowlist.GAS_LIMITS[("OdysseyDrops", f"{function}(uint256)")]
    return forward_request(w3, c["OdysseyForwarder"], member, drops.address, call(drops, function, *args), gas=gas, **kw)


def enter_paying(w3, drops, member, drop_id: int) -> None:
    """A paid entry: the member's own transaction, carrying the price."""
    send(w3, drops.functions.enter(drop_id), member, value=PRICE)


def past_seed_block(w3, drops, drop_id: int) -> None:
    """Mine so that the next call (the relay's simulation) sees the block after the seed block."""
    mine(w3, drops.functions.drop(drop_id).call()[3] + 1 - w3.eth.block_number)


def relayed(client, route: str, body: dict) -> dict:
    response = client.post(route, json=body)
    assert response.status_code == 202, response.text
    return wait_status(client, response.json()["txHash"])


def refused(client, route: str, body: dict, code: str = "would_revert", status: int = 422) -> str:
    response = client.post(route, json=body)
    assert response.status_code == status and response.json()["code"] == code, response.text
    return response.json()["message"]


def drawn(w3, c, client, drops, members: list, price: int = 0, supply: int = 1) -> int:
    """A drop entered by `members` (gaslessly when free, paying otherwise) and drawn through the relay."""
    drop_id = open_drop(w3, drops, price=price, supply=supply)
    for member in members:
        if price:
            enter_paying(w3, drops, member, drop_id)
        else:
            relayed(client, "/relay", forwarded(w3, c, member, drops, "enter", drop_id))
    past_seed_block(w3, drops, drop_id)
    assert relayed(client, "/relay", forwarded(w3, c, members[0], drops, "draw", drop_id))["status"] == "mined"
    return drop_id


def split(drops, drop_id: int, members: list) -> tuple[list, list]:
    won = [m for m in members if drops.functions.isWinner(drop_id, drops.functions.entry(drop_id, m.address).call()[0]).call()]
    return won, [m for m in members if m not in won]


def test_the_allowlist_names_the_drop_calls_with_their_gas_bounds(client):
    listed = {(e["contract"], e["function"]): (e["mode"], e["maxGas"]) for e in client.get("/relay").json()["allowlist"]}
    assert listed[("OdysseyDrops", "enter(uint256)")] == ("forward", 150_000)
    assert listed[("OdysseyDrops", "draw(uint256)")] == ("forward", 150_000)
    assert listed[("OdysseyDrops", "moveSeedBlock(uint256)")] == ("forward", 150_000)
    assert listed[("OdysseyDrops", "claim(uint256,address)")] == ("direct", 300_000)
    assert listed[("OdysseyDrops", "refund(uint256,address)")] == ("direct", 100_000)
    assert listed[("OdysseyStamps", "join()")] == ("forward", 1_000_000)


def test_a_free_entry_is_gasless_and_recorded_for_the_signer(client, w3, c, drops):
    (member,) = entrants(w3, c, 1)
    drop_id = open_drop(w3, drops)
    with gasless_for(w3, member.address):
        status = relayed(client, "/relay", forwarded(w3, c, member, drops, "enter", drop_id))
    assert status["status"] == "mined" and status["gasUsed"] < 150_000
    assert tuple(drops.functions.entry(drop_id, member.address).call()) == (0, 1)  # position 0, Entered
    assert drops.functions.entry(drop_id, RELAYER.address).call()[1] == 0


def test_a_paid_entry_is_never_relayed(client, w3, c, drops):
    """Without ether the drop refuses it (the member's wallet sends it with the price); with ether the relay does."""
    (member,) = entrants(w3, c, 1, paying=True)
    drop_id = open_drop(w3, drops, price=PRICE)
    with costs_relayer_nothing(w3):
        without = refused(client, "/relay", forwarded(w3, c, member, drops, "enter", drop_id))
        paying = refused(client, "/relay", forwarded(w3, c, member, drops, "enter", drop_id, value=PRICE), "value_not_zero")
    assert without == f"DropWrongPayment(expected={PRICE}, paid=0)"
    assert paying.startswith("value: the relayer sends no ether")


def test_entries_the_drop_refuses_cost_the_relayer_nothing(client, w3, c, drops):
    (member,) = entrants(w3, c, 1)
    outsider = Account.create()
    drop_id = open_drop(w3, drops, window=6)
    relayed(client, "/relay", forwarded(w3, c, member, drops, "enter", drop_id))
    with costs_relayer_nothing(w3):
        twice = refused(client, "/relay", forwarded(w3, c, member, drops, "enter", drop_id))
        ticketless = refused(client, "/relay", forwarded(w3, c, outsider, drops, "enter", drop_id))
        unknown = refused(client, "/relay", forwarded(w3, c, member, drops, "enter", 999_999))
    assert twice == f"DropAlreadyEntered(dropId={drop_id}, member={member.address})"
    assert ticketless == f"DropRequiredStampMissing(dropId={drop_id}, member={outsider.address}, stampId={TICKET})"
    assert unknown == "DropUnknown(dropId=999999)"
    (late,) = entrants(w3, c, 1)
    mine(w3, 6)
    with costs_relayer_nothing(w3):
        closed = refused(client, "/relay", forwarded(w3, c, late, drops, "enter", drop_id))
    assert closed.startswith(f"DropOutsideEntryWindow(dropId={drop_id}, ")


def test_a_forward_request_over_the_calls_gas_bound_is_refused(client, w3, c, drops):
    (member,) = entrants(w3, c, 1)
    drop_id = open_drop(w3, drops)
    request = forward_request(w3, c["OdysseyForwarder"], member, drops.address, call(drops, "enter", drop_id), gas=150_001)
    with costs_relayer_nothing(w3):
        message = refused(client, "/relay", request, "over_gas_cap")
    assert message == "gas: at most 150000 per request to OdysseyDrops.enter(uint256)"


def test_anyone_draws_through_the_relay_once_the_seed_block_is_mined_and_only_once(client, w3, c, drops):
    members = entrants(w3, c, 3)
    drop_id = open_drop(w3, drops)
    for member in members:
        relayed(client, "/relay", forwarded(w3, c, member, drops, "enter", drop_id))
    seed_block = drops.functions.drop(drop_id).call()[3]
    with costs_relayer_nothing(w3):
        early = refused(client, "/relay", forwarded(w3, c, members[0], drops, "draw", drop_id))
    assert early == f"DropSeedBlockNotReached(dropId={drop_id}, seedBlock={seed_block})"
    past_seed_block(w3, drops, drop_id)
    (bystander,) = entrants(w3, c, 1)  # not an entrant: anyone may draw
    with gasless_for(w3, bystander.address):
        assert relayed(client, "/relay", forwarded(w3, c, bystander, drops, "draw", drop_id))["status"] == "mined"
    assert drops.functions.drop(drop_id).call()[4] != bytes(32)
    with costs_relayer_nothing(w3):
        again = refused(client, "/relay", forwarded(w3, c, members[1], drops, "draw", drop_id))
    assert again == f"DropAlreadyDrawn(dropId={drop_id})"


def test_a_missed_draw_is_moved_through_the_relay(client, w3, c, drops):
    (member,) = entrants(w3, c, 1)
    drop_id = open_drop(w3, drops, window=2)
    relayed(client, "/relay", forwarded(w3, c, member, drops, "enter", drop_id))
    seed_block = drops.functions.drop(drop_id).call()[3]
    with costs_relayer_nothing(w3):
        readable = refused(client, "/relay", forwarded(w3, c, member, drops, "moveSeedBlock", drop_id))
    assert readable == f"DropSeedBlockNotExpired(dropId={drop_id}, seedBlock={seed_block})"
    mine(w3, seed_block + 257 - w3.eth.block_number)
    status = relayed(client, "/relay", forwarded(w3, c, member, drops, "moveSeedBlock", drop_id))
    assert status["status"] == "mined"
    assert drops.functions.drop(drop_id).call()[3] == status["blockNumber"] + 64


def test_a_winner_claims_through_the_relay_and_nobody_else_can(client, w3, c, drops):
    members = entrants(w3, c, 3)
    drop_id = drawn(w3, c, client, drops, members)
    (winner,), losers = split(drops, drop_id, members)
    stamps = c["OdysseyStamps"]
    with costs_relayer_nothing(w3):
        lost = refused(client, "/relay/call", {"to": drops.address, "data": call(drops, "claim", drop_id, losers[0].address)})
        nothing = refused(client, "/relay/call", {"to": drops.address, "data": call(drops, "refund", drop_id, losers[0].address)})
    assert lost == f"DropNotWinner(dropId={drop_id}, member={losers[0].address})"
    assert nothing == f"DropNothingToRefund(dropId={drop_id})"
    with gasless_for(w3, winner.address):
        status = relayed(client, "/relay/call", {"to": drops.address, "data": call(drops, "claim", drop_id, winner.address)})
    assert status["status"] == "mined" and status["gasUsed"] < 300_000
    assert stamps.functions.balanceOf(winner.address, PRIZE).call() == 1
    with costs_relayer_nothing(w3):
        again = refused(client, "/relay/call", {"to": drops.address, "data": call(drops, "claim", drop_id, winner.address)})
    assert again == f"DropAlreadyClaimed(dropId={drop_id}, member={winner.address})"


def test_a_loser_of_a_paid_drop_gets_the_whole_deposit_back_through_the_relay(client, w3, c, drops):
    members = entrants(w3, c, 3, paying=True)
    drop_id = drawn(w3, c, client, drops, members, price=PRICE)
    winners, losers = split(drops, drop_id, members)
    loser = losers[0]
    before = w3.eth.get_balance(loser.address)
    with costs_relayer_nothing(w3):
        won = refused(client, "/relay/call", {"to": drops.address, "data": call(drops, "refund", drop_id, winners[0].address)})
    assert won == f"DropWon(dropId={drop_id}, member={winners[0].address})"
    status = relayed(client, "/relay/call", {"to": drops.address, "data": call(drops, "refund", drop_id, loser.address)})
    assert status["status"] == "mined" and status["gasUsed"] < 100_000
    assert w3.eth.get_balance(loser.address) == before + PRICE
    assert w3.eth.get_transaction(status["txHash"])["from"] == RELAYER.address
    with costs_relayer_nothing(w3):
        again = refused(client, "/relay/call", {"to": drops.address, "data": call(drops, "refund", drop_id, loser.address)})
    assert again == f"DropAlreadyRefunded(dropId={drop_id}, member={loser.address})"


def test_a_direct_call_costing_more_than_its_bound_is_refused(chain, deployments_file, w3, c, drops, tmp_path, monkeypatch):
    """A refund's cost is the contract's plus the entrant's own receive(): over the bound, the relayer does not pay."""
    members = entrants(w3, c, 2, paying=True)
    monkeypatch.setitem(allowlist.GAS_LIMITS, ("OdysseyDrops", "refund(uint256,address)"), 30_000)
    with relay_client(relay_settings(chain, deployments_file, tmp_path / "relay.db")) as tight:
        drop_id = drawn(w3, c, tight, drops, members, price=PRICE)
        _, (loser,) = split(drops, drop_id, members)
        with costs_relayer_nothing(w3):
            message = refused(tight, "/relay/call", {"to": drops.address, "data": call(drops, "refund", drop_id, loser.address)},
                              "over_gas_cap")
    assert message.startswith("data: this call needs ") and message.endswith(
        "more than the 30000 the relayer pays for OdysseyDrops.refund(uint256,address)")
