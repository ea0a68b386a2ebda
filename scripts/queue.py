"""Queue a succeeded DAO proposal in the timelock (anyone may).

    brownie run scripts/queue.py main <proposal> --network odyssey-local
    brownie run scripts/queue.py advance <proposal> --network odyssey-local   # local: mine past the deadline first
"""
from scripts.lib.common import ScriptError, run_main
from scripts.lib.governance import actor, governed_proposal, proposal_args


def _queue(ref: str, sender: str | None, advance: bool):
    governor, proposal, state = governed_proposal(ref, mine_past="voteEnd" if advance else None)
    if state != "Succeeded":
        hint = " (use `advance` on the local chain to mine past the deadline)" if state == "Active" else ""
        raise ScriptError(f"proposal {proposal['number']} is {state}: only a Succeeded proposal can be queued{hint}")
    governor.queue(*proposal_args(proposal), {"from": actor(sender, default="ops")})
    eta = governor.proposalEta(proposal["id"])
    print(f"proposal {proposal['number']} queued: executable from timestamp {eta}")
    return eta


def main(ref: str = "latest", sender: str = ""):
    """Queue proposal `ref`."""
    return run_main(lambda: _queue(ref, sender or None, advance=False))


def advance(ref: str = "latest", sender: str = ""):
    """Local chain: mine past the voting deadline, then queue."""
    return run_main(lambda: _queue(ref, sender or None, advance=True))
