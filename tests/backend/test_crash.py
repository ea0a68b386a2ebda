"""kill -9 the indexer at random points of a backfill, restart it each time: the result equals a clean run, and the
chain's own logs and views."""
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from backend.indexer.runner import Indexer
from tests.backend.chain_rows import assert_rows_match_chain
from tests.backend.mirror import assert_api_matches_chain, assert_governance_matches_chain, dump

ROOT = Path(__file__).resolve().parents[2]


def _cursor(engine) -> int | None:
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT cursor FROM indexer_state")).scalar()
    except Exception:  # no table yet (killed before or during the migration)
        return None


def _start(settings) -> subprocess.Popen:
    env = dict(
        os.environ, PYTHONPATH=str(ROOT), DATABASE_URL=settings.database_url, ODYSSEY_RPC_URL=settings.rpc_url,
        ODYSSEY_DEPLOYMENTS_FILE=str(settings.deployments_file), ODYSSEY_INITIAL_RANGE="1", ODYSSEY_MAX_RANGE="2",
        ODYSSEY_TARGET_LOGS="4", ODYSSEY_REORG_DEPTH="16",
    )
    return subprocess.Popen([sys.executable, "-m", "backend.indexer", "--once"], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def test_kill_9_during_backfill_then_restart_equals_clean_run(chain, settings_for, new_db, client_for):
    rng = random.Random(2024)
    landed = chain.random_workload(rng, 80, governance=0.3)  # governance events too
    assert landed.total() > 30 and {"transfer_batch", "vote", "propose"} <= landed.keys(), landed
    chain.mine(40)  # empty blocks too: the journal window (16) and the final part both get crossed
    head = chain.head()
    url = new_db()
    settings = settings_for(url, initial_range=1, max_range=2, target_logs=4, reorg_depth=16)
    engine = create_engine(url)  # polled every few ms: one pooled connection, not a new one (a PostgreSQL backend) each time

    kills, mid_backfill = 0, 0
    # First kill: at a random instant of start-up (imports, migrations); then each time the cursor moved.
    proc = _start(settings)
    time.sleep(rng.uniform(0.2, 1.5))
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    kills += 1
    while True:
        before = _cursor(engine)
        proc = _start(settings)
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline:
            now = _cursor(engine)
            if now is not None and (before is None or now > before):
                break
            time.sleep(0.005)
        time.sleep(rng.uniform(0, 0.05))
        if proc.poll() is not None:  # finished before we could kill it
            assert proc.returncode == 0, proc.stderr.read().decode()
            break
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        kills += 1
        cursor = _cursor(engine)
        mid_backfill += cursor is not None and cursor < head
        if mid_backfill >= 4:
            finish = _start(settings)
            assert finish.wait(timeout=120) == 0, finish.stderr.read().decode()
            break
    assert kills >= 3 and mid_backfill >= 3
    assert _cursor(engine) == head
    engine.dispose()

    clean_url = new_db()
    clean = Indexer(settings_for(clean_url))
    clean.setup()
    clean.sync()
    assert dump(url) == dump(clean_url)
    client = client_for(settings)
    assert_rows_match_chain(url, chain, assert_api_matches_chain(client, chain))
    assert_governance_matches_chain(client, chain)
