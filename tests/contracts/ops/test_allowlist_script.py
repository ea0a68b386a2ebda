import brownie

from scripts.allowlist import publish_allowlist


def test_published_allowlist_lets_each_member_claim_with_its_proof(stamps, journey, members, ops, accounts):
    listed = [str(m) for m in members[:3]]
    document = publish_allowlist(stamps, listed, 101, ops)
    assert stamps.allowlistRoot(101) == document["root"]
    for entry in document["entries"]:
        stamps.claimAllowlisted(entry["member"], 101, entry["index"], entry["proof"], {"from": accounts[3]})
    assert [stamps.balanceOf(m, 101) for m in members[:3]] == [1, 1, 1]


def test_publishing_the_same_allowlist_again_sends_nothing(stamps, journey, members, ops):
    listed = [str(m) for m in members[:3]]
    publish_allowlist(stamps, listed, 101, ops)
    height = brownie.chain.height
    publish_allowlist(stamps, listed, 101, ops)
    assert brownie.chain.height == height
