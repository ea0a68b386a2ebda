"""An outside client with nothing but web3.py and eth-account, reading deployments/<chainId>.json, signs a
Claim voucher, claims for a member (a relayer pays), sees points and level change, and gets a clear revert on
replay. No Brownie here: this is the integration path wallets, relayers and other tools take."""
import json
import time

import pytest
from eth_account import Account
from web3.exceptions import ContractCustomError

from backend.chain.protocol import domain_from_eip712, sign_voucher
from backend.chain.reverts import decode_revert
from backend.dev.keys import LOCAL_ROLES, local_account

ISSUER, OPS, RELAYER = (local_account(LOCAL_ROLES[role]) for role in ("issuer", "ops", "relayer"))


def send(w3, fn, signer):
    tx = fn.build_transaction(
        {"from": signer.address, "nonce": w3.eth.get_transaction_count(signer.address), "gasPrice": w3.to_wei(1, "gwei")}
    )
    tx["gas"] = tx["gas"] * 6 // 5  # a margin over the estimate, as wallets give
    receipt = w3.eth.wait_for_transaction_receipt(w3.eth.send_raw_transaction(signer.sign_transaction(tx).raw_transaction))
    assert receipt.status == 1
    return receipt


@pytest.fixture(scope="module")
def stamps(w3, deployments_file):
    deployment = json.loads(deployments_file.read_text())
    entry = deployment["contracts"]["OdysseyStamps"]
    contract = w3.eth.contract(address=entry["address"], abi=entry["abi"])
    send(w3, contract.functions.createJourney(7, "Outside", "", 0, 0), OPS)
    send(w3, contract.functions.createStampType(701, 7, "Outside Stamp", 60, True, 0), OPS)
    return contract


def test_outside_client_claims_with_a_voucher_and_replay_reverts_clearly(w3, stamps):
    member = Account.create()
    domain = domain_from_eip712(stamps.functions.eip712Domain().call())
    assert domain["name"] == "OdysseyStamps" and domain["version"] == "1" and domain["chainId"] == w3.eth.chain_id
    voucher = sign_voucher(ISSUER.key, domain, member.address, 701, 42, int(time.time()) + 600)
    assert stamps.functions.pointsOf(member.address).call() == 0
    assert stamps.functions.levelOf(member.address).call() == 0

    receipt = send(w3, stamps.functions.claim(*voucher.claim_args()), RELAYER)

    assert stamps.functions.balanceOf(member.address, 701).call() == 1
    assert stamps.functions.pointsOf(member.address).call() == 60
    assert stamps.functions.levelOf(member.address).call() == 2  # thresholds 10, 50, ...
    assert stamps.functions.getVotes(member.address).call() == 60
    claimed = stamps.events.StampClaimed().process_receipt(receipt)[0].args
    assert (claimed.member, claimed.stampId, claimed.method, claimed.ref) == (member.address, 701, 0, 42)

    with pytest.raises(ContractCustomError) as replay:
        stamps.functions.claim(*voucher.claim_args()).call({"from": RELAYER.address})
    assert decode_revert(replay.value.data, stamps.abi) == "OdysseyVoucherUsed(nonce=42)"
