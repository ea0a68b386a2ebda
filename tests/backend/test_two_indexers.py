"""Two indexers on one database (two API replicas with the embedded default, or a second odyssey-indexer started by
mistake): the second stands by quietly on the database's lock and takes over when the first dies."""
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from backend.indexer.runner import Indexer
from tests.backend.mirror import dump

ROOT = Path(__file__).resolve().parents[2]


def _start(settings, log: Path) -> subprocess.Popen:
    env = dict(
        os.environ, PYTHONPATH=str(ROOT), DATABASE_URL=settings.database_url, ODYSSEY_RPC_URL=settings.rpc_url,
        ODYSSEY_DEPLOYMENTS_FILE=str(settings.deployments_file), ODYSSEY_POLL_INTERVAL="0.05",
    )
    return subprocess.Popen([sys.executable, "-m", "backend.indexer"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=log.open("w"))


def _wait_for_cursor(engine, block: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with engine.connect() as connection:
                if connection.execute(text("SELECT cursor FROM indexer_state")).scalar() == block:
                    return
        except Exception:  # no table yet
            pass
        assert time.monotonic() < deadline, f"block {block} was not indexed in {timeout} s"
        time.sleep(0.05)


def test_second_indexer_stands_by_quietly_and_takes_over_when_the_first_dies(chain, settings_for, new_db, tmp_path):
    rng = random.Random(11)
    chain.random_workload(rng, 10)
    url = new_db()
    settings = settings_for(url)
    engine = create_engine(url)
    first = _start(settings, tmp_path / "first.log")
    _wait_for_cursor(engine, chain.head())
    second_log = tmp_path / "second.log"
    second = _start(settings, second_log)
    try:
        for _ in range(8):  # new blocks, one transaction each, while both run: only the first may write
            chain.random_workload(rng, 2)
            time.sleep(0.3)
        _wait_for_cursor(engine, chain.head())
        standing_by = second_log.read_text()
        assert "WARNING" not in standing_by and "ERROR" not in standing_by, standing_by
        assert "standing by" in standing_by

        first.send_signal(signal.SIGKILL)
        first.wait()
        chain.random_workload(rng, 10)
        _wait_for_cursor(engine, chain.head(), timeout=15)
    finally:
        for process in (first, second):
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=10)
        engine.dispose()
    took_over = second_log.read_text()
    assert "taking over" in took_over
    assert "WARNING" not in took_over and "ERROR" not in took_over, took_over

    clean = new_db()
    reference = Indexer(settings_for(clean))
    reference.setup()
    reference.sync()
    assert dump(url) == dump(clean)
