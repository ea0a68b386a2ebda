"""Stateful property test of drops: random drops, entries, blocks mined, draws, seed moves, claims, refunds and
withdrawals against a model.

Every rule predicts its outcome from the model (success, or the exact custom error) and asserts it, so an entry
after close, a second draw or a second settlement would fail the run. The invariants then check, after every step:
  - escrow: the contract holds deposits - refunds - withdrawn proceeds, to the wei, and its proceeds are the prices
    of claimed wins not yet withdrawn;
  - each drop's entries, seed block and seed are the model's (the seed never changes once drawn);
  - a drawn drop has exactly min(supply, entries) winners, the contract's and backend/chain/drops.py's, and no entry is
    both claimed and refunded; stamps minted by drops = claims.
At the end of each run every drawn drop is settled (winners claim, losers are refunded) and the proceeds sent:
refunds + proceeds = deposits, to the wei, and the treasury received every claimed price.
"""
from dataclasses import dataclass, field, replace

import brownie
from brownie import accounts, chain, web3
from brownie.test import strategy
from hypothesis import strategies as st

from backend.chain import drops as draw
from backend.chain.protocol import BLOCKHASH_WINDOW, SEED_DELAY
from drop_helpers import PRICE, QUIZ, SIREN, mine, siren  # noqa: F401
from stamp_helpers import err, run_state_machine

EXTRA_MEMBERS = 6
LEVEL_1_POINTS = 10


@dataclass
class DropModel:
    price: int
    supply: int
    opens: int
    closes: int
    seed_block: int
    by_stamp: bool
    entrants: list = field(default_factory=list)
    status: dict = field(default_factory=dict)  # member -> "entered" | "claimed" | "refunded"
    winners: set | None = None  # None until drawn
    seed: str | None = None
    deposits: int = 0
    refunded: int = 0
    claimed_paid: int = 0


class DropsMachine:
    st_drop = st.sampled_from([1, 2, 1, 2, 3])  # drop 3 exists only once a rule opens it
    st_batch = strategy("uint8[]", min_length=1, max_length=4, max_value=4 + EXTRA_MEMBERS)
    st_pick = strategy("uint8")
    st_supply = strategy("uint8", min_value=1, max_value=4)
    st_window = strategy("uint8", min_value=1, max_value=12)
    st_paid = strategy("bool")
    st_by_stamp = strategy("bool")
    st_when = st.sampled_from(["now", "first", "inside", "last", "expired"])

    def __init__(cls, drops, stamps, ops, relayer, treasury, members):
        cls.drops, cls.stamps, cls.ops, cls.relayer, cls.treasury = drops, stamps, ops, relayer, treasury
        extra = [accounts.add(web3.keccak(text=f"drop entrant {i}")) for i in range(EXTRA_MEMBERS)]
        for account in extra:
            accounts[0].transfer(account, "10 ether")
        stamps.airdrop(QUIZ, extra, {"from": ops})
        mine(1)
        # Members 0-3 and the extra accounts hold the quiz stamp (level 1); member 4 holds nothing.
        cls.people = list(members) + extra
        cls.ineligible = members[4]
        # Every run starts (the chain is reverted to this state, block number included) with two drops open for
        # 30 more blocks, so that short runs still draw and settle oversubscribed drops: drop 1 free, 2 stamps, 3
        # entries by level; drop 2 paid, 1 stamp, 3 entries by holding the quiz stamp. Rules may open drop 3.
        cls.initial = {}
        for drop_id, price, supply, by_stamp, entrants in ((1, 0, 2, False, extra[:3]), (2, PRICE, 1, True, extra[3:6])):
            opens = chain.height + 1
            rules = (SIREN, QUIZ if by_stamp else 0, price, supply, opens, opens + 30, 0 if by_stamp else 1)
            drops.openDrop(drop_id, rules, {"from": ops})
            drop = DropModel(price, supply, opens, rules[5], rules[5] + SEED_DELAY, by_stamp)
            for who in entrants:
                drops.enter(drop_id, {"from": who, "value": price})
                drop.entrants.append(who)
                drop.status[who] = "entered"
                drop.deposits += price
            cls.initial[drop_id] = drop

    def setup(self):
        self.model = {i: replace(d, entrants=list(d.entrants), status=dict(d.status)) for i, d in self.initial.items()}
        self.deposits = sum(drop.deposits for drop in self.model.values())
        self.refunded = self.claimed_paid = self.withdrawn = 0

    # ----------------------------------------------------------------- helpers

    def _person(self, index):
        return self.people[index % len(self.people)]

    def _settling(self, drop_id, pick):
        """Mostly a drawn drop, if there is one; else `drop_id`."""
        drawn = sorted(i for i, drop in self.model.items() if drop.winners is not None)
        return drawn[pick % len(drawn)] if drawn and pick % 4 else drop_id

    def _entrant(self, drop, pick):
        """Mostly someone who entered the drop; one time in five anyone."""
        if drop and drop.entrants and pick % 5:
            return drop.entrants[pick % len(drop.entrants)]
        return self._person(pick)

    def _entry_refusal(self, drop_id, who, block):
        """The error an entry by `who` in `block` meets, in the contract's order, or None."""
        drop = self.model.get(drop_id)
        if drop is None:
            return err("DropUnknown", drop_id)
        if not drop.opens <= block <= drop.closes:
            return err("DropOutsideEntryWindow", drop_id, drop.opens, drop.closes)
        if who in drop.status:
            return err("DropAlreadyEntered", drop_id, who)
        if who == self.ineligible:
            if drop.by_stamp:
                return err("DropRequiredStampMissing", drop_id, who, QUIZ)
            return err("DropLevelTooLow", drop_id, who, 0, LEVEL_1_POINTS)
        return None

    def _settlement_refusal(self, drop_id, who):
        """The error claim and refund share, in the contract's order, or None."""
        drop = self.model.get(drop_id)
        if drop is None:
            return err("DropUnknown", drop_id)
        if drop.winners is None:
            return err("DropNotDrawn", drop_id)
        status = drop.status.get(who)
        if status is None:
            return err("DropNotEntered", drop_id, who)
        if status == "claimed":
            return err("DropAlreadyClaimed", drop_id, who)
        if status == "refunded":
            return err("DropAlreadyRefunded", drop_id, who)
        return None

    # ----------------------------------------------------------------- rules

    def rule_open(self, st_drop, st_supply, st_window, st_paid, st_by_stamp):
        opens = chain.height + 1
        rules = (SIREN, QUIZ if st_by_stamp else 0, PRICE if st_paid else 0, st_supply, opens, opens + st_window,
                 0 if st_by_stamp else 1)
        if st_drop in self.model:
            with brownie.reverts(err("DropExists", st_drop)):
                self.drops.openDrop(st_drop, rules, {"from": self.ops})
            return
        tx = self.drops.openDrop(st_drop, rules, {"from": self.ops})
        assert tx.events["DropConfigured"]["seedBlock"] == rules[5] + SEED_DELAY
        self.model[st_drop] = DropModel(rules[2], st_supply, opens, rules[5], rules[5] + SEED_DELAY, st_by_stamp)

    def rule_update(self, st_drop, st_supply, st_window):
        drop = self.model.get(st_drop)
        opens = chain.height + 1
        if drop is None:
            rules = (SIREN, 0, 0, st_supply, opens, opens + st_window, 1)
        else:
            rules = (SIREN, QUIZ if drop.by_stamp else 0, drop.price, st_supply, opens, opens + st_window,
                     0 if drop.by_stamp else 1)
        call = lambda: self.drops.updateDrop(st_drop, rules, {"from": self.ops})  # noqa: E731
        if drop is None:
            expected = err("DropUnknown", st_drop)
        elif drop.entrants or drop.winners is not None:
            expected = err("DropRulesFixed", st_drop, len(drop.entrants))
        else:
            call()
            drop.supply, drop.opens, drop.closes = st_supply, opens, rules[5]
            drop.seed_block = rules[5] + SEED_DELAY
            return
        with brownie.reverts(expected):
            call()

    def rule_enter(self, st_drop, st_batch):
        drop = self.model.get(st_drop)
        for index in st_batch:
            who = self._person(index)
            price = drop.price if drop else 0
            expected = self._entry_refusal(st_drop, who, chain.height + 1)
            if expected is not None:
                with brownie.reverts(expected):
                    self.drops.enter(st_drop, {"from": who, "value": price})
                continue
            tx = self.drops.enter(st_drop, {"from": who, "value": price})
            assert drop.opens <= tx.block_number <= drop.closes
            assert tx.events["DropEntered"]["position"] == len(drop.entrants)
            drop.entrants.append(who)
            drop.status[who] = "entered"
            drop.deposits += price
            self.deposits += price

    def rule_close(self, st_drop):
        """Mine until the next transaction lands just past the drop's entry window."""
        drop = self.model.get(st_drop)
        if drop is not None:
            mine(drop.closes - chain.height)

    def _mine_to_draw(self, drop, when, pick):
        """Mine (never back) until the next transaction lands in the draw window's first, last or some block, or
        just past it; "now" mines nothing."""
        if drop is None or when == "now":
            return
        first, last = drop.seed_block + 1, drop.seed_block + BLOCKHASH_WINDOW
        target = {"first": first, "inside": first + pick % BLOCKHASH_WINDOW, "last": last, "expired": last + 1}[when]
        mine(target - 1 - chain.height)

    def rule_draw(self, st_drop, st_when, st_pick):
        drop = self.model.get(st_drop)
        self._mine_to_draw(drop, st_when, st_pick)
        block = chain.height + 1
        call = lambda: self.drops.draw(st_drop, {"from": self._person(st_pick)})  # noqa: E731
        if drop is None:
            expected = err("DropUnknown", st_drop)
        elif drop.winners is not None:
            expected = err("DropAlreadyDrawn", st_drop)
        elif block <= drop.seed_block:
            expected = err("DropSeedBlockNotReached", st_drop, drop.seed_block)
        elif block > drop.seed_block + BLOCKHASH_WINDOW:
            expected = err("DropSeedBlockExpired", st_drop, drop.seed_block)
        else:
            tx = call()
            seed = draw.drop_seed(web3.eth.get_block(drop.seed_block)["hash"], st_drop)
            assert tx.events["DropDrawn"]["seed"] == "0x" + seed.hex()
            entries = len(drop.entrants)
            positions = draw.winning_positions(seed, entries, drop.supply)
            assert len(positions) == min(drop.supply, entries)
            assert [self.drops.isWinner(st_drop, p) for p in range(entries)] == [p in positions for p in range(entries)]
            drop.seed, drop.winners = "0x" + seed.hex(), {drop.entrants[p] for p in positions}
            return
        with brownie.reverts(expected):
            call()

    def rule_move_seed(self, st_drop, st_when, st_pick):
        drop = self.model.get(st_drop)
        self._mine_to_draw(drop, st_when, st_pick)
        block = chain.height + 1
        call = lambda: self.drops.moveSeedBlock(st_drop, {"from": self._person(st_pick)})  # noqa: E731
        if drop is None:
            expected = err("DropUnknown", st_drop)
        elif drop.winners is not None:
            expected = err("DropAlreadyDrawn", st_drop)
        elif block <= drop.seed_block + BLOCKHASH_WINDOW:
            expected = err("DropSeedBlockNotExpired", st_drop, drop.seed_block)
        else:
            tx = call()
            drop.seed_block = tx.block_number + SEED_DELAY
            assert tx.events["DropSeedBlockMoved"]["seedBlock"] == drop.seed_block
            return
        with brownie.reverts(expected):
            call()

    def rule_claim(self, st_drop, st_pick):
        st_drop = self._settling(st_drop, st_pick)
        drop = self.model.get(st_drop)
        who = self._entrant(drop, st_pick)
        caller = who if st_pick % 2 else self.relayer  # anyone may submit a claim
        expected = self._settlement_refusal(st_drop, who)
        if expected is None and who not in drop.winners:
            expected = err("DropNotWinner", st_drop, who)
        if expected is not None:
            with brownie.reverts(expected):
                self.drops.claim(st_drop, who, {"from": caller})
            return
        held = self.stamps.balanceOf(who, SIREN)
        self.drops.claim(st_drop, who, {"from": caller})
        assert self.stamps.balanceOf(who, SIREN) == held + 1
        drop.status[who] = "claimed"
        drop.claimed_paid += drop.price
        self.claimed_paid += drop.price

    def rule_refund(self, st_drop, st_pick):
        st_drop = self._settling(st_drop, st_pick)
        drop = self.model.get(st_drop)
        who = self._entrant(drop, st_pick)
        expected = self._settlement_refusal(st_drop, who)
        if expected is None and drop.price == 0:
            expected = err("DropNothingToRefund", st_drop)
        elif expected is None and who in drop.winners:
            expected = err("DropWon", st_drop, who)  # the Siren stays issuable in these runs
        if expected is not None:
            with brownie.reverts(expected):
                self.drops.refund(st_drop, who, {"from": self.relayer})
            return
        balance = who.balance()
        self.drops.refund(st_drop, who, {"from": self.relayer})  # relayed, so the entrant's gain is exact
        assert who.balance() == balance + drop.price
        drop.status[who] = "refunded"
        drop.refunded += drop.price
        self.refunded += drop.price

    def rule_withdraw(self, st_pick):
        owed = self.claimed_paid - self.withdrawn
        if owed == 0:
            with brownie.reverts(err("DropNothingToWithdraw")):
                self.drops.withdrawProceeds({"from": self._person(st_pick)})
            return
        before = self.treasury.balance()
        self.drops.withdrawProceeds({"from": self._person(st_pick)})
        assert self.treasury.balance() == before + owed
        self.withdrawn += owed

    # ----------------------------------------------------------------- invariants

    def invariant_escrow_is_conserved(self):
        assert self.drops.balance() == self.deposits - self.refunded - self.withdrawn
        assert self.drops.proceeds() == self.claimed_paid - self.withdrawn

    def invariant_drops_match_the_model(self):
        for drop_id, drop in self.model.items():
            _, _, entries, seed_block, seed = self.drops.drop(drop_id)
            assert (entries, seed_block) == (len(drop.entrants), drop.seed_block)
            assert seed == (drop.seed or "0x" + "00" * 32)

    def invariant_winners_are_min_of_supply_and_entries(self):
        claims = 0
        for drop in self.model.values():
            claimed = {m for m, s in drop.status.items() if s == "claimed"}
            refunded = {m for m, s in drop.status.items() if s == "refunded"}
            claims += len(claimed)
            if drop.winners is None:
                assert not claimed and not refunded
                continue
            assert len(drop.winners) == min(drop.supply, len(drop.entrants))
            assert claimed <= drop.winners and not refunded & drop.winners
        assert self.stamps.stampType(SIREN)[3] == claims

    def teardown(self):
        """Settle every drawn drop and send the proceeds: then, drop by drop, refunds + proceeds = deposits, the
        treasury received every claimed price, and the contract holds only the undrawn drops' deposits."""
        for drop_id, drop in self.model.items():
            if drop.winners is None:
                continue
            for who, status in drop.status.items():
                if status == "entered" and who in drop.winners:
                    self.drops.claim(drop_id, who, {"from": self.relayer})
                    drop.claimed_paid += drop.price
                    self.claimed_paid += drop.price
                elif status == "entered" and drop.price:
                    amount = self.drops.refund(drop_id, who, {"from": self.relayer}).events["DropRefunded"]["amount"]
                    drop.refunded += amount
                    self.refunded += amount
            assert drop.refunded + drop.claimed_paid == drop.deposits
        owed = self.claimed_paid - self.withdrawn
        if owed:
            before = self.treasury.balance()
            self.drops.withdrawProceeds({"from": self.relayer})
            assert self.treasury.balance() == before + owed
        assert self.drops.balance() == sum(drop.deposits for drop in self.model.values() if drop.winners is None)


def test_drops_state_machine(drops, stamps, siren, ops, relayer, treasury, members):
    # Brownie's own `state_machine` fixture is broken in 1.22.2 (see run_state_machine).
    run_state_machine(
        DropsMachine, drops, stamps, ops, relayer, treasury, members,
        settings={"max_examples": 50, "stateful_step_count": 20},
    )
