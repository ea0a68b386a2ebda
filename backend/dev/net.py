"""Loopback ports of the local processes (Ganache, the API, PostgreSQL)."""
import socket
import subprocess
import time


def listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def wait_until_listening(port: int, process: subprocess.Popen, what: str = "Ganache", timeout: float = 60) -> None:
    """Wait for `process` to listen on `port`; RuntimeError if it exits or the time runs out."""
    deadline = time.monotonic() + timeout
    while not listening(port):
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start on port {port}")
        time.sleep(0.2)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
