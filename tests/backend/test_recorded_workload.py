"""The handlers on a recorded chain, without one: the events of a random workload (every kind of member, ops, DAO and
governance action) replayed through the handlers must give the mirror the real indexer built from that chain, which
was checked row by row against the chain's logs and views when it was recorded (tests/backend/chain_rows.py,
tests/backend/mirror.py). Under a second: this is what mutation testing runs (make mutate-backend, docs/testing.md).

The recording (tests/backend/data/recorded_workload.json) holds the events as the indexer's decoder gave them and the
mirror's rows. `ODYSSEY_RECORD=1 python -m pytest -p no:pytest-brownie tests/backend/test_recorded_workload.py`
records it anew, after a change of what the handlers write. Only the tables and columns in the recording are compared:
a table or column added since is not held to it (the chain-backed suites hold it).
"""
import json
import os
import random
from pathlib import Path

from sqlalchemy import create_engine, select

from backend.db import migrate, models
from backend.db.session import session_factory
from backend.indexer import handlers
from backend.indexer.handlers import Event
from backend.indexer.runner import Indexer
from backend.indexer.store import Store
from backend.indexer.watch import watch_list
from backend.settings import Settings
from tests.backend.chain_rows import assert_rows_match_chain
from tests.backend.mirror import BATCHING_TABLES, assert_api_matches_chain, assert_governance_matches_chain

RECORDING = Path(__file__).parent / "data" / "recorded_workload.json"
# Not the handlers' doing: raw events (the runner's), the relay's tables, and the treasury's address, which a head
# hook reads from the node when no TreasuryChanged event named it.
NOT_HANDLED = BATCHING_TABLES | {"raw_events", "relay_gas", "relay_hits", "relay_in_flight"}


def _mirror(database_url: str) -> dict[str, list[dict]]:
    """The handlers' tables as {table: [row as {column: repr(value)}]}, sorted."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:  # read through the models' column types: the same values from either database
            tables = {name: [{k: repr(v) for k, v in row.items()} for row in conn.execute(select(table)).mappings()]
                      for name, table in models.Base.metadata.tables.items() if name not in NOT_HANDLED}
    finally:
        engine.dispose()
    tables["config"] = [r for r in tables["config"] if r["key"] != repr("treasury")]
    return {table: sorted(rows, key=lambda r: sorted(r.items())) for table, rows in tables.items()}


def _events(chain, head: int) -> list[dict]:
    """Every log of the deployment up to `head`, decoded by the indexer's decoder, as the runner makes them Events."""
    watch = watch_list(chain.deployment)
    logs = chain.w3.eth.get_logs({"address": watch.addresses, "fromBlock": watch.start_block, "toBlock": head})
    blocks = {}
    events = []
    for log in sorted(logs, key=lambda entry: (entry["blockNumber"], entry["logIndex"])):
        topics = [t.to_0x_hex() for t in log["topics"]]
        spec = watch.spec_for(log["address"], topics[0])
        if spec is None:
            continue
        number = log["blockNumber"]
        if number not in blocks:
            blocks[number] = chain.w3.eth.get_block(number)
        events.append({
            "contract": spec.contract, "address": log["address"], "name": spec.name,
            "args": spec.decode(topics, log["data"].to_0x_hex()), "block_number": number,
            "block_hash": blocks[number]["hash"].to_0x_hex(), "timestamp": blocks[number]["timestamp"],
            "tx_hash": log["transactionHash"].to_0x_hex(), "tx_index": log["transactionIndex"],
            "log_index": log["logIndex"],
        })
    return events


def _replay(events: list[dict], safe: int, tmp_path) -> str:
    """`events` through the handlers, in one batch as a backfill runs them, on a new SQLite database; its URL."""
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'replayed.db'}")
    migrate.upgrade(settings)
    handlers.load_all()
    with session_factory(settings)() as session, session.begin():
        store = Store(session)
        handlers.dispatch([Event(**e) for e in events], store, safe)
        store.write()
    return settings.database_url


def _assert_same(replayed: dict, recorded: dict) -> None:
    for table, rows in recorded.items():
        columns = set(rows[0]) if rows else set()
        got = [{c: r[c] for c in columns} for r in replayed.get(table, [])]
        got.sort(key=lambda r: sorted(r.items()))
        missing = [r for r in rows if r not in got]
        extra = [r for r in got if r not in rows]
        assert not missing and not extra, f"{table}: missing {missing[:2]}, unexpected {extra[:2]}"


def test_replayed_events_give_the_recorded_mirror(tmp_path):
    recording = json.loads(RECORDING.read_text())
    kinds = {e["name"] for e in recording["events"]}
    assert {"TransferBatch", "StampClaimed", "StampPurchased", "VoteCast", "VoteCastWithParams", "ProposalQueued",
            "ProposalExecuted", "IdeaSupportWithdrawn", "BenefitRedeemed", "LevelThresholdsSet", "Paused"} <= kinds
    replayed = _mirror(_replay(recording["events"], recording["safe"], tmp_path))
    assert all(recording["mirror"][table] for table in (
        "claims", "transfers", "sales", "treasury_flows", "redemptions", "delegations", "votes", "proposals",
        "proposal_tallies", "timelock_operations", "ideas", "idea_supporters", "supply_checkpoints"))
    _assert_same(replayed, recording["mirror"])


def test_a_recording_of_this_chain_replays_to_the_indexers_mirror(chain, settings, client_for, tmp_path):
    """Record a workload now: the indexer's mirror of it equals the chain, row by row, and the replay of its events
    equals that mirror. With ODYSSEY_RECORD=1 it becomes the recording the test above replays."""
    rng = random.Random(15)
    landed = chain.random_workload(rng, 200)
    landed += chain.random_workload(rng, 150, governance=1.0)
    chain.mine(25)  # every vote over
    landed += chain.random_workload(rng, 40, governance=1.0)  # queue and execute what passed
    assert landed.total() > 200 and {"transfer_batch", "allowlist", "vote", "withdraw", "pause"} <= landed.keys(), landed
    indexer = Indexer(settings)
    indexer.setup()
    indexer.sync()
    head = chain.head()
    client = client_for(settings)
    assert_rows_match_chain(settings.database_url, chain, assert_api_matches_chain(client, chain))
    assert_governance_matches_chain(client, chain)
    recording = {"safe": head - settings.reorg_depth,  # the blocks above are journaled, as the indexer did
                 "events": _events(chain, head), "mirror": _mirror(settings.database_url)}
    _assert_same(_mirror(_replay(recording["events"], recording["safe"], tmp_path)), recording["mirror"])
    if os.environ.get("ODYSSEY_RECORD") and settings.is_sqlite:
        RECORDING.parent.mkdir(exist_ok=True)
        RECORDING.write_text(json.dumps(recording, separators=(",", ":"), sort_keys=True) + "\n")
