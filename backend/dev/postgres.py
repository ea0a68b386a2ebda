"""A throwaway PostgreSQL server on a loopback port from a temporary data folder (the tests, the benchmark); Debian's
postgresql, installed by tools/ensure_postgres.sh when missing."""
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from backend.dev.net import free_port
from backend.settings import ROOT


class PgServer:
    def __init__(self):
        self.bindir = subprocess.run(
            ["bash", str(ROOT / "tools" / "ensure_postgres.sh")], capture_output=True, text=True, check=True
        ).stdout.strip()
        self.dir = Path(tempfile.mkdtemp(prefix="odyssey-pg-"))
        self.port = free_port()
        # initdb refuses to run as root: run the server as the `postgres` system user then.
        self.prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}"

    def start(self) -> "PgServer":
        if self.prefix:
            os.chmod(self.dir, 0o700)
            shutil.chown(self.dir, "postgres", "postgres")
        data = str(self.dir / "data")
        subprocess.run(self.prefix + [f"{self.bindir}/initdb", "-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"],
                       check=True, capture_output=True)
        options = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c max_connections=200")
        subprocess.run(self.prefix + [f"{self.bindir}/pg_ctl", "-D", data, "-o", options, "-l", str(self.dir / "log"), "-w", "start"],
                       check=True, capture_output=True)
        return self

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(f"postgresql://postgres@127.0.0.1:{self.port}/postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return f"{self.url}/{name}"

    def stop(self) -> None:
        subprocess.run(self.prefix + [f"{self.bindir}/pg_ctl", "-D", str(self.dir / "data"), "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)
