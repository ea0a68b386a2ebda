"""Claims with an issuer-signed EIP-712 voucher, signed with eth-account from the domain the contract reports."""
import brownie
from brownie import chain

from backend.chain.protocol import ClaimMethod, domain_from_eip712, recover_voucher_signer
from backend.dev.keys import local_account
from stamp_helpers import err, unauthorized


def _domain(stamps):
    return domain_from_eip712(stamps.eip712Domain())


def test_claim_gives_stamp_and_points_to_member(stamps, journey, members, voucher, issuer):
    tx = stamps.claim(*voucher(members[0], 101, 7).claim_args(), {"from": issuer})
    assert stamps.balanceOf(members[0], 101) == 1
    assert stamps.pointsOf(members[0]) == 10
    assert stamps.getVotes(members[0]) == 10
    assert stamps.voucherUsed(7)
    assert tx.events["StampClaimed"] == {
        "member": members[0], "stampId": 101, "method": ClaimMethod.VOUCHER, "quantity": 1, "ref": 7,
    }
    assert tx.events["TransferSingle"]["to"] == members[0]


def test_claim_submitted_by_anyone_goes_to_member(stamps, journey, members, voucher, relayer):
    stamps.claim(*voucher(members[0], 101, 1).claim_args(), {"from": relayer})
    assert stamps.balanceOf(members[0], 101) == 1
    assert stamps.balanceOf(relayer, 101) == 0
    assert stamps.pointsOf(relayer) == 0


def test_claim_counts_supply(stamps, journey, members, voucher, relayer):
    stamps.claim(*voucher(members[0], 102, 1).claim_args(), {"from": relayer})
    assert stamps.stampType(102)[3] == 1


def test_claim_refuses_replayed_voucher(stamps, journey, members, voucher, relayer):
    v = voucher(members[0], 101, 1)
    stamps.claim(*v.claim_args(), {"from": relayer})
    with brownie.reverts(err("OdysseyVoucherUsed", 1)):
        stamps.claim(*v.claim_args(), {"from": relayer})


def test_claim_refuses_nonce_used_by_another_voucher(stamps, journey, members, voucher, relayer):
    stamps.claim(*voucher(members[0], 101, 1).claim_args(), {"from": relayer})
    with brownie.reverts(err("OdysseyVoucherUsed", 1)):
        stamps.claim(*voucher(members[1], 101, 1).claim_args(), {"from": relayer})


def test_claim_refuses_revoked_voucher(stamps, journey, members, voucher, issuer, relayer):
    v = voucher(members[0], 101, 5)
    tx = stamps.revokeVoucher(5, {"from": issuer})
    assert tx.events["VoucherRevoked"] == {"nonce": 5}
    assert stamps.voucherUsed(5)
    with brownie.reverts(err("OdysseyVoucherUsed", 5)):
        stamps.claim(*v.claim_args(), {"from": relayer})


def test_revoke_voucher_refuses_used_nonce(stamps, journey, members, voucher, issuer, relayer):
    stamps.claim(*voucher(members[0], 101, 5).claim_args(), {"from": relayer})
    with brownie.reverts(err("OdysseyVoucherUsed", 5)):
        stamps.revokeVoucher(5, {"from": issuer})


def test_revoke_voucher_refuses_non_issuer(stamps, members):
    with brownie.reverts(unauthorized(members[0], "ISSUER_ROLE")):
        stamps.revokeVoucher(5, {"from": members[0]})


def test_nonces_are_independent_across_bitmap_words(stamps, journey, members, voucher, issuer, relayer):
    for nonce in (0, 255, 256, 2**256 - 1):
        assert not stamps.voucherUsed(nonce)
    stamps.claim(*voucher(members[0], 101, 255).claim_args(), {"from": relayer})
    stamps.revokeVoucher(2**256 - 1, {"from": issuer})
    assert [stamps.voucherUsed(n) for n in (0, 254, 255, 256, 2**256 - 2, 2**256 - 1)] == [
        False, False, True, False, False, True,
    ]
    stamps.claim(*voucher(members[1], 101, 256).claim_args(), {"from": relayer})
    assert stamps.voucherUsed(256)


def test_claim_refuses_voucher_past_deadline(stamps, journey, members, voucher, relayer):
    deadline = chain.time() + 100
    v = voucher(members[0], 101, 1, deadline=deadline)
    chain.sleep(200)
    with brownie.reverts(err("OdysseyVoucherExpired", deadline)):
        stamps.claim(*v.claim_args(), {"from": relayer})


def test_claim_accepts_voucher_before_deadline(stamps, journey, members, voucher, relayer):
    v = voucher(members[0], 101, 1, deadline=chain.time() + 3600)
    chain.sleep(1800)
    stamps.claim(*v.claim_args(), {"from": relayer})
    assert stamps.balanceOf(members[0], 101) == 1


def test_claim_refuses_signer_without_issuer_role(stamps, journey, members, voucher, relayer):
    outsider = local_account(5)  # members[1]: no ISSUER_ROLE
    v = voucher(members[0], 101, 1, key=outsider.key)
    with brownie.reverts(err("OdysseyInvalidIssuer", outsider.address)):
        stamps.claim(*v.claim_args(), {"from": relayer})


def test_claim_refuses_voucher_of_issuer_whose_role_was_revoked(stamps, journey, members, voucher, issuer, deployer, relayer):
    v = voucher(members[0], 101, 1)
    stamps.revokeRole(stamps.ISSUER_ROLE(), issuer, {"from": deployer})
    with brownie.reverts(err("OdysseyInvalidIssuer", issuer)):
        stamps.claim(*v.claim_args(), {"from": relayer})


def test_claim_refuses_voucher_signed_for_another_chain(stamps, journey, members, voucher, relayer):
    wrong = dict(_domain(stamps), chainId=1)
    v = voucher(members[0], 101, 1, domain=wrong)
    signer = recover_voucher_signer(_domain(stamps), v)
    with brownie.reverts(err("OdysseyInvalidIssuer", signer)):
        stamps.claim(*v.claim_args(), {"from": relayer})


def test_claim_refuses_voucher_signed_for_another_contract(stamps, forwarder, journey, members, voucher, relayer):
    wrong = dict(_domain(stamps), verifyingContract=forwarder.address)
    v = voucher(members[0], 101, 1, domain=wrong)
    signer = recover_voucher_signer(_domain(stamps), v)
    with brownie.reverts(err("OdysseyInvalidIssuer", signer)):
        stamps.claim(*v.claim_args(), {"from": relayer})


def test_claim_refuses_voucher_signed_with_another_domain_name_or_version(stamps, journey, members, voucher, relayer):
    for wrong in (dict(_domain(stamps), name="OdysseyStamp"), dict(_domain(stamps), version="2")):
        v = voucher(members[0], 101, 1, domain=wrong)
        with brownie.reverts(err("OdysseyInvalidIssuer", recover_voucher_signer(_domain(stamps), v))):
            stamps.claim(*v.claim_args(), {"from": relayer})


def test_claim_refuses_voucher_for_another_member(stamps, journey, members, voucher, relayer):
    v = voucher(members[0], 101, 1)
    args = (members[1],) + v.claim_args()[1:]
    with brownie.reverts(revert_pattern="OdysseyInvalidIssuer: .*"):
        stamps.claim(*args, {"from": relayer})


def test_claim_refuses_voucher_with_changed_stamp_or_deadline(stamps, journey, members, voucher, relayer):
    member, stamp_id, nonce, deadline, signature = voucher(members[0], 101, 1).claim_args()
    with brownie.reverts(revert_pattern="OdysseyInvalidIssuer: .*"):
        stamps.claim(member, 102, nonce, deadline, signature, {"from": relayer})
    with brownie.reverts(revert_pattern="OdysseyInvalidIssuer: .*"):
        stamps.claim(member, stamp_id, nonce, deadline + 1, signature, {"from": relayer})


def test_claim_refuses_malformed_signature(stamps, journey, members, voucher, relayer):
    member, stamp_id, nonce, deadline, _ = voucher(members[0], 101, 1).claim_args()
    with brownie.reverts(err("ECDSAInvalidSignatureLength", 3)):
        stamps.claim(member, stamp_id, nonce, deadline, "0x010203", {"from": relayer})


def test_claim_refuses_before_journey_starts(stamps, members, voucher, relayer, timed_journey):
    start, end = timed_journey(5, 501, start_in=3600, end_in=7200)
    with brownie.reverts(err("OdysseyOutsideWindow", 5, start, end)):
        stamps.claim(*voucher(members[0], 501, 1).claim_args(), {"from": relayer})


def test_claim_refuses_after_journey_ends(stamps, members, voucher, relayer, timed_journey):
    start, end = timed_journey(5, 501, start_in=-7200, end_in=-3600)
    with brownie.reverts(err("OdysseyOutsideWindow", 5, start, end)):
        stamps.claim(*voucher(members[0], 501, 1).claim_args(), {"from": relayer})


def test_claim_succeeds_inside_journey_window(stamps, members, voucher, relayer, timed_journey):
    timed_journey(5, 501, start_in=3600, end_in=7200)
    v = voucher(members[0], 501, 1)
    chain.sleep(5400)
    stamps.claim(*v.claim_args(), {"from": relayer})
    assert stamps.balanceOf(members[0], 501) == 1


def test_claim_refuses_when_sold_out(stamps, journey, members, voucher, relayer):
    for i in range(3):
        stamps.claim(*voucher(members[i], 102, i).claim_args(), {"from": relayer})
    with brownie.reverts(err("OdysseySoldOut", 102, 3)):
        stamps.claim(*voucher(members[3], 102, 3).claim_args(), {"from": relayer})
    assert not stamps.voucherUsed(3)


def test_claim_refuses_member_already_holding_stamp(stamps, journey, members, voucher, relayer):
    stamps.claim(*voucher(members[0], 101, 1).claim_args(), {"from": relayer})
    with brownie.reverts(err("OdysseyAlreadyHolds", members[0], 101)):
        stamps.claim(*voucher(members[0], 101, 2).claim_args(), {"from": relayer})


def test_claim_refuses_unknown_stamp(stamps, journey, members, voucher, relayer):
    with brownie.reverts(err("OdysseyUnknownStamp", 999)):
        stamps.claim(*voucher(members[0], 999, 1).claim_args(), {"from": relayer})


def test_claim_refuses_while_paused(stamps, journey, members, voucher, relayer, deployer):
    v = voucher(members[0], 101, 1)
    stamps.pause({"from": deployer})
    with brownie.reverts(err("EnforcedPause")):
        stamps.claim(*v.claim_args(), {"from": relayer})


def test_claim_typehash_is_the_public_protocol(stamps):
    from eth_utils import keccak

    assert stamps.CLAIM_TYPEHASH() == "0x" + keccak(
        text="Claim(address member,uint256 stampId,uint256 nonce,uint256 deadline)"
    ).hex()
