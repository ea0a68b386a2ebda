"""Audit finding t1, replayed: a stolen ops key and a stolen issuer key try to mint a supermajority and pass a
proposal that makes the attacker admin and empties the treasury, against every member voting No.

The DAO bounds them (OdysseyStamps.setIssuanceBounds): no stamp type above 50 points, and a budget of 10 % of
all points a week that every minted point draws from. The members here hold 199 points.
"""
import re

import brownie
import pytest
from brownie import accounts, chain

from backend.chain.protocol import ProposalState, VoteType

from .conftest import TIMELOCK_DELAY, VOTER_POINTS, unexpected_state

CAP, BPS, FLOOR, PERIOD = 50, 1_000, 0, 7 * 86400
ATTEMPTS = 5  # stamp types of one size the keys try (more than the 199 points' budget could ever allow)
TAKEOVER_JOURNEY = 66


@pytest.fixture(scope="module", autouse=True)
def bounded(stamps, voters, deployer):
    """The DAO's bounds, set before the hand-over (the members' 199 points exist already)."""
    stamps.setIssuanceBounds(CAP, BPS, FLOOR, PERIOD, {"from": deployer})


@pytest.fixture
def attacker(deployer):
    account = accounts.add()
    deployer.transfer(account, "1 ether")
    return account


def _budget_refusal(error, points: int) -> bool:
    """Whether `error` refuses a mint of `points` points for want of budget: the points asked, and the fewer it had."""
    refused = re.fullmatch(rf"OdysseyIssuanceBudgetExceeded: {points}, (\d+)", error.revert_msg or "")
    return refused is not None and int(refused.group(1)) < points


class StolenKeys:
    """What the holder of the ops and issuer keys can do: create stamp types and mint them to one address."""

    def __init__(self, stamps, ops, voucher, relayer, attacker):
        self.stamps, self.ops, self.voucher, self.relayer, self.attacker = stamps, ops, voucher, relayer, attacker
        self.next_id = 66_000
        self.nonce = 660_000

    def new_type(self, points) -> int:
        self.next_id += 1
        self.stamps.createStampType(self.next_id, TAKEOVER_JOURNEY, "Whale", points, False, 0, {"from": self.ops})
        return self.next_id

    def mint_all_they_can(self) -> int:
        """Airdrops of the largest types first, then vouchers of smaller ones, until the budget refuses each size
        (at most ATTEMPTS of a size: without a bound they would go on forever)."""
        before = self.stamps.pointsOf(self.attacker)
        for points in (CAP, 25, 10, 5, 2, 1):
            for _ in range(ATTEMPTS):
                stamp_id = self.new_type(points)
                try:
                    if points >= 10:
                        self.stamps.airdrop(stamp_id, [self.attacker], {"from": self.ops})
                    else:
                        self.nonce += 1
                        v = self.voucher(self.attacker, stamp_id, self.nonce)
                        self.stamps.claim(*v.claim_args(), {"from": self.relayer})
                except brownie.exceptions.VirtualMachineError as error:
                    assert _budget_refusal(error, points), error.revert_msg
                    break
        return self.stamps.pointsOf(self.attacker) - before


def test_the_ops_key_cannot_create_a_stamp_worth_billions(stamps, dao, ops):
    stamps.createJourney(TAKEOVER_JOURNEY, "Takeover", "", 0, 0, {"from": ops})
    with brownie.reverts(f"OdysseyPointsAboveCap: {2**32 - 1}, {CAP}"):
        stamps.createStampType(66_000, TAKEOVER_JOURNEY, "Whale", 2**32 - 1, False, 0, {"from": ops})


def test_stolen_ops_and_issuer_keys_cannot_outvote_the_members(
    stamps, timelock, dao, voters, ops, voucher, relayer, attacker, deployer
):
    deployer.transfer(timelock, "1 ether")  # the treasury the attacker is after
    keys = StolenKeys(stamps, ops, voucher, relayer, attacker)
    stamps.createJourney(TAKEOVER_JOURNEY, "Takeover", "", 0, 0, {"from": ops})

    # At once: at most one budget, 10 % of the 199 points.
    gained = keys.mint_all_they_can()
    assert 0 < gained <= sum(VOTER_POINTS) * BPS // 10_000
    # A week later (one more budget, 10 % of what exists then), enough to reach the proposal threshold.
    chain.sleep(PERIOD)
    chain.mine()
    gained += keys.mint_all_they_can()
    total = sum(VOTER_POINTS) + gained
    assert gained <= 2 * total * BPS // 10_000
    chain.mine()

    # The takeover proposal: make the attacker admin of the stamps contract and send it the treasury.
    targets = [stamps.address, attacker.address]
    values = [0, timelock.balance()]
    calldatas = [stamps.grantRole.encode_input(stamps.DEFAULT_ADMIN_ROLE(), attacker), "0x"]
    proposal_id = dao.propose(targets, values, calldatas, "# Routine maintenance", {"from": attacker}).return_value
    chain.mine(dao.proposalSnapshot(proposal_id) - chain.height + 1)
    dao.castVote(proposal_id, VoteType.FOR, {"from": attacker})
    for voter in voters:
        dao.castVote(proposal_id, VoteType.AGAINST, {"from": voter})
    chain.mine(dao.proposalDeadline(proposal_id) - chain.height + 1)

    against, for_votes, _ = dao.proposalVotes(proposal_id)
    assert (for_votes, against) == (gained, sum(VOTER_POINTS))
    assert dao.state(proposal_id) == ProposalState.DEFEATED
    with brownie.reverts(unexpected_state(proposal_id, ProposalState.DEFEATED, ProposalState.SUCCEEDED)):
        dao.queue(targets, values, calldatas, brownie.web3.keccak(text="# Routine maintenance"), {"from": attacker})
    chain.sleep(TIMELOCK_DELAY + 1)
    assert not stamps.hasRole(stamps.DEFAULT_ADMIN_ROLE(), attacker)
    assert timelock.balance() == values[1]
