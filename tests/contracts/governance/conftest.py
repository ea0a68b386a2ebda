"""Governance fixtures: timelock (treasury), governor, idea board, voters with points, the role hand-over.

Built on the shared fixtures (deployer, issuer, ops, members, forwarder, stamps, journey). Voting runs in
blocks (delay 2, period 20) and the timelock in seconds (1 hour), so tests move with chain.mine/chain.sleep.
"""
from enum import IntEnum

import pytest
from brownie import ZERO_ADDRESS, chain, web3

from backend.chain.protocol import VoteType, multiple_choice_description
from stamp_helpers import err

VOTING_DELAY = 2  # blocks: a proposer can still link and cancel before voting opens
VOTING_PERIOD = 20  # blocks
PROPOSAL_THRESHOLD = 20  # points
QUORUM_PERCENT = 10
QUEUE_PERIOD = 30  # blocks after the deadline to queue a succeeded proposal
TIMELOCK_DELAY = 3600  # seconds

STAGE_SUPPORTERS = [2, 3]
STAGE_DURATIONS = [7 * 86400, 14 * 86400]
CREATOR_SHARE_BPS = 100
MIN_POINTS = 1

COCREATOR_JOURNEY = 90
COCREATOR_STAMP = 900
COCREATOR_POINTS = 50

# Voting journey 2: soulbound stamps whose points give the members below 80, 50, 30, 20 and 19 points.
POINTS_JOURNEY = 2
POINTS_STAMPS = {201: 10, 202: 20, 203: 30, 204: 50, 205: 9, 206: 1}
HOLDINGS = [(204, 203), (204,), (203,), (202,), (201, 205)]
VOTER_POINTS = [80, 50, 30, 20, 19]



def ints(values) -> list[int]:
    """A Brownie return value (list or tuple of Wei) as plain ints, to compare with a list."""
    return [int(v) for v in values]


def state_bitmap(*states) -> bytes:
    """The bytes32 bitmap OpenZeppelin's governor and timelock put in their state errors: bit n set for state n."""
    return sum(1 << int(state) for state in states).to_bytes(32, "big")


def unexpected_state(proposal_id, current, *expected) -> str:
    """GovernorUnexpectedProposalState as Brownie decodes it: the proposal in state `current`, where the call needed
    one of `expected`."""
    return err("GovernorUnexpectedProposalState", proposal_id, int(current), state_bitmap(*expected))


class OperationState(IntEnum):
    """OZ TimelockController.OperationState, the states a timelock operation's error names."""

    UNSET = 0
    WAITING = 1
    READY = 2
    DONE = 3


def unexpected_operation_state(operation_id, *expected) -> str:
    """TimelockUnexpectedOperationState as Brownie decodes it: operation `operation_id` (bytes32) is in none of
    `expected`."""
    return err("TimelockUnexpectedOperationState", bytes(operation_id), state_bitmap(*expected))


@pytest.fixture(scope="module")
def timelock(OdysseyTimelock, deployer):
    return OdysseyTimelock.deploy(TIMELOCK_DELAY, [], [ZERO_ADDRESS], deployer, {"from": deployer})


@pytest.fixture(scope="module")
def voters(stamps, journey, ops, members):
    """Members 0-4 hold 80, 50, 30, 20 and 19 points: 199 in all, so the 10% quorum is 19 points."""
    stamps.createJourney(POINTS_JOURNEY, "Community Voice", "ipfs://journey-2", 0, 0, {"from": ops})
    for stamp_id, points in POINTS_STAMPS.items():
        stamps.createStampType(stamp_id, POINTS_JOURNEY, f"Voice {points}", points, True, 0, {"from": ops})
    for member, held in zip(members, HOLDINGS):
        for stamp_id in held:
            stamps.airdrop(stamp_id, [member], {"from": ops})
    chain.mine()
    return list(members)


@pytest.fixture(scope="module")
def governor(OdysseyGovernor, stamps, timelock, voters, deployer):
    gov = OdysseyGovernor.deploy(
        stamps, timelock, VOTING_DELAY, VOTING_PERIOD, PROPOSAL_THRESHOLD, QUORUM_PERCENT, QUEUE_PERIOD,
        {"from": deployer},
    )
    return gov


@pytest.fixture(scope="module")
def board(IdeaBoard, stamps, shop, governor, timelock, forwarder, ops, deployer):
    stamps.createJourney(COCREATOR_JOURNEY, "Co-creators", "ipfs://co-creators", 0, 0, {"from": ops})
    stamps.createStampType(COCREATOR_STAMP, COCREATOR_JOURNEY, "Co-creator", COCREATOR_POINTS, True, 0, {"from": ops})
    return IdeaBoard.deploy(
        stamps, shop, governor, timelock, forwarder, STAGE_SUPPORTERS, STAGE_DURATIONS, COCREATOR_STAMP,
        CREATOR_SHARE_BPS, MIN_POINTS, {"from": deployer},
    )


@pytest.fixture(scope="module")
def guardian(accounts):
    return accounts[9]


@pytest.fixture(scope="module")
def dao(stamps, shop, benefits, timelock, governor, board, guardian, deployer, ops):
    """The hand-over, as scripts/deploy.py does it: the timelock owns stamps, shop, benefits and the board, is
    the treasury, and the governor is its only proposer; the guardian may pause issuance and cancel queued
    operations; the deployer keeps nothing."""
    tx = {"from": deployer}
    for role in (timelock.PROPOSER_ROLE(), timelock.CANCELLER_ROLE()):
        timelock.grantRole(role, governor, tx)
    stamps.setTreasury(timelock, tx)
    stamps.grantRole(stamps.MINTER_ROLE(), board, tx)
    shop.grantRole(shop.CREATOR_SHARE_ROLE(), board, tx)
    for role in (stamps.DEFAULT_ADMIN_ROLE(), stamps.JOURNEY_MANAGER_ROLE(), stamps.PAUSER_ROLE()):
        stamps.grantRole(role, timelock, tx)
    for role in (shop.DEFAULT_ADMIN_ROLE(), shop.SHOP_MANAGER_ROLE(), shop.CREATOR_SHARE_ROLE()):
        shop.grantRole(role, timelock, tx)
    for role in (benefits.DEFAULT_ADMIN_ROLE(), benefits.BENEFIT_MANAGER_ROLE()):
        benefits.grantRole(role, timelock, tx)
    stamps.grantRole(stamps.PAUSER_ROLE(), guardian, tx)
    timelock.grantRole(timelock.CANCELLER_ROLE(), guardian, tx)
    for role in (stamps.JOURNEY_MANAGER_ROLE(), stamps.ISSUER_ROLE(), stamps.PAUSER_ROLE(), stamps.DEFAULT_ADMIN_ROLE()):
        stamps.renounceRole(role, deployer, tx)
    for role in (shop.SHOP_MANAGER_ROLE(), shop.CREATOR_SHARE_ROLE(), shop.DEFAULT_ADMIN_ROLE()):
        shop.renounceRole(role, deployer, tx)
    for role in (benefits.BENEFIT_MANAGER_ROLE(), benefits.DEFAULT_ADMIN_ROLE()):
        benefits.renounceRole(role, deployer, tx)
    timelock.renounceRole(timelock.DEFAULT_ADMIN_ROLE(), deployer, tx)
    chain.mine()
    return governor


class Proposal:
    """A proposal's arguments and id, with the lifecycle steps a test walks through."""

    def __init__(self, governor, targets, values, calldatas, description, tx):
        self.governor = governor
        self.targets, self.values, self.calldatas, self.description = targets, values, calldatas, description
        self.description_hash = web3.keccak(text=description)
        self.tx = tx
        self.id = tx.return_value

    @property
    def args(self):
        return (self.targets, self.values, self.calldatas, self.description_hash)

    @property
    def state(self):
        return self.governor.state(self.id)

    def open_voting(self):
        """Mine past the snapshot block: calls (at the latest block) and transactions see the vote Active."""
        snapshot = self.governor.proposalSnapshot(self.id)
        if chain.height <= snapshot:
            chain.mine(snapshot - chain.height + 1)

    def close_voting(self):
        """Mine past the deadline block."""
        deadline = self.governor.proposalDeadline(self.id)
        if chain.height <= deadline:
            chain.mine(deadline - chain.height + 1)

    def queue(self, sender):
        return self.governor.queue(*self.args, {"from": sender})

    def wait_timelock(self):
        chain.sleep(TIMELOCK_DELAY + 1)
        chain.mine()

    def execute(self, sender, value=0):
        return self.governor.execute(*self.args, {"from": sender, "value": value})

    def cancel(self, sender):
        return self.governor.cancel(*self.args, {"from": sender})


@pytest.fixture
def propose(dao):
    """propose(actions, description, proposer) with actions as (contract, function name, args) or (address, value)."""

    def make(actions, description, proposer, options=None, approval=False):
        targets, values, calldatas = encode_actions(actions)
        if options is None:
            tx = dao.propose(targets, values, calldatas, description, {"from": proposer})
        else:
            labels = [label for label, _ in options]
            ends, end = [], 0
            for _, count in options:
                end += count
                ends.append(end)
            tx = dao.proposeMultipleChoice(
                targets, values, calldatas, labels, ends, approval, description, {"from": proposer}
            )
            description = multiple_choice_description(description, labels, ends, approval)
        return Proposal(dao, targets, values, calldatas, description, tx)

    return make


def encode_actions(actions):
    targets, values, calldatas = [], [], []
    for action in actions:
        if len(action) == 2:  # (recipient, wei): a plain transfer from the treasury
            recipient, wei = action
            targets.append(str(recipient))
            values.append(wei)
            calldatas.append("0x")
        else:
            contract, name, args = action
            targets.append(contract.address)
            values.append(0)
            calldatas.append(getattr(contract, name).encode_input(*args))
    return targets, values, calldatas


@pytest.fixture
def passed(propose, voters):
    """Propose, have the two biggest holders vote For, and close the vote: a Succeeded proposal."""

    def make(actions, description):
        proposal = propose(actions, description, voters[0])
        proposal.open_voting()
        for voter in voters[:2]:
            proposal.governor.castVote(proposal.id, VoteType.FOR, {"from": voter})
        proposal.close_voting()
        return proposal

    return make


@pytest.fixture
def enact(passed, ops):
    """Run actions through the whole governance path: propose, vote, queue, wait, execute."""

    def run(actions, description):
        proposal = passed(actions, description)
        proposal.queue(ops)
        proposal.wait_timelock()
        proposal.execute(ops)
        return proposal

    return run
