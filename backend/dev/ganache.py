"""The local development chain: how Odyssey starts Ganache (make run, the tests, the benchmark) and the settings
Brownie starts it with (backend/dev/networks.py registers them): one set of flags for both."""
from pathlib import Path

from backend.settings import LOCAL_CHAIN_ID, ROOT

GANACHE = ROOT / "node_modules" / ".bin" / "ganache"
MNEMONIC = "brownie"  # Ganache's deterministic accounts: backend/dev/keys.py derives their keys
# The chain as Brownie's network settings name it (`cmd_settings`), and the Ganache 7 flag of each.
SETTINGS = {"chain_id": LOCAL_CHAIN_ID, "evm_version": "shanghai", "mnemonic": MNEMONIC, "accounts": 10, "gas_limit": 30_000_000}
FLAGS = {
    "chain_id": "--chain.chainId",
    "evm_version": "--hardfork",
    "mnemonic": "--wallet.mnemonic",
    "accounts": "--wallet.totalAccounts",
    "gas_limit": "--miner.blockGasLimit",
}


def ganache_command(port: int, db_path: Path | None = None, quiet: bool = False) -> list[str]:
    """Ganache 7 on loopback `port` with SETTINGS; its data in `db_path` (kept across restarts) if given."""
    command = [str(GANACHE), "--server.host", "127.0.0.1", "--server.port", str(port)]
    for name, value in SETTINGS.items():
        command += [FLAGS[name], str(value)]
    if db_path is not None:
        command += ["--database.dbPath", str(db_path)]
    if quiet:
        command.append("--logging.quiet")
    return command

