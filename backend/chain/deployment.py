"""The one loader of the deployments file, deployments/<chainId>.json: the backend's only link to the chain.

scripts/deploy.py writes it: the chain id, every contract with its address, ABI and deployment block, the first of
those blocks (`startBlock`) and its hash (`startBlockHash`). The hash is the deployment's identity on its chain: a
redeploy on a fresh local chain gets the same addresses and block numbers, never the same block hash, so the indexer
re-indexes, and a file left from a chain that was reset is recognised as stale.

Where it is read from, for the indexer, the relay, the CLI, the member page's configuration and the scripts alike:
ODYSSEY_DEPLOYMENTS_FILE when set (the settings field `deployments_file`, the CLI's --deployments), else
deployments/<chainId>.json in the repository.
"""
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from eth_utils import to_checksum_address
from web3 import Web3
from web3.exceptions import BlockNotFound

from backend.settings import ROOT

VARIABLE = "ODYSSEY_DEPLOYMENTS_FILE"
FOLDER = ROOT / "deployments"


class DeploymentError(Exception):
    """The deployments file is missing, malformed, or for another chain: one line saying which."""


@dataclass(frozen=True)
class Contract:
    name: str
    address: str
    block: int
    abi: list


@dataclass(frozen=True)
class Deployment:
    path: Path
    chain_id: int
    start_block: int
    start_block_hash: str | None  # None in a file written before it was recorded
    deployed_at: str
    contracts: dict[str, Contract]
    content: dict = field(repr=False)  # the whole file (accounts, governance parameters)

    @property
    def identity(self) -> str:
        """Tells this deployment from any other, a redeploy on a fresh chain included."""
        parts = sorted(f"{c.name}:{c.address}:{c.block}" for c in self.contracts.values())
        origin = self.start_block_hash or self.deployed_at
        return "0x" + hashlib.sha256(f"{self.chain_id}|{origin}|{'|'.join(parts)}".encode()).hexdigest()

    def contract(self, name: str) -> Contract | None:
        return self.contracts.get(name)

    def check_chain(self, start_block_hash: str | None) -> None:
        """DeploymentError unless the node's block `start_block` (its hash given; None: the node has no such block)
        is the one this file recorded."""
        if self.start_block_hash is not None and start_block_hash != self.start_block_hash:
            raise DeploymentError(
                f"{self.path} describes a deployment this chain does not have (block {self.start_block} differs: the "
                "chain was reset or replaced): deploy again"
            )

    def check_node(self, w3) -> None:
        """`check_chain` against the node of web3 client `w3`."""
        try:
            block_hash = w3.eth.get_block(self.start_block)["hash"].to_0x_hex()
        except BlockNotFound:
            block_hash = None
        self.check_chain(block_hash)


def deployments_path(chain_id: int, file: Path | str | None = None) -> Path:
    """Where chain `chain_id`'s deployments file is: `file`, else ODYSSEY_DEPLOYMENTS_FILE, else the repository's."""
    explicit = file or os.environ.get(VARIABLE)
    return Path(explicit) if explicit else FOLDER / f"{chain_id}.json"


def load_deployment(chain_id: int, file: Path | str | None = None) -> Deployment:
    """Chain `chain_id`'s deployment (DeploymentError when it is missing, malformed or for another chain)."""
    path = deployments_path(chain_id, file)
    deployment = read_deployment(path)
    if deployment.chain_id != chain_id:
        raise DeploymentError(f"{path} is for chain {deployment.chain_id}, the node is chain {chain_id}")
    return deployment


def connect(rpc_url: str, timeout: float, file: Path | str | None = None) -> tuple[Web3, Deployment]:
    """The services' node connection (the relay's, the issuer's) and the deployment it runs, checked against it (a
    file from a chain that was reset is refused). No retries: a node that is down answers at once, not after web3.py's
    backoff."""
    w3 = Web3(Web3.HTTPProvider(rpc_url, request_kwargs={"timeout": timeout}, exception_retry_configuration=None))
    deployment = load_deployment(w3.eth.chain_id, file)
    deployment.check_node(w3)
    return w3, deployment


def read_deployment(path: Path | str) -> Deployment:
    """The deployments file at `path`, whatever chain it is for."""
    path = Path(path)
    try:
        content = json.loads(path.read_text())
    except FileNotFoundError:
        raise DeploymentError(f"deployments file {path} is missing: deploy the contracts first") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DeploymentError(f"deployments file {path} is not valid JSON: {exc}") from None
    try:
        start = int(content.get("startBlock", 0))
        contracts = {
            name: Contract(name, to_checksum_address(entry["address"]), int(entry.get("block", start)), entry["abi"])
            for name, entry in content["contracts"].items()
        }
        return Deployment(
            path=path, chain_id=int(content["chainId"]), start_block=start, start_block_hash=content.get("startBlockHash"),
            deployed_at=str(content.get("deployedAt", "")), contracts=contracts, content=content,
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise DeploymentError(f"deployments file {path} is malformed: {exc!r}") from None


def write_deployment(content: dict) -> Path:
    """Write a deployments file (scripts/deploy.py) where `load_deployment` will look for it, atomically."""
    path = deployments_path(int(content["chainId"]))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(content, indent=2) + "\n")
    tmp.replace(path)
    return path
