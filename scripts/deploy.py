"""Deploy Odyssey and write deployments/<chainId>.json: the backend's only link to the chain.

    brownie run scripts/deploy.py --network odyssey-local          # deploy, or re-use what the chain has
    brownie run scripts/deploy.py fresh --network odyssey-local    # deploy anew even if a deployment exists
"""
import datetime
import os

from brownie import OdysseyBenefits, OdysseyForwarder, OdysseyStamps, web3

from scripts.common import account_for, load_deployment, run_main, write_deployment

METADATA_URI = os.environ.get("ODYSSEY_METADATA_URI", "http://127.0.0.1:8000/metadata/{id}.json")
ROYALTY_BPS = 500  # 5% on resales of collectible stamps, to the treasury
LEVEL_THRESHOLDS = [10, 50, 150, 400, 1000]  # points for levels 1..5; below 10 points is level 0


def _entry(contract) -> dict:
    receipt = web3.eth.get_transaction_receipt(contract.tx.txid)
    return {
        "address": contract.address,
        "block": receipt["blockNumber"],
        "txHash": contract.tx.txid,
        "abi": contract.abi,
    }


def deploy() -> dict:
    deployer = account_for("deployer")
    issuer = account_for("issuer")
    ops = account_for("ops")
    tx = {"from": deployer}

    forwarder = OdysseyForwarder.deploy(tx)
    treasury = deployer  # until governance: the DAO's timelock takes over as treasury and admin
    stamps = OdysseyStamps.deploy(METADATA_URI, deployer, treasury, ROYALTY_BPS, forwarder, tx)
    benefits = OdysseyBenefits.deploy(stamps, deployer, forwarder, tx)

    stamps.grantRole(stamps.ISSUER_ROLE(), issuer, tx)
    stamps.grantRole(stamps.JOURNEY_MANAGER_ROLE(), ops, tx)
    benefits.grantRole(benefits.BENEFIT_MANAGER_ROLE(), ops, tx)
    stamps.setLevelThresholds(LEVEL_THRESHOLDS, tx)

    contracts = {"OdysseyForwarder": forwarder, "OdysseyStamps": stamps, "OdysseyBenefits": benefits}
    entries = {name: _entry(c) for name, c in contracts.items()}
    deployment = {
        "chainId": web3.eth.chain_id,
        "deployedAt": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "startBlock": min(e["block"] for e in entries.values()),
        "accounts": {"deployer": deployer.address, "issuer": issuer.address, "ops": ops.address},
        "contracts": entries,
    }
    path = write_deployment(deployment)
    print(f"deployed on chain {deployment['chainId']}: {path}")
    for name, entry in entries.items():
        print(f"  {name:<18} {entry['address']} (block {entry['block']})")
    return deployment


def main() -> dict:
    """Deploy unless this chain already has the deployment named in deployments/<chainId>.json."""

    def body():
        existing = load_deployment(required=False)
        if existing:
            print(f"re-using the deployment on chain {existing['chainId']} (block {existing['startBlock']})")
            return existing
        return deploy()

    return run_main(body)


def fresh() -> dict:
    """Deploy anew, replacing deployments/<chainId>.json."""
    return run_main(deploy)
