"""Fixtures for the contract tests (Brownie on a real Ganache, network odyssey-test)."""
import time

import pytest
from brownie import chain, network
from eth_account import Account
from eth_account.messages import encode_typed_data

from backend.chain.protocol import FORWARD_REQUEST_TYPES, domain_from_eip712, sign_voucher
from backend.dev.keys import FIRST_MEMBER, LOCAL_ROLES, local_account

ROYALTY_BPS = 500
LEVEL_THRESHOLDS = [10, 50, 150, 400, 1000]
METADATA_URI = "http://127.0.0.1:8000/metadata/{id}.json"
# Issuance bounds loose enough for the tests of everything else (tests/contracts/test_issuance_bounds.py and
# test_dao_takeover.py hold the tight ones): stamps up to 1,000 points, a budget of 10,000,000 points a week.
MAX_STAMP_POINTS = 1000
BUDGET_BPS = 500
BUDGET_FLOOR = 10_000_000
BUDGET_PERIOD = 7 * 86400


@pytest.fixture(scope="session", autouse=True)
def gas_price():
    # Shanghai has a base fee while Brownie's dev gas price is 0.
    network.gas_price("1 gwei")


@pytest.fixture(autouse=True)
def isolation(fn_isolation):
    pass


@pytest.fixture(scope="session")
def deployer(accounts):
    return accounts[0]


@pytest.fixture(scope="session")
def issuer(accounts):
    return accounts[1]


@pytest.fixture(scope="session")
def ops(accounts):
    return accounts[2]


@pytest.fixture(scope="session")
def relayer(accounts):
    """Pays gas for others: submits vouchers and relays ERC-2771 requests."""
    return accounts[3]


@pytest.fixture(scope="session")
def treasury(accounts):
    return accounts[9]


@pytest.fixture(scope="session")
def members(accounts):
    return accounts[4:9]


@pytest.fixture(scope="module")
def forwarder(OdysseyForwarder, deployer):
    return OdysseyForwarder.deploy({"from": deployer})


@pytest.fixture(scope="module")
def stamps(OdysseyStamps, forwarder, deployer, issuer, ops, treasury):
    contract = OdysseyStamps.deploy(METADATA_URI, deployer, treasury, ROYALTY_BPS, forwarder, {"from": deployer})
    contract.grantRole(contract.ISSUER_ROLE(), issuer, {"from": deployer})
    contract.grantRole(contract.JOURNEY_MANAGER_ROLE(), ops, {"from": deployer})
    contract.setLevelThresholds(LEVEL_THRESHOLDS, {"from": deployer})
    contract.setIssuanceBounds(MAX_STAMP_POINTS, BUDGET_BPS, BUDGET_FLOOR, BUDGET_PERIOD, {"from": deployer})
    return contract


@pytest.fixture(scope="module")
def shop(OdysseyShop, stamps, forwarder, deployer, ops):
    contract = OdysseyShop.deploy(stamps, deployer, forwarder, {"from": deployer})
    stamps.grantRole(stamps.MINTER_ROLE(), contract, {"from": deployer})
    contract.grantRole(contract.SHOP_MANAGER_ROLE(), ops, {"from": deployer})
    return contract


@pytest.fixture(scope="module")
def drops(OdysseyDrops, stamps, forwarder, deployer, ops):
    contract = OdysseyDrops.deploy(stamps, deployer, forwarder, {"from": deployer})
    stamps.grantRole(stamps.MINTER_ROLE(), contract, {"from": deployer})
    contract.grantRole(contract.DROP_MANAGER_ROLE(), ops, {"from": deployer})
    return contract


@pytest.fixture(scope="module")
def benefits(OdysseyBenefits, stamps, forwarder, deployer):
    return OdysseyBenefits.deploy(stamps, deployer, forwarder, {"from": deployer})


@pytest.fixture(scope="module")
def journey(stamps, shop, ops):
    """Journey 1, open now, with an earned soulbound stamp (101, 10 pts), an earned collectible (102, 25 pts,
    supply 3) and a limited edition for sale in the shop (103, 40 pts, 0.01 ether, supply 5, two per wallet)."""
    stamps.createJourney(1, "Coffee Origins", "ipfs://journey-1", 0, 0, {"from": ops})
    stamps.createStampType(101, 1, "Origins Quiz", 10, True, 0, {"from": ops})
    stamps.createStampType(102, 1, "Farm Visit", 25, False, 3, {"from": ops})
    stamps.createStampType(103, 1, "Origins Limited Edition", 40, False, 5, {"from": ops})
    shop.setListing(103, 10**16, 2, {"from": ops})
    return 1


@pytest.fixture
def timed_journey(stamps, shop, ops, chain):
    """Create journey `journey_id` with window [now + start_in, now + end_in] (end_in None = open-ended) and a
    10-point stamp type `stamp_id` in it, soulbound unless it has a price in the shop; returns (start, end)."""

    def create(journey_id, stamp_id, start_in, end_in=None, price=0, max_supply=0, wallet_cap=0):
        now = chain.time()
        start = max(now + start_in, 0)
        end = 0 if end_in is None else now + end_in
        stamps.createJourney(journey_id, f"Journey {journey_id}", f"ipfs://journey-{journey_id}", start, end, {"from": ops})
        stamps.createStampType(stamp_id, journey_id, f"Stamp {stamp_id}", 10, price == 0, max_supply, {"from": ops})
        if price:
            shop.setListing(stamp_id, price, wallet_cap, {"from": ops})
        return start, end

    return create


@pytest.fixture(scope="session")
def member_key():
    """Private key of `members[i]` (accounts 4..8 of the local chain)."""
    return lambda i: local_account(FIRST_MEMBER + i).key


@pytest.fixture(scope="session")
def issuer_key():
    return local_account(LOCAL_ROLES["issuer"]).key


@pytest.fixture
def voucher(stamps, issuer_key):
    """Sign a Claim voucher as an outside issuer would: from the domain the contract reports."""

    def sign(member, stamp_id, nonce, deadline=None, key=None, domain=None):
        domain = domain or domain_from_eip712(stamps.eip712Domain())
        deadline = deadline if deadline is not None else int(time.time()) + 10**6
        return sign_voucher(key or issuer_key, domain, str(member), stamp_id, nonce, deadline)

    return sign


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
