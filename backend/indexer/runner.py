"""The indexer loop: backfill with adaptive eth_getLogs ranges, then follow the head; reorgs; outages.

One step = one batch = one database transaction holding the raw events, the derived state, the block
headers and the cursor. Killed at any instant, the database holds either the whole batch or none of it.

Blocks at most `head - reorg_depth` are final: applied without an undo journal, and only the headers of
blocks with events (for their time) and of each batch's last block (the cursor) are stored. Newer blocks
are applied one block at a time with a journal (journal.py) and every header is stored, so a parent-hash
mismatch finds the common ancestor among stored hashes and rolls back exactly to it.
"""
import logging
import re
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass

import requests
from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from backend.chain.deployment import load_deployment
from backend.db import bulk, migrate, models
from backend.db.session import session_factory
from backend.indexer import handlers, journal
from backend.indexer.handlers import Event, Head
from backend.indexer.lock import IndexerLock
from backend.indexer.rpc import Rpc, RpcError, describe_failure
from backend.indexer.store import Store
from backend.indexer.watch import WatchList, checksum, watch_list
from backend.settings import Settings

log = logging.getLogger("odyssey.indexer")

LOCK_POLL_SECONDS = 0.25  # a standby indexer's look at the lock: how soon it takes over
NODE_PROBE_SECONDS = 0.5  # while the node is unavailable: how soon indexing resumes once it answers
NODE_PROBE_TIMEOUT = 2.0
# The node cannot be reached at all (as opposed to answering with an error, which backs off exponentially).
NODE_UNREACHABLE = (requests.ConnectionError, requests.Timeout)
_SAFE_INT = 2**53


class ReorgTooDeep(Exception):
    """The chain forked below the oldest block we can undo: re-index with `odyssey-indexer --reset`."""


class ForkDuringBatch(Exception):
    """Logs and headers of one batch came from different forks (a reorg in flight): retry the batch."""


@dataclass
class Batch:
    """Blocks first..last fetched from the node: decoded logs in chain order, and block headers by number."""

    first: int
    last: int
    logs: list[tuple[dict, tuple[str, str, dict]]]  # (raw log, (contract, event, args))
    headers: dict[int, dict | None]


@dataclass
class Status:
    """Live status, shared with the API when the indexer runs inside it."""

    state: str = "starting"  # starting | standby (another indexer holds the database) | backfill | live | degraded
    indexed_block: int | None = None
    chain_head: int | None = None
    last_error: str | None = None
    error_since: float | None = None
    blocks_per_s: float = 0.0
    events_per_s: float = 0.0
    log_range: int = 0
    reorgs: int = 0
    updated_at: float = 0.0

    def as_dict(self) -> dict:
        return asdict(self)


def _json_safe(value):
    """`value` with integers beyond JavaScript's safe range as strings (event args are stored as JSON)."""
    kind = type(value)
    if kind is str or kind is bool or value is None:
        return value
    if kind is int:
        return value if -_SAFE_INT < value < _SAFE_INT else str(value)
    if kind is dict:
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    return value


_RANGE_HINT = re.compile(r"\[\s*(0x[0-9a-fA-F]+)\s*,\s*(0x[0-9a-fA-F]+)\s*\]")
_RANGE_LIMIT = re.compile(r"(?:limited to|up to|maximum(?: block)? range(?: of)?|range of|max range)\D{0,12}([\d,]+)\s*(k)?\b", re.I)


def suggested_range(message: str) -> int | None:
    """A provider's suggested block span from its error text (Infura/Alchemy '[0x..,0x..]', 'limited to 10,000')."""
    hint = _RANGE_HINT.search(message)
    if hint:
        return max(1, int(hint.group(2), 16) - int(hint.group(1), 16) + 1)
    limit = _RANGE_LIMIT.search(message)
    if limit:
        return max(1, int(limit.group(1).replace(",", "")) * (1000 if limit.group(2) else 1))
    return None


class Indexer:
    def __init__(self, settings: Settings, status: Status | None = None):
        self.settings = settings
        self.rpc = Rpc(settings.rpc_url, settings.rpc_timeout)
        self.status = status or Status()
        self.lock = IndexerLock(settings)
        self.range = settings.initial_range
        self.watch: WatchList | None = None
        self.sessions = session_factory(settings)
        # Backfill overlaps fetching (RPC, JSON, ABI decode) the next range with writing the current one.
        self._fetch_rpc = Rpc(settings.rpc_url, settings.rpc_timeout)
        self._fetcher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="odyssey-prefetch")
        self._pending: Future | None = None
        self._progress = {"t": time.monotonic(), "blocks": 0, "events": 0}
        self._last_log = time.monotonic()
        self._batches = 0

    # ------------------------------------------------------------ setup

    def setup(self, reset: bool = False) -> None:
        chain_id = self.rpc.chain_id()
        deployment = load_deployment(chain_id, self.settings.deployments_file)
        deployment.check_chain((self.rpc.headers([deployment.start_block])[deployment.start_block] or {}).get("hash"))
        watch = watch_list(deployment)
        migrate.upgrade(self.settings)
        handlers.load_all()
        with self.sessions() as session, session.begin():
            state = session.get(models.IndexerState, 1)
            if reset or state is None or state.deployment_key != deployment.identity or state.chain_id != chain_id:
                if state is not None:
                    log.warning("deployment changed or reset asked: re-indexing from block %d", watch.start_block)
                self._wipe(session)
                session.add(
                    models.IndexerState(
                        id=1, chain_id=chain_id, deployment_key=deployment.identity, start_block=watch.start_block,
                        cursor=watch.start_block - 1, final_block=watch.start_block - 1, events=0, reorgs=0,
                        updated_at=time.time(),
                    )
                )
                self.status.indexed_block = watch.start_block - 1
            else:
                self.status.indexed_block = state.cursor
                self.status.reorgs = state.reorgs
        self.watch = watch
        log.info(
            "watching %d contracts on chain %d from block %d (%s)",
            len(watch.contracts), chain_id, watch.start_block, ", ".join(c.name for c in watch.contracts.values()),
        )

    @staticmethod
    def _wipe(session: Session) -> None:
        """Forget everything indexed (the services' tables stay: the relay's limits and transactions in flight, the
        issuer's vouchers, sessions and rules)."""
        for table in reversed(models.Base.metadata.sorted_tables):
            if table not in models.SERVICE_TABLES:
                session.execute(delete(table))

    # ------------------------------------------------------------ one step

    def step(self) -> int:
        """Index one batch (or roll back one reorg). Returns the number of blocks advanced (0: caught up)."""
        if self.watch is None:
            self.setup()
        head = self.rpc.block_number()
        self.status.chain_head = head
        target = head - self.settings.confirmations
        with self.sessions() as session:
            state = session.get(models.IndexerState, 1)
            cursor, cursor_hash = state.cursor, state.cursor_hash
        if cursor_hash is not None:
            on_chain = self.rpc.headers([cursor])[cursor] if cursor <= head else None
            if on_chain is None or on_chain["hash"] != cursor_hash:
                self._reorg(head)
                return 1
        if cursor >= target:
            self.status.state = "live"
            self.status.indexed_block = cursor
            return 0
        first = cursor + 1
        batch = self._prefetched(first) or self._fetch(self.rpc, first, min(target, first + self.range - 1), head)
        if batch.last < target:  # more to come: fetch the next range while this one is written
            self._pending = self._fetcher.submit(
                self._fetch, self._fetch_rpc, batch.last + 1, min(target, batch.last + self.range), head
            )
        safe = head - self.settings.reorg_depth
        wanted = {int(entry["blockNumber"], 16) for entry, _ in batch.logs} | {batch.last}
        if batch.last > safe:
            wanted |= set(range(max(first, safe + 1), batch.last + 1))
        headers = {n: h for n, h in batch.headers.items() if n in wanted}
        headers |= self.rpc.headers(sorted(wanted - headers.keys()))
        self._check_batch(batch.logs, headers, first, cursor_hash)
        events = self._apply(batch, headers, first, head, safe, expected_cursor=cursor)
        self._report(batch.last - first + 1, events, batch.last, head)
        return batch.last - first + 1

    def _prefetched(self, first: int) -> "Batch | None":
        pending, self._pending = self._pending, None
        if pending is None:
            return None
        batch = pending.result()  # a failed prefetch fails this step; the next one fetches afresh
        return batch if batch.first == first else None

    def _check_batch(self, logs: list, headers: dict, first: int, cursor_hash: str | None) -> None:
        if any(h is None for h in headers.values()):
            raise ForkDuringBatch("a block of the batch is missing on the node (reorg in flight?)")
        for entry, _ in logs:
            if entry.get("removed") or headers[int(entry["blockNumber"], 16)]["hash"] != entry["blockHash"]:
                raise ForkDuringBatch("logs and headers disagree (reorg in flight?)")
        numbers = sorted(headers)
        for a, b in zip(numbers, numbers[1:]):
            if b == a + 1 and headers[b]["parent_hash"] != headers[a]["hash"]:
                raise ForkDuringBatch("headers of the batch do not chain (reorg in flight?)")
        if cursor_hash is not None and first in headers and headers[first]["parent_hash"] != cursor_hash:
            raise ForkDuringBatch("the batch does not extend the indexed chain: re-checking for a reorg")

    def _fetch(self, rpc: Rpc, first: int, last: int, head: int) -> "Batch":
        """Logs of blocks first..last (the range adapted to the node), decoded, in chain order, with the headers
        of their blocks and of the last block. Runs in the prefetch thread as well: touches no database."""
        raw, last = self._fetch_logs(rpc, first, last)
        raw.sort(key=lambda e: (int(e["blockNumber"], 16), int(e["transactionIndex"], 16), int(e["logIndex"], 16)))
        logs = []
        for entry in raw:
            topics = entry["topics"]
            spec = self.watch.spec_for(entry["address"], topics[0]) if topics else None
            if spec is None:
                decoded = (self.watch.contracts[entry["address"].lower()].name, "(unknown)", {"topics": topics, "data": entry["data"]})
            else:
                decoded = (spec.contract, spec.name, spec.decode(topics, entry["data"]))
            logs.append((entry, decoded))
        numbers = {int(entry["blockNumber"], 16) for entry in raw} | {last}
        if last > head - self.settings.reorg_depth:
            numbers |= set(range(max(first, head - self.settings.reorg_depth + 1), last + 1))
        return Batch(first, last, logs, rpc.headers(sorted(numbers)))

    def _fetch_logs(self, rpc: Rpc, first: int, last: int) -> tuple[list[dict], int]:
        s = self.settings
        while True:
            try:
                logs = rpc.get_logs(self.watch.addresses, first, last)
            except (RpcError, requests.Timeout) as exc:
                if last == first:
                    raise
                span = suggested_range(str(exc)) or max(1, (last - first + 1) // 2)
                span = min(span, (last - first + 1) - 1) if span >= last - first + 1 else span
                log.info("eth_getLogs #%d..#%d refused (%s): retrying with %d blocks", first, last, str(exc)[:120], span)
                self.range = max(1, span)
                last = first + self.range - 1
                continue
            span = last - first + 1
            if len(logs) > s.max_logs and last > first:
                self.range = max(1, min(span // 2, span * s.target_logs // len(logs)))
                last = first + self.range - 1
                continue
            if span >= self.range:  # adapt only on full-size ranges
                if len(logs) < s.target_logs // 2:
                    self.range = min(s.max_range, self.range * 2)
                elif len(logs) > s.target_logs:
                    self.range = max(1, min(self.range // 2, span * s.target_logs // len(logs)))
            self.status.log_range = self.range
            return logs, last

    # ------------------------------------------------------------ applying a batch

    def _apply(self, batch: "Batch", headers: dict, first: int, head: int, safe: int, expected_cursor: int) -> int:
        last = batch.last
        with self.sessions() as session, session.begin():
            state = session.get(models.IndexerState, 1, with_for_update=not self.settings.is_sqlite)
            if state.cursor != expected_cursor:
                raise RuntimeError("the cursor moved under us: is another indexer writing to this database?")
            store = Store(session)
            raw_rows, events = [], []
            for entry, (contract, name, args) in batch.logs:
                number = int(entry["blockNumber"], 16)
                header = headers[number]
                address = checksum(entry["address"])
                event = Event(
                    contract, address, name, args, number, header["hash"], header["timestamp"],
                    entry["transactionHash"], int(entry["transactionIndex"], 16), int(entry["logIndex"], 16),
                )
                events.append(event)
                raw_rows.append(
                    {
                        "block_number": number, "log_index": event.log_index, "tx_hash": event.tx_hash,
                        "tx_index": event.tx_index, "block_hash": event.block_hash, "contract": contract,
                        "address": address, "event": name, "args": _json_safe(args),
                    }
                )
            handlers.dispatch(events, store, safe)
            if last > safe:
                head_at_last = Head(last, self.rpc, self.watch)
                for hook in handlers.HEAD_HOOKS:
                    hook(store, head_at_last)
            store.write()
            bulk.insert_rows(session, models.RawEvent.__table__, raw_rows)
            session.execute(insert(models.Block.__table__), [headers[n] for n in sorted(headers)])
            final = max(state.final_block, min(last, safe))
            if final > state.final_block:
                journal.prune(session, final)
            tip = headers[last]
            state.cursor, state.cursor_hash, state.cursor_time = last, tip["hash"], tip["timestamp"]
            state.final_block, state.chain_head = final, head
            state.events += len(raw_rows)
            state.updated_at = time.time()
        self.status.indexed_block = last
        return len(raw_rows)

    # ------------------------------------------------------------ reorgs

    def _reorg(self, head: int) -> None:
        depth = self.settings.reorg_depth
        with self.sessions() as session, session.begin():
            state = session.get(models.IndexerState, 1, with_for_update=not self.settings.is_sqlite)
            stored = session.execute(
                select(models.Block).where(models.Block.number <= state.cursor).order_by(models.Block.number.desc()).limit(depth + 1)
            ).scalars().all()
            on_chain = self.rpc.headers([b.number for b in stored if b.number <= head])
            ancestor = next((b for b in stored if (on_chain.get(b.number) or {}).get("hash") == b.hash), None)
            if ancestor is None or ancestor.number < state.final_block:
                raise ReorgTooDeep(
                    f"the chain no longer has the indexed block #{state.cursor} and no common ancestor was found "
                    f"within {depth} blocks: re-index with `odyssey-indexer --reset`"
                )
            undone = journal.rollback_to(session, ancestor.number)
            log.warning(
                "reorg: indexed #%d is not on the chain any more; rolled back %d blocks to the common ancestor #%d "
                "(%d journal entries undone)", state.cursor, state.cursor - ancestor.number, ancestor.number, undone,
            )
            state.cursor, state.cursor_hash, state.cursor_time = ancestor.number, ancestor.hash, ancestor.timestamp
            state.reorgs += 1
            state.events = session.execute(select(func.count()).select_from(models.RawEvent)).scalar()
            state.updated_at = time.time()
            self.status.reorgs = state.reorgs
            self.status.indexed_block = ancestor.number

    # ------------------------------------------------------------ loop

    def _report(self, blocks: int, events: int, last: int, head: int) -> None:
        p = self._progress
        p["blocks"] += blocks
        p["events"] += events
        now = time.monotonic()
        behind = head - last
        self.status.state = "backfill" if behind > self.settings.reorg_depth else "live"
        self.status.updated_at = time.time()
        if now - p["t"] >= self.settings.progress_interval or (behind == 0 and p["blocks"] > 1000):
            elapsed = now - p["t"]
            self.status.blocks_per_s = p["blocks"] / elapsed
            self.status.events_per_s = p["events"] / elapsed
            start = self.watch.start_block
            done = 100.0 * (last - start + 1) / max(1, head - start + 1)
            log.info(
                "%s #%d / head #%d (%.1f%%) · %.0f blocks/s · %.0f events/s · lag %d · range %d",
                self.status.state, last, head, done, self.status.blocks_per_s, self.status.events_per_s, behind, self.range,
            )
            self._progress = {"t": now, "blocks": 0, "events": 0}

    def sync(self, timeout: float = 120.0) -> int:
        """Index until caught up with the head (tests, benchmarks). Returns the indexed block."""
        deadline = time.monotonic() + timeout
        while self.step():
            if time.monotonic() > deadline:
                raise TimeoutError("indexer did not catch up")
        return self.status.indexed_block

    def acquire_lock(self, stop: threading.Event) -> bool:
        """Wait, quietly, until this indexer holds the database (another one may be writing it); False if stopped
        first. The lock is released with `release_lock()`, or when the process ends however it ends."""
        if self.lock.try_acquire():
            return True
        log.info("another indexer is writing this database: standing by to take over when it stops")
        self.status.state = "standby"
        while not stop.wait(LOCK_POLL_SECONDS):
            try:
                if self.lock.try_acquire():
                    log.info("the other indexer stopped: taking over")
                    return True
            except Exception as exc:  # the database is unreachable: keep standing by
                self.status.last_error = describe_failure(exc)[:500]
        return False

    def release_lock(self) -> None:
        self.lock.release()

    def run(self, stop: threading.Event | None = None) -> None:
        """Run until `stop` is set, once this indexer holds the database: retries, never raises. While the node cannot
        be reached it is asked every NODE_PROBE_SECONDS and indexing resumes as soon as it answers; other errors (the
        node's own, the database's) back off exponentially."""
        stop = stop or threading.Event()
        if not self.acquire_lock(stop):
            return
        try:
            self._loop(stop)
        finally:
            self.release_lock()

    def _loop(self, stop: threading.Event) -> None:
        delay = 0.5
        while not stop.is_set():
            try:
                advanced = self.step()
                if self.status.last_error:
                    log.info("recovered after: %s", self.status.last_error)
                self.status.last_error = self.status.error_since = None
                delay = 0.5
                if not advanced:
                    stop.wait(self.settings.poll_interval)
            except ForkDuringBatch as exc:
                log.info("%s", exc)
                stop.wait(0.2)
            except ReorgTooDeep as exc:
                self._degraded(exc)
                stop.wait(self.settings.retry_max_delay)
            except NODE_UNREACHABLE as exc:  # the node is down or hangs: wait until it answers, not a backoff
                if self.status.error_since is None:
                    log.warning("the node is unavailable (%s): indexing resumes when it answers", describe_failure(exc))
                self._degraded(exc)
                self._wait_for_node(stop)
            except Exception as exc:  # DB busy, provider error: back off and retry
                self._degraded(exc)
                log.warning("indexer error (retrying in %.1fs): %s", delay, self.status.last_error)
                stop.wait(delay)
                delay = min(delay * 2, self.settings.retry_max_delay)

    def _wait_for_node(self, stop: threading.Event) -> None:
        """Until the node answers (or `stop`): one eth_blockNumber every NODE_PROBE_SECONDS."""
        probe = Rpc(self.settings.rpc_url, min(self.settings.rpc_timeout, NODE_PROBE_TIMEOUT))
        while not stop.wait(NODE_PROBE_SECONDS):
            try:
                probe.block_number()
                return
            except NODE_UNREACHABLE:
                continue

    def _degraded(self, exc: Exception) -> None:
        if self.status.error_since is None:
            self.status.error_since = time.time()
        self.status.state = "degraded"
        self.status.last_error = describe_failure(exc)[:500]
        if isinstance(exc, ReorgTooDeep):
            log.error("%s", exc)
