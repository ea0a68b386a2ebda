"""Shared by the governance scripts (propose, vote, queue, execute, dao_status, dao_demo).

Proposals are found from the governor's own events (ProposalCreated, MultipleChoiceProposalCreated) since the
deployment's start block, so nothing is kept on the side: any machine with the deployments file can queue or
execute a proposal someone else made. A proposal is named on the command line by its number in creation order
(1, 2, ... as dao_status shows), by its full id, or as `latest`.

On the local chain, members are Ganache's accounts 4.. ("member1" is account 4), and the `advance` functions of
vote/queue/execute move blocks and time past the voting delay, deadline or timelock delay.
"""
import re

from brownie import accounts, chain, web3

from backend.chain.protocol import IdeaState, ProposalState, proposal_title, without_options_tag
from backend.dev.keys import FIRST_MEMBER
from scripts.lib.common import ScriptError, account_for, contract, is_local, load_deployment


def dao(deployment: dict | None = None) -> dict:
    """The deployed contracts, by short name."""
    deployment = deployment or load_deployment()
    if deployment.contract("OdysseyGovernor") is None:
        raise ScriptError("this deployment has no governor: deploy again (scripts/deploy.py fresh)")
    return {
        "deployment": deployment,
        "stamps": contract("OdysseyStamps", deployment),
        "shop": contract("OdysseyShop", deployment),
        "benefits": contract("OdysseyBenefits", deployment),
        "timelock": contract("OdysseyTimelock", deployment),
        "governor": contract("OdysseyGovernor", deployment),
        "board": contract("IdeaBoard", deployment),
    }


def actor(name: str | None, default: str = "member1"):
    """An account by role (deployer, issuer, ops, relayer, proposer...), `memberN` on the local chain, or an
    address (unlocked on the local chain)."""
    name = (name or default).strip()
    match = re.fullmatch(r"member(\d+)", name)
    if match:
        if not is_local():
            raise ScriptError(f"{name!r} names a local test account: on this network use a role with a keystore")
        index = FIRST_MEMBER + int(match.group(1)) - 1
        if int(match.group(1)) < 1 or index >= len(accounts):
            raise ScriptError(f"no local account for {name!r} (member1..member{len(accounts) - FIRST_MEMBER})")
        return accounts[index]
    if re.fullmatch(r"0x[0-9a-fA-F]{40}", name):
        if not is_local():
            raise ScriptError("an address can sign only on the local chain: use a role with a keystore")
        return accounts.at(web3.to_checksum_address(name), force=True)
    return account_for(name)


def _w3_contract(brownie_contract):
    return web3.eth.contract(address=brownie_contract.address, abi=brownie_contract.abi)


def proposals(contracts: dict) -> list[dict]:
    """Every proposal of the governor, in creation order, with what queue/execute need and its options."""
    governor = contracts["governor"]
    start = contracts["deployment"].start_block
    client = _w3_contract(governor)
    options = {}
    for log in client.events.MultipleChoiceProposalCreated().get_logs(from_block=start):
        args = log["args"]
        options[args["proposalId"]] = {
            "labels": list(args["labels"]),
            "ends": list(args["optionEnds"]),
            "approval": args["approval"],
        }
    found = []
    for number, log in enumerate(client.events.ProposalCreated().get_logs(from_block=start), start=1):
        args = log["args"]
        description = args["description"]
        found.append(
            {
                "number": number,
                "id": args["proposalId"],
                "proposer": args["proposer"],
                "targets": list(args["targets"]),
                "values": list(args["values"]),
                "calldatas": ["0x" + bytes(c).hex() for c in args["calldatas"]],
                "description": without_options_tag(description),
                "descriptionHash": web3.keccak(text=description),
                "title": proposal_title(description) or "(untitled)",
                "voteStart": args["voteStart"],
                "voteEnd": args["voteEnd"],
                "block": log["blockNumber"],
                "options": options.get(args["proposalId"]),
            }
        )
    return found


def find_proposal(contracts: dict, ref: str) -> dict:
    """The proposal named `ref`: its number (1, 2, ...), its full id, or `latest`."""
    every = proposals(contracts)
    if not every:
        raise ScriptError("no proposal on this chain yet (scripts/propose.py)")
    ref = str(ref).strip()
    if ref == "latest":
        return every[-1]
    if not ref.isdigit():
        raise ScriptError(f"proposal {ref!r}: give its number (1..{len(every)}), its full id, or 'latest'")
    value = int(ref)
    for proposal in every:
        if proposal["number"] == value or proposal["id"] == value:
            return proposal
    raise ScriptError(f"no proposal {ref} (there are {len(every)}; dao_status lists them)")


def proposal_args(proposal: dict) -> tuple:
    return (proposal["targets"], proposal["values"], proposal["calldatas"], proposal["descriptionHash"])


def state_name(governor, proposal_id: int) -> str:
    """The governor's state of a proposal, as a word ("Active")."""
    return ProposalState(governor.state(proposal_id)).label.capitalize()


def idea_state_name(board, idea_id: int) -> str:
    """The board's state of an idea, as a word ("Qualified")."""
    return IdeaState(board.ideaState(idea_id)).label.capitalize()


def governed_proposal(ref: str, mine_past: str | None = None) -> tuple:
    """(governor, proposal `ref`, its state name). `mine_past` (local chain only): a block field of the proposal
    ("voteStart", "voteEnd") to mine past first, as the scripts' `advance` entry points do."""
    contracts = dao()
    governor = contracts["governor"]
    proposal = find_proposal(contracts, ref)
    if mine_past:
        require_local("advance")
        mine_past_block(proposal[mine_past])
    return governor, proposal, state_name(governor, proposal["id"])


def require_local(what: str) -> None:
    if not is_local():
        raise ScriptError(f"{what} moves time and blocks: only on the local chain")


def mine_past_block(block: int) -> None:
    """Local chain: mine until the latest block is past `block` (calls and transactions both see it passed)."""
    if chain.height <= block:
        chain.mine(block - chain.height + 1)


def sleep_past(timestamp: int) -> None:
    """Local chain: move time past `timestamp` and mine a block."""
    now = chain[-1].timestamp
    if now <= timestamp:
        chain.sleep(timestamp - now + 1)
    chain.mine()
