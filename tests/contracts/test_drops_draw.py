"""The draw: seeded by the hash of a block fixed before the first entry, drawable by anyone once while that hash is
readable, moved to a new future block if nobody drew in time; exactly min(supply, entries) winners; the contract
and backend/chain/drops.py agree on them."""
import random

import brownie
import pytest
from brownie import chain, web3

from backend.chain import drops as draw
from backend.chain.protocol import BLOCKHASH_WINDOW, SEED_DELAY, DropState
from drop_helpers import (  # noqa: F401
    enter_and_draw, mine, mine_until_drawable, open_drop, rules, siren, winners_and_losers,
)
from stamp_helpers import err


def test_draw_before_the_seed_block_is_mined_is_refused(drops, siren, ops, members):
    open_drop(drops, ops, window=5)
    drops.enter(1, {"from": members[0]})
    seed_block = drops.drop(1)[3]
    with brownie.reverts(err("DropSeedBlockNotReached", 1, seed_block)):
        drops.draw(1, {"from": members[0]})  # entries still open
    mine(seed_block - 1 - chain.height)  # the next block is the seed block itself: its hash is unknown
    with brownie.reverts(err("DropSeedBlockNotReached", 1, seed_block)):
        drops.draw(1, {"from": members[0]})


def test_anyone_draws_from_the_seed_blocks_hash(drops, siren, ops, members, relayer):
    open_drop(drops, ops, supply=2)
    tx = enter_and_draw(drops, 1, members[:4], relayer)
    seed_block = drops.drop(1)[3]
    block_hash = web3.eth.get_block(seed_block)["hash"]
    seed = draw.drop_seed(block_hash, 1)
    assert tx.events["DropDrawn"] == {
        "dropId": 1, "seedBlock": seed_block, "blockHash": "0x" + block_hash.hex(), "seed": "0x" + seed.hex(),
        "entries": 4, "winners": 2,
    }
    assert drops.drop(1)[4] == "0x" + seed.hex()
    assert drops.dropState(1) == DropState.DRAWN


def test_a_drop_is_drawn_once(drops, siren, ops, members):
    open_drop(drops, ops)
    enter_and_draw(drops, 1, members[:2], members[0])
    with brownie.reverts(err("DropAlreadyDrawn", 1)):
        drops.draw(1, {"from": members[1]})


def test_oversubscribed_drop_has_exactly_supply_winners(drops, siren, ops, members):
    open_drop(drops, ops, supply=2)
    enter_and_draw(drops, 1, members[:4], members[0])
    won, lost = winners_and_losers(drops, 1, members[:4])
    assert len(won) == 2 and len(lost) == 2


def test_undersubscribed_drop_makes_every_entry_a_winner(drops, siren, ops, members):
    open_drop(drops, ops, supply=5)
    tx = enter_and_draw(drops, 1, members[:3], members[0])
    assert tx.events["DropDrawn"]["winners"] == 3
    assert winners_and_losers(drops, 1, members[:3]) == (list(members[:3]), [])


def test_a_drop_nobody_entered_draws_no_winner(drops, siren, ops, members):
    open_drop(drops, ops)
    tx = enter_and_draw(drops, 1, [], members[0])
    assert (tx.events["DropDrawn"]["entries"], tx.events["DropDrawn"]["winners"]) == (0, 0)
    assert not drops.isWinner(1, 0)


def test_positions_nobody_holds_never_win(drops, siren, ops, members):
    open_drop(drops, ops, supply=5)
    enter_and_draw(drops, 1, members[:2], members[0])
    assert [drops.isWinner(1, p) for p in range(4)] == [True, True, False, False]


def test_winners_are_unknown_before_the_draw(drops, siren, ops, members):
    open_drop(drops, ops)
    drops.enter(1, {"from": members[0]})
    with brownie.reverts(err("DropNotDrawn", 1)):
        drops.isWinner(1, 0)


def test_an_expired_seed_is_refused_and_moved_to_a_new_future_block(drops, siren, ops, members, relayer):
    open_drop(drops, ops, window=2)
    drops.enter(1, {"from": members[0]})
    seed_block = drops.drop(1)[3]
    mine(seed_block + BLOCKHASH_WINDOW + 1 - chain.height)  # a view runs in the latest block, a transaction
    assert drops.dropState(1) == DropState.SEED_EXPIRED  # in the next: neither can read the seed block's hash now
    with brownie.reverts(err("DropSeedBlockExpired", 1, seed_block)):
        drops.draw(1, {"from": members[0]})
    tx = drops.moveSeedBlock(1, {"from": relayer})
    moved = tx.block_number + SEED_DELAY
    assert tx.events["DropSeedBlockMoved"] == {"dropId": 1, "previousSeedBlock": seed_block, "seedBlock": moved}
    assert drops.drop(1)[3] == moved
    assert drops.dropState(1) == DropState.CLOSED
    with brownie.reverts(err("DropSeedBlockNotReached", 1, moved)):
        drops.draw(1, {"from": members[0]})
    mine_until_drawable(drops, 1)
    tx = drops.draw(1, {"from": members[0]})
    assert tx.events["DropDrawn"]["seedBlock"] == moved
    assert tx.events["DropDrawn"]["blockHash"] == "0x" + web3.eth.get_block(moved)["hash"].hex()


def test_a_readable_or_future_seed_block_cannot_be_moved(drops, siren, ops, members):
    open_drop(drops, ops, window=2)
    seed_block = drops.drop(1)[3]
    with brownie.reverts(err("DropSeedBlockNotExpired", 1, seed_block)):
        drops.moveSeedBlock(1, {"from": members[0]})  # not reached
    mine(seed_block + BLOCKHASH_WINDOW - 2 - chain.height)
    with brownie.reverts(err("DropSeedBlockNotExpired", 1, seed_block)):
        drops.moveSeedBlock(1, {"from": members[0]})  # mined (Brownie mines reverting transactions here)
    assert chain.height == seed_block + BLOCKHASH_WINDOW - 1  # the next block is the last to read its hash
    assert drops.dropState(1) == DropState.DRAWABLE
    tx = drops.draw(1, {"from": members[0]})
    assert tx.block_number == seed_block + BLOCKHASH_WINDOW
    with brownie.reverts(err("DropAlreadyDrawn", 1)):
        drops.moveSeedBlock(1, {"from": members[0]})


def test_state_follows_the_drop_through_its_blocks(drops, siren, ops, members):
    r = rules(opens_in=3, window=2)
    drops.openDrop(1, r, {"from": ops})
    states = [drops.dropState(1)]
    mine(r[4] - chain.height)
    states.append(drops.dropState(1))  # at opensAt
    mine(r[5] + 1 - chain.height)
    states.append(drops.dropState(1))  # past closesAt
    mine_until_drawable(drops, 1)
    states.append(drops.dropState(1))  # a view runs in the latest block: the seed block itself
    mine(1)
    states.append(drops.dropState(1))
    drops.draw(1, {"from": members[0]})
    states.append(drops.dropState(1))
    assert states == [DropState.UPCOMING, DropState.OPEN, DropState.CLOSED, DropState.CLOSED, DropState.DRAWABLE, DropState.DRAWN]


def test_the_draw_costs_the_same_however_many_entered(drops, siren, ops, members):
    open_drop(drops, ops, 1, supply=1)
    open_drop(drops, ops, 2, supply=1)
    for member in members[:4]:
        drops.enter(2, {"from": member})
    mine_until_drawable(drops, 2)
    few, many = drops.draw(1, {"from": members[0]}), drops.draw(2, {"from": members[0]})
    assert abs(few.gas_used - many.gas_used) < 50  # only the event's numbers differ


def test_contract_and_python_draw_agree_on_a_drawn_drop(drops, siren, ops, members):
    opened = open_drop(drops, ops, supply=2).block_number
    entrants = list(members[:4])
    random.Random(13).shuffle(entrants)
    enter_and_draw(drops, 1, entrants, members[0])
    # What a verifier reads: the entry list and the seed block's hash, from the chain's public record.
    entered = drops.events.get_sequence(opened, event_type="DropEntered")
    in_order = [e.args.member for e in sorted(entered, key=lambda e: e.args.position)]
    assert in_order == entrants
    seed = draw.drop_seed(web3.eth.get_block(drops.drop(1)[3])["hash"], 1)
    assert winners_and_losers(drops, 1, in_order)[0] == draw.winners(seed, in_order, 2)


@pytest.mark.parametrize("entries", [1, 2, 3, 5, 16, 17, 100, 1000, 2**20 + 3, 2**32 - 1])
def test_contract_and_python_permute_agree_for_random_seeds(drops, entries):
    rng = random.Random(entries)
    for _ in range(8):
        seed = rng.randbytes(32)
        position = rng.randrange(entries)
        assert drops.permute(seed, position, entries) == draw.permute(seed, position, entries)


def test_permute_refuses_a_position_outside_the_entries(drops):
    with brownie.reverts(err("DropInvalidPosition", 5, 5)):
        drops.permute("0x" + "11" * 32, 5, 5)
