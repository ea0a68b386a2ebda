"""scripts/deploy.py: the timelock is the treasury, the governor its proposer, the DAO's issuance bounds are set,
the guardian can pause and cancel, and the deployer keeps no power."""
import json

import brownie
import pytest
from brownie import (
    ZERO_ADDRESS, IdeaBoard, OdysseyBenefits, OdysseyDrops, OdysseyGovernor, OdysseyShop, OdysseyStamps,
    OdysseyTimelock, chain, web3,
)

from backend.chain.deployment import VARIABLE
from backend.chain.protocol import ROLES, ProposalState, VoteType
from scripts import deploy as deploy_script
from stamp_helpers import err, unauthorized

from .conftest import ints

CONTRACTS = (
    "OdysseyForwarder", "OdysseyTimelock", "OdysseyStamps", "OdysseyShop", "OdysseyDrops", "OdysseyBenefits",
    "OdysseyGovernor", "IdeaBoard",
)


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    path = tmp_path_factory.mktemp("deployments") / "1337.json"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(VARIABLE, str(path))
        deploy_script.deploy()
    return json.loads(path.read_text())


@pytest.fixture(scope="module")
def system(deployment):
    address = {name: entry["address"] for name, entry in deployment["contracts"].items()}
    return {
        "stamps": OdysseyStamps.at(address["OdysseyStamps"]),
        "shop": OdysseyShop.at(address["OdysseyShop"]),
        "drops": OdysseyDrops.at(address["OdysseyDrops"]),
        "benefits": OdysseyBenefits.at(address["OdysseyBenefits"]),
        "timelock": OdysseyTimelock.at(address["OdysseyTimelock"]),
        "governor": OdysseyGovernor.at(address["OdysseyGovernor"]),
        "board": IdeaBoard.at(address["IdeaBoard"]),
    }


def test_deployments_file_lists_every_contract_with_abi_and_block(deployment):
    assert set(deployment["contracts"]) == set(CONTRACTS)
    for entry in deployment["contracts"].values():
        assert entry["abi"] and entry["block"] >= deployment["startBlock"] and entry["txHash"]
    assert deployment["accounts"]["treasury"] == deployment["contracts"]["OdysseyTimelock"]["address"]
    assert deployment["governance"]["coCreatorStamp"] == deploy_script.COCREATOR_STAMP


def test_timelock_is_treasury_and_royalty_receiver(system):
    stamps, timelock = system["stamps"], system["timelock"]
    assert stamps.treasury() == timelock
    assert stamps.royaltyInfo(102, 10_000)[0] == timelock


def test_governor_alone_proposes_and_cancels_and_anyone_executes(system, deployer):
    timelock, governor = system["timelock"], system["governor"]
    assert timelock.hasRole(timelock.PROPOSER_ROLE(), governor)
    assert timelock.hasRole(timelock.CANCELLER_ROLE(), governor)
    assert timelock.hasRole(timelock.EXECUTOR_ROLE(), ZERO_ADDRESS)
    assert governor.timelock() == timelock
    assert governor.token() == system["stamps"]


def test_issuance_bounds_are_the_profiles(system, deployment):
    bounds = system["stamps"].issuanceBounds()
    issuance = deploy_script.GOVERNANCE_PROFILES[deployment["governance"]["profile"]]["issuance"]
    assert tuple(bounds)[:4] == (
        issuance["maxStampPoints"], issuance["budgetBps"], issuance["budgetFloor"], issuance["budgetPeriod"],
    )
    assert deployment["governance"]["issuance"] == issuance


def test_guardian_may_pause_and_cancel_and_nothing_else(system, deployment, accounts):
    stamps, timelock = system["stamps"], system["timelock"]
    guardian = deployment["accounts"]["guardian"]
    assert guardian == accounts[9]
    assert stamps.hasRole(stamps.PAUSER_ROLE(), guardian)
    assert timelock.hasRole(timelock.CANCELLER_ROLE(), guardian)
    for contract, names in ROLES.items():
        held = [n for n in names if system_contract(system, contract).hasRole(getattr(system_contract(system, contract), n)(), guardian)]
        assert held == {"OdysseyStamps": ["PAUSER_ROLE"], "OdysseyTimelock": ["CANCELLER_ROLE"]}.get(contract, [])


def system_contract(system, name):
    return {
        "OdysseyStamps": system["stamps"], "OdysseyShop": system["shop"], "OdysseyBenefits": system["benefits"],
        "IdeaBoard": system["board"], "OdysseyTimelock": system["timelock"], "OdysseyDrops": system["drops"],
    }[name]


def test_modules_hold_only_what_they_use(system):
    stamps, shop, board, drops = system["stamps"], system["shop"], system["board"], system["drops"]
    assert stamps.hasRole(stamps.MINTER_ROLE(), shop) and stamps.hasRole(stamps.MINTER_ROLE(), board)
    assert stamps.hasRole(stamps.MINTER_ROLE(), drops)
    assert shop.hasRole(shop.CREATOR_SHARE_ROLE(), board)
    for name in ("JOURNEY_MANAGER_ROLE", "ISSUER_ROLE", "PAUSER_ROLE", "DEFAULT_ADMIN_ROLE"):
        for module in (board, shop, drops):
            assert not stamps.hasRole(getattr(stamps, name)(), module)
    assert not shop.hasRole(shop.SHOP_MANAGER_ROLE(), board)


def test_deployer_has_no_power_left(system, deployer):
    contracts = {
        "OdysseyStamps": system["stamps"],
        "OdysseyShop": system["shop"],
        "OdysseyDrops": system["drops"],
        "OdysseyBenefits": system["benefits"],
        "IdeaBoard": system["board"],
        "OdysseyTimelock": system["timelock"],
    }
    assert deploy_script.powers_of(contracts, deployer) == []


def test_deployer_cannot_change_the_stamps_contract(system, deployer):
    stamps = system["stamps"]
    tx = {"from": deployer}
    with brownie.reverts(unauthorized(deployer, "DEFAULT_ADMIN_ROLE")):
        stamps.setLevelThresholds([1, 2, 3], tx)
    with brownie.reverts(unauthorized(deployer, "DEFAULT_ADMIN_ROLE")):
        stamps.setTreasury(deployer, tx)
    with brownie.reverts(unauthorized(deployer, "DEFAULT_ADMIN_ROLE")):
        stamps.grantRole(stamps.DEFAULT_ADMIN_ROLE(), deployer, tx)
    with brownie.reverts(unauthorized(deployer, "PAUSER_ROLE")):
        stamps.pause(tx)
    with brownie.reverts(unauthorized(deployer, "JOURNEY_MANAGER_ROLE")):
        stamps.createJourney(77, "Mine", "", 0, 0, tx)


def test_the_timelock_administers_drops(system, deployment):
    drops, timelock = system["drops"], system["timelock"]
    assert drops.hasRole(drops.DEFAULT_ADMIN_ROLE(), timelock)
    assert drops.hasRole(drops.DROP_MANAGER_ROLE(), timelock)
    assert drops.stamps() == system["stamps"]
    assert drops.trustedForwarder() == deployment["contracts"]["OdysseyForwarder"]["address"]


def test_deployer_cannot_schedule_on_the_timelock_or_govern_board_and_benefits(system, deployer):
    timelock, board, benefits = system["timelock"], system["board"], system["benefits"]
    tx = {"from": deployer}
    with brownie.reverts(unauthorized(deployer, "PROPOSER_ROLE")):
        timelock.schedule(deployer, 0, "0x", "0x" + "00" * 32, "0x" + "00" * 32, 10**6, tx)
    with brownie.reverts(unauthorized(deployer, "DEFAULT_ADMIN_ROLE")):
        board.setCreatorShareBps(5000, tx)
    with brownie.reverts(unauthorized(deployer, "BENEFIT_MANAGER_ROLE")):
        benefits.createBenefit(0, 10, "ipfs://b", tx)
    with brownie.reverts(err("GovernorOnlyExecutor", deployer)):
        system["governor"].setProposalThreshold(0, tx)


def test_ops_and_issuer_keep_their_operational_roles(system, ops, issuer):
    stamps, shop, benefits, drops = system["stamps"], system["shop"], system["benefits"], system["drops"]
    assert stamps.hasRole(stamps.ISSUER_ROLE(), issuer)
    assert stamps.hasRole(stamps.JOURNEY_MANAGER_ROLE(), ops)
    assert shop.hasRole(shop.SHOP_MANAGER_ROLE(), ops)
    assert drops.hasRole(drops.DROP_MANAGER_ROLE(), ops)
    assert not drops.hasRole(drops.DEFAULT_ADMIN_ROLE(), ops)
    assert benefits.hasRole(benefits.BENEFIT_MANAGER_ROLE(), ops)
    assert not stamps.hasRole(stamps.DEFAULT_ADMIN_ROLE(), ops)
    assert not shop.hasRole(shop.CREATOR_SHARE_ROLE(), ops)


def test_only_a_proposal_through_the_timelock_changes_the_stamps_contract(system, deployment, ops, members):
    stamps, governor = system["stamps"], system["governor"]
    params = deployment["governance"]
    stamps.createJourney(5, "Founders", "", 0, 0, {"from": ops})
    stamps.createStampType(501, 5, "Founder", 100, True, 0, {"from": ops})
    stamps.airdrop(501, [members[0]], {"from": ops})
    chain.mine()
    calldata = stamps.setLevelThresholds.encode_input([1, 2, 3])
    description = "# Easier levels"
    tx = governor.propose([stamps], [0], [calldata], description, {"from": members[0]})
    proposal_id = tx.return_value
    chain.mine(params["votingDelay"] + 1)
    governor.castVote(proposal_id, VoteType.FOR, {"from": members[0]})
    chain.mine(params["votingPeriod"] + 1)
    args = ([stamps.address], [0], [calldata], web3.keccak(text=description))
    governor.queue(*args, {"from": ops})
    chain.sleep(params["timelockDelay"] + 1)
    chain.mine()
    governor.execute(*args, {"from": ops})
    assert governor.state(proposal_id) == ProposalState.EXECUTED
    assert ints(stamps.levelThresholds()) == [1, 2, 3]


def test_keep_admin_leaves_the_deployer_admin_for_local_demos(deployer, issuer, ops):
    params = deploy_script.governance_profile()
    contracts = deploy_script.deploy_contracts(deployer, issuer, ops, params)
    deploy_script.hand_over(contracts, deployer, None, keep_admin=True)
    held = deploy_script.powers_of(contracts, deployer)
    assert "OdysseyStamps.DEFAULT_ADMIN_ROLE" in held and "OdysseyTimelock.DEFAULT_ADMIN_ROLE" in held
    assert contracts["OdysseyStamps"].treasury() == contracts["OdysseyTimelock"]


def test_main_re_uses_a_live_deployment(tmp_path, monkeypatch):
    monkeypatch.setenv(VARIABLE, str(tmp_path / "1337.json"))
    first = deploy_script.main()
    again = deploy_script.main()
    assert again["contracts"]["OdysseyGovernor"]["address"] == first["contracts"]["OdysseyGovernor"]["address"]


def test_unknown_deploy_option_is_refused():
    with pytest.raises(deploy_script.ScriptError, match="unknown option"):
        deploy_script._keep_admin(["keep-it-all"])
    assert deploy_script._keep_admin(["keep_admin"])
