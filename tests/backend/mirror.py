"""Comparisons: the API against the contracts' own view functions, and one mirror against another."""
from sqlalchemy import create_engine, inspect, text
from web3.exceptions import ContractLogicError

from backend.chain.protocol import ClaimMethod, DropState, EntryStatus, IdeaState, ProposalState
from backend.dev.chain import RELAYER, Chain

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
    # the catalogue of setup_catalogue, and the co-creator stamp type that scripts/deploy.py creates for the board
    co_creator = chain.board.functions.coCreatorStamp().call(block_identifier=block)
    assert stamp_ids == sorted(stamp_ids) and stamp_ids == [1, 2, 3, 4, co_creator]

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
        holdings = client.get(f"/members/{address}/stamps").json()["data"]
        assert m["holdings"] == holdings  # the profile carries the member's stamps
        held = {h["stamp_id"]: h["balance"] for h in holdings}
        for stamp_id in stamp_ids:
            balance = s.balanceOf(address, stamp_id).call(block_identifier=block)
            assert held.get(str(stamp_id), 0) == balance, (address, stamp_id)
            holders[stamp_id] += balance > 0
        assert m["stamps"] == len(held)
    for stamp_id in stamp_ids:
        journey, points, max_supply, minted, soulbound = s.stampType(stamp_id).call(block_identifier=block)
        price, wallet_cap = chain.shop.functions.listing(stamp_id).call(block_identifier=block)
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
        min_level, stock, redeemed, active, snapshot, uri = chain.benefits.functions.benefit(b["id"]).call(block_identifier=block)
        assert (b["min_level"], b["stock"], b["redeemed"], b["active"], b["uri"], b["snapshot_block"]) == (
            min_level, stock, redeemed, active, uri, snapshot)
    for item in client.get("/shop").json()["data"]:
        for index in ACCOUNTS:
            address = chain.address(index)
            bought = client.get(f"/shop/{item['stamp_id']}?member={address}").json()["data"]["member"]["bought"]
            assert bought == chain.shop.functions.purchased(int(item["stamp_id"]), address).call(block_identifier=block)
    treasury = client.get("/treasury").json()["data"]
    assert int(treasury["proceeds_pending_wei"]) == chain.shop.functions.proceeds().call(block_identifier=block)
    assert int(treasury["shop_balance_wei"]) == chain.w3.eth.get_balance(chain.shop.address, block)
    assert_claims_match_chain(client, chain, block)
    return block


def assert_claims_match_chain(client, chain: Chain, block: int) -> None:
    """The claims feed holds one row per StampClaimed event the stamps contract emitted, newest first, with its
    member, stamp, method, quantity and reference."""
    emitted = chain.stamps.events.StampClaimed().get_logs(from_block=chain.deployment.start_block, to_block=block)
    expected = [
        (e.transactionHash.to_0x_hex(), e.logIndex, e.blockNumber, e.args.member, str(e.args.stampId),
         ClaimMethod(e.args.method).label, e.args.quantity, str(e.args.ref))
        for e in sorted(emitted, key=lambda e: (e.blockNumber, e.logIndex), reverse=True)
    ]
    feed = [(c["tx_hash"], c["log_index"], c["block_number"], c["member"], c["stamp_id"], c["method"], c["quantity"], c["ref"])
            for c in all_pages(client, "/claims")]
    assert feed == expected


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




def assert_governance_matches_chain(client, chain: Chain) -> int:
    """Every proposal's and idea's figures from the API equal the governor's and the board's views."""
    g, board = chain.governor.functions, chain.board.functions
    block = client.get("/stats").json()["block"]["number"]
    assert block == chain.head(), "the mirror must be caught up before comparing"
    proposals = all_pages(client, "/proposals")
    for p in proposals:
        pid = int(p["id"])
        assert p["state"] == ProposalState(g.state(pid).call(block_identifier=block)).label, p
        if p["snapshot"] < block:  # before that, quorum(snapshot) reverts (ERC5805FutureLookup)
            assert p["quorum"] == g.quorum(p["snapshot"]).call(block_identifier=block)
        assert (p["snapshot"], p["deadline"]) == (g.proposalSnapshot(pid).call(), g.proposalDeadline(pid).call())
        assert p["proposer"] == g.proposalProposer(pid).call()
        tallies = [t["weight"] for t in p["tallies"]]
        assert [t["option"] for t in p["tallies"]] == list(range(len(p["options"])))
        votes = g.proposalVotes(pid).call(block_identifier=block)
        if p["kind"] == "multiple":
            assert g.isMultipleChoice(pid).call()
            assert tallies == g.optionVotes(pid).call(block_identifier=block)
            assert tuple(votes) == (0, p["votes_weight"], 0)
            decided, option = g.winningOption(pid).call(block_identifier=block)
            assert p["winning_option"] == (option if decided else None)
            option_ends, approval = g.proposalOptions(pid).call()
            assert (p["option_ends"], p["approval"]) == (list(option_ends), approval)
        else:
            assert not g.isMultipleChoice(pid).call()
            assert tuple(votes) == tuple(tallies)  # (against, for, abstain)
            assert p["votes_weight"] == sum(tallies)
        assert p["voters"] == client.get(f"/proposals/{pid}/votes").json()["count"]
    ideas = all_pages(client, "/ideas")
    assert len(ideas) == board.ideaCount().call(block_identifier=block)
    for i in ideas:
        idea_id = int(i["id"])
        stored = board.idea(idea_id).call(block_identifier=block)
        (author, submitted_at, stages_version, stage, deadline, supporters, realised, _snapshot, stamp_owed, proposal_id,
         title, uri, content_hash) = stored
        assert i["stage"] == IdeaState(board.ideaState(idea_id).call(block_identifier=block)).label, i
        assert (i["author"], i["title"], i["uri"], i["content_hash"]) == (author, title, uri, "0x" + content_hash.hex())
        assert (i["stages_version"], i["stages_reached"], i["supporters"]) == (stages_version, stage, supporters)
        assert i["deadline"] == (deadline or None)
        assert i["created_time"] == submitted_at
        assert i["proposal_id"] == (str(proposal_id) if proposal_id else None)
        assert (i["realised_block"] is not None) == realised
        assert i["co_creator_stamp_owed"] == stamp_owed
        if proposal_id:
            assert proposal(client, proposal_id)["idea_id"] == str(idea_id)
    return block


def proposal(client, proposal_id: int) -> dict:
    return client.get(f"/proposals/{proposal_id}").json()["data"]


def assert_drops_match_chain(client, chain: Chain) -> int:
    """Every drop's, entry's and member's figures from the API equal the drops contract's views: rules, state, entries,
    seed, each entry's status and result (`isWinner`), the winners, proceeds and escrow; a member's eligibility, and
    whether claim or refund is their next step, equal what `enter`, `claim` and `refund` do when simulated."""
    d = chain.drops.functions
    block = client.get("/stats").json()["block"]["number"]
    assert block == chain.head(), "the mirror must be caught up before comparing"
    configured = chain.drops.events.DropConfigured().get_logs(from_block=chain.deployment.start_block, to_block=block)
    listed = all_pages(client, "/drops")
    assert sorted(int(x["id"]) for x in listed) == sorted({e.args.dropId for e in configured})
    assert [(x["opens_at"], int(x["id"])) for x in listed] == sorted(((x["opens_at"], int(x["id"])) for x in listed), reverse=True)
    accounts = [chain.address(i) for i in ACCOUNTS]
    escrow = proceeds = 0
    for x in listed:
        drop_id = int(x["id"])
        rules, min_points, entries, seed_block, seed = d.drop(drop_id).call(block_identifier=block)
        stamp_id, required, price, supply, opens, closes, min_level = rules
        assert (x["stamp_id"], x["required_stamp"], int(x["price"]), x["supply"], x["opens_at"], x["closes_at"]) == (
            str(stamp_id), str(required) if required else None, price, supply, opens, closes)
        assert (x["min_level"], x["min_points"], x["entries"], x["seed_block"]) == (min_level, min_points, entries, seed_block)
        assert x["seed"] == (None if seed == bytes(32) else "0x" + seed.hex())
        assert x["state"] == DropState(d.dropState(drop_id).call(block_identifier=block)).label
        assert x["winner_count"] == min(supply, entries)
        detail = client.get(f"/drops/{drop_id}").json()["data"]
        assert {k: v for k, v in detail.items() if k != "winners"} == x
        rows = all_pages(client, f"/drops/{drop_id}/entries")
        assert [e["position"] for e in rows] == list(range(entries))
        for e in rows:
            position, status = d.entry(drop_id, e["member"]).call(block_identifier=block)
            assert (e["position"], e["status"]) == (position, EntryStatus(status).label)
            assert e["won"] == (d.isWinner(drop_id, position).call(block_identifier=block) if x["seed"] else None)
        assert detail["winners"] == ([e["member"] for e in rows if e["won"]] if x["seed"] else None)
        assert [e["member"] for e in all_pages(client, f"/drops/{drop_id}/entries?won=true")] == (detail["winners"] or [])
        assert x["claimed"] == sum(e["status"] == "claimed" for e in rows)
        assert x["refunded"] == sum(e["status"] == "refunded" for e in rows)
        escrow += int(x["escrow_wei"])
        proceeds += int(x["proceeds_wei"])
        for address in accounts:
            standing = client.get(f"/drops/{drop_id}?member={address}").json()["data"]["member"]
            _assert_standing_matches_chain(chain, drop_id, price, address, standing, block)
    treasury = client.get("/treasury").json()["data"]
    pending = d.proceeds().call(block_identifier=block)
    assert int(treasury["drop_proceeds_pending_wei"]) == pending
    assert int(treasury["drop_proceeds_pending_wei"]) + int(treasury["drop_proceeds_withdrawn_wei"]) == proceeds
    assert int(treasury["drop_escrow_wei"]) == escrow
    assert escrow + pending == chain.w3.eth.get_balance(chain.drops.address, block)
    for address in accounts:
        mine = client.get(f"/members/{address}/drops").json()["data"]
        assert [m["id"] for m in mine] == [x["id"] for x in listed if d.entry(int(x["id"]), address).call()[1] != 0]
    return block


def _simulates(chain: Chain, fn, sender: str, value: int = 0) -> bool:
    try:
        fn.call({"from": sender, "value": value})
        return True
    except ContractLogicError:
        return False


def _assert_standing_matches_chain(chain: Chain, drop_id: int, price: int, address: str, standing: dict, block: int) -> None:
    d = chain.drops.functions
    position, status = d.entry(drop_id, address).call(block_identifier=block)
    assert standing["entered"] == (status != EntryStatus.NONE)
    if status == EntryStatus.NONE:
        assert standing["result"] is None and standing["position"] is None
        if DropState(d.dropState(drop_id).call(block_identifier=block)) == DropState.OPEN:
            may_enter = _simulates(chain, d.enter(drop_id), address, price)
            assert standing["eligible"] == may_enter and (standing["next"] == "enter") == may_enter, (drop_id, standing)
        return
    assert (standing["position"], standing["status"]) == (position, EntryStatus(status).label)
    relayer = chain.address(RELAYER)
    assert (standing["next"] == "claim") == _simulates(chain, d.claim(drop_id, address), relayer)
    assert (standing["next"] == "refund") == _simulates(chain, d.refund(drop_id, address), relayer)
