"""`make run`: the whole system on the embedded default, in one terminal; Ctrl-C stops what it started.

Starts a persistent Ganache (its data in .chain/, so a restart keeps the chain), deploys once (re-used while
the chain has it), loads journeys/, makes a sample claim and shows the member's stamps, points and level.
"""
import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from backend.devchain import ganache_command, listening, wait_until_listening  # noqa: E402

CHAIN_DIR = ROOT / ".chain"
LOG_DIR = ROOT / ".run"
BROWNIE = Path(sys.executable).parent / "brownie"
ENV = {**os.environ, "SOLCX_BINARY_PATH": str(ROOT / ".solcx")}


def start_ganache(port: int) -> subprocess.Popen | None:
    if listening(port):
        print(f"a chain is already listening on port {port}: using it")
        return None
    CHAIN_DIR.mkdir(exist_ok=True)
    LOG_DIR.mkdir(exist_ok=True)
    log = open(LOG_DIR / "ganache.log", "ab")
    process = subprocess.Popen(
        ganache_command(port, db_path=CHAIN_DIR), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        wait_until_listening(port, process)
    except RuntimeError as exc:
        sys.exit(f"error: {exc}; see {LOG_DIR / 'ganache.log'}")
    print(f"Ganache (shanghai, chain 1337) on http://127.0.0.1:{port}, data kept in {CHAIN_DIR.relative_to(ROOT)}/")
    return process


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8545)
    parser.add_argument("--network", default="odyssey-local")
    parser.add_argument("--once", action="store_true", help="set up, show the sample member, then stop")
    args = parser.parse_args()

    processes: list[subprocess.Popen] = []
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        ganache = start_ganache(args.port)
        if ganache:
            processes.append(ganache)
        demo = subprocess.run(
            [str(BROWNIE), "run", "scripts/local_demo.py", "--network", args.network], cwd=ROOT, env=ENV
        )
        if demo.returncode != 0:
            sys.exit("error: setting up the local chain failed (see above)")
        if args.once:
            return
        print("\nOdyssey is running. Ctrl-C stops it (the chain's data stays in .chain/).")
        while all(p.poll() is None for p in processes) or not processes:
            time.sleep(1)
        sys.exit("error: a process stopped unexpectedly; see .run/*.log")
    except KeyboardInterrupt:
        print("\nstopping...")
    finally:
        stop(processes)


if __name__ == "__main__":
    main()
