"""`make run`: the whole system on the embedded default, in one terminal; Ctrl-C stops what it started.

Starts a persistent Ganache (its data in .chain/, so a restart keeps the chain), deploys once (re-used while
the chain has it), loads journeys/ (their earn rules into the API's database, with the sample secrets of
backend/dev/issuer-secrets.yaml), makes a sample claim, seeds the DAO, issues a kiosk link for the farm visit's
rotating code, then serves the API with its embedded indexer (SQLite in .run/), the relay and the issuer service
(each signing with its local key, passed explicitly) and the member web page on http://127.0.0.1:8000/. The terminal shows one line per step; what Brownie prints (every transaction) goes to
.run/setup.log. A redeploy on a fresh chain is a new deployment identity: the indexer re-indexes by itself.
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

from backend.dev.ganache import ganache_command  # noqa: E402
from backend.dev.keys import local_key  # noqa: E402
from backend.dev.net import listening, wait_until_listening  # noqa: E402
from backend.dev.networks import LOCAL  # noqa: E402
from backend.issuer.kiosks import create_kiosk, kiosk_link, revoke_kiosks  # noqa: E402
from backend.settings import Settings  # noqa: E402
from scripts.lib.common import STEP  # noqa: E402

CHAIN_DIR = ROOT / ".chain"
LOG_DIR = ROOT / ".run"
BROWNIE_RUN = Path(__file__).resolve().parent / "brownie_run.py"
API_PORT = 8000
INDEX_DB = LOG_DIR / "odyssey.db"
SETUP_LOG = LOG_DIR / "setup.log"
SAMPLE_SECRETS = ROOT / "backend" / "dev" / "issuer-secrets.yaml"  # public sample secrets, like Ganache's keys
KIOSK_STAMP = 102  # Farm Visit (journeys/coffee-origins.yaml): a rotating code
KIOSK_NAME = "make run kiosk"
# What the setup scripts and the API share: the API's database (the journeys' earn rules go there) and the secrets.
ENV = {**os.environ, "SOLCX_BINARY_PATH": str(ROOT / ".solcx"), "DATABASE_URL": f"sqlite:///{INDEX_DB}",
       "ODYSSEY_ISSUER_SECRETS_FILE": str(SAMPLE_SECRETS)}


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


def set_up(network: str) -> None:
    """Run scripts/local_demo.py: its step lines here, everything it prints in SETUP_LOG."""
    LOG_DIR.mkdir(exist_ok=True)
    with SETUP_LOG.open("a") as log:
        demo = subprocess.Popen([sys.executable, str(BROWNIE_RUN), network, "local_demo"], cwd=ROOT, env=ENV,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for line in demo.stdout:
            log.write(line)
            if line.startswith(STEP):
                print(line[len(STEP):], end="", flush=True)
            elif line.startswith("error:"):
                print(line, end="", flush=True)
    if demo.wait() != 0:
        sys.exit(f"error: setting up the local chain failed; the details are in {SETUP_LOG.relative_to(ROOT)}")


def sample_kiosk() -> str:
    """A fresh kiosk link for the farm visit's code (the previous one revoked: only a token's hash is kept)."""
    settings = Settings(database_url=ENV["DATABASE_URL"], public_url=f"http://127.0.0.1:{API_PORT}")
    revoke_kiosks(settings, KIOSK_NAME)
    _kiosk_id, token = create_kiosk(settings, KIOSK_STAMP, KIOSK_NAME)
    return kiosk_link(settings, token)


def start_api(chain_port: int) -> subprocess.Popen:
    if listening(API_PORT):
        sys.exit(f"error: port {API_PORT} is taken: stop what listens there (another make run?)")
    LOG_DIR.mkdir(exist_ok=True)
    env = {
        **ENV,
        "ODYSSEY_RPC_URL": f"http://127.0.0.1:{chain_port}",
        "ODYSSEY_RELAY_PRIVATE_KEY": local_key("relayer"),  # public dev keys: the local chain's relayer and issuer
        "ODYSSEY_ISSUER_PRIVATE_KEY": local_key("issuer"),
    }
    log = open(LOG_DIR / "api.log", "ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "backend.api", "--host", "127.0.0.1", "--port", str(API_PORT)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        wait_until_listening(API_PORT, process, "the API")
    except RuntimeError:
        sys.exit(f"error: the API did not start; see {LOG_DIR / 'api.log'}")
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
    parser.add_argument("--port", type=int, default=LOCAL.port)
    parser.add_argument("--network", default=LOCAL.name)
    parser.add_argument("--once", action="store_true", help="set up, show the sample member, then stop")
    args = parser.parse_args()

    processes: list[subprocess.Popen] = []
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        ganache = start_ganache(args.port)
        if ganache:
            processes.append(ganache)
        print(f"setting up the chain (every transaction in {SETUP_LOG.relative_to(ROOT)})")
        set_up(args.network)
        kiosk = sample_kiosk()
        if args.once:
            print(f"kiosk link (Farm Visit's rotating code): {kiosk}")
            return
        processes.append(start_api(args.port))
        print(
            f"\nOdyssey is running:\n"
            f"  member page  http://127.0.0.1:{API_PORT}/   (wallet network: RPC http://127.0.0.1:{args.port}, chain id 1337)\n"
            f"  kiosk        {kiosk}\n"
            f"               (the Farm Visit's rotating code, for a tablet by the farm's door)\n"
            f"  API          http://127.0.0.1:{API_PORT}/docs   (indexer inside, SQLite in .run/; logs in .run/*.log)\n"
            f"  chain        http://127.0.0.1:{args.port}\n"
            "Ctrl-C stops it (the chain's data stays in .chain/)."
        )
        while all(p.poll() is None for p in processes) or not processes:
            time.sleep(1)
        sys.exit("error: a process stopped unexpectedly; see .run/*.log")
    except KeyboardInterrupt:
        print("\nstopping...")
    finally:
        stop(processes)


if __name__ == "__main__":
    main()
