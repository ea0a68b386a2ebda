"""Fairness of the drop draw (backend/chain/drops.py, the same permutation as OdysseyDrops), in pure Python: no chain.

Over thousands of seeds of an oversubscribed drop, each entry must win about supply/entries of the time, and a group
of entrants who entered back to back (a bot farm) must win no more than a random group does. Both are chi-square
tests at the 1 % significance level against critical values from the NIST/SEMATECH e-Handbook of Statistical
Methods, table 1.3.6.7.4 (upper-tail critical values of the chi-square distribution). The seeds are fixed (the
hashes of 0, 1, 2, ... mixed with the drop id as the contract mixes a block hash), so the test gives the same
answer on every run.

Per-entry statistic. Over S seeds, entry i wins w_i times; each draw picks exactly N of n entries, so the w_i are
negatively correlated (their sum is S*N). With p = N/n, Var(w_i) = S p (1-p) and Cov(w_i, w_j) = -S p (1-p)/(n-1):
the covariance is S p (1-p) n/(n-1) times a projection of rank n-1, hence
    T = (n-1)/n * sum_i (w_i - S p)^2 / (S p (1-p))
follows a chi-square distribution with n-1 degrees of freedom when every entry has the same chance.
"""
from functools import cache
from math import comb

import pytest
from eth_utils import keccak

from backend.chain.drops import drop_seed, is_winner, permute, winning_positions

# Upper 1 % critical values of chi-square by degrees of freedom (NIST/SEMATECH e-Handbook, table 1.3.6.7.4).
CHI_SQUARE_1_PERCENT = {3: 11.345, 4: 13.277, 9: 21.666, 19: 36.191, 29: 49.588}


def seeds(count: int, drop_id: int = 1) -> list[bytes]:
    return [drop_seed(keccak(i.to_bytes(32, "big")), drop_id) for i in range(count)]


@cache
def draws_of(entries: int, supply: int, rounds: int) -> list[list[int]]:
    """The winning positions of `rounds` draws of a drop of `supply` stamps that `entries` entered."""
    return [winning_positions(seed, entries, supply) for seed in seeds(rounds)]


def per_entry_statistic(draws: list[list[int]], entries: int, supply: int) -> float:
    wins = [0] * entries
    for positions in draws:
        for position in positions:
            wins[position] += 1
    p, rounds = supply / entries, len(draws)
    return (entries - 1) / entries * sum((w - rounds * p) ** 2 for w in wins) / (rounds * p * (1 - p))


def group_statistic(draws: list[list[int]], entries: int, supply: int, group: range) -> tuple[float, int]:
    """Pearson's statistic of how many of `group` win per draw against the hypergeometric law of a random group
    of that size, tail bins merged until each expects at least 5; returns it and its degrees of freedom."""
    size, rounds = len(group), len(draws)
    law = [comb(supply, k) * comb(entries - supply, size - k) / comb(entries, size) for k in range(size + 1)]
    observed = [0] * (size + 1)
    for positions in draws:
        observed[sum(1 for p in positions if p in group)] += 1
    while law[-1] * rounds < 5:  # merge the improbable tail into the bin before it
        law[-2] += law.pop()
        observed[-2] += observed.pop()
    statistic = sum((o - q * rounds) ** 2 / (q * rounds) for o, q in zip(observed, law))
    return statistic, len(law) - 1


@pytest.mark.parametrize(
    "entries, supply, rounds",
    [
        (20, 5, 3000),  # the Siren case: four times oversubscribed
        (5, 2, 2000),  # a domain of 16 for 5 positions: most checks walk the cycle
        (30, 29, 2000),  # all but one win
        (10, 1, 2000),  # one stamp
    ],
)
def test_each_entry_wins_with_probability_supply_over_entries(entries, supply, rounds):
    draws = draws_of(entries, supply, rounds)
    assert all(len(positions) == supply for positions in draws)
    assert per_entry_statistic(draws, entries, supply) < CHI_SQUARE_1_PERCENT[entries - 1]


def test_entrants_who_entered_back_to_back_win_like_any_group():
    draws = draws_of(20, 5, 3000)
    for group in (range(0, 4), range(8, 12), range(16, 20)):
        statistic, freedom = group_statistic(draws, 20, 5, group)
        assert statistic < CHI_SQUARE_1_PERCENT[freedom]


def test_the_group_test_catches_a_draw_that_only_rotates():
    """The Feistel network is what scatters winners: a rotation alone (every entry still wins 1/4 of the time)
    makes back-to-back entrants win together, and the group test sees it."""
    draws = []
    for seed in seeds(3000):
        offset = int.from_bytes(keccak(seed), "big") % 20
        draws.append([p for p in range(20) if (p + offset) % 20 < 5])
    assert per_entry_statistic(draws, 20, 5) < CHI_SQUARE_1_PERCENT[19]
    statistic, freedom = group_statistic(draws, 20, 5, range(0, 4))
    assert statistic > CHI_SQUARE_1_PERCENT[freedom]


@pytest.mark.parametrize("entries", [1, 2, 3, 4, 5, 15, 16, 17, 63, 64, 65, 300])
def test_the_draw_is_a_permutation_of_the_positions(entries):
    for seed in seeds(3):
        assert sorted(permute(seed, p, entries) for p in range(entries)) == list(range(entries))


@pytest.mark.parametrize("entries, supply", [(0, 3), (2, 3), (3, 3), (4, 3), (100, 7)])
def test_exactly_min_of_supply_and_entries_win(entries, supply):
    for seed in seeds(5):
        assert len(winning_positions(seed, entries, supply)) == min(supply, entries)


def test_a_member_checks_their_own_entry_alone():
    for seed in seeds(3):
        won = set(winning_positions(seed, 20, 5))
        assert [is_winner(seed, p, 20, 5) for p in range(-1, 21)] == [p in won for p in range(-1, 21)]


def test_drops_sharing_a_seed_block_are_drawn_independently():
    block_hash = keccak(b"one block")
    assert winning_positions(drop_seed(block_hash, 1), 20, 5) != winning_positions(drop_seed(block_hash, 2), 20, 5)
