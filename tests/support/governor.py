"""Compile and deploy the test-only TestGovernor (tests/support/contracts) on the test chain with web3.py, and
write a copy of the deployments file that names it "OdysseyGovernor" — as deploy will once governance ships."""
import json
from pathlib import Path

import solcx

from tests.support.chain import ROOT
from tests.support.web import GAS_PRICE

SOURCE = Path(__file__).parent / "contracts" / "TestGovernor.sol"


def compile_governor() -> tuple[list, str]:
    source = SOURCE.relative_to(ROOT).as_posix()
    output = solcx.compile_standard(
        {
            "language": "Solidity",
            "sources": {source: {"urls": [source]}},
            "settings": {
                "evmVersion": "shanghai",
                "optimizer": {"enabled": True, "runs": 200},
                "remappings": ["@openzeppelin/=node_modules/@openzeppelin/"],
                "outputSelection": {"*": {"*": ["abi", "evm.bytecode.object"]}},
            },
        },
        solc_binary=ROOT / ".solcx" / "solc-v0.8.24",
        base_path=str(ROOT),
        allow_paths=[str(ROOT)],
    )
    contract = output["contracts"][source]["TestGovernor"]
    return contract["abi"], contract["evm"]["bytecode"]["object"]


def deploy_governor(w3, deployer, stamps_address: str, deployment: dict, out: Path) -> dict:
    abi, bytecode = compile_governor()
    factory = w3.eth.contract(abi=abi, bytecode=bytecode)
    tx = factory.constructor(stamps_address).build_transaction(
        {"from": deployer.address, "nonce": w3.eth.get_transaction_count(deployer.address), "gasPrice": GAS_PRICE}
    )
    tx_hash = w3.eth.send_raw_transaction(deployer.sign_transaction(tx).raw_transaction)
    receipt = w3.eth.wait_for_transaction_receipt(tx_hash)
    assert receipt.status == 1
    entry = {"address": receipt.contractAddress, "block": receipt.blockNumber, "txHash": "0x" + bytes(tx_hash).hex(), "abi": abi}
    extended = {**deployment, "contracts": {**deployment["contracts"], "OdysseyGovernor": entry}}
    out.write_text(json.dumps(extended, indent=2))
    return extended
