"""Differential: after a random workload, the API's figures equal the contracts' own view functions, and its claims feed
equals the StampClaimed events the stamps contract emitted."""
import random

import pytest

from backend.indexer.runner import Indexer
from tests.backend.mirror import all_pages, assert_api_matches_chain, assert_governance_matches_chain


@pytest.mark.parametrize("seed", [3, 8])
def test_api_equals_contract_views_after_random_workload(chain, settings, client_for, seed):
    """Members, stamps, then proposals, votes and ideas: compared while votes run and after they end."""
    rng = random.Random(seed)
    assert chain.random_workload(rng, 90) > 30
    assert sum(chain.random_governance_action(rng) is not None for _ in range(60)) > 20
    indexer = Indexer(settings)
    indexer.setup()
    indexer.sync()
    client = client_for(settings)
    assert_api_matches_chain(client, chain)
    assert_governance_matches_chain(client, chain)
    chain.mine(25)  # every vote over: succeeded, defeated (ties, no quorum)
    indexer.sync()
    assert_governance_matches_chain(client, chain)
    proposals = all_pages(client, "/proposals")
    assert {p["kind"] for p in proposals} == {"simple", "multiple"} and sum(p["voters"] for p in proposals) > 5
    assert {p["state"] for p in proposals} >= {"succeeded", "defeated"}
    assert sum(i["supporters"] for i in all_pages(client, "/ideas")) > 2


def test_mirror_follows_live_blocks_one_by_one(chain, settings, client_for):
    """Live mode: index after every transaction; each answer reflects the new block and still equals the views."""
    rng = random.Random(11)
    indexer = Indexer(settings)
    indexer.setup()
    client = client_for(settings)
    for _ in range(12):
        if chain.random_action(rng) is None:
            continue
        indexer.sync()
        assert client.get("/stats").headers["X-Odyssey-Block"] == str(chain.head())
    assert_api_matches_chain(client, chain)
