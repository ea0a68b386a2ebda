"""The handlers on synthetic events, without a chain: events in, rows out, on a migrated SQLite database, through the
indexer's own unit of work (backend/indexer/store.py) and dispatch, undo journal included. Milliseconds a test."""
import itertools
from collections import defaultdict

import pytest
from sqlalchemy import select

from backend.chain.protocol import APPROVAL_VOTE, ClaimMethod
from backend.db import migrate, models
from backend.db.session import session_factory
from backend.indexer import handlers, journal
from backend.indexer.handlers import Event
from backend.indexer.store import Store
from backend.settings import Settings

ZERO = "0x" + "00" * 20
STAMPS, BOARD = "0x" + "5a" * 20, "0x" + "b0" * 20
ALICE, BOB = "0x" + "a1" * 20, "0x" + "b2" * 20
_log = itertools.count()


def event(contract: str, name: str, block: int, /, **args) -> Event:
    n = next(_log)
    address = BOARD if contract == "IdeaBoard" else STAMPS
    return Event(contract, address, name, args, block, f"0x{block:064x}", 1_700_000_000 + block, f"0x{n:064x}", 0, n)


@pytest.fixture
def sessions(tmp_path):
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'handlers.db'}")
    migrate.upgrade(settings)
    handlers.load_all()
    return session_factory(settings)


def apply(sessions, events: list[Event], safe: int = 10**9) -> None:
    """Handle `events` in one batch, as the runner does; blocks above `safe` are journaled."""
    with sessions() as session, session.begin():
        store = Store(session)
        handlers.dispatch(events, store, safe)
        store.write()


def claimed(stamp_id: int, to: str, block: int, method: ClaimMethod, ref: int = 0, number: int = 1) -> list[Event]:
    """A first stamp's mint as OdysseyStamps emits it: TransferSingle, MemberJoined (member `number`), StampClaimed."""
    return [
        event("OdysseyStamps", "TransferSingle", block, operator=to, **{"from": ZERO}, to=to, id=stamp_id, value=1),
        event("OdysseyStamps", "MemberJoined", block, member=to, number=number, since=1_700_000_000),
        event("OdysseyStamps", "StampClaimed", block, member=to, stampId=stamp_id, method=method, quantity=1, ref=ref),
    ]


def stamp_type(stamp_id: int, points: int, block: int = 1) -> Event:
    return event("OdysseyStamps", "StampTypeConfigured", block, stampId=stamp_id, journeyId=1, name=f"Stamp {stamp_id}",
                 points=points, maxSupply=0, soulbound=True)


def test_a_claim_makes_a_member_a_holding_and_a_claim_row(sessions):
    apply(sessions, [stamp_type(101, 10), *claimed(101, ALICE, 2, ClaimMethod.ALLOWLIST, ref=7)])
    with sessions() as session:
        member = session.get(models.Member, ALICE)
        assert (member.points, member.stamps, member.number) == (10, 1, 1)
        assert session.get(models.Holding, (ALICE, "101")).balance == 1
        claim = session.execute(select(models.Claim)).scalar_one()
        assert (claim.member, claim.stamp_id, claim.method, claim.ref, claim.block_number) == (ALICE, "101", "allowlist", "7", 2)
        stamp = session.get(models.StampType, "101")
        assert (stamp.minted, stamp.holders) == (1, 1)


@pytest.mark.parametrize("method", list(ClaimMethod))
def test_every_claim_method_is_stored_by_its_name(sessions, method):
    apply(sessions, [stamp_type(101, 10), *claimed(101, ALICE, 2, method)])
    with sessions() as session:
        assert session.execute(select(models.Claim.method)).scalar_one() == method.label


def test_a_transfer_moves_points_and_holders(sessions):
    apply(sessions, [stamp_type(102, 25), *claimed(102, ALICE, 2, ClaimMethod.AIRDROP)])
    apply(sessions, [event("OdysseyStamps", "TransferSingle", 3, operator=ALICE, **{"from": ALICE}, to=BOB, id=102, value=1)])
    with sessions() as session:
        assert (session.get(models.Member, ALICE).points, session.get(models.Member, BOB).points) == (0, 25)
        assert session.get(models.StampType, "102").holders == 1
        assert session.get(models.Holding, (ALICE, "102")).balance == 0  # kept: who held what


def test_a_rollback_undoes_the_journaled_blocks_exactly(sessions):
    apply(sessions, [stamp_type(101, 10), *claimed(101, ALICE, 2, ClaimMethod.VOUCHER)], safe=10)
    apply(sessions, [*claimed(101, BOB, 12, ClaimMethod.VOUCHER, number=2), stamp_type(101, 10, block=13)], safe=10)
    with sessions() as session, session.begin():
        assert session.get(models.StampType, "101").minted == 2
        assert journal.rollback_to(session, 11) > 0
    with sessions() as session:
        assert session.get(models.Member, BOB) is None
        assert [c.member for c in session.execute(select(models.Claim)).scalars()] == [ALICE]
        assert (session.get(models.StampType, "101").minted, session.get(models.StampType, "101").configured_block) == (1, 1)


def test_an_approval_vote_counts_its_full_weight_for_each_option_and_once_for_quorum(sessions):
    proposal = 77
    created = event("OdysseyGovernor", "ProposalCreated", 5, proposalId=proposal, proposer=ALICE, targets=[STAMPS] * 3,
                    values=[0] * 3, signatures=[""] * 3, calldatas=["0x"] * 3, voteStart=6, voteEnd=26,
                    description="Which design?")
    options = event("OdysseyGovernor", "MultipleChoiceProposalCreated", 5, proposalId=proposal,
                    labels=["Maple", "Pumpkin", "Neither"], optionEnds=[1, 2, 3], approval=True)
    bitmap = "0x" + (0b101).to_bytes(32, "big").hex()
    vote = event("OdysseyGovernor", "VoteCastWithParams", 7, voter=BOB, proposalId=proposal, support=APPROVAL_VOTE,
                 weight=20, reason="", params=bitmap)
    apply(sessions, [created, options, vote])
    with sessions() as session:
        row = session.get(models.Proposal, str(proposal))
        assert (row.kind, row.options, row.votes_weight, row.voters) == ("multiple", ["Maple", "Pumpkin", "Neither"], 20, 1)
        tallies = session.execute(select(models.Tally.option, models.Tally.weight).where(
            models.Tally.proposal_id == str(proposal)).order_by(models.Tally.option)).all()
        assert [tuple(t) for t in tallies] == [(0, 20), (1, 0), (2, 20)]


def test_idea_support_adds_and_withdrawal_removes_the_supporter(sessions):
    submitted = event("IdeaBoard", "IdeaSubmitted", 3, ideaId=1, author=ALICE, title="Tasting", uri="ipfs://1",
                      contentHash="0x" + "ab" * 32, stagesVersion=1, deadline=1_700_100_000)
    supported = event("IdeaBoard", "IdeaSupported", 4, ideaId=1, supporter=BOB, supporters=1)
    apply(sessions, [submitted, supported])
    with sessions() as session:
        assert session.get(models.Idea, "1").supporters == 1
        assert session.get(models.IdeaSupporter, ("1", BOB)) is not None
    apply(sessions, [event("IdeaBoard", "IdeaSupportWithdrawn", 5, ideaId=1, supporter=BOB, supporters=0)])
    with sessions() as session:
        assert session.get(models.Idea, "1").supporters == 0
        assert session.get(models.IdeaSupporter, ("1", BOB)) is None


# ---------------------------------------------------------------- drops

DROP = "0x" + "d0" * 20


def drop_event(name: str, block: int, /, **args) -> Event:
    e = event("OdysseyDrops", name, block, **args)
    e.address = DROP
    return e


def configured(block: int = 2, **rules) -> Event:
    values = dict(dropId=1, stampId=302, supply=1, price=10**16, opensAt=3, closesAt=9, minLevel=1, minPoints=10,
                  requiredStamp=0, seedBlock=73) | rules
    return drop_event("DropConfigured", block, **values)


def test_a_drop_follows_its_events_from_opening_to_settlement(sessions):
    seed, block_hash = "0x" + "5e" * 32, "0x" + "b1" * 32
    apply(sessions, [
        configured(),
        drop_event("DropEntered", 4, dropId=1, member=ALICE, position=0, paid=10**16),
        drop_event("DropEntered", 5, dropId=1, member=BOB, position=1, paid=10**16),
        drop_event("DropSeedBlockMoved", 400, dropId=1, previousSeedBlock=73, seedBlock=464),
        drop_event("DropDrawn", 465, dropId=1, seedBlock=464, blockHash=block_hash, seed=seed, entries=2, winners=1),
        drop_event("DropClaimed", 466, dropId=1, member=ALICE, position=0),
        drop_event("DropRefunded", 467, dropId=1, member=BOB, position=1, amount=10**16),
        drop_event("ProceedsWithdrawn", 468, treasury=STAMPS, amount=10**16),
    ])
    with sessions() as session:
        drop = session.get(models.Drop, "1")
        assert (drop.stamp_id, drop.supply, drop.price, drop.opens_at, drop.closes_at) == ("302", 1, str(10**16), 3, 9)
        assert (drop.min_level, drop.min_points, drop.required_stamp) == (1, 10, "0")
        assert (drop.entries, drop.claimed, drop.refunded, drop.seed_block) == (2, 1, 1, 464)
        assert (drop.seed, drop.seed_block_hash, drop.drawn_block) == (seed, block_hash, 465)
        alice, bob = session.get(models.DropEntry, ("1", ALICE)), session.get(models.DropEntry, ("1", BOB))
        assert (alice.position, alice.paid, alice.status, alice.entered_block, alice.settled_block) == (
            0, str(10**16), "claimed", 4, 466)
        assert (bob.position, bob.status, bob.settled_block) == (1, "refunded", 467)
        flow = session.execute(select(models.TreasuryFlow)).scalar_one()
        assert (flow.kind, flow.amount) == ("drop_proceeds", str(10**16))
        assert session.get(models.Config, "drop_proceeds_withdrawn_wei").value == {"v": str(10**16)}


def test_changed_rules_before_the_first_entry_replace_the_old(sessions):
    apply(sessions, [configured(), configured(block=3, supply=5, price=0, opensAt=4, closesAt=20, seedBlock=84)])
    with sessions() as session:
        drop = session.get(models.Drop, "1")
        assert (drop.supply, drop.price, drop.opens_at, drop.seed_block, drop.configured_block) == (5, "0", 4, 84, 3)


def test_a_rollback_undoes_an_entry_and_a_claim(sessions):
    apply(sessions, [configured(), drop_event("DropEntered", 4, dropId=1, member=ALICE, position=0, paid=0)], safe=3)
    apply(sessions, [
        drop_event("DropEntered", 5, dropId=1, member=BOB, position=1, paid=0),
        drop_event("DropDrawn", 74, dropId=1, seedBlock=73, blockHash="0x" + "b1" * 32, seed="0x" + "5e" * 32,
                   entries=2, winners=1),
        drop_event("DropClaimed", 75, dropId=1, member=ALICE, position=0),
    ], safe=3)
    with sessions() as session, session.begin():
        assert journal.rollback_to(session, 4) > 0
    with sessions() as session:
        drop = session.get(models.Drop, "1")
        assert (drop.entries, drop.claimed, drop.seed, drop.drawn_block) == (1, 0, None, None)
        assert session.get(models.DropEntry, ("1", BOB)) is None
        assert session.get(models.DropEntry, ("1", ALICE)).status == "entered"


def test_a_burn_takes_the_points_out_of_the_total(sessions):
    """No Odyssey contract burns today; an ERC-1155 burn (a transfer to the zero address) must still balance."""
    apply(sessions, [stamp_type(102, 25), *claimed(102, ALICE, 2, ClaimMethod.AIRDROP)])
    apply(sessions, [event("OdysseyStamps", "TransferSingle", 3, operator=ALICE, **{"from": ALICE}, to=ZERO, id=102, value=1)])
    with sessions() as session:
        assert (session.get(models.Member, ALICE).points, session.get(models.Member, ALICE).stamps) == (0, 0)
        assert session.get(models.Config, "total_points").value == {"v": 0}
        assert session.get(models.StampType, "102").holders == 0
        assert session.execute(select(models.Transfer.to_address).where(models.Transfer.block_number == 3)).scalar_one() == ZERO


def test_a_stamp_of_an_unknown_type_moves_no_points(sessions):
    """A stamp id the mirror has no StampTypeConfigured for (it cannot be minted on chain) counts no points."""
    apply(sessions, [event("OdysseyStamps", "TransferSingle", 2, operator=ALICE, **{"from": ZERO}, to=ALICE, id=999, value=2)])
    with sessions() as session:
        assert (session.get(models.Member, ALICE).points, session.get(models.Member, ALICE).stamps) == (0, 1)
        assert session.get(models.Holding, (ALICE, "999")).balance == 2
        assert session.get(models.Config, "total_points").value == {"v": 0}


def test_a_vote_on_a_proposal_the_mirror_lacks_still_counts_in_its_tally(sessions):
    vote = event("OdysseyGovernor", "VoteCast", 7, voter=BOB, proposalId=404, support=1, weight=20, reason="")
    apply(sessions, [vote, event("OdysseyGovernor", "VoteCast", 8, voter=ALICE, proposalId=404, support=1, weight=5, reason="")])
    with sessions() as session:
        tally = session.get(models.Tally, ("404", 1))
        assert (tally.weight, tally.voters) == (25, 2)
        assert session.get(models.Proposal, "404") is None


def test_only_blocks_above_the_safe_one_are_journaled(sessions):
    apply(sessions, [stamp_type(101, 10), *claimed(101, ALICE, 10, ClaimMethod.VOUCHER)], safe=10)
    with sessions() as session:
        assert session.execute(select(models.JournalEntry)).first() is None  # block 10 is final
    apply(sessions, [*claimed(101, BOB, 11, ClaimMethod.VOUCHER, number=2)], safe=10)
    with sessions() as session:
        assert {e.block_number for e in session.execute(select(models.JournalEntry)).scalars()} == {11}


def test_a_handler_is_registered_under_contract_and_event(monkeypatch):
    monkeypatch.setattr(handlers, "REGISTRY", defaultdict(list))

    def seen(event, db):
        pass

    assert handlers.on("Somewhere:Happened")(seen) is seen
    assert handlers.handlers_for("Somewhere", "Happened") == [seen] and handlers.handlers_for("Elsewhere", "Happened") == []
    with pytest.raises(ValueError) as refused:
        handlers.on("TransferSingle")
    assert str(refused.value) == "handler key 'TransferSingle' must be 'Contract:Event'"
