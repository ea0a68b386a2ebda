"""Stateful property test: random joins, claims (voucher and allowlist), airdrops, purchases, transfers (single and
batch), delegations and withdrawals of the shop's proceeds against a model.

Every rule predicts its outcome from the model (success, or the exact custom error) and asserts it; the
invariants then check, after every step:
  - pointsOf(a) = Σ points × balance for every account, and balances equal the model's;
  - levelOf(a) = how many level thresholds a's points reach;
  - total votes (getPastTotalSupply, and the sum of getVotes over every account) = total points;
  - no stamp type past its supply cap, and minted = Σ balances;
  - no voucher nonce used twice (voucherUsed matches the set of nonces the model saw used, each used once), no
    allowlist entry claimed twice;
  - the shop holds exactly the proceeds not yet withdrawn, and the treasury received the rest.
The run's size is Brownie's hypothesis settings (brownie-config.yaml), scaled up by `make test-deep`.
"""
import brownie
from brownie import chain
from brownie.test import strategy

from backend.chain.merkle import allowlist_tree
from stamp_helpers import err, run_state_machine

POINTS = {101: 10, 102: 25, 103: 40}
SOULBOUND = {101}
MAX_SUPPLY = {101: 0, 102: 3, 103: 5}
PRICE, WALLET_CAP = 10**16, 2
NONCES = 12
ALLOWLISTED = 102  # its allowlist: every person of the machine, entry i = people[i]


class StampsMachine:
    st_who = strategy("uint8", max_value=5)
    st_other = strategy("uint8", max_value=5)
    st_earned = strategy("uint256", min_value=101, max_value=102)
    st_stamp = strategy("uint256", min_value=101, max_value=103)
    st_nonce = strategy("uint8", max_value=NONCES - 1)
    st_quantity = strategy("uint8", min_value=1, max_value=3)
    st_batch = strategy("uint8[]", min_length=1, max_length=4, max_value=5)
    st_pick = strategy("uint8")

    def __init__(cls, stamps, shop, accounts, ops, relayer, voucher):
        cls.stamps, cls.shop, cls.ops, cls.relayer, cls.voucher = stamps, shop, ops, relayer, staticmethod(voucher)
        cls.people = list(accounts[3:9])  # relayer and the five members
        cls.treasury = next(a for a in accounts if a == stamps.treasury())
        cls.thresholds = list(stamps.levelThresholds())
        cls.allowlist = allowlist_tree([str(p) for p in cls.people])
        stamps.setAllowlistRoot(ALLOWLISTED, cls.allowlist.root, {"from": ops})
        # Every run starts from the same populated state (taken once, before the snapshot), so that even short
        # runs have stamps to move, caps to hit and nonces to replay.
        members = cls.people[1:]
        stamps.airdrop(101, members[:4], {"from": ops})
        for i, member in enumerate(members[:2]):
            stamps.claim(*voucher(member, 102, NONCES + i).claim_args(), {"from": relayer})
        for member in members[:3]:
            shop.purchase(103, 1, {"from": member, "value": PRICE})
        cls.seed_balances = {(m, 101): 1 for m in members[:4]}
        cls.seed_balances.update({(m, 102): 1 for m in members[:2]})
        cls.seed_balances.update({(m, 103): 1 for m in members[:3]})
        cls.seed_members = set(members[:4])
        cls.seed_proceeds = 3 * PRICE
        assert shop.proceeds() == cls.seed_proceeds

    def setup(self):
        self.balances = {(a, s): self.seed_balances.get((a, s), 0) for a in self.people for s in POINTS}
        self.minted = {s: sum(self.balances[(a, s)] for a in self.people) for s in POINTS}
        self.bought = {a: self.balances[(a, 103)] for a in self.people}
        self.is_member = {a: a in self.seed_members for a in self.people}
        self.delegate = {a: a for a in self.people}
        self.used_nonces = {NONCES, NONCES + 1}
        self.allowlist_claimed = set()
        self.proceeds = self.seed_proceeds
        self.treasury_balance = self.treasury.balance()
        self.transfers = 0

    # ----------------------------------------------------------------- helpers

    def _receive(self, account, stamp_id, quantity):
        self.balances[(account, stamp_id)] += quantity
        self.is_member[account] = True

    def _sold_out(self, stamp_id, quantity):
        cap = MAX_SUPPLY[stamp_id]
        return cap != 0 and self.minted[stamp_id] + quantity > cap

    # ----------------------------------------------------------------- rules

    def rule_join(self, st_who):
        who = self.people[st_who]
        if self.is_member[who]:
            with brownie.reverts(err("OdysseyAlreadyMember", who)):
                self.stamps.join({"from": who})
        else:
            self.stamps.join({"from": who})
            self.is_member[who] = True

    def rule_claim(self, st_who, st_earned, st_nonce):
        who, stamp_id = self.people[st_who], st_earned
        call = lambda: self.stamps.claim(*self.voucher(who, stamp_id, st_nonce).claim_args(), {"from": self.relayer})
        if st_nonce in self.used_nonces:
            expected = err("OdysseyVoucherUsed", st_nonce)
        elif self.balances[(who, stamp_id)]:
            expected = err("OdysseyAlreadyHolds", who, stamp_id)
        elif self._sold_out(stamp_id, 1):
            expected = err("OdysseySoldOut", stamp_id, MAX_SUPPLY[stamp_id])
        else:
            call()
            self.used_nonces.add(st_nonce)
            self.minted[stamp_id] += 1
            self._receive(who, stamp_id, 1)
            return
        with brownie.reverts(expected):
            call()

    def rule_claim_allowlisted(self, st_who):
        who, index = self.people[st_who], st_who
        call = lambda: self.stamps.claimAllowlisted(who, ALLOWLISTED, index, self.allowlist.proof(index),
                                                    {"from": self.relayer})
        if index in self.allowlist_claimed:
            expected = err("OdysseyAllowlistClaimed", ALLOWLISTED, index)
        elif self.balances[(who, ALLOWLISTED)]:
            expected = err("OdysseyAlreadyHolds", who, ALLOWLISTED)
        elif self._sold_out(ALLOWLISTED, 1):
            expected = err("OdysseySoldOut", ALLOWLISTED, MAX_SUPPLY[ALLOWLISTED])
        else:
            claimed = call().events["StampClaimed"]
            assert (claimed["method"], claimed["ref"]) == (1, index)  # method 1: Allowlist
            self.allowlist_claimed.add(index)
            self.minted[ALLOWLISTED] += 1
            self._receive(who, ALLOWLISTED, 1)
            return
        with brownie.reverts(expected):
            call()

    def rule_airdrop(self, st_batch, st_earned):
        recipients = [self.people[i] for i in st_batch]
        stamp_id, fresh = st_earned, []
        for r in recipients:
            if not self.balances[(r, stamp_id)] and r not in fresh:
                fresh.append(r)
        if self._sold_out(stamp_id, len(fresh)):
            with brownie.reverts(err("OdysseySoldOut", stamp_id, MAX_SUPPLY[stamp_id])):
                self.stamps.airdrop(stamp_id, recipients, {"from": self.ops})
            return
        tx = self.stamps.airdrop(stamp_id, recipients, {"from": self.ops})
        assert len(tx.events["StampClaimed"]) == len(fresh) if fresh else "StampClaimed" not in tx.events
        for r in fresh:
            self._receive(r, stamp_id, 1)
        self.minted[stamp_id] += len(fresh)

    def rule_purchase(self, st_who, st_quantity):
        who, q = self.people[st_who], st_quantity
        if self.bought[who] + q > WALLET_CAP:
            expected = err("ShopWalletCapExceeded", who, 103, WALLET_CAP)
        elif self._sold_out(103, q):
            expected = err("OdysseySoldOut", 103, MAX_SUPPLY[103])
        else:
            self.shop.purchase(103, q, {"from": who, "value": q * PRICE})
            self.proceeds += q * PRICE
            self.bought[who] += q
            self.minted[103] += q
            self._receive(who, 103, q)
            return
        with brownie.reverts(expected):
            self.shop.purchase(103, q, {"from": who, "value": q * PRICE})

    def rule_transfer(self, st_pick, st_other, st_stamp, st_quantity):
        """Mostly a holder moving a stamp they hold; one time in four an arbitrary (often refused) transfer."""
        holdings = [key for key, balance in self.balances.items() if balance]
        if holdings and st_pick % 4:
            src, stamp_id = holdings[st_pick % len(holdings)]
        else:
            src, stamp_id = self.people[st_pick % len(self.people)], st_stamp
        dst = self.people[st_other]
        held = self.balances[(src, stamp_id)]
        q = min(st_quantity, held) if held else 1
        call = lambda: self.stamps.safeTransferFrom(src, dst, stamp_id, q, "", {"from": src})
        if held < q:
            with brownie.reverts(err("ERC1155InsufficientBalance", src, held, q, stamp_id)):
                call()
        elif stamp_id in SOULBOUND:
            with brownie.reverts(err("OdysseySoulbound", stamp_id)):
                call()
        else:
            call()
            self.balances[(src, stamp_id)] -= q
            self._receive(dst, stamp_id, q)
            self.transfers += 1

    def rule_transfer_batch(self, st_pick, st_other, st_quantity):
        """The collectibles a person holds, moved at once (both ids, refused, when they hold neither)."""
        src, dst = self.people[st_pick % len(self.people)], self.people[st_other]
        held = {i: self.balances[(src, i)] for i in (102, 103)}
        ids = [i for i in held if held[i]] or list(held)
        amounts = [min(st_quantity, held[i]) or 1 for i in ids]
        call = lambda: self.stamps.safeBatchTransferFrom(src, dst, ids, amounts, "", {"from": src})
        short = next((i for i, q in zip(ids, amounts) if held[i] < q), None)
        if short is not None:
            with brownie.reverts(err("ERC1155InsufficientBalance", src, held[short], 1, short)):
                call()
            return
        events = call().events
        if len(ids) == 1:  # OZ 5.0 ERC1155._update: a batch of one id is a TransferSingle
            assert (events["TransferSingle"]["id"], events["TransferSingle"]["value"]) == (ids[0], amounts[0])
        else:
            assert (list(events["TransferBatch"]["ids"]), list(events["TransferBatch"]["values"])) == (ids, amounts)
        for i, q in zip(ids, amounts):
            self.balances[(src, i)] -= q
            self._receive(dst, i, q)
        self.transfers += 1

    def rule_withdraw_proceeds(self, st_who):
        who = self.people[st_who]
        if self.proceeds == 0:
            with brownie.reverts(err("ShopNothingToWithdraw")):
                self.shop.withdrawProceeds({"from": who})
            return
        tx = self.shop.withdrawProceeds({"from": who})
        assert tx.events["ProceedsWithdrawn"]["amount"] == self.proceeds
        self.treasury_balance += self.proceeds
        self.proceeds = 0

    def rule_delegate(self, st_who, st_other):
        who, to = self.people[st_who], self.people[st_other]
        self.stamps.delegate(to, {"from": who})
        self.delegate[who] = to

    # ----------------------------------------------------------------- invariants

    def invariant_points_are_points_times_balance(self):
        ids = list(POINTS)
        owners = [a for a in self.people for _ in ids]
        chain_balances = self.stamps.balanceOfBatch(owners, ids * len(self.people))
        assert list(chain_balances) == [self.balances[(a, s)] for a in self.people for s in ids]
        for a in self.people:
            expected = sum(POINTS[s] * self.balances[(a, s)] for s in ids)
            assert self.stamps.pointsOf(a) == expected
            assert self.stamps.isMember(a) == self.is_member[a]

    def invariant_levels_count_the_thresholds_reached(self):
        for a in self.people:
            points = sum(POINTS[s] * self.balances[(a, s)] for s in POINTS)
            assert self.stamps.levelOf(a) == sum(points >= t for t in self.thresholds)

    def invariant_votes_equal_points(self):
        total_points = sum(POINTS[s] * b for (_, s), b in self.balances.items())
        votes = {a: self.stamps.getVotes(a) for a in self.people}
        assert sum(votes.values()) == total_points
        for a in self.people:
            assert self.stamps.delegates(a) == self.delegate[a]
            assert votes[a] == sum(self.stamps.pointsOf(d) for d in self.people if self.delegate[d] == a)
        chain.mine()
        assert self.stamps.getPastTotalSupply(chain.height - 1) == total_points

    def invariant_supply_caps_hold(self):
        for stamp_id, cap in MAX_SUPPLY.items():
            minted = self.stamps.stampType(stamp_id)[3]
            assert minted == self.minted[stamp_id]
            assert minted == sum(self.balances[(a, stamp_id)] for a in self.people)
            assert cap == 0 or minted <= cap

    def invariant_no_nonce_used_twice(self):
        nonces = range(NONCES + 2)
        assert [self.stamps.voucherUsed(n) for n in nonces] == [n in self.used_nonces for n in nonces]
        entries = range(len(self.people))
        assert [self.stamps.allowlistClaimed(ALLOWLISTED, i) for i in entries] == [
            i in self.allowlist_claimed for i in entries]

    def invariant_proceeds_are_held_until_withdrawn(self):
        assert self.shop.proceeds() == self.proceeds == self.shop.balance()
        assert self.treasury.balance() == self.treasury_balance


def test_stamps_state_machine(stamps, shop, journey, accounts, ops, relayer, voucher):
    # Brownie's own `state_machine` fixture is broken in 1.22.2 (see run_state_machine).
    run_state_machine(
        StampsMachine, stamps, shop, accounts, ops, relayer, voucher,
    )
