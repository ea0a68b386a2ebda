"""Drops and the shop through the API, on the real contracts: a drop's state at each step of its life, each member's
eligibility (or why not), entry, result and next step, the winners recomputed from the public seed; after random drops,
every figure equals the contracts' views (tests/backend/mirror.py)."""
import random

from backend.api import queries
from backend.api.schemas import BlockRef
from backend.db import migrate, models
from backend.db.session import session_factory
from backend.dev.chain import OPS
from backend.indexer.runner import Indexer
from backend.settings import Settings
from tests.backend.mirror import assert_api_matches_chain, assert_drops_match_chain

PRICE = 10**15
QUIZ = 1  # setup_catalogue's soulbound 10-point stamp (level 1); drops give its open edition Snowflake (stamp 4)


def indexed(settings, client_for):
    indexer = Indexer(settings)
    indexer.setup()
    indexer.sync()
    return indexer, client_for(settings)


def test_api_equals_the_drops_contract_after_random_drops(chain, settings, client_for):
    rng = random.Random(5)
    chain.random_workload(rng, 40)
    chain.random_drops_workload(rng)
    indexer, client = indexed(settings, client_for)
    drops = client.get("/drops").json()["data"]
    assert {d["state"] for d in drops} == {"drawn", "open"}
    assert sum(d["claimed"] for d in drops) and sum(d["entries"] for d in drops) > 6
    assert_drops_match_chain(client, chain)
    assert_api_matches_chain(client, chain)
    chain.mine(300)  # the third drop's window outlives this; nothing else changes but the block
    indexer.sync()
    assert_drops_match_chain(client, chain)


def state_of(client, drop_id: int, member: str | None = None) -> dict:
    return client.get(f"/drops/{drop_id}" + (f"?member={member}" if member else "")).json()["data"]


def test_a_drop_from_upcoming_to_settled_as_each_member_sees_it(chain, settings, client_for):
    """Level 1 needed; member 4 has it (a quiz stamp), member 5 has no points; members 6 and 7 enter too."""
    leveled, pointless = chain.address(4), chain.address(5)
    for index in (4, 6, 7):
        chain.claim(index, QUIZ)
    chain.open_drop(1, supply=1, price=PRICE, window=8, opens_in=3)
    indexer, client = indexed(settings, client_for)

    upcoming = state_of(client, 1, leveled)
    assert (upcoming["state"], upcoming["entries"], upcoming["price"]) == ("upcoming", 0, str(PRICE))
    assert upcoming["member"] | {"address": None} == {
        "address": None, "eligible": None, "reason": "not_measured_yet", "points_at_snapshot": None,
        "holds_required_stamp": None, "entered": False, "position": None, "paid": None, "status": None, "result": None,
        "next": "wait"}
    chain.mine(3)
    indexer.sync()
    assert state_of(client, 1)["state"] == "open"
    assert state_of(client, 1, leveled)["member"] | {"address": None} == {
        "address": None, "eligible": True, "reason": None, "points_at_snapshot": 10, "holds_required_stamp": None,
        "entered": False, "position": None, "paid": None, "status": None, "result": None, "next": "enter"}
    refused = state_of(client, 1, pointless)["member"]
    assert (refused["eligible"], refused["reason"], refused["points_at_snapshot"], refused["next"]) == (
        False, "level_too_low", 0, None)

    for index in (4, 6, 7):
        assert chain.enter_drop(index, 1)
    indexer.sync()
    entered = state_of(client, 1, leveled)
    assert (entered["entries"], entered["escrow_wei"], entered["winner_count"]) == (3, str(3 * PRICE), 1)
    assert entered["member"]["entered"] and entered["member"]["position"] == 0
    assert (entered["member"]["paid"], entered["member"]["status"], entered["member"]["next"]) == (str(PRICE), "entered", "wait")
    assert client.get(f"/members/{leveled}/drops").json()["data"][0]["member"]["position"] == 0

    chain.mine(chain.drops.functions.drop(1).call()[0][5] - chain.head() + 1)
    indexer.sync()
    assert state_of(client, 1)["state"] == "closed"
    chain.mine(chain.drops.functions.drop(1).call()[3] + 1 - chain.head())
    indexer.sync()
    assert state_of(client, 1, leveled)["state"] == "drawable" and state_of(client, 1, leveled)["member"]["next"] == "draw"

    chain.draw_drop(5, 1)
    indexer.sync()
    drawn = state_of(client, 1)
    entrants = [chain.address(i) for i in (4, 6, 7)]
    assert drawn["state"] == "drawn" and len(drawn["winners"]) == 1 and drawn["winners"][0] in entrants
    winner = drawn["winners"][0]
    loser = next(a for a in entrants if a != winner)
    assert state_of(client, 1, winner)["member"]["result"] == "won" and state_of(client, 1, winner)["member"]["next"] == "claim"
    assert state_of(client, 1, loser)["member"]["result"] == "lost" and state_of(client, 1, loser)["member"]["next"] == "refund"
    entries = client.get("/drops/1/entries").json()
    assert entries["count"] == 3 and [e["won"] for e in entries["data"]].count(True) == 1
    assert [e["member"] for e in client.get("/drops/1/entries?won=false").json()["data"]] == [a for a in entrants if a != winner]

    chain.send(OPS, chain.drops.functions.claim(1, winner))
    chain.send(OPS, chain.drops.functions.refund(1, loser))
    indexer.sync()
    settled = state_of(client, 1, winner)
    assert (settled["claimed"], settled["refunded"], settled["proceeds_wei"], settled["escrow_wei"]) == (
        1, 1, str(PRICE), str(PRICE))
    assert (settled["member"]["status"], settled["member"]["next"]) == ("claimed", None)
    assert state_of(client, 1, loser)["member"]["status"] == "refunded"
    assert client.get(f"/claims?member={winner}&method=drop").json()["data"][0]["ref"] == "1"
    assert_drops_match_chain(client, chain)


def test_a_missed_draw_shows_the_seed_expired_and_the_move(chain, settings, client_for):
    chain.claim(4, QUIZ)
    chain.open_drop(1, supply=1, window=2, opens_in=1)
    chain.mine(1)
    assert chain.enter_drop(4, 1)
    chain.mine(chain.drops.functions.drop(1).call()[3] + 257 - chain.head())
    indexer, client = indexed(settings, client_for)
    expired = state_of(client, 1, chain.address(4))
    assert (expired["state"], expired["member"]["next"]) == ("seed_expired", "move_seed_block")
    chain.send(5, chain.drops.functions.moveSeedBlock(1))
    indexer.sync()
    moved = state_of(client, 1)
    assert (moved["state"], moved["seed_block"]) == ("closed", chain.head() + 64)


def test_a_required_stamp_missing_is_the_reason(chain, settings, client_for):
    chain.open_drop(1, min_level=0, required_stamp=QUIZ, window=20)
    _, client = indexed(settings, client_for)
    member = state_of(client, 1, chain.address(5))["member"]
    assert (member["eligible"], member["reason"], member["holds_required_stamp"], member["next"]) == (
        False, "required_stamp_missing", False, None)


def test_the_shop_lists_editions_for_sale_and_what_a_member_may_still_buy(chain, settings, client_for):
    """setup_catalogue lists stamp 3 (Holiday Cup, 40 made) at 0.01 ether, 3 a wallet."""
    buyer = chain.address(4)
    chain.purchase(4, 3, 2)
    _, client = indexed(settings, client_for)
    items = client.get(f"/shop?member={buyer}").json()["data"]
    assert [i["stamp_id"] for i in items] == ["3"]
    item = items[0]
    assert (item["name"], item["price"], item["wallet_cap"], item["max_supply"], item["left"], item["sold"]) == (
        "Holiday Cup", str(10**16), 3, 40, 38, 2)
    assert item["on_sale"] and item["member"] == {"address": buyer, "bought": 2, "may_buy": 1}
    assert client.get("/shop/3").json()["data"]["member"] is None
    assert client.get("/shop/1").status_code == 404


def test_the_chains_pace_comes_from_recent_headers(tmp_path):
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'pace.db'}")
    migrate.upgrade(settings)
    with session_factory(settings)() as session, session.begin():
        assert queries.seconds_per_block(session, block=BlockRef(number=None, hash=None, timestamp=None)) is None
        session.add_all([models.Block(number=n, hash=f"0x{n:064x}", parent_hash="0x", timestamp=1000 + 12 * n)
                         for n in (10, 20, 21, 30)])
        session.flush()
        here = BlockRef(number=30, hash="0x", timestamp=1360)
        assert queries.seconds_per_block(session, block=here) == 12.0
        assert queries.seconds_per_block(session, block=BlockRef(number=10, hash="0x", timestamp=1120)) is None
        session.add(models.Block(number=31, hash="0x1f", parent_hash="0x", timestamp=1000 + 12 * 30))
        session.flush()
        assert queries.seconds_per_block(session, block=BlockRef(number=31, hash="0x", timestamp=1360)) == 240 / 21
