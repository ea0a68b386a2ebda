"""Vote on a DAO proposal.

    brownie run scripts/vote.py main <proposal> <choice> [voter] [reason] --network odyssey-local
    brownie run scripts/vote.py advance <proposal> <choice> [voter] [reason] --network odyssey-local  # local: mine to the vote first

<proposal> is its number (dao_status), full id or `latest`. <choice> is for / against / abstain on an ordinary
proposal; on a multiple-choice one an option's number or label, or several joined with `+` ("0+2") for an
approval vote where the proposal allows it. The voter is a role, memberN (local chain) or an address.
"""
from eth_abi import encode

from backend.chain.protocol import APPROVAL_VOTE, VoteType
from scripts.lib.common import ScriptError, run_main
from scripts.lib.governance import actor, governed_proposal


def parse_choice(proposal: dict, choice: str) -> tuple[int, bytes]:
    """(support, params) for `choice` on `proposal`."""
    choice = str(choice).strip()
    options = proposal["options"]
    if options is None:
        if choice.lower() not in VoteType.labels():
            raise ScriptError(f"choice {choice!r}: vote for, against or abstain")
        return VoteType[choice.upper()], b""
    labels = options["labels"]

    def option_index(word: str) -> int:
        word = word.strip()
        if word.isdigit() and int(word) < len(labels):
            return int(word)
        matches = [i for i, label in enumerate(labels) if label.lower() == word.lower()]
        if not matches:
            listed = ", ".join(f"{i}={label}" for i, label in enumerate(labels))
            raise ScriptError(f"choice {word!r} is not an option of this proposal ({listed})")
        return matches[0]

    picked = sorted({option_index(word) for word in choice.split("+")})
    if len(picked) == 1 and "+" not in choice:
        return picked[0], b""
    if not options["approval"]:
        raise ScriptError("this multiple-choice proposal takes one option per voter (no approval voting)")
    return APPROVAL_VOTE, encode(["uint256"], [sum(1 << i for i in picked)])


def _vote(ref: str, choice: str, voter_name: str | None, reason: str, advance: bool):
    governor, proposal, state = governed_proposal(ref, mine_past="voteStart" if advance else None)
    if state != "Active":
        hint = " (use `advance` on the local chain to mine to the vote)" if state == "Pending" else ""
        raise ScriptError(f"proposal {proposal['number']} is {state}, not open for votes{hint}")
    voter = actor(voter_name)
    if governor.hasVoted(proposal["id"], voter):
        raise ScriptError(f"{voter.address} has already voted on proposal {proposal['number']}")
    support, params = parse_choice(proposal, choice)
    tx = {"from": voter}
    if params:
        receipt = governor.castVoteWithReasonAndParams(proposal["id"], support, reason, params, tx)
    elif reason:
        receipt = governor.castVoteWithReason(proposal["id"], support, reason, tx)
    else:
        receipt = governor.castVote(proposal["id"], support, tx)
    print(f"{voter.address} voted {choice!r} on proposal {proposal['number']} with {receipt.return_value} points")
    return receipt


def main(ref: str = "latest", choice: str = "", voter: str = "", reason: str = ""):
    """Vote `choice` on proposal `ref` as `voter`."""
    return run_main(lambda: _vote(ref, _need(choice), voter or None, reason, advance=False))


def advance(ref: str = "latest", choice: str = "", voter: str = "", reason: str = ""):
    """Local chain: mine past the voting delay, then vote."""
    return run_main(lambda: _vote(ref, _need(choice), voter or None, reason, advance=True))


def _need(choice: str) -> str:
    if not choice:
        raise ScriptError("usage: vote.py main <proposal> <choice> [voter] [reason]")
    return choice
