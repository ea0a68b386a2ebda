"""The real stack in a uvicorn process for suites outside Brownie (CLI, browser): the API with its embedded
indexer, the relay and the member page, on a free loopback port with a SQLite database of its own."""
import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import requests
from web3 import Web3

from backend.dev.keys import local_key
from backend.dev.net import free_port
from backend.settings import ROOT


@contextmanager
def running_server(chain, deployments_file: Path, folder: Path, log_path: Path, poll_interval: float, env: dict | None = None,
                   until: str = "/ready"):
    """API + indexer (polling every `poll_interval` s) + relay + page, with settings from `env` on top; yields its
    base URL once its mirror has caught up with the chain (`until` "/health": once it serves, caught up or not)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    environment = {
        **os.environ,
        "ODYSSEY_RPC_URL": chain.url,
        "DATABASE_URL": f"sqlite:///{folder / 'odyssey.db'}",
        "ODYSSEY_DEPLOYMENTS_FILE": str(deployments_file),
        "ODYSSEY_POLL_INTERVAL": str(poll_interval),
        "ODYSSEY_PUBLIC_URL": base,
        "ODYSSEY_RELAY_PRIVATE_KEY": local_key("relayer"),
        "PYTHONPATH": str(ROOT),
        **(env or {}),
    }
    log = log_path.open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "backend.api", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT,  # as `make run` starts it
    )
    try:
        wait_until_ready(base, process, log_path, until=until)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def wait_until_ready(base: str, process: subprocess.Popen | None = None, log_path: Path | None = None, timeout: float = 60,
                     until: str = "/ready") -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server exited; see {log_path}")
        try:
            if requests.get(f"{base}{until}", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"the server did not catch up with the chain in {timeout} s")
        time.sleep(0.2)


def wait_until_indexed(base: str, w3: Web3, timeout: float = 60) -> int:
    """Until the API's records reach the chain's head (what a member reads next); that block."""
    head = w3.eth.block_number
    deadline = time.monotonic() + timeout
    while requests.get(f"{base}/health", timeout=5).json()["indexed_block"] < head:
        assert time.monotonic() < deadline, f"the API did not index block {head} in {timeout} s"
        time.sleep(0.2)
    return head
