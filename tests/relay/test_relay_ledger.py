"""The relay's per-member ledger (backend/relay/limits.py MemberLedger) on a migrated SQLite database, with a clock of
the test's own: one transaction in flight per member, requests per window, a gas budget per window reserved at the gas
limit and brought down to the gas used. No chain: the relay suite runs the ledger through real transactions
(test_relay_abuse.py); these pin its arithmetic, and are what mutation testing runs (docs/testing.md)."""
import pytest
from sqlalchemy import select

from backend.db import migrate
from backend.db.models import RelayGas, RelayHit, RelayInFlight
from backend.db.session import session_factory
from backend.relay.limits import InFlight, MemberLedger, RateLimiter, Refused
from backend.settings import Settings

ALICE, BOB = "0x" + "a1" * 20, "0x" + "b2" * 20
DAY = 86_400


@pytest.fixture
def clock():
    return [100 * DAY + 0.5]  # half a second into a budget window (and into a request window)


@pytest.fixture
def settings(tmp_path):
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'ledger.db'}", relay_gas_per_member=1_000,
                        relay_gas_window_seconds=DAY, relay_per_address=3, relay_window_seconds=60)
    migrate.upgrade(settings)
    return settings


def ledger(settings, clock) -> MemberLedger:
    return MemberLedger(settings, clock=lambda: clock[0])


def gas(settings) -> dict[tuple[str, int], int]:
    with session_factory(settings)() as session:
        return {(r.member, r.window_start): r.gas for r in session.execute(select(RelayGas)).scalars()}


def hits(settings) -> dict[tuple[str, str], int]:
    with session_factory(settings)() as session:
        return {(r.scope, r.key): r.hits for r in session.execute(select(RelayHit)).scalars()}


def test_one_transaction_in_flight_per_member(settings, clock):
    book = ledger(settings, clock)
    assert book.in_flight(ALICE) is None
    book.reserve(ALICE, "0x01", 100)
    assert book.in_flight(ALICE) == InFlight(ALICE, "0x01", clock[0])
    with pytest.raises(Refused) as refused:
        book.reserve(ALICE, "0x02", 100)
    assert (refused.value.reason, refused.value.tx_hash, refused.value.wait) == ("in flight", "0x01", None)
    book.reserve(BOB, "0x03", 100)  # another member's slot
    book.settle("0x01", 60)
    assert book.in_flight(ALICE) is None
    book.reserve(ALICE, "0x02", 100)


def test_the_budget_is_reserved_at_the_gas_limit_and_settled_at_the_gas_used(settings, clock):
    book, window = ledger(settings, clock), 100 * DAY * 1000
    book.reserve(ALICE, "0x01", 700)
    assert gas(settings) == {(ALICE, window): 700}
    book.settle("0x01", 250)
    assert gas(settings) == {(ALICE, window): 250}
    book.settle("0x01", 0)  # settled once: a second call changes nothing
    assert gas(settings) == {(ALICE, window): 250}
    book.reserve(ALICE, "0x02", 750)  # 250 + 750 = the whole budget: still allowed
    book.settle("0x02", 750)
    assert book.budget_wait(ALICE) == DAY - 0.5 and book.budget_wait(BOB) is None
    with pytest.raises(Refused) as refused:
        book.reserve(ALICE, "0x03", 1)
    assert (refused.value.reason, refused.value.wait) == ("gas", DAY - 0.5)
    assert book.in_flight(ALICE) is None and gas(settings) == {(ALICE, window): 1_000}  # refused: nothing kept


def test_a_new_budget_window_starts_from_nothing_and_sweeps_the_old_one(settings, clock):
    book = ledger(settings, clock)
    book.reserve(ALICE, "0x01", 1_000)
    book.settle("0x01", 1_000)
    assert book.budget_wait(ALICE) is not None
    clock[0] += DAY
    assert book.budget_wait(ALICE) is None
    book.reserve(ALICE, "0x02", 400)
    assert gas(settings) == {(ALICE, 101 * DAY * 1000): 400}


def test_a_transaction_never_sent_is_released_whole(settings, clock):
    book = ledger(settings, clock)
    for n in range(3):  # three requests a window
        book.reserve(ALICE, f"0x0{n}", 300)
        book.release(ALICE, f"0x0{n}")
    assert book.in_flight(ALICE) is None and gas(settings) == {(ALICE, 100 * DAY * 1000): 0}
    book.release(ALICE, "0x09")  # unknown: nothing to undo
    book.reserve(ALICE, "0x04", 300)  # the released requests were not counted
    book.settle("0x04", 300)
    book.reserve(ALICE, "0x05", 300)
    book.settle("0x05", 300)
    book.reserve(ALICE, "0x06", 300)
    book.settle("0x06", 300)
    with pytest.raises(Refused) as refused:
        book.reserve(ALICE, "0x07", 10)
    assert (refused.value.reason, refused.value.wait) == ("rate", 59.5)
    with session_factory(settings)() as session:
        assert session.execute(select(RelayInFlight)).first() is None


def test_a_budget_of_zero_counts_no_gas(settings, clock):
    book = ledger(settings.model_copy(update={"relay_gas_per_member": 0}), clock)
    book.reserve(ALICE, "0x01", 10**9)
    book.settle("0x01", 10**9)
    assert book.budget_wait(ALICE) is None and gas(settings) == {}


def test_a_release_and_a_sweep_touch_only_their_own_scope_and_key(settings, clock):
    book, ip = ledger(settings, clock), RateLimiter(settings, "ip", 5, clock=lambda: clock[0])
    ip.hit(ALICE)  # another scope, same key
    book.reserve(ALICE, "0x01", 100)
    book.reserve(BOB, "0x02", 100)
    book.release(ALICE, "0x01")
    assert hits(settings) == {("ip", ALICE): 1, ("member", ALICE): 0, ("member", BOB): 1}
    clock[0] += 60  # a new request window: the member limiter sweeps its own ended windows, not the ip limiter's
    book.settle("0x02", 100)
    book.reserve(BOB, "0x03", 100)
    assert hits(settings) == {("ip", ALICE): 1, ("member", BOB): 1}
