"""The local development chain: how Odyssey starts Ganache (make run, tests, benchmarks)."""
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GANACHE = ROOT / "node_modules" / ".bin" / "ganache"
CHAIN_ID = 1337


def ganache_command(port: int, db_path: Path | None = None, quiet: bool = False) -> list[str]:
    """Ganache 7 on loopback `port`: shanghai, chain 1337, the deterministic "brownie" accounts."""
    command = [
        str(GANACHE),
        "--chain.chainId", str(CHAIN_ID),
        "--hardfork", "shanghai",
        "--wallet.mnemonic", "brownie",
        "--wallet.totalAccounts", "10",
        "--wallet.defaultBalance", "1000",
        "--miner.blockGasLimit", "30000000",
        "--server.host", "127.0.0.1",
        "--server.port", str(port),
    ]
    if db_path is not None:
        command += ["--database.dbPath", str(db_path)]
    if quiet:
        command.append("--logging.quiet")
    return command


def listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def wait_until_listening(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    """Wait for `process` to listen on `port`; RuntimeError if it exits or the time runs out."""
    deadline = time.monotonic() + timeout
    while not listening(port):
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"Ganache did not start on port {port}")
        time.sleep(0.2)
