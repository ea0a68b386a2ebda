"""ERC-165 ids, metadata URI with {id}, the EIP-712 domain, roles and their checks."""
import brownie
import pytest
from brownie import chain
from eth_utils import keccak

from stamp_helpers import err, unauthorized

INTERFACES = {
    "IERC165": "0x01ffc9a7",
    "IERC1155": "0xd9b67a26",
    "IERC1155MetadataURI": "0x0e89341c",
    "IERC2981": "0x2a55205a",
    "IAccessControl": "0x7965db0b",
    "ERC5192": "0xb45a3c0e",
    "IERC5267": "0x84b0196e",
}


@pytest.mark.parametrize("name", INTERFACES)
def test_supports_interface(stamps, name):
    assert stamps.supportsInterface(INTERFACES[name])


@pytest.mark.parametrize("interface_id", ["0xffffffff", "0x80ac58cd", "0x00000000"])
def test_does_not_claim_other_interfaces(stamps, interface_id):
    assert not stamps.supportsInterface(interface_id)


def test_uri_keeps_id_placeholder(stamps, journey):
    assert stamps.uri(101) == "http://127.0.0.1:8000/metadata/{id}.json"
    assert stamps.uri(999) == stamps.uri(101)


def test_set_uri_changes_template_and_emits(stamps, deployer):
    tx = stamps.setURI("https://odyssey.example/stamps/{id}.json", {"from": deployer})
    assert stamps.uri(1) == "https://odyssey.example/stamps/{id}.json"
    assert tx.events["BaseURIChanged"] == {"uri": "https://odyssey.example/stamps/{id}.json"}


def test_set_uri_refuses_non_admin(stamps, ops):
    with brownie.reverts(unauthorized(ops, "DEFAULT_ADMIN_ROLE")):
        stamps.setURI("x", {"from": ops})


def test_eip712_domain_reports_name_version_chain_and_contract(stamps):
    fields, name, version, chain_id, contract, salt, extensions = stamps.eip712Domain()
    assert (fields, name, version, chain_id, contract) == ("0x0f", "OdysseyStamps", "1", chain.id, stamps.address)
    assert list(extensions) == []


@pytest.mark.parametrize("name", ["JOURNEY_MANAGER_ROLE", "ISSUER_ROLE", "PAUSER_ROLE"])
def test_role_ids_are_keccak_of_names(stamps, name):
    assert getattr(stamps, name)() == "0x" + keccak(text=name).hex()


@pytest.mark.parametrize("name", ["DEFAULT_ADMIN_ROLE", "JOURNEY_MANAGER_ROLE", "ISSUER_ROLE", "PAUSER_ROLE"])
def test_deployer_holds_every_role_until_handover(stamps, deployer, name):
    assert stamps.hasRole(getattr(stamps, name)(), deployer)


def test_granted_roles(stamps, issuer, ops):
    assert stamps.hasRole(stamps.ISSUER_ROLE(), issuer)
    assert stamps.hasRole(stamps.JOURNEY_MANAGER_ROLE(), ops)
    assert not stamps.hasRole(stamps.DEFAULT_ADMIN_ROLE(), ops)


def test_grant_role_refuses_non_admin(stamps, ops, members):
    with brownie.reverts(unauthorized(ops, "DEFAULT_ADMIN_ROLE")):
        stamps.grantRole(stamps.ISSUER_ROLE(), members[0], {"from": ops})


def test_admin_hands_over_to_timelock(stamps, deployer, accounts):
    timelock = accounts[3]
    admin = stamps.DEFAULT_ADMIN_ROLE()
    stamps.grantRole(admin, timelock, {"from": deployer})
    stamps.renounceRole(admin, deployer, {"from": deployer})
    with brownie.reverts(unauthorized(deployer, "DEFAULT_ADMIN_ROLE")):
        stamps.setURI("x", {"from": deployer})
    stamps.setURI("y/{id}", {"from": timelock})


def test_constructor_refuses_zero_admin(OdysseyStamps, forwarder, deployer, treasury):
    with brownie.reverts(err("OdysseyZeroAddress")):
        OdysseyStamps.deploy("u", brownie.ZERO_ADDRESS, treasury, 500, forwarder, {"from": deployer})


def test_constructor_refuses_zero_treasury(OdysseyStamps, forwarder, deployer):
    with brownie.reverts(err("OdysseyZeroAddress")):
        OdysseyStamps.deploy("u", deployer, brownie.ZERO_ADDRESS, 500, forwarder, {"from": deployer})


def test_constructor_refuses_royalty_above_100_percent(OdysseyStamps, forwarder, deployer, treasury):
    with brownie.reverts(err("OdysseyInvalidBps", 10_001)):
        OdysseyStamps.deploy("u", deployer, treasury, 10_001, forwarder, {"from": deployer})


def test_deployed_code_fits_size_limit(stamps):
    assert len(brownie.web3.eth.get_code(stamps.address)) <= 24_576
