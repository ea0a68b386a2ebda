"""Proposals on the real OdysseyGovernor of the test deployment (web3.py only, no Brownie), for the relay and CLI
tests. The local governance profile of scripts/deploy.py: voting delay 1 block, period 20 blocks, threshold 10
points; the stamps contract's clock is the block number, so tests move with `evm_mine`."""
import json
from pathlib import Path

from web3.logs import DISCARD

from backend.chain.protocol import ProposalState
from backend.dev.keys import local_account
from tests.support.web import send, voucher_for

PROPOSER = local_account(7)  # a funded Ganache account that the deployment gives no role
GOVERNANCE_CONTRACTS = ("OdysseyGovernor", "OdysseyTimelock", "IdeaBoard")


def without_governance(deployments_file: Path, folder: Path) -> Path:
    """A copy of the deployments file in `folder` with the governance entries dropped, as one written before
    governance was deployed."""
    deployment = json.loads(deployments_file.read_text())
    for name in GOVERNANCE_CONTRACTS:
        del deployment["contracts"][name]
    path = folder / deployments_file.name
    path.write_text(json.dumps(deployment))
    return path


def mine(w3, blocks: int = 1) -> None:
    for _ in range(blocks):
        w3.provider.make_request("evm_mine", [])


def give_proposer_points(w3, stamps, stamp_id: int) -> None:
    """PROPOSER claims `stamp_id` itself (paying gas) unless it holds it: enough points for the threshold from the
    next block on."""
    if stamps.functions.balanceOf(PROPOSER.address, stamp_id).call() == 0:
        send(w3, stamps.functions.claim(*voucher_for(stamps, PROPOSER.address, stamp_id).claim_args()), PROPOSER)


def propose(w3, governor, stamps, description: str, labels: list[str] | None = None, approval: bool = False) -> int:
    """An Active proposal by PROPOSER whose actions are harmless reads of the stamps contract: an ordinary one, or
    a multiple-choice one with one action per label. Mines past the snapshot so votes count the points held now."""
    count = len(labels) if labels else 1
    targets, values, calldatas = [stamps.address] * count, [0] * count, [stamps.encode_abi("memberCount", args=[])] * count
    if labels:
        fn = governor.functions.proposeMultipleChoice(
            targets, values, calldatas, labels, list(range(1, count + 1)), approval, description
        )
    else:
        fn = governor.functions.propose(targets, values, calldatas, description)
    receipt = send(w3, fn, PROPOSER)
    proposal_id = governor.events.ProposalCreated().process_receipt(receipt, errors=DISCARD)[0].args.proposalId
    mine(w3, governor.functions.proposalSnapshot(proposal_id).call() - w3.eth.block_number + 1)
    assert governor.functions.state(proposal_id).call() == ProposalState.ACTIVE
    return proposal_id
