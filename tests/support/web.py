"""Helpers shared by the relay and CLI tests (web3.py only, no Brownie): send as a local account, set up a
journey with stamp types, sign vouchers and forward requests."""
import time
from contextlib import contextmanager

from backend.chain.forwarding import sign_forward_request
from backend.chain.protocol import domain_from_eip712, sign_voucher
from backend.dev.keys import LOCAL_ROLES, local_account

ISSUER, OPS, RELAYER = (local_account(LOCAL_ROLES[role]) for role in ("issuer", "ops", "relayer"))
GAS_PRICE = 10**9


def contracts(w3, deployment: dict) -> dict:
    return {name: w3.eth.contract(address=e["address"], abi=e["abi"]) for name, e in deployment["contracts"].items()}


def send(w3, fn, signer, **extra):
    tx = fn.build_transaction(
        {"from": signer.address, "nonce": w3.eth.get_transaction_count(signer.address), "gasPrice": GAS_PRICE, **extra}
    )
    # Ganache's estimate is the exact gas of the call in the block it simulates; the issuance budget's refill makes
    # the next block's cost differ by a few gas, so add a margin, as the CLI and the relay do.
    tx["gas"] = tx["gas"] * 6 // 5
    receipt = w3.eth.wait_for_transaction_receipt(w3.eth.send_raw_transaction(signer.sign_transaction(tx).raw_transaction))
    assert receipt.status == 1
    return receipt


def fund(w3, address: str, wei: int = 10**17) -> None:
    """Send `wei` from the local deployer (which holds no role after deploy) to `address`."""
    funder = local_account(LOCAL_ROLES["deployer"])
    tx = {"to": address, "value": wei, "gas": 21000, "gasPrice": GAS_PRICE, "nonce": w3.eth.get_transaction_count(funder.address), "chainId": 1337}
    assert w3.eth.wait_for_transaction_receipt(w3.eth.send_raw_transaction(funder.sign_transaction(tx).raw_transaction)).status == 1


def create_stamps(w3, stamps, journey_id: int, stamp_ids: list[int], points: int = 20) -> None:
    """A journey open now with soulbound stamp types `stamp_ids` of `points` points each."""
    send(w3, stamps.functions.createJourney(journey_id, f"Journey {journey_id}", "", 0, 0), OPS)
    for stamp_id in stamp_ids:
        send(w3, stamps.functions.createStampType(stamp_id, journey_id, f"Stamp {stamp_id}", points, True, 0), OPS)


_nonce = [int(time.time() * 1000) << 20]


def voucher_for(stamps, member: str, stamp_id: int, *, valid_for: int = 600, nonce: int | None = None):
    if nonce is None:
        _nonce[0] += 1
        nonce = _nonce[0]
    domain = domain_from_eip712(stamps.functions.eip712Domain().call())
    return sign_voucher(ISSUER.key, domain, member, stamp_id, nonce, int(time.time()) + valid_for)


def forward_request(w3, forwarder, member, to: str, data: str, *, gas: int = 200_000, valid_for: int = 600, **override) -> dict:
    """A ForwardRequest for `member` (an eth-account LocalAccount) signed in the forwarder's domain."""
    domain = domain_from_eip712(forwarder.functions.eip712Domain().call())
    request = {
        "from": member.address,
        "to": to,
        "value": 0,
        "gas": gas,
        "nonce": forwarder.functions.nonces(member.address).call(),
        "deadline": w3.eth.get_block("latest")["timestamp"] + valid_for,
        "data": data,
        **override,
    }
    return sign_forward_request(member.key, domain, request)


@contextmanager
def costs_relayer_nothing(w3, relayer=RELAYER):
    """Asserts the relayer's balance and nonce are unchanged by the block."""
    before = (w3.eth.get_balance(relayer.address), w3.eth.get_transaction_count(relayer.address, "pending"))
    yield
    after = (w3.eth.get_balance(relayer.address), w3.eth.get_transaction_count(relayer.address, "pending"))
    assert after == before, "the relayer paid for a refused request"


@contextmanager
def gasless_for(w3, member: str, relayer=RELAYER):
    """Asserts the block made the relayer send exactly one transaction and left `member`'s ETH unchanged."""
    before = (w3.eth.get_balance(member), w3.eth.get_transaction_count(relayer.address))
    yield
    assert w3.eth.get_balance(member) == before[0], "the member paid"
    assert w3.eth.get_transaction_count(relayer.address) == before[1] + 1, "the relayer did not send exactly one transaction"
