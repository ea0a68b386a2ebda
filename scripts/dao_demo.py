"""Local chain only: give the DAO something to look at, or walk a whole lifecycle in one sitting.

    brownie run scripts/dao_demo.py --network odyssey-local        # members with points, a qualified idea, a live proposal
    brownie run scripts/dao_demo.py walk --network odyssey-local   # ...then propose idea 1, vote, queue, execute

Ops (who keep JOURNEY_MANAGER_ROLE after the hand-over) airdrop a "Founding member" stamp to member1..member5
so they have points to vote with; member2 submits an idea that members 1, 3 and 4 support until it qualifies;
member1 proposes proposals/autumn-journey.yaml. Every step is skipped if already done, so re-runs are safe.
"""
from brownie import chain

from backend.chain.protocol import IdeaState
from backend.settings import ROOT
from scripts import dao_status, execute, propose, queue, vote
from scripts.lib.common import account_for, run_main
from scripts.lib.governance import actor, dao, find_proposal, mine_past_block, proposals, require_local

FOUNDERS_JOURNEY = 800
FOUNDER_STAMP = 80001
FOUNDER_POINTS = 60
MEMBERS = [f"member{i}" for i in range(1, 6)]
SAMPLE_PROPOSAL = ROOT / "proposals" / "autumn-journey.yaml"
IDEA_PROPOSAL = ROOT / "proposals" / "realise-idea-1.yaml"


def seed() -> dict:
    require_local("dao_demo")
    contracts = dao()
    stamps, board = contracts["stamps"], contracts["board"]
    ops = account_for("ops")
    members = [actor(name) for name in MEMBERS]

    if stamps.journey(FOUNDERS_JOURNEY)[0] == "":
        stamps.createJourney(FOUNDERS_JOURNEY, "Founding members", "ipfs://odyssey/journeys/founders", 0, 0, {"from": ops})
        stamps.createStampType(FOUNDER_STAMP, FOUNDERS_JOURNEY, "Founding member", FOUNDER_POINTS, True, 0, {"from": ops})
    missing = [m for m in members if stamps.balanceOf(m, FOUNDER_STAMP) == 0]
    if missing:
        stamps.airdrop(FOUNDER_STAMP, missing, {"from": ops})
        chain.mine()
    print(f"members 1-5 hold {[stamps.pointsOf(m) for m in members]} points")

    if board.ideaCount() == 0:
        board.submit("Latte art journey", "ipfs://odyssey/ideas/latte-art", "0x" + "1a" * 32, {"from": members[1]})
        for supporter in (members[0], members[2], members[3]):
            board.support(1, {"from": supporter})
        print("idea 1 submitted by member2 and supported by members 1, 3, 4")

    if not proposals(contracts):
        propose._propose(str(SAMPLE_PROPOSAL), "member1")
    return contracts


def _walk():
    contracts = seed()
    board = contracts["board"]
    if board.ideaState(1) in (IdeaState.QUALIFIED, IdeaState.REJECTED):  # propose it
        created = propose._propose(str(IDEA_PROPOSAL), "member1")
    else:
        created = proposals(contracts)[-1]
    ref = str(created["number"])
    mine_past_block(created["voteStart"])
    for member in MEMBERS[:3]:
        if not contracts["governor"].hasVoted(created["id"], actor(member)):
            vote._vote(ref, "for", member, "demo walk", advance=False)
    queue._queue(ref, None, advance=True)
    execute._execute(ref, None, advance=True)
    dao_status._status()
    return find_proposal(contracts, ref)


def main():
    """Seed members, an idea and a live proposal, then show the DAO."""

    def body():
        seed()
        return dao_status._status()

    return run_main(body)


def walk():
    """Seed, then take idea 1's proposal (or the latest) through vote, queue and execution."""
    return run_main(_walk)
