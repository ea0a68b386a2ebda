"""Create a DAO proposal from a YAML file in proposals/ (format: scripts/lib/proposal_files.py).

    brownie run scripts/propose.py main proposals/autumn-journey.yaml --network odyssey-local
    brownie run scripts/propose.py main proposals/autumn-journey.yaml member2 --network odyssey-local
    brownie run scripts/propose.py check proposals/autumn-journey.yaml --network odyssey-local   # encode only

The proposer (CLI word, else the file's `proposer`, else member1 locally / the `proposer` keystore live) needs
the proposal threshold in points. A proposal that realises an idea is linked to it on the board right away.
Re-running the same file does not propose twice: it reports the existing proposal.
"""
from brownie import web3

from scripts.lib.common import ScriptError, run_main
from scripts.lib.governance import actor, dao, find_proposal, idea_state_name, is_local, state_name
from scripts.lib.proposal_files import load_proposal


def _describe(proposal, contracts) -> None:
    print(f"proposal: {proposal.title}")
    if proposal.multiple_choice:
        start = 0
        mode = "approval" if proposal.approval else "single choice"
        print(f"  multiple choice ({mode}), {len(proposal.labels)} options:")
        for i, (label, end) in enumerate(zip(proposal.labels, proposal.ends)):
            print(f"    [{i}] {label}: {end - start} action(s)")
            start = end
    names = {c.address: name for name, c in contracts.items() if name != "deployment"}
    for target, value, calldata in zip(proposal.targets, proposal.values, proposal.calldatas):
        print(f"    -> {names.get(target, target)} value={value} data={calldata[:10]}... ({(len(calldata) - 2) // 2} bytes)")


def _propose(path: str, proposer_name: str | None = None, send: bool = True):
    contracts = dao()
    proposal = load_proposal(path, contracts)
    _describe(proposal, contracts)
    if not send:
        return proposal
    governor, board = contracts["governor"], contracts["board"]
    proposer = actor(proposer_name or proposal.proposer, default="member1" if is_local() else "proposer")

    description_hash = web3.keccak(text=proposal.created_description)
    proposal_id = governor.hashProposal(proposal.targets, proposal.values, proposal.calldatas, description_hash)
    if governor.proposalSnapshot(proposal_id) != 0:
        print(f"already proposed: {proposal_id} ({state_name(governor, proposal_id)})")
        return find_proposal(contracts, str(proposal_id))

    votes = governor.getVotes(proposer, web3.eth.block_number - 1)
    threshold = governor.proposalThreshold()
    if votes < threshold:
        raise ScriptError(f"{proposer.address} has {votes} points of votes; proposing needs {threshold}")
    for idea_id in proposal.ideas:
        state = idea_state_name(board, idea_id)
        if state not in ("Qualified", "Proposed", "Rejected"):
            raise ScriptError(f"idea {idea_id} is {state}: only a Qualified idea can be proposed")

    tx = {"from": proposer}
    if proposal.multiple_choice:
        governor.proposeMultipleChoice(
            proposal.targets, proposal.values, proposal.calldatas, proposal.labels, proposal.ends,
            proposal.approval, proposal.description, tx,
        )
    else:
        governor.propose(proposal.targets, proposal.values, proposal.calldatas, proposal.description, tx)
    for idea_id in proposal.ideas:
        board.linkProposal(idea_id, proposal.targets, proposal.values, proposal.calldatas, description_hash, tx)
        print(f"linked to idea {idea_id}")
    created = find_proposal(contracts, str(proposal_id))
    print(
        f"proposal {created['number']} created: id {proposal_id}\n"
        f"  voting opens after block {created['voteStart']} and closes at block {created['voteEnd']}"
    )
    return created


def main(path: str = "", proposer: str = ""):
    """Propose the file at `path`, optionally as `proposer` (role, memberN or address)."""
    return run_main(lambda: _propose(_need(path), proposer or None))


def check(path: str = ""):
    """Read and encode the file without sending anything."""
    return run_main(lambda: _propose(_need(path), send=False))


def _need(path: str) -> str:
    if not path:
        raise ScriptError("usage: propose.py main proposals/<file>.yaml [proposer]")
    return path
