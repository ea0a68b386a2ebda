"""Execute a queued DAO proposal once the timelock delay has passed (anyone may).

    brownie run scripts/execute.py main <proposal> --network odyssey-local
    brownie run scripts/execute.py advance <proposal> --network odyssey-local   # local: sleep past the delay first
"""
import time

from brownie import chain

from scripts.lib.common import ScriptError, run_main
from scripts.lib.governance import actor, governed_proposal, proposal_args, require_local, sleep_past


def _execute(ref: str, sender: str | None, advance: bool):
    governor, proposal, state = governed_proposal(ref)
    if state != "Queued":
        raise ScriptError(f"proposal {proposal['number']} is {state}: only a Queued proposal can be executed")
    eta = governor.proposalEta(proposal["id"])
    if advance:
        require_local("advance")
        sleep_past(eta)
    now = chain[-1].timestamp
    if now < eta:
        raise ScriptError(
            f"proposal {proposal['number']} is executable at {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime(eta))} "
            f"({eta - now} s from the last block)"
        )
    governor.execute(*proposal_args(proposal), {"from": actor(sender, default="ops")})
    print(f"proposal {proposal['number']} executed")
    return proposal


def main(ref: str = "latest", sender: str = ""):
    """Execute proposal `ref`."""
    return run_main(lambda: _execute(ref, sender or None, advance=False))


def advance(ref: str = "latest", sender: str = ""):
    """Local chain: move time past the timelock delay, then execute."""
    return run_main(lambda: _execute(ref, sender or None, advance=True))
