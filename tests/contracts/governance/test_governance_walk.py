"""End to end: a member's idea is supported, qualifies, becomes a proposal creating a new journey and stamp, is
voted, queued and executed; a member then claims the new stamp with an issuer's voucher, and the idea's author
holds the co-creator stamp and earns a share of the edition's sales."""
from backend.chain.protocol import ProposalState, VoteType

from .conftest import COCREATOR_STAMP

NEW_JOURNEY, EARNED_STAMP, EDITION_STAMP = 7, 701, 702
PRICE = 2 * 10**16


def test_idea_becomes_a_journey_that_members_claim(stamps, shop, board, propose, voters, voucher, issuer, ops, timelock):
    author, supporters, claimant = voters[4], voters[:3], voters[3]

    # 1. A member's idea gathers support and qualifies.
    idea_id = board.submit(
        "Cold brew journey", "ipfs://ideas/cold-brew", "0x" + "cb" * 32, {"from": author}
    ).return_value
    for supporter in supporters:
        board.support(idea_id, {"from": supporter})
    assert board.ideaState(idea_id) == 3  # Qualified

    # 2. A member with enough points turns it into a proposal and links it to the idea.
    actions = [
        (stamps, "createJourney", (NEW_JOURNEY, "Cold Brew", "ipfs://journeys/cold-brew", 0, 0)),
        (stamps, "createStampType", (EARNED_STAMP, NEW_JOURNEY, "Cold Brew Taster", 15, True, 0)),
        (stamps, "createStampType", (EDITION_STAMP, NEW_JOURNEY, "Cold Brew Edition", 30, False, 50)),
        (shop, "setListing", (EDITION_STAMP, PRICE, 1)),
        (board, "realise", (idea_id, EDITION_STAMP)),
    ]
    proposal = propose(actions, "# Cold Brew journey\n\nThe community's cold brew idea, as a journey.", voters[1])
    board.linkProposal(idea_id, *proposal.args, {"from": voters[1]})
    assert board.ideaState(idea_id) == 4  # Proposed

    # 3. Members vote; it passes, is queued, waits out the timelock and executes.
    proposal.open_voting()
    for voter in voters[:3]:
        proposal.governor.castVote(proposal.id, VoteType.FOR, {"from": voter})
    proposal.close_voting()
    assert proposal.state == ProposalState.SUCCEEDED
    proposal.queue(ops)
    assert proposal.state == ProposalState.QUEUED
    proposal.wait_timelock()
    proposal.execute(ops)
    assert proposal.state == ProposalState.EXECUTED

    # 4. The journey exists, the idea is realised, the author is a co-creator.
    assert stamps.journey(NEW_JOURNEY)[0] == "Cold Brew"
    assert board.ideaState(idea_id) == 6  # Realised
    assert stamps.balanceOf(author, COCREATOR_STAMP) == 1

    # 5. A member claims the new journey's stamp with a voucher signed by the issuer.
    points = stamps.pointsOf(claimant)
    v = voucher(claimant, EARNED_STAMP, 7001)
    stamps.claim(*v.claim_args(), {"from": issuer})
    assert stamps.balanceOf(claimant, EARNED_STAMP) == 1
    assert stamps.pointsOf(claimant) == points + 15

    # 6. The edition sells: the author earns 1%, the rest is the treasury's (the timelock).
    shop.purchase(EDITION_STAMP, 1, {"from": voters[2], "value": PRICE})
    assert shop.creatorEarnings(author) == PRICE // 100
    before = timelock.balance()
    shop.withdrawProceeds({"from": ops})
    assert timelock.balance() - before == PRICE - PRICE // 100
