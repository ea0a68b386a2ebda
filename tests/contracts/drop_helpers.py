"""Shared by the drop tests: a stamp to drop, members made eligible, drop rules, and the steps to a draw.

Test modules import the `siren` fixture by name (`from drop_helpers import siren`).
"""
import pytest
from brownie import chain, web3


SIREN_JOURNEY, SIREN, SIREN_POINTS, SIREN_SUPPLY = 7, 701, 30, 100
QUIZ = 101  # conftest's soulbound 10-point stamp: level 1
FARM_VISIT = 102  # conftest's collectible 25-point stamp, supply 3
PRICE = 10**16


@pytest.fixture(scope="module")
def siren(stamps, journey, ops, members):
    """Journey 7 (open-ended) with the drop's stamp 701 (collectible, 30 points, supply 100); members 0-3 hold the
    soulbound quiz stamp (10 points: level 1), member 4 holds nothing."""
    stamps.createJourney(SIREN_JOURNEY, "Siren Collection", "ipfs://siren", 0, 0, {"from": ops})
    stamps.createStampType(SIREN, SIREN_JOURNEY, "Siren", SIREN_POINTS, False, SIREN_SUPPLY, {"from": ops})
    stamps.airdrop(QUIZ, members[:4], {"from": ops})
    chain.mine()
    return SIREN


def plain(value):
    """A contract's return value as plain Python tuples, ints and strings (Brownie's own types compare only with
    their own kind)."""
    if isinstance(value, (list, tuple)):
        return tuple(plain(v) for v in value)
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, (bool, str)):
        return value if isinstance(value, bool) else str(value)
    return int(value)


def rules(stamp_id=SIREN, required=0, price=0, supply=2, opens_in=1, window=20, min_level=1):
    """DropRules for a drop opened by the next transaction: entries from `opens_in` blocks ahead, for `window`
    more blocks (opens_in=1: from the opening transaction's own block)."""
    opens = chain.height + opens_in
    return (stamp_id, required, price, supply, opens, opens + window, min_level)


def open_drop(drops, ops, drop_id=1, **overrides):
    return drops.openDrop(drop_id, rules(**overrides), {"from": ops})


def mine(blocks):
    """Mine `blocks` empty blocks in one request (Ganache's `evm_mine` option; chain.mine asks once per block)."""
    if blocks > 0:
        web3.provider.make_request("evm_mine", [{"blocks": blocks}])


def mine_until_drawable(drops, drop_id=1):
    """Mine until the next transaction can draw: its block is the one after the seed block."""
    mine(drops.drop(drop_id)[3] - chain.height)


def enter_and_draw(drops, drop_id, entrants, caller, price=0):
    """Enter each of `entrants` (in order), then draw; returns the draw's transaction."""
    for member in entrants:
        drops.enter(drop_id, {"from": member, "value": price})
    mine_until_drawable(drops, drop_id)
    return drops.draw(drop_id, {"from": caller})


def winners_and_losers(drops, drop_id, entrants):
    won = [m for m in entrants if drops.isWinner(drop_id, drops.entry(drop_id, m)[0])]
    return won, [m for m in entrants if m not in won]

