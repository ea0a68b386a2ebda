"""Gas of the governance operations, next to OZ's plain Governor wiring (test-only BaselineGovernor: Settings,
CountingSimple, Votes, QuorumFraction, TimelockControl) on the same points token, compiled in the same run.

    brownie run scripts/gas_governance.py --network odyssey-test

`rows()` returns (operation, gas used, note) tuples for the overall gas report (scripts/gas_report.py). It deploys
a fresh system of its own on the connected local chain (nothing is written to deployments/).
"""
from brownie import ZERO_ADDRESS, BaselineGovernor, IdeaBoard, OdysseyForwarder, OdysseyGovernor, OdysseyShop
from brownie import OdysseyStamps, OdysseyTimelock, accounts, chain, web3
from eth_abi import encode
from eth_account import Account
from eth_account.messages import encode_typed_data

from backend.dev.keys import local_account
from backend.chain.protocol import BALLOT_TYPES, domain_from_eip712, multiple_choice_description
from scripts.lib.common import ScriptError, is_local, run_main

VOTING_DELAY, VOTING_PERIOD, THRESHOLD, QUORUM, QUEUE_PERIOD, TIMELOCK_DELAY = 1, 10, 10, 10, 100, 60
MEMBER_INDEXES = range(4, 9)


def _sign_ballot(governor, proposal_id: int, support: int, index: int) -> tuple[str, str]:
    voter = local_account(index)
    domain = domain_from_eip712(governor.eip712Domain())
    message = {"proposalId": proposal_id, "support": support, "voter": voter.address, "nonce": governor.nonces(voter.address)}
    signable = encode_typed_data(domain_data=domain, message_types=BALLOT_TYPES, message_data=message)
    return voter.address, "0x" + bytes(Account.sign_message(signable, voter.key).signature).hex()


def _system():
    deployer, ops = accounts[0], accounts[2]
    tx = {"from": deployer}
    forwarder = OdysseyForwarder.deploy(tx)
    timelock = OdysseyTimelock.deploy(TIMELOCK_DELAY, [], [ZERO_ADDRESS], deployer, tx)
    stamps = OdysseyStamps.deploy("ipfs://{id}", deployer, timelock, 500, forwarder, tx)
    stamps.setIssuanceBounds(100, 1_000, 10_000, 86400, tx)
    stamps.grantRole(stamps.JOURNEY_MANAGER_ROLE(), ops, tx)
    shop = OdysseyShop.deploy(stamps, deployer, forwarder, tx)
    governor = OdysseyGovernor.deploy(stamps, timelock, VOTING_DELAY, VOTING_PERIOD, THRESHOLD, QUORUM, QUEUE_PERIOD, tx)
    base_timelock = OdysseyTimelock.deploy(TIMELOCK_DELAY, [], [ZERO_ADDRESS], deployer, tx)
    baseline = BaselineGovernor.deploy(stamps, base_timelock, VOTING_DELAY, VOTING_PERIOD, THRESHOLD, QUORUM, tx)
    for lock, gov in ((timelock, governor), (base_timelock, baseline)):
        lock.grantRole(lock.PROPOSER_ROLE(), gov, tx)
    stamps.createJourney(1, "Gas", "", 0, 0, {"from": ops})
    stamps.createStampType(11, 1, "Voice", 30, True, 0, {"from": ops})
    stamps.createJourney(900, "Co-creators", "", 0, 0, {"from": ops})
    stamps.createStampType(90001, 900, "Co-creator", 50, True, 0, {"from": ops})
    board = IdeaBoard.deploy(stamps, shop, governor, timelock, forwarder, [2, 3], [7 * 86400, 30 * 86400], 90001, 100, 1, tx)
    stamps.grantRole(stamps.MINTER_ROLE(), board, tx)
    stamps.grantRole(stamps.DEFAULT_ADMIN_ROLE(), timelock, tx)
    members = [accounts[i] for i in MEMBER_INDEXES]
    stamps.airdrop(11, members, {"from": ops})
    chain.mine()
    return stamps, governor, baseline, board, members


def _lifecycle(governor, stamps, members, label: str, description: str) -> list[tuple[str, int, str]]:
    """propose, castVote, castVoteWithReason, castVoteBySig, queue, execute on one harmless action."""
    targets, values, calldatas = [stamps.address], [0], [stamps.levelOf.encode_input(members[0])]
    rows = []
    tx = governor.propose(targets, values, calldatas, description, {"from": members[0]})
    proposal_id = tx.return_value
    rows.append((f"propose ({label})", tx.gas_used, "one action, 'description' of ~30 bytes"))
    chain.mine(VOTING_DELAY + 1)
    tx = governor.castVote(proposal_id, 1, {"from": members[0]})
    rows.append((f"castVote ({label})", tx.gas_used, "first vote on the proposal"))
    tx = governor.castVote(proposal_id, 1, {"from": members[1]})
    rows.append((f"castVote, later voter ({label})", tx.gas_used, "the tally is already non-zero"))
    tx = governor.castVoteWithReason(proposal_id, 0, "not convinced", {"from": members[2]})
    rows.append((f"castVoteWithReason ({label})", tx.gas_used, "13-byte reason"))
    voter, signature = _sign_ballot(governor, proposal_id, 1, MEMBER_INDEXES[3])
    tx = governor.castVoteBySig(proposal_id, 1, voter, signature, {"from": accounts[3]})
    rows.append((f"castVoteBySig ({label})", tx.gas_used, "EIP-712 ballot, sent by a relayer"))
    chain.mine(VOTING_PERIOD + 1)
    args = (targets, values, calldatas, web3.keccak(text=description))
    tx = governor.queue(*args, {"from": accounts[3]})
    rows.append((f"queue ({label})", tx.gas_used, "schedules one call in the timelock"))
    chain.sleep(TIMELOCK_DELAY + 1)
    chain.mine()
    tx = governor.execute(*args, {"from": accounts[3]})
    rows.append((f"execute ({label})", tx.gas_used, "one call through the timelock"))
    return rows


def _multiple_choice(governor, stamps, members) -> list[tuple[str, int, str]]:
    calldata = stamps.levelOf.encode_input(members[0])
    targets, values, calldatas = [stamps.address] * 3, [0] * 3, [calldata] * 3
    labels, ends = ["A", "B", "C"], [1, 2, 3]
    tx = governor.proposeMultipleChoice(
        targets, values, calldatas, labels, ends, True, "# Gas: which option?", {"from": members[0]}
    )
    description = multiple_choice_description("# Gas: which option?", labels, ends, True)
    proposal_id = tx.return_value
    rows = [("proposeMultipleChoice (Odyssey)", tx.gas_used, "3 options of one action each, approval allowed")]
    chain.mine(VOTING_DELAY + 1)
    tx = governor.castVote(proposal_id, 1, {"from": members[0]})
    rows.append(("castVote, multiple choice (Odyssey)", tx.gas_used, "full weight on option 1"))
    tx = governor.castVoteWithReasonAndParams(
        proposal_id, 255, "", encode(["uint256"], [0b011]), {"from": members[1]}
    )
    rows.append(("castVote, approval of 2 options (Odyssey)", tx.gas_used, "params = abi.encode(bitmap 0b011)"))
    chain.mine(VOTING_PERIOD + 1)
    args = (targets, values, calldatas, web3.keccak(text=description))
    tx = governor.queue(*args, {"from": accounts[3]})
    rows.append(("queue, multiple choice (Odyssey)", tx.gas_used, "winning option's slice only"))
    chain.sleep(TIMELOCK_DELAY + 1)
    chain.mine()
    tx = governor.execute(*args, {"from": accounts[3]})
    rows.append(("execute, multiple choice (Odyssey)", tx.gas_used, "winning option's slice only"))
    return rows


def _ideas(board, members) -> list[tuple[str, int, str]]:
    tx = board.submit("Latte art journey", "ipfs://odyssey/ideas/latte-art", "0x" + "1a" * 32, {"from": members[4]})
    idea_id = tx.return_value
    rows = [("idea submit", tx.gas_used, "17-byte title, 31-byte URI, content hash")]
    tx = board.support(idea_id, {"from": members[0]})
    rows.append(("idea support", tx.gas_used, "first supporter, no stage reached"))
    tx = board.withdrawSupport(idea_id, {"from": members[0]})
    rows.append(("idea withdraw support", tx.gas_used, ""))
    board.support(idea_id, {"from": members[0]})
    tx = board.support(idea_id, {"from": members[1]})
    rows.append(("idea support reaching a stage", tx.gas_used, "stage 1 of 2: new deadline"))
    tx = board.support(idea_id, {"from": members[2]})
    rows.append(("idea support qualifying it", tx.gas_used, "last stage: IdeaQualified"))
    return rows


def rows() -> list[tuple[str, int, str]]:
    """(operation, gas used, note) for the governance operations, baseline rows included."""
    if not is_local():
        raise ScriptError("the gas report deploys its own contracts: run it on a local chain")
    stamps, governor, baseline, board, members = _system()
    measured = _lifecycle(baseline, stamps, members, "OZ baseline", "# Gas: baseline")
    measured += _lifecycle(governor, stamps, members, "Odyssey", "# Gas: odyssey")
    measured += _multiple_choice(governor, stamps, members)
    measured += _ideas(board, members)
    return measured


def print_rows(table: list[tuple[str, int, str]]) -> list[tuple[str, int, str]]:
    """Print (operation, gas, note) rows as aligned columns; returns them."""
    width = max(len(op) for op, _, _ in table)
    for operation, gas, note in table:
        print(f"{operation:<{width}}  {gas:>8,}  {note}")
    return table


def main():
    return run_main(lambda: print_rows(rows()))
