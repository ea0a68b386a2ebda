def test_first_voucher_claim_joins_member_and_gives_points(stamps, journey, members, voucher, issuer):
    v = voucher(members[0], 101, 1)
    tx = stamps.claim(*v.claim_args(), {"from": issuer})
    assert stamps.balanceOf(members[0], 101) == 1
    assert stamps.pointsOf(members[0]) == 10
    assert stamps.getVotes(members[0]) == 10
    assert stamps.levelOf(members[0]) == 1
    assert "MemberJoined" in tx.events
