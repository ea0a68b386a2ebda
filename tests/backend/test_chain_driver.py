"""The chain driver the scenario tests stand on (backend/dev/chain.py): a step the contracts refuse fails loudly with
the decoded error, unless a random workload asked to tolerate it; a random workload says what landed."""
import random

import pytest

from backend.dev.chain import MEMBERS, RANDOM_ACTIONS, Reverted

A, B = MEMBERS[0], MEMBERS[1]
MISSING_PROPOSAL = 12345


def test_a_refused_step_fails_with_the_decoded_error(chain):
    with pytest.raises(Reverted) as refused:
        chain.transfer(A, B, 3, 1)  # A holds none
    assert str(refused.value) == (
        f"safeTransferFrom reverted: ERC1155InsufficientBalance(sender={chain.address(A)}, balance=0, needed=1, tokenId=3)")


def test_a_refused_governance_step_fails_with_the_decoded_error(chain):
    with pytest.raises(Reverted) as refused:
        chain.vote(A, MISSING_PROPOSAL, 1)
    assert str(refused.value) == f"castVoteWithReason reverted: GovernorNonexistentProposal(proposalId={MISSING_PROPOSAL})"


def test_a_refused_step_of_the_dao_fails_with_the_decoded_error(chain):
    with pytest.raises(Reverted) as refused:
        chain.dao(chain.stamps.functions.unpause())  # not paused
    assert str(refused.value) == "unpause reverted: ExpectedPause()"


def test_tolerated_refusals_are_none_and_only_inside_the_block(chain):
    head = chain.head()
    with chain.tolerating_reverts():
        assert chain.transfer(A, B, 3, 1) is None
        assert chain.vote(A, MISSING_PROPOSAL, 1) is None
    assert chain.head() == head  # nothing was sent
    with pytest.raises(Reverted):
        chain.transfer(A, B, 3, 1)


def test_a_random_workload_counts_what_landed(chain):
    head = chain.head()
    landed = chain.random_workload(random.Random(5), 30)
    assert 10 < landed.total() <= 30 and set(landed) <= set(RANDOM_ACTIONS), landed
    assert chain.head() - head >= landed.total()  # each landed action is a transaction, mined in a block of its own
