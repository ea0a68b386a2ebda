"""Pure parts: governor state rules, provider range hints, levels; adaptive ranges against the real node."""
import random
from types import SimpleNamespace

import pytest

from backend.chain.protocol import BLOCKHASH_WINDOW
from backend.chain.views import (
    approved_options, drop_state, idea_state, issuable, level_floor, level_for, next_threshold, proposal_state,
    winning_option,
)
from backend.indexer.runner import Indexer, suggested_range
from tests.backend.chain_rows import assert_rows_match_chain
from tests.backend.mirror import dump


def _proposal(**kw):
    base = dict(kind="simple", snapshot=10, deadline=20, eta=None, executed_block=None, canceled_block=None)
    base.update(kw)
    return SimpleNamespace(**base)


@pytest.mark.parametrize("clock,tallies,quorum,kw,expected", [
    (10, {}, 0, {}, "pending"),
    (11, {}, 0, {}, "active"),
    (20, {1: 5}, 0, {}, "active"),
    (21, {1: 5, 0: 4}, 5, {}, "succeeded"),
    (21, {1: 5, 0: 5}, 0, {}, "defeated"),
    (21, {1: 3, 2: 1}, 5, {}, "defeated"),
    (21, {1: 3, 2: 2}, 5, {}, "succeeded"),
    (21, {1: 3}, 0, {"eta": 99}, "queued"),
    (30, {1: 3}, 0, {"eta": 99, "executed_block": 30}, "executed"),
    (29, {1: 3}, 0, {"eta": 99, "executed_block": 30}, "queued"),
    (15, {}, 0, {"canceled_block": 12}, "canceled"),
    (21, {0: 1, 1: 7, 2: 3}, 5, {"kind": "multiple", "votes_weight": 11}, "succeeded"),
    (21, {0: 4, 1: 4}, 5, {"kind": "multiple", "votes_weight": 8}, "defeated"),  # tie for first place
    (21, {0: 0, 1: 0}, 0, {"kind": "multiple", "votes_weight": 0}, "defeated"),  # no votes
    (21, {0: 4, 1: 4, 2: 5}, 5, {"kind": "multiple", "votes_weight": 4}, "defeated"),  # approvals: 4 voted, not 13
    (21, {0: 4, 1: 4, 2: 5}, 4, {"kind": "multiple", "votes_weight": 4}, "succeeded"),
    (221, {1: 3}, 0, {"queue_period": 200}, "expired"),
    (220, {1: 3}, 0, {"queue_period": 200}, "succeeded"),
    (221, {1: 3}, 0, {"queue_period": 200, "eta": 99}, "queued"),
    (221, {1: 3}, 0, {"queue_period": 0}, "succeeded"),  # no limit
    (25, {1: 3}, 0, {"eta": 99, "operation": "scheduled"}, "queued"),
    (25, {1: 3}, 0, {"eta": 99, "operation": "cancelled"}, "canceled"),  # a canceller, on the timelock directly
    (25, {1: 3}, 0, {"eta": 99, "operation": "executed"}, "executed"),  # anyone, on the timelock directly
    (25, {1: 3}, 0, {"operation": "cancelled"}, "succeeded"),  # not queued by the governor: not its operation
    (15, {}, 0, {"canceled_block": 15}, "canceled"),  # from the block it was canceled in
    (14, {}, 0, {"canceled_block": 15}, "active"),
    (21, {1: 1}, 0, {}, "succeeded"),  # no vote Against or Abstain: none counted
    (21, {2: 5}, 5, {}, "defeated"),  # quorum by abstentions alone, no vote For
])
def test_governor_state_rules(clock, tallies, quorum, kw, expected):
    kw = dict(kw)  # a copy: the parameters are shared by every run of the test in one process
    queue_period = kw.pop("queue_period", 0)
    operation = kw.pop("operation", None)
    assert proposal_state(_proposal(**kw), tallies, quorum, clock, queue_period, operation) == expected


def test_proposals_expire_only_with_a_queue_period():
    assert proposal_state(_proposal(), {1: 3}, 0, 10**6) == "succeeded"  # no queue period given: none


@pytest.mark.parametrize("tallies,winner", [
    ({0: 3, 1: 5, 2: 5}, None), ({0: 5, 1: 3, 2: 5}, None), ({0: 6, 1: 3, 2: 5}, 0), ({0: 0, 1: 0}, None), ({0: 0, 1: 1}, 1),
])
def test_winning_option_needs_a_sole_leader(tallies, winner):
    assert winning_option(tallies) == winner


def test_approval_params_decode_to_options():
    assert approved_options("0x" + (0b1011).to_bytes(32, "big").hex()) == [0, 1, 3]
    assert approved_options("0x") == [] and approved_options(None) == []
    assert approved_options("0x" + (0b10000).to_bytes(32, "big").hex()) == [4]
    assert approved_options("0x" + (1 << 255 | 1).to_bytes(32, "big").hex()) == [0, 255]
    # the governor decodes the first word (abi.decode(params, (uint256))): bytes after it count for nothing
    assert approved_options("0x" + (0b110).to_bytes(32, "big").hex() + "ff" * 32) == [1, 2]


def _idea(stage, deadline=None, proposal_id=None):
    return SimpleNamespace(stage=stage, deadline=deadline, proposal_id=proposal_id)


@pytest.mark.parametrize("idea,now,linked,expected", [
    (_idea("open", deadline=100), 100, None, "open"),
    (_idea("open", deadline=100), 101, None, "expired"),
    (_idea("open"), 10**9, None, "open"),  # no deadline
    (_idea("qualified"), 10**9, None, "qualified"),
    (_idea("proposed", proposal_id="7"), 0, "active", "proposed"),
    (_idea("proposed", proposal_id="7"), 0, "succeeded", "proposed"),
    (_idea("proposed", proposal_id="7"), 0, "queued", "proposed"),
    (_idea("proposed", proposal_id="7"), 0, "defeated", "rejected"),
    (_idea("proposed", proposal_id="7"), 0, "canceled", "rejected"),
    (_idea("proposed", proposal_id="7"), 0, "expired", "rejected"),
    (_idea("proposed", proposal_id="7"), 0, "executed", "rejected"),  # executed without realising it
    (_idea("proposed", proposal_id="7"), 0, None, "rejected"),  # unknown to the mirror's governor
    (_idea("realised", deadline=100, proposal_id="7"), 10**9, "executed", "realised"),
])
def test_idea_state_rules(idea, now, linked, expected):
    assert idea_state(idea, now, linked) == expected


_DROP = SimpleNamespace(seed=None, opens_at=10, closes_at=20, seed_block=30)


@pytest.mark.parametrize("block,expected", [
    (9, "upcoming"), (10, "open"), (20, "open"), (21, "closed"), (30, "closed"), (31, "drawable"),
    (30 + BLOCKHASH_WINDOW, "drawable"), (31 + BLOCKHASH_WINDOW, "seed_expired"),
])
def test_drop_state_follows_the_blocks_as_the_contract_does(block, expected):
    assert drop_state(_DROP, block) == expected


def test_a_drawn_drop_stays_drawn():
    drawn = SimpleNamespace(**{**vars(_DROP), "seed": "0x01"})
    assert [drop_state(drawn, block) for block in (0, 15, 10**6)] == ["drawn"] * 3


@pytest.mark.parametrize("max_supply,minted,journey_end,now,expected", [
    (0, 10**6, 0, 10**9, True),  # an open edition, a journey that never ends
    (5, 4, 0, 0, True), (5, 5, 0, 0, False), (5, 6, 0, 0, False),
    (0, 0, 100, 100, True), (0, 0, 100, 101, False),
    (5, 5, 100, 50, False),  # sold out within its journey
])
def test_a_stamp_is_issuable_with_supply_left_until_its_journey_ends(max_supply, minted, journey_end, now, expected):
    assert issuable(SimpleNamespace(max_supply=max_supply, minted=minted), journey_end, now) is expected


@pytest.mark.parametrize("message,span", [
    ("query returned more than 10000 results. Try with this block range [0x10, 0x1F].", 16),
    ("Log response size exceeded. ... this block range should work: [0x7c5a9f, 0x7c5ba6]", 264),
    ("eth_getLogs is limited to a 10,000 range", 10000),
    ("block range too large, maximum block range of 2000", 2000),
    ("exceed maximum block range: 5k", 5000),
    ("something else", None),
])
def test_provider_range_hints(message, span):
    assert suggested_range(message) == span


def test_levels_count_thresholds_at_or_below_points():
    thresholds = [10, 50, 150]
    points = (0, 9, 10, 49, 50, 150, 10**6)
    assert [level_for(p, thresholds) for p in points] == [0, 0, 1, 1, 2, 3, 3]
    assert [level_floor(p, thresholds) for p in points] == [0, 0, 10, 10, 50, 150, 150]
    assert [next_threshold(p, thresholds) for p in points] == [10, 10, 50, 50, 150, None, None]


def test_ranges_split_on_too_many_results_and_grow_on_sparse_ones(chain, settings_for, new_db):
    assert chain.random_workload(random.Random(8), 40, governance=0.2).total() > 15
    chain.mine(200)
    url = new_db()
    indexer = Indexer(settings_for(url, initial_range=64, max_logs=3, target_logs=2, max_range=256))
    indexer.setup()
    ranges = []
    while indexer.step():
        ranges.append(indexer.range)
    assert min(ranges) <= 2 and max(ranges) >= 128  # split down in busy blocks, grown over the empty ones
    clean = new_db()
    reference = Indexer(settings_for(clean))
    reference.setup()
    reference.sync()
    assert dump(url) == dump(clean)
    assert_rows_match_chain(url, chain, chain.head())


def test_migrations_build_the_schema_the_models_describe(settings_for, new_db):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine

    from backend.db import migrate, models

    url = new_db()
    migrate.upgrade(settings_for(url))
    engine = create_engine(url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), models.Base.metadata)
    engine.dispose()
    assert differences == []
