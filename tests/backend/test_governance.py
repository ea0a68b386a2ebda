"""Governance on the real deployed contracts (OdysseyGovernor, OdysseyTimelock, IdeaBoard of scripts/deploy.py's
local profile: voting delay 1 block, period 20 blocks, quorum 10 % of all points, queue period 200 blocks,
timelock delay 120 s, idea stages 2 supporters in 7 days then 3 in 30 days): members earn points, propose, vote,
queue, execute and co-create; after each step the indexer catches up and the API must say what the contracts'
own views say (`state`, `proposalVotes`, `optionVotes`, `winningOption`, `quorum`, `ideaState`, `idea`)."""
import pytest
from sqlalchemy import create_engine, text
from web3.logs import DISCARD

from backend.indexer.runner import Indexer
from tests.backend.mirror import assert_governance_matches_chain

A, B, C, D = 4, 5, 6, 7  # members (Ganache accounts without a role)
TASTING_NOTES = 2  # 25 points, claimed by voucher
AGAINST, FOR, ABSTAIN = 0, 1, 2
DAY = 86400


@pytest.fixture
def dao(chain, settings, client_for):
    """Members A..D with 25 points each; `sync()` indexes up to the head and returns the API client."""
    for member in (A, B, C, D):
        chain.claim(member, TASTING_NOTES)
    chain.mine()
    indexer = Indexer(settings)
    indexer.setup()
    client = client_for(settings)

    def sync():
        indexer.sync()
        assert_governance_matches_chain(client, chain)
        return client

    return chain, sync


def harmless(chain):
    """An action the timelock can execute without changing anything: a read of the stamps contract."""
    return (chain.stamps.address, 0, chain.stamps.encode_abi("memberCount", args=[]))


def proposal(client, proposal_id: int) -> dict:
    response = client.get(f"/proposals/{proposal_id}")
    assert response.status_code == 200, response.text
    return response.json()["data"]


def idea(client, idea_id: int) -> dict:
    response = client.get(f"/ideas/{idea_id}")
    assert response.status_code == 200, response.text
    return response.json()["data"]


def test_ordinary_proposal_is_voted_queued_and_executed(dao, settings):
    chain, sync = dao
    pid = chain.propose(A, [harmless(chain)], "# Count the members\nA harmless read.")
    p = proposal(sync(), pid)
    assert (p["kind"], p["state"], p["title"], p["options"]) == ("simple", "active", "Count the members", ["Against", "For", "Abstain"])
    chain.vote(A, pid, FOR, "yes")
    chain.vote(B, pid, FOR)
    chain.vote(C, pid, AGAINST)
    chain.vote(D, pid, ABSTAIN)
    client = sync()
    assert {t["label"]: t["weight"] for t in proposal(client, pid)["tallies"]} == {"Against": 25, "For": 50, "Abstain": 25}
    chain.end_vote(pid)
    assert proposal(sync(), pid)["state"] == "succeeded"
    chain.queue(B, pid)
    p = proposal(sync(), pid)
    assert p["state"] == "queued" and p["eta"] is not None
    chain.execute(C, pid)
    client = sync()
    assert proposal(client, pid)["state"] == "executed"
    assert [p["id"] for p in client.get("/proposals?state=executed").json()["data"]] == [str(pid)]
    votes = client.get(f"/proposals/{pid}/votes").json()
    assert votes["count"] == 4 and {v["option"] for v in votes["data"]} == {"For", "Against", "Abstain"}
    mine = client.get(f"/members/{chain.address(A).lower()}/votes").json()["data"]
    assert [(v["proposal_id"], v["option"], v["weight"], v["reason"]) for v in mine] == [(str(pid), "For", 25, "yes")]
    engine = create_engine(settings.database_url)
    with engine.connect() as conn:  # the timelock's side of it
        rows = conn.execute(text("SELECT state, delay FROM timelock_operations")).all()
    assert [tuple(r) for r in rows] == [("executed", chain.timelock.functions.getMinDelay().call())]
    engine.dispose()


def test_proposal_times_say_when_voting_opens_and_closes(dao):
    """Members read times, not block numbers: the snapshot and deadline come with times estimated from the chain's
    pace, ahead of the indexed block's time while they are ahead of it, behind it once passed."""
    chain, sync = dao
    pid = chain.propose(A, [harmless(chain)], "# Count the members\nA harmless read.")
    answer = sync().get(f"/proposals/{pid}").json()
    p, now = answer["data"], answer["block"]["timestamp"]
    assert p["state"] == "active" and p["snapshot_time"] <= now < p["deadline_time"]
    chain.end_vote(pid)
    answer = sync().get(f"/proposals/{pid}").json()
    p, now = answer["data"], answer["block"]["timestamp"]
    assert p["state"] == "defeated" and p["snapshot_time"] < p["deadline_time"] <= now


def test_missed_quorum_is_defeated_and_a_pending_proposal_can_be_canceled(dao):
    chain, sync = dao
    chain.claim(8, 1)  # 10 points: enough to propose, under the quorum (10 % of 110 = 11)
    chain.mine()
    small = chain.propose(8, [harmless(chain)], "Too few voters")
    chain.vote(8, small, FOR)
    chain.end_vote(small)
    p = proposal(sync(), small)
    assert {t["label"]: t["weight"] for t in p["tallies"]} == {"Against": 0, "For": 10, "Abstain": 0}  # the vote landed
    assert p["state"] == "defeated" and p["voters"] == 1
    canceled = chain.propose(A, [harmless(chain)], "Withdrawn at once", mine_to_active=False)
    chain.cancel(A, canceled)
    assert proposal(sync(), canceled)["state"] == "canceled"


def test_succeeded_proposal_not_queued_in_time_expires(dao):
    chain, sync = dao
    pid = chain.propose(A, [harmless(chain)], "Nobody queues this")
    chain.vote(A, pid, FOR)
    chain.vote(B, pid, FOR)
    chain.end_vote(pid)
    assert proposal(sync(), pid)["state"] == "succeeded"
    queue_period = chain.governor.functions.queuePeriod().call()
    chain.mine(queue_period - 1)
    assert proposal(sync(), pid)["state"] == "succeeded"  # the last block of the queue period
    chain.mine()
    assert proposal(sync(), pid)["state"] == "expired"


def passed_and_queued(chain, sync, *proposal_ids: int) -> list:
    """Vote the (Active) proposals through and queue them; returns each one's timelock operation (id, salt), read
    from the timelock's own CallSalt event."""
    for proposal_id in proposal_ids:
        for member in (A, B, C):
            chain.vote(member, proposal_id, FOR)
    chain.end_vote(proposal_ids[-1])
    operations = []
    for proposal_id in proposal_ids:
        receipt = chain.queue(A, proposal_id)
        salt = chain.timelock.events.CallSalt().process_receipt(receipt, errors=DISCARD)[0].args
        operations.append((salt.id, salt.salt))
    client = sync()
    assert [proposal(client, p)["state"] for p in proposal_ids] == ["queued"] * len(proposal_ids)
    return operations


def test_queued_proposal_cancelled_or_executed_on_the_timelock_directly(dao):
    chain, sync = dao
    canceller_role = chain.timelock.functions.CANCELLER_ROLE().call()
    grant = (chain.timelock.address, 0, chain.timelock.encode_abi("grantRole", args=[canceller_role, chain.address(D)]))
    pid = chain.propose(A, [grant], "Let D cancel queued operations")
    passed_and_queued(chain, sync, pid)
    chain.execute(A, pid)
    assert chain.timelock.functions.hasRole(canceller_role, chain.address(D)).call()

    cancelled = chain.propose(A, [harmless(chain)], "Cancelled on the timelock")
    direct = chain.propose(B, [harmless(chain)], "Executed on the timelock")
    (operation, _), (_, salt) = passed_and_queued(chain, sync, cancelled, direct)
    cancel = chain.send(D, chain.timelock.functions.cancel(operation))  # the governor emits nothing
    chain.sleep(chain.timelock.functions.getMinDelay().call() + 1)
    target, value, calldata = harmless(chain)
    execute = chain.send(C, chain.timelock.functions.executeBatch([target], [value], [calldata], bytes(32), salt))
    client = sync()  # every proposal's state = governor.state()
    assert (proposal(client, cancelled)["state"], proposal(client, direct)["state"]) == ("canceled", "executed")
    assert proposal(client, cancelled)["canceled_block"] == cancel["blockNumber"]
    assert proposal(client, direct)["executed_block"] == execute["blockNumber"]
    assert [p["id"] for p in client.get("/proposals?state=canceled").json()["data"]] == [str(cancelled)]


def test_multiple_choice_with_single_and_approval_votes_executes_the_winner(dao):
    chain, sync = dao
    labels = ["Latte", "Mocha", "Chai"]
    pid = chain.propose(A, [harmless(chain)] * 3, "# Which drink next winter?", labels=labels, approval=True)
    p = proposal(sync(), pid)
    assert (p["kind"], p["options"], p["approval"], p["option_ends"]) == ("multiple", labels, True, [1, 2, 3])
    assert [t["label"] for t in p["tallies"]] == labels
    chain.vote(A, pid, 0)
    chain.vote_approval(B, pid, [1, 2])
    chain.vote(C, pid, 1)
    client = sync()
    p = proposal(client, pid)
    assert [t["weight"] for t in p["tallies"]] == [25, 50, 25] and p["votes_weight"] == 75 and p["voters"] == 3
    assert (p["winning_option"], p["winning_label"]) == (1, "Mocha")
    options = {v["voter"]: v["option"] for v in client.get(f"/proposals/{pid}/votes").json()["data"]}
    assert options[chain.address(B)] == "Mocha, Chai"
    chain.end_vote(pid)
    assert proposal(sync(), pid)["state"] == "succeeded"
    chain.queue(A, pid)
    chain.execute(A, pid)
    assert proposal(sync(), pid)["state"] == "executed"


def test_multiple_choice_tie_and_no_votes_are_defeated(dao):
    chain, sync = dao
    tie = chain.propose(A, [harmless(chain)] * 2, "Tie", labels=["Left", "Right"])
    empty = chain.propose(B, [harmless(chain)] * 2, "Nobody votes", labels=["Up", "Down"])
    chain.vote(A, tie, 0)
    chain.vote(B, tie, 1)
    p = proposal(sync(), tie)
    assert p["state"] == "active" and p["winning_option"] is None
    assert [t["weight"] for t in p["tallies"]] == [25, 25] and p["voters"] == 2  # both votes landed: a tie
    chain.end_vote(empty)
    client = sync()
    assert proposal(client, tie)["state"] == "defeated"
    assert proposal(client, empty)["state"] == "defeated"


def test_idea_is_supported_qualifies_is_proposed_and_realised(dao):
    chain, sync = dao
    idea_id = chain.submit_idea(A, "A tea journey")
    i = idea(sync(), idea_id)
    assert (i["stage"], i["author"], i["supporters"], i["stages_reached"]) == ("open", chain.address(A), 0, 0)
    chain.support_idea(B, idea_id)
    chain.support_idea(C, idea_id)  # stage 1: two supporters
    chain.withdraw_support(C, idea_id)
    client = sync()
    i = idea(client, idea_id)
    assert (i["stage"], i["supporters"], i["stages_reached"]) == ("open", 1, 1)
    chain.support_idea(C, idea_id)
    chain.support_idea(D, idea_id)  # stage 2, the last: qualified
    client = sync()
    i = idea(client, idea_id)
    assert (i["stage"], i["supporters"], i["deadline"]) == ("qualified", 3, None)
    assert [x["id"] for x in client.get(f"/members/{chain.address(D)}/ideas").json()["data"]] == [str(idea_id)]
    sale_stamp = 3
    pid = chain.propose_idea(A, idea_id, "# Realise the tea journey", sale_stamp=sale_stamp)
    client = sync()
    i = idea(client, idea_id)
    assert (i["stage"], i["proposal_id"], i["proposer"]) == ("proposed", str(pid), chain.address(A))
    assert proposal(client, pid)["idea_id"] == str(idea_id)
    for member in (A, B, C):
        chain.vote(member, pid, FOR)
    chain.end_vote(pid)
    chain.queue(A, pid)
    chain.execute(A, pid)
    client = sync()
    i = idea(client, idea_id)
    assert i["stage"] == "realised" and i["realised_block"] is not None
    assert i["co_creator_stamp_id"] == str(chain.board.functions.coCreatorStamp().call())
    assert (i["sale_stamp_id"], i["share_bps"]) == (str(sale_stamp), chain.board.functions.creatorShareBps().call())
    assert [x["id"] for x in client.get("/ideas?stage=realised").json()["data"]] == [str(idea_id)]


def test_idea_expires_at_its_deadline_and_a_defeated_proposal_rejects_its_idea(dao):
    chain, sync = dao
    lonely = chain.submit_idea(B, "Nobody cares")
    rejected = chain.submit_idea(A, "Divisive")
    for member in (B, C, D):
        chain.support_idea(member, rejected)
    pid = chain.propose_idea(A, rejected, "Realise the divisive idea")
    assert idea(sync(), rejected)["stage"] == "proposed"
    for member in (B, C, D):
        chain.vote(member, pid, AGAINST)
    chain.end_vote(pid)
    client = sync()
    p = proposal(client, pid)
    assert {t["label"]: t["weight"] for t in p["tallies"]} == {"Against": 75, "For": 0, "Abstain": 0}
    assert p["state"] == "defeated"
    assert idea(client, rejected)["stage"] == "rejected"
    assert idea(client, lonely)["stage"] == "open"
    chain.sleep(7 * DAY + 1)
    client = sync()
    assert idea(client, lonely)["stage"] == "expired"
    assert [x["id"] for x in client.get("/ideas?stage=expired").json()["data"]] == [str(lonely)]
    assert client.get("/ideas?stage=nonsense").status_code == 422
