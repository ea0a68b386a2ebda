"""Reorgs built with evm_snapshot / evm_revert and different transactions: the mirror follows the new chain (it equals
a clean re-index, and the new chain's own logs and views)."""
import random

import pytest

from backend.dev.chain import Chain
from backend.indexer.runner import Indexer, ReorgTooDeep
from tests.backend.chain_rows import assert_rows_match_chain
from tests.backend.mirror import assert_api_matches_chain, assert_drops_match_chain, assert_governance_matches_chain, dump


def _blocks(chain: Chain, rng: random.Random, count: int) -> None:
    """Exactly `count` new blocks: random transactions (one block each), governance ones among them while there is
    room (blocks passing, an execution after the timelock's delay: up to 8), padded with empty blocks."""
    start = chain.head()
    attempts = 0
    while (left := count - (chain.head() - start)) > 0 and attempts < 3 * count:
        attempts += 1
        if left > 8 and rng.random() < 0.3:
            chain.random_governance_action(rng)
        else:
            chain.random_action(rng)
    chain.mine(count - (chain.head() - start))
    assert chain.head() - start == count


def _assert_matches_chain(url: str, client, chain: Chain) -> None:
    assert_rows_match_chain(url, chain, assert_api_matches_chain(client, chain))
    assert_governance_matches_chain(client, chain)


def _clean_dump(settings_for, new_db) -> dict:
    url = new_db()
    indexer = Indexer(settings_for(url))
    indexer.setup()
    indexer.sync()
    return dump(url)


@pytest.mark.parametrize(
    "depth,new_length",
    [(1, 1), (2, 5), (9, 4), (33, 40), (64, 64)],
    ids=["depth1", "depth2-longer", "depth9-shorter", "depth33", "depth64"],
)
def test_mirror_follows_the_new_chain_after_a_reorg(chain, settings_for, new_db, client_for, depth, new_length):
    rng = random.Random(depth * 1000 + new_length)
    _blocks(chain, rng, 12)
    url = new_db()
    settings = settings_for(url)
    indexer = Indexer(settings)
    indexer.setup()
    indexer.sync()

    fork_point = chain.snapshot()
    ancestor = chain.head()
    _blocks(chain, random.Random(rng.random()), depth)  # the branch the mirror sees first
    indexer.sync()
    old_tip = indexer.status.indexed_block
    assert old_tip == ancestor + depth
    old_hash = chain.w3.eth.get_block(ancestor + 1)["hash"]

    chain.revert(fork_point)
    _blocks(chain, random.Random(rng.random()), new_length)  # a different branch from the same ancestor
    assert chain.w3.eth.get_block(ancestor + 1)["hash"] != old_hash
    indexer.sync()

    assert indexer.status.reorgs == 1
    assert indexer.status.indexed_block == chain.head()
    assert dump(url) == _clean_dump(settings_for, new_db)
    _assert_matches_chain(url, client_for(settings), chain)


def test_reorg_deeper_than_the_window_is_reported_not_silently_applied(chain, settings_for, new_db):
    _blocks(chain, random.Random(5), 10)
    settings = settings_for(new_db(), reorg_depth=4)
    indexer = Indexer(settings)
    indexer.setup()
    fork_point = chain.snapshot()
    _blocks(chain, random.Random(6), 8)
    indexer.sync()
    chain.revert(fork_point)
    _blocks(chain, random.Random(7), 9)
    with pytest.raises(ReorgTooDeep):
        indexer.sync()


def test_two_reorgs_in_a_row_and_back_to_the_first_branch_shape(chain, settings_for, new_db, client_for):
    rng = random.Random(99)
    _blocks(chain, rng, 5)
    url = new_db()
    settings = settings_for(url)
    indexer = Indexer(settings)
    indexer.setup()
    indexer.sync()
    first = chain.snapshot()
    _blocks(chain, rng, 6)
    indexer.sync()
    chain.revert(first)
    first = chain.snapshot()
    _blocks(chain, rng, 3)
    indexer.sync()
    second = chain.snapshot()
    _blocks(chain, rng, 4)
    indexer.sync()
    chain.revert(second)
    _blocks(chain, rng, 2)
    indexer.sync()
    assert indexer.status.reorgs == 2
    assert dump(url) == _clean_dump(settings_for, new_db)
    _assert_matches_chain(url, client_for(settings), chain)


def test_a_reorg_undoes_a_draw_and_its_settlements(chain, settings_for, new_db, client_for):
    """A paid drop, entered and past its seed block; one branch draws and settles every entry, the other draws two
    blocks later and settles one: the mirror ends as a fresh index of the second branch."""
    for member in (4, 5, 6):
        chain.claim(member, 1)  # level 1
    chain.open_drop(1, supply=1, price=10**15, window=5)
    entrants = [m for m in (4, 5, 6) if chain.enter_drop(m, 1)]
    assert len(entrants) == 3
    chain.mine(chain.drops.functions.drop(1).call()[3] + 1 - chain.head())
    url = new_db()
    settings = settings_for(url)
    indexer = Indexer(settings)
    indexer.setup()
    indexer.sync()

    fork_point = chain.snapshot()
    chain.send(7, chain.drops.functions.draw(1))
    for member in entrants:
        assert chain.settle_drop(7, 1, member)
    chain.send(7, chain.drops.functions.withdrawProceeds())
    indexer.sync()
    assert client_for(settings).get("/drops/1").json()["data"]["claimed"] == 1

    chain.revert(fork_point)
    chain.mine(2)
    chain.send(8, chain.drops.functions.draw(1))
    chain.settle_drop(8, 1, entrants[0])
    chain.mine(10)
    indexer.sync()

    assert indexer.status.reorgs == 1
    assert dump(url) == _clean_dump(settings_for, new_db)
    client = client_for(settings)
    assert client.get("/drops/1").json()["data"]["claimed"] + client.get("/drops/1").json()["data"]["refunded"] == 1
    assert_drops_match_chain(client, chain)
    _assert_matches_chain(url, client, chain)
