"""ERC-2771: a member signs a ForwardRequest (eth-account, EIP-712) and a relayer pays the gas."""
import brownie
import pytest
from brownie import chain
from eth_account import Account
from eth_account.messages import encode_typed_data

from backend.chain.protocol import FORWARD_REQUEST_TYPES, domain_from_eip712
from stamp_helpers import err


@pytest.fixture
def forward_request(forwarder):
    """Sign a ForwardRequest as the member's wallet would; returns the ForwardRequestData tuple for execute()."""

    def sign(key, target, data, gas=300_000, deadline=None, nonce=None, domain=None, value=0):
        sender = Account.from_key(key).address
        message = {
            "from": sender,
            "to": str(target),
            "value": value,
            "gas": gas,
            "nonce": forwarder.nonces(sender) if nonce is None else nonce,
            "deadline": deadline if deadline is not None else chain.time() + 3600,
            "data": bytes.fromhex(data[2:]),
        }
        domain = domain or domain_from_eip712(forwarder.eip712Domain())
        signed = Account.sign_message(encode_typed_data(domain, FORWARD_REQUEST_TYPES, message), key)
        return (sender, message["to"], value, gas, message["deadline"], data, "0x" + bytes(signed.signature).hex())

    return sign


def test_stamps_and_benefits_trust_the_forwarder(stamps, benefits, forwarder):
    assert stamps.isTrustedForwarder(forwarder)
    assert benefits.isTrustedForwarder(forwarder)


def test_relayed_join_makes_signer_a_member(stamps, forwarder, forward_request, members, member_key, relayer):
    request = forward_request(member_key(0), stamps, stamps.join.encode_input())
    balance = members[0].balance()
    tx = forwarder.execute(request, {"from": relayer})
    assert stamps.isMember(members[0])
    assert not stamps.isMember(relayer)
    assert members[0].balance() == balance
    assert tx.events["MemberJoined"]["member"] == members[0]
    assert tx.events["ExecutedForwardRequest"]["signer"] == members[0]


def test_relayed_delegate_moves_signers_votes(stamps, shop, journey, forwarder, forward_request, members, member_key, relayer):
    shop.purchase(103, 1, {"from": members[0], "value": 10**16})
    request = forward_request(member_key(0), stamps, stamps.delegate.encode_input(members[1]))
    forwarder.execute(request, {"from": relayer})
    assert stamps.delegates(members[0]) == members[1]
    assert stamps.getVotes(members[1]) == 40
    assert stamps.delegates(relayer) == relayer


def test_relayed_benefit_redemption_is_the_signers(stamps, benefits, forwarder, forward_request, members, member_key, relayer, deployer):
    stamps.join({"from": members[0]})
    benefits.createBenefit(0, 5, "", {"from": deployer})
    forwarder.execute(forward_request(member_key(0), benefits, benefits.redeem.encode_input(1)), {"from": relayer})
    assert benefits.redeemed(1, members[0])
    assert not benefits.redeemed(1, relayer)


def test_forwarder_refuses_replayed_request(stamps, forwarder, forward_request, member_key, relayer):
    request = forward_request(member_key(0), stamps, stamps.delegate.encode_input(relayer))
    forwarder.execute(request, {"from": relayer})
    with brownie.reverts(revert_pattern="ERC2771ForwarderInvalidSigner: .*"):
        forwarder.execute(request, {"from": relayer})


def test_forwarder_refuses_tampered_request(stamps, forwarder, forward_request, members, member_key, relayer):
    request = list(forward_request(member_key(0), stamps, stamps.delegate.encode_input(members[1])))
    request[5] = stamps.delegate.encode_input(relayer)
    with brownie.reverts(revert_pattern="ERC2771ForwarderInvalidSigner: .*"):
        forwarder.execute(tuple(request), {"from": relayer})
    assert stamps.delegates(members[0]) == members[0]


def test_forwarder_refuses_request_signed_by_someone_else(stamps, forwarder, forward_request, members, member_key, relayer):
    request = list(forward_request(member_key(1), stamps, stamps.join.encode_input()))
    request[0] = members[0].address
    # The signature covers `from`, so it recovers to neither member.
    with brownie.reverts(revert_pattern=f"ERC2771ForwarderInvalidSigner: 0x[0-9a-f]{{40}}, {members[0].address.lower()}"):
        forwarder.execute(tuple(request), {"from": relayer})


def test_forwarder_refuses_expired_request(stamps, forwarder, forward_request, member_key, relayer):
    deadline = chain.time() - 10
    request = forward_request(member_key(0), stamps, stamps.join.encode_input(), deadline=deadline)
    with brownie.reverts(err("ERC2771ForwarderExpiredRequest", deadline)):
        forwarder.execute(request, {"from": relayer})



def test_relayed_purchase_goes_to_signer(stamps, shop, journey, forwarder, forward_request, members, member_key, relayer):
    request = forward_request(member_key(0), shop, shop.purchase.encode_input(103, 1), value=10**16)
    forwarder.execute(request, {"from": relayer, "value": 10**16})
    assert stamps.balanceOf(members[0], 103) == 1
    assert stamps.balanceOf(relayer, 103) == 0
    assert stamps.pointsOf(members[0]) == 40


def test_forwarder_refuses_value_other_than_signed(shop, journey, forwarder, forward_request, member_key, relayer):
    request = forward_request(member_key(0), shop, shop.purchase.encode_input(103, 1), value=10**16)
    with brownie.reverts(err("ERC2771ForwarderMismatchedValue", 10**16, 0)):
        forwarder.execute(request, {"from": relayer})
