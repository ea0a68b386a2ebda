"""Differential: after a random workload, the API's figures equal the contracts' own view functions."""
import random

import pytest

from backend.indexer.runner import Indexer
from tests.backend.mirror import assert_api_matches_chain


@pytest.mark.parametrize("seed", [7])
def test_api_equals_contract_views_after_random_workload(chain, settings, client_for, seed):
    rng = random.Random(seed)
    assert chain.random_workload(rng, 90) > 30
    indexer = Indexer(settings)
    indexer.setup()
    indexer.sync()
    client = client_for(settings)
    assert_api_matches_chain(client, chain)


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
