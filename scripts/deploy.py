"""Deploy Odyssey and write deployments/<chainId>.json: the backend's only link to the chain.

    brownie run scripts/deploy.py --network odyssey-local                   # deploy, or re-use what the chain has
    brownie run scripts/deploy.py fresh --network odyssey-local             # deploy anew even if a deployment exists
    brownie run scripts/deploy.py main keep-admin --network odyssey-local   # local demos: the deployer keeps admin

Governance: the DAO's timelock (OdysseyTimelock) is deployed first and is the stamps contract's treasury (sale
proceeds and royalties land there); the governor (OdysseyGovernor, points as votes) is its only proposer, anyone
executes after the delay; the shop (OdysseyShop) sells limited editions; drops (OdysseyDrops) draw oversubscribed
editions by lottery; the idea board (IdeaBoard) realises ideas through the co-creator stamp type created here. The
DAO's issuance bounds (the profile's `issuance`) cap what any operational key can mint. The hand-over then gives the
timelock admin of stamps, shop, drops, benefits, board and itself, makes the guardian (ODYSSEY_GUARDIAN_ADDRESS;
Ganache account 9 locally) able to pause issuance and cancel queued operations, and the deployer renounces every
power it had (unless keep-admin, or ODYSSEY_KEEP_ADMIN=1, on a local chain). The issuer and ops accounts keep their
operational roles (ISSUER_ROLE; JOURNEY_MANAGER_ROLE, SHOP_MANAGER_ROLE, DROP_MANAGER_ROLE and BENEFIT_MANAGER_ROLE),
bounded by the DAO.
"""
import datetime
import os

from brownie import (
    ZERO_ADDRESS, IdeaBoard, OdysseyBenefits, OdysseyDrops, OdysseyForwarder, OdysseyGovernor, OdysseyShop,
    OdysseyStamps, OdysseyTimelock, web3,
)

from backend.chain.deployment import write_deployment
from backend.chain.protocol import ROLES
from scripts.lib.common import ScriptError, account_for, address_for, is_local, load_deployment, run_main

METADATA_URI = os.environ.get("ODYSSEY_METADATA_URI", "http://127.0.0.1:8000/metadata/{id}.json")
ROYALTY_BPS = 500  # 5% on resales of collectible stamps, to the treasury
LEVEL_THRESHOLDS = [10, 50, 150, 400, 1000]  # points for levels 1..5; below 10 points is level 0

# The co-creator stamp: soulbound, given by the idea board to the author of every realised idea.
COCREATOR_JOURNEY = 900
COCREATOR_STAMP = 90001
COCREATOR_POINTS = 50

DAY = 86400
# Governance parameters. Voting runs in blocks (the stamps contract's clock), the timelock and idea stages in
# seconds. "live" is scaled to a small community at ~12 s blocks; "local" lets a full lifecycle run in minutes;
# "load" is "local" with an issuance budget large enough for the benchmark's and the tests' random workloads.
# `issuance` is the DAO's bound on operational keys (OdysseyStamps.setIssuanceBounds): the most points a stamp
# type may carry, and a budget of max(floor, bps of all points) minted per period (seconds), refilling linearly.
GOVERNANCE_PROFILES = {
    "live": {
        "votingDelay": 7200,  # ~1 day before voting opens (the snapshot)
        "votingPeriod": 50400,  # ~1 week of voting
        "proposalThreshold": 50,  # points (level 2)
        "quorumPercent": 10,  # of all points, For + Abstain (or any option)
        "queuePeriod": 100800,  # ~2 weeks to queue a succeeded proposal before it expires
        "timelockDelay": 2 * DAY,
        "stageSupporters": [10, 25, 50],
        "stageDurations": [30 * DAY, 90 * DAY, 180 * DAY],
        "creatorShareBps": 100,  # 1% of the realised idea's stamp sales, as LEGO Ideas gives
        "ideaMinPoints": 1,
        "issuance": {"maxStampPoints": 200, "budgetBps": 500, "budgetFloor": 1_000, "budgetPeriod": 7 * DAY},
    },
    "local": {
        "votingDelay": 1,
        "votingPeriod": 20,
        "proposalThreshold": 10,
        "quorumPercent": 10,
        "queuePeriod": 200,
        "timelockDelay": 120,
        "stageSupporters": [2, 3],
        "stageDurations": [7 * DAY, 30 * DAY],
        "creatorShareBps": 100,
        "ideaMinPoints": 1,
        # make run's demo mints 310 points: what a stolen ops key can add on top (190, then 500 a day) is less than
        # its founders hold right after seeding; a demo DAO is a bootstrap DAO, where the floor dominates
        "issuance": {"maxStampPoints": 100, "budgetBps": 1_000, "budgetFloor": 500, "budgetPeriod": DAY},
    },
}
GOVERNANCE_PROFILES["load"] = {
    **GOVERNANCE_PROFILES["local"],
    "issuance": {"maxStampPoints": 1_000, "budgetBps": 1_000, "budgetFloor": 10**12, "budgetPeriod": DAY},
}


def governance_profile() -> dict:
    name = os.environ.get("ODYSSEY_GOVERNANCE_PROFILE") or ("local" if is_local() else "live")
    if name not in GOVERNANCE_PROFILES:
        raise ScriptError(f"unknown ODYSSEY_GOVERNANCE_PROFILE {name!r} (use {', '.join(GOVERNANCE_PROFILES)})")
    return {"profile": name, **GOVERNANCE_PROFILES[name]}


def _entry(contract) -> dict:
    receipt = web3.eth.get_transaction_receipt(contract.tx.txid)
    return {
        "address": contract.address,
        "block": receipt["blockNumber"],
        "txHash": contract.tx.txid,
        "abi": contract.abi,
    }


def deploy_contracts(deployer, issuer, ops, params: dict) -> dict:
    """Deploy and wire every contract (the deployer still holds admin everywhere). Returns them by name."""
    tx = {"from": deployer}
    forwarder = OdysseyForwarder.deploy(tx)
    timelock = OdysseyTimelock.deploy(params["timelockDelay"], [], [ZERO_ADDRESS], deployer, tx)
    stamps = OdysseyStamps.deploy(METADATA_URI, deployer, timelock, ROYALTY_BPS, forwarder, tx)
    shop = OdysseyShop.deploy(stamps, deployer, forwarder, tx)
    drops = OdysseyDrops.deploy(stamps, deployer, forwarder, tx)
    benefits = OdysseyBenefits.deploy(stamps, deployer, forwarder, tx)

    issuance = params["issuance"]
    stamps.setIssuanceBounds(
        issuance["maxStampPoints"], issuance["budgetBps"], issuance["budgetFloor"], issuance["budgetPeriod"], tx
    )
    stamps.grantRole(stamps.ISSUER_ROLE(), issuer, tx)
    stamps.grantRole(stamps.JOURNEY_MANAGER_ROLE(), ops, tx)
    stamps.grantRole(stamps.MINTER_ROLE(), shop, tx)
    stamps.grantRole(stamps.MINTER_ROLE(), drops, tx)
    shop.grantRole(shop.SHOP_MANAGER_ROLE(), ops, tx)
    drops.grantRole(drops.DROP_MANAGER_ROLE(), ops, tx)
    benefits.grantRole(benefits.BENEFIT_MANAGER_ROLE(), ops, tx)
    stamps.setLevelThresholds(LEVEL_THRESHOLDS, tx)

    governor = OdysseyGovernor.deploy(
        stamps,
        timelock,
        params["votingDelay"],
        params["votingPeriod"],
        params["proposalThreshold"],
        params["quorumPercent"],
        params["queuePeriod"],
        tx,
    )
    stamps.createJourney(COCREATOR_JOURNEY, "Co-creators", "ipfs://odyssey/co-creators", 0, 0, tx)
    stamps.createStampType(COCREATOR_STAMP, COCREATOR_JOURNEY, "Co-creator", COCREATOR_POINTS, True, 0, tx)
    board = IdeaBoard.deploy(
        stamps,
        shop,
        governor,
        deployer,
        forwarder,
        params["stageSupporters"],
        params["stageDurations"],
        COCREATOR_STAMP,
        params["creatorShareBps"],
        params["ideaMinPoints"],
        tx,
    )
    return {
        "OdysseyForwarder": forwarder,
        "OdysseyTimelock": timelock,
        "OdysseyStamps": stamps,
        "OdysseyShop": shop,
        "OdysseyDrops": drops,
        "OdysseyBenefits": benefits,
        "OdysseyGovernor": governor,
        "IdeaBoard": board,
    }


def hand_over(contracts: dict, deployer, guardian: str | None, keep_admin: bool = False) -> None:
    """Give the system to the DAO: the timelock administers everything, the governor alone proposes to it, the
    board may issue co-creator stamps and set their shares, the guardian may pause issuance and cancel queued
    operations, and the deployer renounces every role (unless keep_admin)."""
    tx = {"from": deployer}
    timelock, governor = contracts["OdysseyTimelock"], contracts["OdysseyGovernor"]
    stamps, shop, benefits = contracts["OdysseyStamps"], contracts["OdysseyShop"], contracts["OdysseyBenefits"]
    board, drops = contracts["IdeaBoard"], contracts["OdysseyDrops"]

    timelock.grantRole(timelock.PROPOSER_ROLE(), governor, tx)
    timelock.grantRole(timelock.CANCELLER_ROLE(), governor, tx)
    stamps.grantRole(stamps.MINTER_ROLE(), board, tx)  # used only to issue authors their co-creator stamp
    shop.grantRole(shop.CREATOR_SHARE_ROLE(), board, tx)  # used only to give authors their share of sales
    for role in (stamps.DEFAULT_ADMIN_ROLE(), stamps.JOURNEY_MANAGER_ROLE(), stamps.PAUSER_ROLE()):
        stamps.grantRole(role, timelock, tx)
    for role in (shop.DEFAULT_ADMIN_ROLE(), shop.SHOP_MANAGER_ROLE(), shop.CREATOR_SHARE_ROLE()):
        shop.grantRole(role, timelock, tx)
    for role in (drops.DEFAULT_ADMIN_ROLE(), drops.DROP_MANAGER_ROLE()):
        drops.grantRole(role, timelock, tx)
    for role in (benefits.DEFAULT_ADMIN_ROLE(), benefits.BENEFIT_MANAGER_ROLE()):
        benefits.grantRole(role, timelock, tx)
    board.grantRole(board.DEFAULT_ADMIN_ROLE(), timelock, tx)
    if guardian:
        stamps.grantRole(stamps.PAUSER_ROLE(), guardian, tx)
        timelock.grantRole(timelock.CANCELLER_ROLE(), guardian, tx)
    if keep_admin:
        return
    for contract, names in ROLES.items():
        for name in names:
            c = contracts[contract]
            role = getattr(c, name)()
            if c.hasRole(role, deployer):
                c.renounceRole(role, deployer, tx)


def powers_of(contracts: dict, account) -> list[str]:
    """Every role `account` holds on the system's contracts, as "Contract.ROLE" strings."""
    held = []
    for contract, names in ROLES.items():
        c = contracts[contract]
        for name in names:
            if c.hasRole(getattr(c, name)(), account):
                held.append(f"{contract}.{name}")
    return held


def deploy(keep_admin: bool = False) -> dict:
    deployer = account_for("deployer")
    issuer = account_for("issuer")
    ops = account_for("ops")
    guardian = address_for("guardian", required=False)
    if keep_admin and not is_local():
        raise ScriptError("keep-admin is for local demos only: on a live network the deployer always renounces")
    params = governance_profile()

    contracts = deploy_contracts(deployer, issuer, ops, params)
    hand_over(contracts, deployer, guardian, keep_admin)
    left = powers_of(contracts, deployer)
    if left and not keep_admin:
        raise ScriptError(f"hand-over incomplete: the deployer still holds {', '.join(left)}")

    entries = {name: _entry(c) for name, c in contracts.items()}
    start = min(e["block"] for e in entries.values())
    deployment = {
        "chainId": web3.eth.chain_id,
        "deployedAt": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "startBlock": start,
        "startBlockHash": web3.eth.get_block(start)["hash"].to_0x_hex(),
        "accounts": {
            "deployer": deployer.address,
            "issuer": issuer.address,
            "ops": ops.address,
            "guardian": guardian,
            "treasury": contracts["OdysseyTimelock"].address,
        },
        "governance": {
            **params,
            "coCreatorJourney": COCREATOR_JOURNEY,
            "coCreatorStamp": COCREATOR_STAMP,
            "keepAdmin": keep_admin,
            "clock": "blocknumber",
        },
        "contracts": entries,
    }
    path = write_deployment(deployment)
    print(f"deployed on chain {deployment['chainId']}: {path}")
    for name, entry in entries.items():
        print(f"  {name:<18} {entry['address']} (block {entry['block']})")
    print(f"  guardian {guardian}" if guardian else "  no guardian (ODYSSEY_GUARDIAN_ADDRESS unset): the DAO can grant one")
    print("  deployer keeps admin (local demo)" if keep_admin else "  deployer renounced every role: the DAO owns the system")
    return deployment


def _keep_admin(options) -> bool:
    flags = {o.strip().lower().replace("_", "-") for o in options}
    unknown = flags - {"keep-admin"}
    if unknown:
        raise ScriptError(f"unknown option(s) {', '.join(sorted(unknown))} (the only one is keep-admin)")
    return "keep-admin" in flags or os.environ.get("ODYSSEY_KEEP_ADMIN") == "1"


def main(*options) -> dict:
    """Deploy unless this chain already has the deployment named in deployments/<chainId>.json."""

    def body():
        keep_admin = _keep_admin(options)
        existing = load_deployment(required=False)
        current = ("OdysseyGovernor", "IdeaBoard", "OdysseyShop", "OdysseyDrops")
        if existing and existing.start_block_hash and all(existing.contract(name) for name in current):
            print(f"re-using the deployment on chain {existing.chain_id} (block {existing.start_block})")
            return existing.content
        if existing:
            print("the deployment on this chain predates the current contracts or its identity: deploying anew")
        return deploy(keep_admin)

    return run_main(body)


def fresh(*options) -> dict:
    """Deploy anew, replacing deployments/<chainId>.json."""
    return run_main(lambda: deploy(_keep_admin(options)))
