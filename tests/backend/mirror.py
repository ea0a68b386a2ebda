"""Comparisons: the API against the contracts' own view functions, and one mirror against another."""
from sqlalchemy import create_engine, inspect, text

from tests.backend.chain import Chain

ACCOUNTS = range(10)
# Depend on how blocks were cut into batches (which headers, balances and journal entries are kept), not on
# the chain: excluded when comparing two mirrors of the same chain.
BATCHING_TABLES = {"blocks", "journal", "balances", "alembic_version", "indexer_state"}


def all_pages(client, url: str) -> list:
    items, cursor = [], None
    while True:
        sep = "&" if "?" in url else "?"
        response = client.get(f"{url}{sep}limit=3" + (f"&cursor={cursor}" if cursor else ""))
        assert response.status_code == 200, response.text
        body = response.json()
        items += body["data"]
        cursor = body["next_cursor"]
        if not cursor:
            return items


def assert_api_matches_chain(client, chain: Chain) -> int:
    """Every member's and stamp's figures from the API equal the contracts' views. Returns the block compared."""
    s = chain.stamps.functions
    block = client.get("/stats").json()["block"]["number"]
    assert block == chain.head(), "the mirror must be caught up before comparing"
    stamp_ids = [int(t["id"]) for t in client.get("/stamps").json()["data"]]
    assert stamp_ids == sorted(stamp_ids) and stamp_ids == [1, 2, 3, 4]

    leaderboard = all_pages(client, "/members")
    assert [m["rank"] for m in leaderboard] == list(range(1, len(leaderboard) + 1))
    assert leaderboard == sorted(leaderboard, key=lambda m: (-m["points"], m["number"]))
    assert len(leaderboard) == s.memberCount().call(block_identifier=block)

    holders = {i: 0 for i in stamp_ids}
    total_points = 0
    for index in ACCOUNTS:
        address = chain.address(index)
        number, since, points = s.memberOf(address).call(block_identifier=block)
        response = client.get(f"/members/{address.lower()}")
        if number == 0:
            assert response.status_code == 404
            continue
        assert response.status_code == 200, response.text
        assert response.headers["X-Odyssey-Block"] == str(block)
        m = response.json()["data"]
        assert m["address"] == address
        assert (m["number"], m["since"], m["points"]) == (number, since, points)
        assert m["level"] == s.levelOf(address).call(block_identifier=block)
        assert m["votes"] == s.getVotes(address).call(block_identifier=block)
        assert m["delegate"] == s.delegates(address).call(block_identifier=block)
        total_points += points
        held = {h["stamp_id"]: h["balance"] for h in client.get(f"/members/{address}/stamps").json()["data"]}
        for stamp_id in stamp_ids:
            balance = s.balanceOf(address, stamp_id).call(block_identifier=block)
            assert held.get(str(stamp_id), 0) == balance, (address, stamp_id)
            holders[stamp_id] += balance > 0
        assert m["stamps"] == len(held)
    for stamp_id in stamp_ids:
        journey, points, max_supply, minted, wallet_cap, soulbound, price = s.stampType(stamp_id).call(block_identifier=block)
        t = client.get(f"/stamps/{stamp_id}").json()["data"]
        assert (t["journey_id"], t["points"], t["max_supply"], t["minted"], t["wallet_cap"], t["soulbound"], int(t["price"])) == (
            journey, points, max_supply, minted, wallet_cap, soulbound, price)
        assert t["holders"] == holders[stamp_id]
        assert t["name"] == s.stampName(stamp_id).call(block_identifier=block)
        assert len(all_pages(client, f"/stamps/{stamp_id}/holders")) == holders[stamp_id]
    stats = client.get("/stats").json()["data"]
    assert stats["total_points"] == total_points
    assert stats["members"] == len(leaderboard)
    for b in client.get("/benefits").json()["data"]:
        min_level, stock, redeemed, active, uri = chain.benefits.functions.benefit(b["id"]).call(block_identifier=block)
        assert (b["min_level"], b["stock"], b["redeemed"], b["active"], b["uri"]) == (min_level, stock, redeemed, active, uri)
    treasury = client.get("/treasury").json()["data"]
    assert int(treasury["proceeds_pending_wei"]) == s.proceeds().call(block_identifier=block)
    assert int(treasury["stamps_contract_balance_wei"]) == chain.w3.eth.get_balance(chain.stamps.address, block)
    return block


def dump(database_url: str, skip=BATCHING_TABLES) -> dict:
    """Every row of every table (but those that depend on batching), sorted: equal dumps = equal mirrors."""
    engine = create_engine(database_url)
    out = {}
    try:
        with engine.connect() as conn:
            for table in sorted(inspect(conn).get_table_names()):
                if table in skip:
                    continue
                rows = conn.execute(text(f'SELECT * FROM "{table}"')).mappings().all()
                out[table] = sorted((tuple(sorted((k, repr(v)) for k, v in r.items())) for r in rows))
            state = conn.execute(text("SELECT cursor, cursor_hash, events FROM indexer_state")).one()
            out["indexer_state"] = tuple(state)
    finally:
        engine.dispose()
    return out
