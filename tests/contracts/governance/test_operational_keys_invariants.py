"""Stateful property test: the operational keys act at random — ops create stamp types (within the cap or not)
and airdrop them, the issuer signs vouchers, both try to grant themselves roles — among members' own activity
(transfers, delegation) and time passing, on the handed-over system.

After every step, the points minted since the run began stay within the DAO's bound, at most one budget at once
and one more per period: minted × period ≤ capacity × (period + elapsed), capacity = max(floor, bps of all points
now) (points are never burned, so the capacity now is the largest there has been). At the end of every run (they
cost many calls each): the minted points the test counted from the claims equal the growth of the total votes; no
stamp type carries more points than the cap; no address but the DAO's timelock holds an admin role, and only the
shop and the board may issue stamps.
"""
import re

import brownie
import pytest
from brownie import chain
from brownie.test import strategy

from stamp_helpers import err, run_state_machine, unauthorized

CAP, BPS, FLOOR, PERIOD = 50, 1_000, 100, 86_400
JOURNEY = 77


@pytest.fixture(scope="module", autouse=True)
def bounded(stamps, voters, deployer):
    """The DAO's bounds, set before the hand-over (the members' 199 points exist already)."""
    stamps.setIssuanceBounds(CAP, BPS, FLOOR, PERIOD, {"from": deployer})


def _over_budget(error, points: int) -> None:
    """The refusal of a mint of `points` points the budget cannot cover: the points asked, and the fewer it had."""
    refused = re.fullmatch(rf"OdysseyIssuanceBudgetExceeded: {points}, (\d+)", error.revert_msg or "")
    assert refused and int(refused.group(1)) < points, error.revert_msg


class OperationalKeys:
    st_points = strategy("uint8", max_value=2 * CAP)
    st_soulbound = strategy("bool")
    st_pick = strategy("uint16")
    st_batch = strategy("uint8[]", min_length=1, max_length=4, max_value=6)
    st_who = strategy("uint8", max_value=6)
    st_other = strategy("uint8", max_value=6)
    st_hours = strategy("uint8", min_value=1, max_value=48)
    st_role = strategy("uint8", max_value=4)

    def __init__(cls, contracts, people, ops, issuer, relayer, voucher):
        cls.contracts, cls.people = contracts, people
        cls.ops, cls.issuer, cls.relayer, cls.voucher = ops, issuer, relayer, staticmethod(voucher)
        stamps = contracts["stamps"]
        stamps.createJourney(JOURNEY, "Random", "", 0, 0, {"from": ops})
        cls.watched = {str(a) for a in [*people, ops, issuer, relayer]} | {c.address for c in contracts.values()}
        cls.account_of = {str(p): p for p in people}

    def setup(self):
        stamps = self.contracts["stamps"]
        self.types = {}  # stamp id -> (points, soulbound)
        self.balances = {}  # (holder, stamp id) -> balance, for the types this run created
        self.next_id = 77_000
        self.nonce = 770_000
        self.minted = 0
        chain.mine()
        self.start_time = chain[-1].timestamp
        self.start_total = stamps.getPastTotalSupply(chain.height - 1)

    def _count(self, tx) -> None:
        claims = tx.events["StampClaimed"] if "StampClaimed" in tx.events else []
        for c in claims:
            self.minted += self.types[c["stampId"]][0] * c["quantity"]
            key = (str(c["member"]), c["stampId"])
            self.balances[key] = self.balances.get(key, 0) + c["quantity"]

    def _pick_type(self, st_pick):
        return sorted(self.types)[st_pick % len(self.types)] if self.types else None

    # ----------------------------------------------------------------- the operational keys

    def rule_create_stamp_type(self, st_points, st_soulbound):
        self.next_id += 1
        stamps = self.contracts["stamps"]
        call = lambda: stamps.createStampType(self.next_id, JOURNEY, "Random", st_points, st_soulbound, 0, {"from": self.ops})
        if st_points > CAP:
            with brownie.reverts(f"OdysseyPointsAboveCap: {st_points}, {CAP}"):
                call()
            return
        call()
        self.types[self.next_id] = (st_points, st_soulbound)

    def rule_airdrop(self, st_pick, st_batch):
        stamp_id = self._pick_type(st_pick)
        if stamp_id is None:
            return
        recipients = [self.people[i] for i in st_batch]
        try:
            tx = self.contracts["stamps"].airdrop(stamp_id, recipients, {"from": self.ops})
        except brownie.exceptions.VirtualMachineError as error:
            _over_budget(error, self.types[stamp_id][0])  # each recipient draws its stamp's points
            return
        self._count(tx)

    def rule_voucher(self, st_pick, st_who):
        stamp_id = self._pick_type(st_pick)
        if stamp_id is None:
            return
        self.nonce += 1
        member = self.people[st_who]
        holds = self.balances.get((str(member), stamp_id), 0) > 0
        voucher = self.voucher(member, stamp_id, self.nonce)
        try:
            tx = self.contracts["stamps"].claim(*voucher.claim_args(), {"from": self.relayer})
        except brownie.exceptions.VirtualMachineError as error:
            if holds:
                assert error.revert_msg == err("OdysseyAlreadyHolds", member, stamp_id)
            else:
                _over_budget(error, self.types[stamp_id][0])
            return
        assert not holds, "an earned stamp issued to a member who holds it"
        self._count(tx)

    def rule_keys_try_to_take_a_role(self, st_role, st_who):
        stamps = self.contracts["stamps"]
        roles = ["DEFAULT_ADMIN_ROLE", "MINTER_ROLE", "ISSUER_ROLE", "JOURNEY_MANAGER_ROLE", "PAUSER_ROLE"]
        key = (self.ops, self.issuer)[st_who % 2]
        with brownie.reverts(unauthorized(key, "DEFAULT_ADMIN_ROLE")):  # every role's admin
            stamps.grantRole(getattr(stamps, roles[st_role])(), key, {"from": key})

    # ----------------------------------------------------------------- members and time

    def rule_transfer(self, st_pick, st_other):
        holdings = sorted(k for k, b in self.balances.items() if b and not self.types[k[1]][1])
        if not holdings:
            return
        holder, stamp_id = holdings[st_pick % len(holdings)]
        to = str(self.people[st_other])
        self.contracts["stamps"].safeTransferFrom(holder, to, stamp_id, 1, "", {"from": self.account_of[holder]})
        self.balances[(holder, stamp_id)] -= 1
        self.balances[(to, stamp_id)] = self.balances.get((to, stamp_id), 0) + 1

    def rule_delegate(self, st_who, st_other):
        self.contracts["stamps"].delegate(self.people[st_other], {"from": self.people[st_who]})

    def rule_time_passes(self, st_hours):
        chain.sleep(st_hours * 3600)
        chain.mine()

    # ----------------------------------------------------------------- invariants

    def invariant_minted_points_stay_within_the_bound(self):
        capacity = max(FLOOR, (self.start_total + self.minted) * BPS // 10_000)
        elapsed = chain[-1].timestamp - self.start_time
        assert self.minted * PERIOD <= capacity * (PERIOD + elapsed)

    def teardown(self):
        stamps, timelock = self.contracts["stamps"], self.contracts["timelock"]
        chain.mine()
        assert stamps.getPastTotalSupply(chain.height - 1) - self.start_total == self.minted
        for (holder, stamp_id), balance in self.balances.items():
            assert stamps.balanceOf(holder, stamp_id) == balance
        for stamp_id in self.types:
            assert stamps.stampType(stamp_id)[1] <= CAP
        for name in ("stamps", "shop", "benefits", "board", "timelock"):
            contract = self.contracts[name]
            admin = contract.DEFAULT_ADMIN_ROLE()
            assert contract.hasRole(admin, timelock)
            assert [a for a in self.watched if a != timelock.address and contract.hasRole(admin, a)] == []
        minters = {a for a in self.watched if stamps.hasRole(stamps.MINTER_ROLE(), a)}
        assert minters == {self.contracts["shop"].address, self.contracts["board"].address}


def test_operational_keys_stay_within_the_daos_bounds(stamps, shop, benefits, board, timelock, dao, accounts, ops, issuer, relayer, voucher):
    contracts = {"stamps": stamps, "shop": shop, "benefits": benefits, "board": board, "timelock": timelock, "governor": dao}
    people = list(accounts[4:9]) + [accounts[0], accounts[9]]  # members, the deployer and the guardian
    run_state_machine(
        OperationalKeys, contracts, people, ops, issuer, relayer, voucher,
        settings={"max_examples": 50, "stateful_step_count": 20},
    )
