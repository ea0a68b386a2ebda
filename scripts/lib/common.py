"""Shared by the ops scripts: accounts per role, the deployments file, one-line errors.

On the local chain (Ganache, mnemonic "brownie") every role is one of Ganache's deterministic unlocked
accounts, so any wallet or tool can sign as them; on a live network each role's account comes from a
Brownie keystore named by ODYSSEY_<ROLE>_ACCOUNT (`brownie accounts new <id>`).
"""
import os
import sys
from pathlib import Path

from brownie import accounts, network, web3

from backend.chain.deployment import Deployment, DeploymentError
from backend.chain.deployment import load_deployment as load_deployment_file
from backend.dev.keys import LOCAL_ROLES, local_account

LOCAL_GAS_PRICE = "1 gwei"


# A progress line: `make run` shows these and keeps every other line a script prints in .run/setup.log.
STEP = "» "


def step(message: str) -> None:
    print("\n".join(STEP + line for line in message.splitlines()), flush=True)


class ScriptError(Exception):
    """A problem with the input or the chain that the operator can fix; printed as one line."""


def fail(message: str) -> None:
    """Stop the script with a one-line error (and a non-zero exit status)."""
    print(f"error: {message}", file=sys.stderr)
    sys.exit(1)


def is_local() -> bool:
    """Whether the active network is a local development chain (Ganache with the "brownie" mnemonic)."""
    from brownie._config import CONFIG

    return CONFIG.network_type == "development"


def setup_network() -> None:
    """Ganache's shanghai fork has a base fee while Brownie's dev gas price is 0: set one."""
    if is_local():
        network.gas_price(LOCAL_GAS_PRICE)


def account_for(role: str):
    """The account that acts as `role` (deployer, issuer, ops, relayer) on the active network."""
    if is_local() and role in LOCAL_ROLES:
        return accounts[LOCAL_ROLES[role]]
    variable = f"ODYSSEY_{role.upper()}_ACCOUNT"
    keystore = os.environ.get(variable)
    if not keystore:
        raise ScriptError(f"no account for role {role!r} on network {network.show_active()}: set {variable}")
    return accounts.load(keystore)


def address_for(role: str, required: bool = True) -> str | None:
    """The address of a role the scripts never sign for (the guardian, often a multisig): Ganache's account on the
    local chain, else ODYSSEY_<ROLE>_ADDRESS."""
    if is_local() and role in LOCAL_ROLES:
        return accounts[LOCAL_ROLES[role]].address
    variable = f"ODYSSEY_{role.upper()}_ADDRESS"
    value = os.environ.get(variable, "").strip()
    if not value:
        if required:
            raise ScriptError(f"no address for role {role!r} on network {network.show_active()}: set {variable}")
        return None
    if not web3.is_address(value):
        raise ScriptError(f"{variable} is not an address: {value!r}")
    return web3.to_checksum_address(value)


def load_deployment(required: bool = True) -> Deployment | None:
    """The connected chain's deployment (backend/chain/deployment.py), if the chain still has it."""
    try:
        deployment = load_deployment_file(web3.eth.chain_id)
        deployment.check_node(web3)
    except DeploymentError as exc:
        if required:
            raise ScriptError(str(exc)) from None
        return None
    return deployment


def contract(name: str, deployment: Deployment | None = None):
    """The deployed contract `name` (a Brownie ContractContainer name) from the deployments file."""
    import brownie

    deployment = deployment or load_deployment()
    entry = deployment.contract(name)
    if entry is None:
        raise ScriptError(f"{name} is not in the deployments file")
    return getattr(brownie, name).at(entry.address)


def run_main(body):
    """Run a script body; a ScriptError becomes a one-line error instead of a traceback."""
    try:
        setup_network()
        return body()
    except ScriptError as exc:
        fail(str(exc))


def read_members_csv(path: str | Path) -> list[str]:
    """Checksummed member addresses from a CSV with an `address` column (other columns are ignored).

    Every row is checked before anything is sent; a bad or repeated address stops with its line number.
    """
    import csv

    from eth_utils import is_address, to_checksum_address

    path = Path(path)
    try:
        with path.open(newline="") as handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames or "address" not in [f.strip().lower() for f in reader.fieldnames]:
                raise ScriptError(f"{path}: no 'address' column in the header line")
            column = next(f for f in reader.fieldnames if f.strip().lower() == "address")
            members, seen = [], {}
            for row in reader:
                value = (row.get(column) or "").strip()
                if not is_address(value):
                    raise ScriptError(f"{path}:{reader.line_num}: not an address: {value!r}")
                address = to_checksum_address(value)
                if address in seen:
                    raise ScriptError(f"{path}:{reader.line_num}: {address} repeats line {seen[address]}")
                seen[address] = reader.line_num
                members.append(address)
    except FileNotFoundError:
        raise ScriptError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise ScriptError(f"{path}: not a text CSV file") from None
    if not members:
        raise ScriptError(f"{path}: no member rows")
    return members


def load_spec(path: str | Path, model):
    """A YAML file checked against the pydantic `model`; any problem is a one-line error naming the file and the
    line (YAML syntax) or the field."""
    import yaml
    from pydantic import ValidationError

    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text())
    except FileNotFoundError:
        raise ScriptError(f"{path}: no such file") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        raise ScriptError(f"{path}: not valid YAML{where}: {getattr(exc, 'problem', exc)}") from None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(p) for p in error["loc"]) or "file"
        raise ScriptError(f"{path}: {field}: {error['msg']}") from None


def wei_amount(value) -> int:
    """An amount of ether as wei: a whole number of wei or Brownie's units ('0.01 ether'); a ValueError for a
    pydantic validator otherwise."""
    from brownie import Wei

    try:
        return int(Wei(value))
    except Exception:
        raise ValueError(f"not an amount: {value!r} (use wei or e.g. '0.01 ether')") from None


def parse_int(value, name: str) -> int:
    """An integer argument given on the command line, or a one-line error naming it."""
    try:
        return int(str(value), 0)
    except ValueError:
        raise ScriptError(f"{name} must be a whole number, not {value!r}") from None


def existing_stamp(stamps, stamp_id: int) -> tuple:
    """The on-chain stamp type, or a one-line error for an unknown one."""
    stamp = stamps.stampType(stamp_id)
    if stamp[0] == 0:
        raise ScriptError(f"unknown stamp {stamp_id}: no such stamp type on chain {web3.eth.chain_id}")
    return stamp


def members_and_stamp(csv_path: str, stamp_id: str, usage: str) -> tuple[list[str], int, object]:
    """The checked inputs of the member-list scripts: (members from the CSV, stamp id, the stamps contract)."""
    if not csv_path or not stamp_id:
        raise ScriptError(f"usage: {usage}")
    members = read_members_csv(csv_path)
    stamp = parse_int(stamp_id, "stampId")
    stamps = contract("OdysseyStamps")
    existing_stamp(stamps, stamp)
    return members, stamp, stamps


def signing_key(role: str):
    """The private key of `role`'s account, to sign off-chain messages (vouchers)."""
    if is_local() and role in LOCAL_ROLES:
        return local_account(LOCAL_ROLES[role]).key
    return account_for(role).private_key
