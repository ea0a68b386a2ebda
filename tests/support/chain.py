"""A real local chain for tests that run outside Brownie's pytest plugin (backend, end-to-end).

Starts Ganache (the project's npm copy) on a loopback port and deploys with the real deploy script
(`brownie run scripts/deploy.py`) through the Brownie network that `make install` registers for that port,
writing the deployments file to a temporary folder.
"""
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
GANACHE = ROOT / "node_modules" / ".bin" / "ganache"
BROWNIE = Path(sys.executable).parent / "brownie"


class LocalChain:
    """Ganache on `port`; `deploy()` runs the deploy script against it and returns the deployments file."""

    def __init__(self, port: int, network: str):
        self.port = port
        self.network = network
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> "LocalChain":
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                raise RuntimeError(f"port {self.port} is taken: stop what listens there before the tests")
        self.process = subprocess.Popen(
            [
                str(GANACHE),
                "--chain.chainId", "1337",
                "--hardfork", "shanghai",
                "--wallet.mnemonic", "brownie",
                "--wallet.totalAccounts", "10",
                "--wallet.defaultBalance", "1000",
                "--miner.blockGasLimit", "30000000",
                "--server.host", "127.0.0.1",
                "--server.port", str(self.port),
                "--logging.quiet",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                requests.post(self.url, json={"jsonrpc": "2.0", "id": 1, "method": "eth_chainId"}, timeout=1)
                return self
            except requests.ConnectionError:
                time.sleep(0.2)
        raise RuntimeError(f"Ganache did not start on port {self.port}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def deploy(self, deployments_dir: Path) -> dict:
        """Deploy with scripts/deploy.py; returns the deployments file's content."""
        env = {**os.environ, "ODYSSEY_DEPLOYMENTS_DIR": str(deployments_dir), "SOLCX_BINARY_PATH": str(ROOT / ".solcx")}
        result = subprocess.run(
            [str(BROWNIE), "run", "scripts/deploy.py", "fresh", "--network", self.network],
            cwd=ROOT, env=env, capture_output=True, text=True,
        )
        if result.returncode != 0:
            raise RuntimeError(f"deploy failed:\n{result.stdout}\n{result.stderr}")
        return json.loads((deployments_dir / "1337.json").read_text())
