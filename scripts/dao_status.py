"""Show the DAO: parameters, treasury, proposals (state, tallies, quorum, deadlines) and ideas (stage, support).

    brownie run scripts/dao_status.py --network odyssey-local
"""
import time

from brownie import chain

from scripts.lib.common import run_main
from scripts.lib.governance import dao, idea_state_name, proposals, state_name


def _when(timestamp: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(timestamp)) if timestamp else "-"


def _status():
    contracts = dao()
    governor, board, stamps, shop, timelock = (contracts[k] for k in ("governor", "board", "stamps", "shop", "timelock"))
    block = chain.height
    print(f"Odyssey DAO on chain {contracts['deployment'].chain_id}, block {block}, {_when(chain[-1].timestamp)}")
    print(
        f"  voting delay {governor.votingDelay()} blocks, period {governor.votingPeriod()} blocks, "
        f"threshold {governor.proposalThreshold()} points, quorum {governor.quorumNumerator()}% of points, "
        f"queue within {governor.queuePeriod()} blocks, timelock {timelock.getMinDelay()} s"
    )
    print(f"  treasury (timelock) {timelock.address}: {timelock.balance() / 1e18:.6f} ETH "
          f"(+ {shop.proceeds() / 1e18:.6f} ETH of sales to withdraw)")
    print(f"  points in all: {stamps.getPastTotalSupply(block - 1) if block else 0}")

    every = proposals(contracts)
    print(f"\nProposals ({len(every)})")
    for p in every:
        pid = p["id"]
        state = state_name(governor, pid)
        quorum = governor.quorum(p["voteStart"]) if p["voteStart"] < block else None
        print(f"  {p['number']}. {p['title']}  [{state}]  id {pid}")
        print(f"     proposer {p['proposer']}, votes from block {p['voteStart']} (snapshot) to {p['voteEnd']}"
              + (f", eta {_when(governor.proposalEta(pid))}" if governor.proposalEta(pid) else ""))
        against, for_, abstain = governor.proposalVotes(pid)
        if p["options"]:
            votes = governor.optionVotes(pid)
            mode = "approval" if p["options"]["approval"] else "single choice"
            print(f"     multiple choice ({mode}); {for_} points voted; quorum {quorum if quorum is not None else '(at snapshot)'}")
            for i, label in enumerate(p["options"]["labels"]):
                print(f"       [{i}] {label}: {votes[i]}")
            decided, option = governor.winningOption(pid)
            print(f"     leading: {p['options']['labels'][option] if decided else 'none (tie or no votes)'}")
        else:
            print(f"     for {for_}, against {against}, abstain {abstain}; quorum "
                  f"{quorum if quorum is not None else '(at snapshot)'} (for + abstain)")

    count = board.ideaCount()
    stages = board.stages(board.stagesVersion())
    rules = ", ".join(f"{s[0]} in {s[1] // 86400} d" for s in stages)
    print(f"\nIdeas ({count}); stages now: {rules}; author share {board.creatorShareBps() / 100:.2f}%")
    for idea_id in range(1, count + 1):
        idea = board.idea(idea_id)
        total_stages = len(board.stages(idea["stagesVersion"]))
        state = idea_state_name(board, idea_id)
        line = (f"  {idea_id}. {idea['title']}  [{state}]  by {idea['author']}, {idea['supporters']} supporters, "
                f"stage {idea['stage']}/{total_stages}")
        if state == "Open":
            line += f", next deadline {_when(idea['deadline'])}"
        if idea["proposalId"]:
            line += f", proposal {idea['proposalId']}"
        print(line)
    return {"proposals": every, "ideas": count}


def main():
    return run_main(_status)
