"""backend/chain/protocol.py equals the contracts: enum orders as the compiled sources declare them, constants, role
names and ids, and the EIP-712 types the contracts hash. Python and Solidity each state these once; a change on one
side fails here."""
import re

import pytest
from brownie import ZERO_ADDRESS, IdeaBoard, OdysseyGovernor, OdysseyTimelock, project
from eth_utils import keccak

from backend.chain.forwarding import execute_args, sign_forward_request
from backend.chain.protocol import (
    APPROVAL_VOTE, BALLOT_TYPES, BLOCKHASH_WINDOW, CLAIM_TYPES, EXTENDED_BALLOT_TYPES, FEISTEL_ROUNDS, IDEA_MAX_TEXT_BYTES,
    MIN_HALF_BITS, ROLES, SEED_DELAY, UNLIMITED_STOCK, ClaimMethod, DropState, EntryStatus, IdeaState, ProposalState,
    VoteType, domain_from_eip712, role_id, type_string,
)
from backend.dev.keys import local_account

COCREATOR_JOURNEY, COCREATOR_STAMP = 90, 900


def ast_nodes(contract: str, kind: str, name: str) -> list[dict]:
    """The AST nodes of `kind` named `name` in the source Brownie compiled `contract` from."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("nodeType") == kind and node.get("name") == name:
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(project.get_loaded_projects()[0]._build.get(contract)["ast"])
    assert len(found) == 1, f"{contract} declares {kind} {name} {len(found)} times"
    return found[0]


def solidity_enum(contract: str, enum: str) -> list[str]:
    """The members of enum `enum`, in declaration order, in UPPER_SNAKE_CASE as Python names them."""
    members = ast_nodes(contract, "EnumDefinition", enum)["members"]
    return [re.sub(r"(?<!^)(?=[A-Z])", "_", member["name"]).upper() for member in members]


def solidity_constant(contract: str, name: str) -> int:
    """The value of the number constant `name` (private ones included, which no call can read) of `contract`."""
    node = ast_nodes(contract, "VariableDeclaration", name)
    assert node["constant"] and node["value"]["nodeType"] == "Literal", f"{contract}.{name} is not a literal constant"
    return int(node["value"]["value"].replace("_", ""))


@pytest.fixture(scope="module")
def system(stamps, shop, drops, benefits, forwarder, ops, deployer):
    tx = {"from": deployer}
    timelock = OdysseyTimelock.deploy(3600, [], [ZERO_ADDRESS], deployer, tx)
    governor = OdysseyGovernor.deploy(stamps, timelock, 1, 20, 10, 10, 30, tx)
    stamps.createJourney(COCREATOR_JOURNEY, "Co-creators", "ipfs://co-creators", 0, 0, {"from": ops})
    stamps.createStampType(COCREATOR_STAMP, COCREATOR_JOURNEY, "Co-creator", 50, True, 0, {"from": ops})
    board = IdeaBoard.deploy(stamps, shop, governor, deployer, forwarder, [2], [86400], COCREATOR_STAMP, 100, 1, tx)
    return {
        "OdysseyStamps": stamps, "OdysseyShop": shop, "OdysseyDrops": drops, "OdysseyBenefits": benefits, "OdysseyTimelock": timelock,
        "OdysseyGovernor": governor, "IdeaBoard": board, "OdysseyForwarder": forwarder,
    }


@pytest.mark.parametrize("python, contract, enum", [
    (ClaimMethod, "IOdysseyStamps", "ClaimMethod"),
    (ProposalState, "IGovernor", "ProposalState"),
    (IdeaState, "IIdeaBoard", "IdeaState"),
    (VoteType, "GovernorCountingSimple", "VoteType"),
    (DropState, "IOdysseyDrops", "DropState"),
    (EntryStatus, "IOdysseyDrops", "EntryStatus"),
])
def test_enums_list_the_solidity_members_in_order(python, contract, enum):
    assert [member.name for member in python] == solidity_enum(contract, enum)


def test_the_governor_counts_ordinary_votes_as_vote_type_says(system):
    """VoteType is GovernorCountingSimple's: the governor's counting mode names the same ("bravo") order."""
    assert system["OdysseyGovernor"].COUNTING_MODE().startswith("support=bravo&")


def test_constants_equal_the_contracts(system):
    assert system["OdysseyGovernor"].APPROVAL_VOTE() == APPROVAL_VOTE
    assert system["OdysseyBenefits"].UNLIMITED() == UNLIMITED_STOCK
    assert system["IdeaBoard"].MAX_TEXT_BYTES() == IDEA_MAX_TEXT_BYTES
    assert system["OdysseyDrops"].SEED_DELAY() == SEED_DELAY


@pytest.mark.parametrize("name, python", [
    ("_BLOCKHASH_WINDOW", BLOCKHASH_WINDOW), ("_FEISTEL_ROUNDS", FEISTEL_ROUNDS), ("_MIN_HALF_BITS", MIN_HALF_BITS),
])
def test_the_draws_private_constants_equal_the_pythons(name, python):
    """backend/chain/drops.py recomputes the draw with these: a change in the contract alone would split the two."""
    assert solidity_constant("OdysseyDrops", name) == python


@pytest.mark.parametrize("contract", ROLES)
def test_roles_are_every_role_of_the_contract_with_its_id(system, contract):
    deployed = system[contract]
    in_abi = {e["name"] for e in deployed.abi if e["type"] == "function" and e["name"].endswith("_ROLE")}
    assert set(ROLES[contract]) == in_abi
    for name in ROLES[contract]:
        assert getattr(deployed, name)() == "0x" + role_id(name).hex()


def test_eip712_types_hash_as_the_contracts_do(system):
    governor = system["OdysseyGovernor"]
    assert system["OdysseyStamps"].CLAIM_TYPEHASH() == "0x" + keccak(text=type_string(CLAIM_TYPES)).hex()
    assert governor.BALLOT_TYPEHASH() == "0x" + keccak(text=type_string(BALLOT_TYPES)).hex()
    assert governor.EXTENDED_BALLOT_TYPEHASH() == "0x" + keccak(text=type_string(EXTENDED_BALLOT_TYPES)).hex()


def test_the_forwarder_accepts_a_request_signed_with_forward_request_types(system, chain):
    """ERC2771Forwarder keeps its typehash internal: a request signed in Python must verify."""
    forwarder, stamps, member = system["OdysseyForwarder"], system["OdysseyStamps"], local_account(4)
    request = sign_forward_request(member.key, domain_from_eip712(forwarder.eip712Domain()), {
        "from": member.address, "to": stamps.address, "value": 0, "gas": 100_000, "nonce": forwarder.nonces(member.address),
        "deadline": chain.time() + 600, "data": stamps.join.encode_input(),
    })
    assert forwarder.verify(execute_args(request))
