"""Chains kept between test sessions, for the mutation run: each mutant is a pytest session of its own, and starting
Ganache and deploying for each would take a day. `kept_chains(n)` (tools/mutate_backend.py) starts `n` Ganaches,
deploys to each once and snapshots it; a suite's `chain` fixture (tests/support/chain_fixtures.py) then takes a free
one, reverted to that snapshot, for its whole session.

The pool is a folder, named by ODYSSEY_KEPT_CHAINS: `slot-<i>.json` (the chain's URL, its deployments file and its
snapshot) and `slot-<i>.lock`, which a session holds with flock while it uses the chain (a killed session lets go).
"""
import fcntl
import json
import os
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from backend.indexer.rpc import Rpc

KEPT_CHAINS_VARIABLE = "ODYSSEY_KEPT_CHAINS"
# Beyond the suites' own ports (backend/dev/networks.py), so a mutation run and `make test` share a machine.
SLOT_PORT_OFFSET = 200
BROKEN = "broken"  # written when a chain lost its snapshot: the run that used the pool is void


@dataclass(frozen=True)
class KeptChain:
    url: str
    deployments_file: Path

    def deploy(self, deployments_file: Path, profile: str) -> None:
        """Deployed already (with `profile`, checked when the chain was taken): its deployments file, copied."""
        shutil.copyfile(self.deployments_file, deployments_file)


def kept_chains_folder() -> Path | None:
    value = os.environ.get(KEPT_CHAINS_VARIABLE)
    return Path(value) if value else None


@contextmanager
def kept_chains(folder: Path, count: int, profile: str):
    """Start `count` Ganaches, each deployed with governance `profile` and snapshotted, described in `folder`; stop
    them on exit."""
    from backend.dev.chain import LocalChain  # Brownie deploys: only the runner's environment has it
    from backend.dev.networks import register, suite_network

    base = os.environ.get("ODYSSEY_TEST_PORT_OFFSET", "").strip() or "0"
    started = []
    try:
        for slot in range(count):
            os.environ["ODYSSEY_TEST_PORT_OFFSET"] = str(int(base) + SLOT_PORT_OFFSET + slot)
            network = suite_network("relay")
            register([network])
            chain = LocalChain(network).start()
            started.append(chain)
            deployments_file = folder / f"deployments-{slot}.json"
            chain.deploy(deployments_file, profile)
            snapshot = Rpc(chain.url).call("evm_snapshot")
            (folder / f"slot-{slot}.json").write_text(json.dumps(
                {"url": chain.url, "deployments_file": str(deployments_file), "profile": profile, "snapshot": snapshot}))
        yield folder
    finally:
        os.environ["ODYSSEY_TEST_PORT_OFFSET"] = base
        for chain in started:
            chain.stop()


@contextmanager
def kept_chain(folder: Path, profile: str):
    """A free chain of the pool, as deployed with governance `profile` (reverted to its snapshot and snapshotted
    again), held until exit."""
    slots = sorted(folder.glob("slot-*.json"))
    if not slots:
        raise RuntimeError(f"{KEPT_CHAINS_VARIABLE}={folder} holds no kept chain (tools/mutate_backend.py makes them)")
    while True:
        for slot in slots:
            lock = slot.with_suffix(".lock").open("w")
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                lock.close()
                continue
            try:
                described = json.loads(slot.read_text())
                url, node = described["url"], Rpc(described["url"])
                if described["profile"] != profile:
                    raise RuntimeError(f"{slot}: deployed with profile {described['profile']!r}, not {profile!r}")
                node.call("miner_start")  # a session killed while it held the miner: its pool mined, then undone
                # Ganache numbers snapshots by depth: reverting to one and taking another gives the same id again.
                reverted = node.call("evm_revert", [described["snapshot"]]) is True
                if not reverted or node.call("evm_snapshot") != described["snapshot"]:
                    # A session killed between the two: every later one would fail as if its mutant were caught.
                    (folder / BROKEN).write_text(f"{slot.name}: snapshot {described['snapshot']} lost\n")
                    raise RuntimeError(f"{slot}: the chain at {url} lost its snapshot; the mutation run is void")
                yield KeptChain(url, Path(described["deployments_file"]))
                return
            finally:
                lock.close()
        time.sleep(0.1)
