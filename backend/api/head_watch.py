"""The chain's head as this API process last heard it from the node, asked by a thread of its own.

/health and /ready answer from it and never wait on the node: a node that hangs (accepts, never answers) would
otherwise hold every probe for the RPC timeout, and an orchestrator would restart a healthy API. The API asks
the node itself, rather than trusting the indexer's figures, so a dead indexer shows as lag.
"""
import threading
import time
from dataclasses import dataclass

from backend.indexer.rpc import Rpc, describe_failure

POLL_SECONDS = 1.0
TIMEOUT_SECONDS = 2.0


@dataclass(frozen=True)
class HeadSeen:
    head: int | None  # None: unknown (no recent answer)
    at: float | None  # unix time of the node's last answer
    error: str | None  # why the head is unknown


class HeadWatch:
    def __init__(self, rpc_url: str, poll_seconds: float = POLL_SECONDS, timeout: float = TIMEOUT_SECONDS):
        self.rpc = Rpc(rpc_url, timeout)
        self.poll_seconds = poll_seconds
        # An answer older than this is no longer the head: the poll after it is stuck or failed.
        self.stale_after = poll_seconds + timeout + 1.0
        self._seen = HeadSeen(head=None, at=None, error="the node has not answered yet")  # replaced whole: no torn reads
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="odyssey-head-watch", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while True:
            self.poll()
            if self._stop.wait(self.poll_seconds):
                return

    def poll(self) -> None:
        try:
            self._seen = HeadSeen(head=self.rpc.block_number(), at=time.time(), error=None)
        except Exception as exc:  # down, hanging, refusing: say so, never fail
            self._seen = HeadSeen(head=None, at=self._seen.at, error=describe_failure(exc))

    def seen(self) -> HeadSeen:
        seen = self._seen
        if seen.error is None and time.time() - seen.at > self.stale_after:
            return HeadSeen(head=None, at=seen.at, error=f"the node has not answered for {time.time() - seen.at:.0f} s")
        return seen
