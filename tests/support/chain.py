"""A real local chain for tests that run outside Brownie's pytest plugin (backend, end-to-end).

Starts Ganache (the project's npm copy) on a loopback port and deploys with the real deploy script
(`brownie run scripts/deploy.py`) through the Brownie network that `make install` registers for that port,
writing the deployments file to a temporary folder.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

from backend.devchain import ROOT, ganache_command, listening, wait_until_listening

BROWNIE = Path(sys.executable).parent / "brownie"


class LocalChain:
    """Ganache on `port`; `deploy()` runs the deploy script against it and returns the deployments file."""

    def __init__(self, port: int, network: str):
        self.port = port
        self.network = network
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> "LocalChain":
        if listening(self.port):
            raise RuntimeError(f"port {self.port} is taken: stop what listens there before the tests")
        self.process = subprocess.Popen(
            ganache_command(self.port, quiet=True), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        wait_until_listening(self.port, self.process)
        return self

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
