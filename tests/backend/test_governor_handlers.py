"""Governor and timelock handlers (the governance contracts are not deployed yet): events shaped exactly as
OpenZeppelin 5.0's Governor, GovernorVotesQuorumFraction and TimelockController emit them are applied through
the real handler registry into a real database; the API then computes states, quorum and tallies."""
import pytest

from backend.db import migrate, models
from backend.settings import Settings
from backend.db.session import session_factory
from backend.indexer import handlers
from backend.indexer.handlers import Event, Store, handlers_for

GOV = "OdysseyGovernor"
ALICE = "0x00000000000000000000000000000000000A11cE"
BOB = "0x0000000000000000000000000000000000000B0b"
PID = 2**255 + 12345  # proposal ids are uint256 hashes


@pytest.fixture
def api(tmp_path, client_for):

    # No chain needed: the events are applied directly (the RPC URL is never called by these routes).
    settings = Settings(DATABASE_URL=f"sqlite:///{tmp_path / 'gov.db'}", rpc_url="http://127.0.0.1:9", embedded_indexer=False)
    migrate.upgrade(settings)
    handlers.load_all()
    sessions = session_factory(settings)
    log_index = iter(range(10_000))

    def apply(block: int, name: str, **args):
        with sessions() as session, session.begin():
            store = Store(session)
            event = Event(GOV, ALICE, name, args, block, "0x" + "ab" * 32, 1_700_000_000 + block, "0x" + f"{block:064x}",
                          0, next(log_index))
            store.event = event
            for handler in handlers_for(GOV, name):
                handler(event, store)
            session.flush()
            store.flush_history()

    def at(block: int):
        with sessions() as session, session.begin():
            state = session.get(models.IndexerState, 1) or models.IndexerState(
                id=1, chain_id=1337, deployment_key="x", start_block=1, cursor=0, final_block=0, events=0, reorgs=0)
            state.cursor, state.cursor_hash, state.cursor_time = block, "0x" + "cd" * 32, 1_700_000_000 + block
            session.merge(state)

    with sessions() as session, session.begin():
        session.add(models.SupplyCheckpoint(block_number=3, total=1000))
    return apply, at, client_for(settings)


def test_proposal_lifecycle_state_quorum_tallies_and_votes(api):
    apply, at, client = api
    apply(2, "QuorumNumeratorUpdated", oldQuorumNumerator=0, newQuorumNumerator=4)  # quorum 4% of 1000 = 40
    apply(10, "ProposalCreated", proposalId=PID, proposer=ALICE, targets=[BOB], values=[0], signatures=[""],
          calldatas=["0x"], voteStart=11, voteEnd=20, description="# Fund the winter menu\nDetails...")
    at(10)
    p = client.get(f"/proposals/{PID}").json()["data"]
    assert p["state"] == "pending" and p["title"] == "Fund the winter menu" and p["quorum"] == 40
    assert [t["label"] for t in p["tallies"]] == ["Against", "For", "Abstain"]
    at(12)
    assert client.get(f"/proposals/{hex(PID)}").json()["data"]["state"] == "active"
    apply(13, "VoteCast", voter=ALICE, proposalId=PID, support=1, weight=30, reason="yes")
    apply(14, "VoteCastWithParams", voter=BOB, proposalId=PID, support=2, weight=15, reason="", params="0x")
    at(21)
    p = client.get(f"/proposals/{PID}").json()["data"]
    assert p["state"] == "succeeded" and p["voters"] == 2
    assert {t["label"]: t["weight"] for t in p["tallies"]} == {"Against": 0, "For": 30, "Abstain": 15}
    assert [p["id"] for p in client.get("/proposals?state=succeeded").json()["data"]] == [str(PID)]
    assert client.get("/proposals?state=active").json()["data"] == []
    votes = client.get(f"/proposals/{PID}/votes").json()
    assert votes["count"] == 2 and [v["option"] for v in votes["data"]] == ["Abstain", "For"]
    assert client.get(f"/members/{ALICE.lower()}/votes").status_code == 200
    apply(22, "ProposalQueued", proposalId=PID, etaSeconds=1_700_000_100)
    at(22)
    assert client.get(f"/proposals/{PID}").json()["data"]["state"] == "queued"
    apply(23, "ProposalExecuted", proposalId=PID)
    at(23)
    assert client.get("/proposals?state=executed").json()["data"][0]["executed_block"] == 23


def test_quorum_not_reached_is_defeated_and_cancel_wins(api):
    apply, at, client = api
    apply(2, "QuorumNumeratorUpdated", oldQuorumNumerator=0, newQuorumNumerator=10)  # 100
    apply(10, "ProposalCreated", proposalId=7, proposer=ALICE, targets=[], values=[], signatures=[], calldatas=[],
          voteStart=11, voteEnd=12, description="small")
    apply(11, "VoteCast", voter=ALICE, proposalId=7, support=1, weight=60, reason="")
    at(13)
    assert client.get("/proposals/7").json()["data"]["state"] == "defeated"
    apply(14, "ProposalCanceled", proposalId=7)
    at(14)
    assert client.get("/proposals/7").json()["data"]["state"] == "canceled"


def test_timelock_operations_are_mirrored(api):
    apply, _, client = api
    op = "0x" + "11" * 32
    apply(5, "CallScheduled", id=op, index=0, target=BOB, value=0, data="0x", predecessor="0x" + "00" * 32, delay=60)
    apply(5, "CallScheduled", id=op, index=1, target=ALICE, value=5, data="0x01", predecessor="0x" + "00" * 32, delay=60)
    from sqlalchemy import create_engine, text

    url = client.app.dependency_overrides[next(iter(client.app.dependency_overrides))]().database_url
    engine = create_engine(url)
    with engine.connect() as conn:
        row = conn.execute(text("SELECT state, ready_at, calls FROM timelock_operations")).one()
    assert row[0] == "scheduled" and row[1] == 1_700_000_005 + 60 and '"index": 1' in row[2]
    apply(6, "CallExecuted", id=op, index=0, target=BOB, value=0, data="0x")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT state, executed_block FROM timelock_operations")).one() == ("executed", 6)
    engine.dispose()
