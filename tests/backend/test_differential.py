"""Differential: after random workloads (over several seeds), and after every block of a live run, the API's figures
equal the contracts' own view functions and every row of the mirror equals the chain's own logs."""
import random

import pytest

from backend.indexer.runner import Indexer
from tests.backend.chain_rows import assert_rows_match_chain
from tests.backend.mirror import all_pages, assert_api_matches_chain, assert_governance_matches_chain

# What each seed's workload must have landed: every kind of member, ops and DAO action, and the governance ones
# common enough to land in every run (support withdrawals, queueing and executions land in some).
MEMBER_KINDS = {"claim", "allowlist", "airdrop", "purchase", "transfer", "transfer_batch", "delegate", "redeem",
                "withdraw", "journey", "stamp_type", "creator_share", "thresholds", "treasury", "royalty", "pause"}
GOVERNANCE_KINDS = {"propose", "vote", "submit", "support"}


def _matches_chain(client, chain, database_url: str) -> dict[str, int]:
    block = assert_api_matches_chain(client, chain)
    assert_governance_matches_chain(client, chain)
    return assert_rows_match_chain(database_url, chain, block)


@pytest.mark.parametrize("seed", [3, 8, 13])
def test_api_equals_contract_views_after_random_workload(chain, settings, client_for, seed):
    """Members, stamps, then proposals, votes and ideas: compared while votes run and after they end."""
    rng = random.Random(seed)
    landed = chain.random_workload(rng, 160)
    assert landed.total() > 50 and MEMBER_KINDS <= landed.keys(), landed
    governance = chain.random_workload(rng, 80, governance=1.0)
    assert governance.total() > 20 and GOVERNANCE_KINDS <= governance.keys(), governance
    indexer = Indexer(settings)
    indexer.setup()
    indexer.sync()
    client = client_for(settings)
    rows = _matches_chain(client, chain, settings.database_url)
    assert all(rows[table] for table in ("claims", "transfers", "transfers in batches", "sales", "redemptions",
                                         "delegations", "votes", "idea_supporters", "treasury_flows")), rows
    chain.mine(25)  # every vote over: succeeded, defeated (ties, no quorum)
    indexer.sync()
    _matches_chain(client, chain, settings.database_url)
    proposals = all_pages(client, "/proposals")
    assert {p["kind"] for p in proposals} == {"simple", "multiple"} and sum(p["voters"] for p in proposals) > 5
    states = {p["state"] for p in proposals}
    assert "defeated" in states and states & {"succeeded", "queued", "executed"}, states


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_mirror_follows_live_blocks_one_by_one(chain, settings, client_for, seed):
    """Live mode: index after every transaction; each answer reflects the new block and still equals the views and
    the logs."""
    rng = random.Random(seed)
    indexer = Indexer(settings)
    indexer.setup()
    client = client_for(settings)
    steps = 0
    while steps < 12:
        if chain.random_workload(rng, 1, governance=0.3).total() == 0:
            continue
        steps += 1
        indexer.sync()
        assert client.get("/stats").headers["X-Odyssey-Block"] == str(chain.head())
        _matches_chain(client, chain, settings.database_url)
