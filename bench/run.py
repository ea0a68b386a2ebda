"""Odyssey indexer and API benchmark: one run, one chain, one data set; stores the results in
docs/performance-results.json and writes docs/performance.md from them (bench/report.py).

    python -m bench.run                       # 100k holdings (default)
    python -m bench.run --holdings 20000      # smaller, faster
    python -m bench.run --chain-dir .bench-chain --generate-only   # generate once (slow: Ganache mints ~40 holdings/s)
    python -m bench.run --chain-dir .bench-chain                   # measure on the stored chain

It starts its own Ganache (the backend suite's port, moved by ODYSSEY_TEST_PORT_OFFSET, unless --port), deploys with scripts/deploy.py, generates holdings with
batch airdrops, then measures: backfill events/s (indexer on SQLite and PostgreSQL vs the raw eth_getLogs +
decode ceiling vs web3.py's EventScanner recipe), member-profile latency (API vs straight from the chain,
p50/p99, 50 concurrent clients), block-to-API lag and each backfill process's peak RSS, with the versions of the
tools measured as they report them.
"""
import argparse
import asyncio
import importlib.metadata
import json
import os
import platform
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
from eth_utils import keccak, to_checksum_address

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from backend.chain.deployment import read_deployment  # noqa: E402
from backend.dev.chain import GWEI, OPS, Chain, LocalChain  # noqa: E402
from backend.dev.ganache import ganache_command  # noqa: E402
from backend.dev.net import free_port, wait_until_listening  # noqa: E402
from backend.dev.networks import Network, suite_network  # noqa: E402
from backend.dev.postgres import PgServer  # noqa: E402
from backend.indexer.rpc import Rpc  # noqa: E402
from backend.indexer.watch import watch_list  # noqa: E402
from bench.eventscanner import EventScanner  # noqa: E402
from bench.report import REPORT, RESULTS, render  # noqa: E402


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


# ---------------------------------------------------------------- chain and data


def start_ganache(port: int, workdir: Path, db_path: Path | None) -> subprocess.Popen:
    proc = subprocess.Popen(
        ganache_command(port, db_path, quiet=True) + ["--chain.vmErrorsOnRPCResponse", "false"],
        stdout=open(workdir / "ganache.log", "w"), stderr=subprocess.STDOUT, start_new_session=True,
    )
    wait_until_listening(port, proc)
    return proc


def deploy(network: Network, workdir: Path) -> Path:
    path = workdir / "1337.json"
    LocalChain(network).deploy(path, profile="load")  # 100k holdings: the load profile's issuance budget
    return path


def bench_addresses(members: int) -> list[str]:
    return [to_checksum_address(keccak(text=f"odyssey-bench-{i}")[-20:]) for i in range(members)]


def generate(chain: Chain, holdings: int, stamp_types: int, resume: bool) -> dict:
    """`holdings` holdings over `stamp_types` extra stamp types, by batch airdrops to generated addresses.
    `resume`: the chain holds an interrupted generation; stamp types already airdropped are skipped."""
    members = holdings // stamp_types
    addresses = bench_addresses(members)
    s = chain.stamps.functions
    ids = list(range(100, 100 + stamp_types))
    if not resume:
        for n, stamp_id in enumerate(ids):
            chain.send(OPS, s.createStampType(stamp_id, 1, f"Bench Stamp {n}", 1 + n % 25, n % 2 == 0, 0))
        # a few real members with vouchers, purchases, transfers and delegations as well
        chain.random_workload(random.Random(1), 60)
    # per-recipient gas, first-time members (join + self-delegation) vs returning ones
    began = time.perf_counter()
    batch_new, batch_returning = 120, 300
    for n, stamp_id in enumerate(ids):
        if resume and s.balanceOf(addresses[-1], stamp_id).call():
            continue
        batch = batch_new if n == 0 else batch_returning
        for start in range(0, members, batch):
            chain.airdrop(stamp_id, addresses[start:start + batch], gas=29_000_000, wait=False)
        last = chain.airdrop(stamp_id, addresses[:1], gas=2_000_000, wait=True)  # skipped: a marker we wait for
        log(f"  airdropped stamp {stamp_id} to {members} members (block {last['blockNumber']}, {time.perf_counter() - began:.0f}s)")
    return {"members": members, "addresses": addresses, "stamp_ids": [1, 2, 3, 4] + ids,
            "airdrop_txs": sum(-(-members // (batch_new if n == 0 else batch_returning)) for n in range(stamp_types)),
            "generation_s": time.perf_counter() - began}


# ---------------------------------------------------------------- backfill


def backfill(env_extra: dict) -> dict:
    """One backfill in a process of its own (bench/backfill_child.py), which reports its time and peak RSS."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), **env_extra)
    out = subprocess.run([sys.executable, "-m", "bench.backfill_child"], cwd=ROOT, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-3000:])
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["events_per_s"] = result["events"] / result["seconds"]
    progress = [line for line in out.stderr.splitlines() if "events/s" in line]
    result["progress_sample"] = progress[-1].split(" ", 2)[-1] if progress else ""
    return result


def ceiling(rpc_url: str, deployments: Path, start: int, end: int, span: int) -> dict:
    """The same node's eth_getLogs over the same blocks + the indexer's ABI decode, no database."""
    watch = watch_list(read_deployment(deployments))
    rpc = Rpc(rpc_url, 120)
    events, began = 0, time.perf_counter()
    for first in range(start, end + 1, span):
        for entry in rpc.get_logs(watch.addresses, first, min(end, first + span - 1)):
            spec = watch.spec_for(entry["address"], entry["topics"][0])
            if spec is not None:
                spec.decode(entry["topics"], entry["data"])
            events += 1
    seconds = time.perf_counter() - began
    return {"events": events, "seconds": seconds, "events_per_s": events / seconds}


def recipe(chain: Chain, start: int, end: int, max_events: int) -> dict:
    scanner = EventScanner(chain.w3, [chain.stamps, chain.benefits])
    events, seconds, last = scanner.scan(start, end, max_events=max_events)
    return {"events": events, "seconds": seconds, "events_per_s": events / seconds, "last_block": last}


# ---------------------------------------------------------------- API


def start_api(database_url: str, rpc_url: str, deployments: Path, port: int, workers: int, embedded: bool,
              poll: float) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT), DATABASE_URL=database_url, ODYSSEY_RPC_URL=rpc_url,
               ODYSSEY_DEPLOYMENTS_FILE=str(deployments), ODYSSEY_EMBEDDED_INDEXER=str(embedded).lower(),
               ODYSSEY_POLL_INTERVAL=str(poll))
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "backend.api.main:create_app", "--port", str(port),
         "--workers", str(workers), "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    wait_until_listening(port, proc)
    for _ in range(200):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=5).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError("API did not start")


def profile_from_chain(chain: Chain, address: str, stamp_ids: list[int]) -> dict:
    s = chain.stamps.functions
    number, since, points = s.memberOf(address).call()
    return {
        "number": number, "since": since, "points": points, "level": s.levelOf(address).call(),
        "votes": s.getVotes(address).call(), "delegate": s.delegates(address).call(),
        "stamps": s.balanceOfBatch([address] * len(stamp_ids), stamp_ids).call(),
    }


def latency(api: str, chain: Chain, data: dict, samples: int) -> dict:
    rng = random.Random(5)
    picks = [rng.choice(data["addresses"]) for _ in range(samples)]
    with httpx.Client(base_url=api, timeout=30) as client:
        client.get(f"/members/{picks[0]}")
        api_times = []
        for address in picks:
            t = time.perf_counter()
            assert client.get(f"/members/{address}").status_code == 200  # the profile, stamps held included
            api_times.append(time.perf_counter() - t)
    chain_times = []
    for address in picks[: max(20, samples // 5)]:
        t = time.perf_counter()
        profile_from_chain(chain, address, data["stamp_ids"])
        chain_times.append(time.perf_counter() - t)
    return {"samples": samples, "api_p50_ms": 1000 * pct(api_times, 50), "api_p99_ms": 1000 * pct(api_times, 99),
            "chain_p50_ms": 1000 * pct(chain_times, 50), "chain_p99_ms": 1000 * pct(chain_times, 99)}


async def _get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str) -> int:
    """One HTTP/1.1 keep-alive GET on a raw connection; returns the status (the body is read and dropped)."""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: bench\r\n\r\n".encode())
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    length = next(int(line.split(":", 1)[1]) for line in lines if line.lower().startswith("content-length:"))
    await reader.readexactly(length)
    return int(lines[0].split()[1])


def concurrent(api: str, addresses: list[str], clients: int, per_client: int) -> dict:
    """`clients` keep-alive connections sending profile requests back to back. A raw asyncio client: with
    httpx the load generator itself saturated a core before two API workers did."""
    host, port = api.removeprefix("http://").split(":")

    async def one(rng: random.Random, times: list[float]):
        reader, writer = await asyncio.open_connection(host, int(port))
        for _ in range(per_client):
            t = time.perf_counter()
            status = await _get(reader, writer, f"/members/{rng.choice(addresses)}")
            assert status == 200, status
            times.append(time.perf_counter() - t)
        writer.close()

    async def main():
        times: list[float] = []
        began = time.perf_counter()
        await asyncio.gather(*(one(random.Random(i), times) for i in range(clients)))
        return times, time.perf_counter() - began

    times, seconds = asyncio.run(main())
    return {"clients": clients, "p50_ms": 1000 * pct(times, 50), "p99_ms": 1000 * pct(times, 99),
            "rps": len(times) / seconds, "requests": len(times)}


def block_lag(api: str, chain: Chain, rounds: int) -> list[float]:
    lags = []
    rng = random.Random(9)
    with httpx.Client(base_url=api, timeout=10) as client:
        for _ in range(rounds):
            time.sleep(rng.uniform(0, 1.0))
            receipt = chain.send(OPS, chain.stamps.functions.setAllowlistRoot(1, os.urandom(32)))
            mined = time.perf_counter()
            while True:
                block = client.get("/stats").headers.get("X-Odyssey-Block") or "0"
                if int(block) >= receipt["blockNumber"]:
                    lags.append(time.perf_counter() - mined)
                    break
                time.sleep(0.005)
    return lags


# ---------------------------------------------------------------- the run's record


def tool_versions(chain: Chain, pg_url: str | None) -> dict:
    """The versions of what was measured, as each reports itself."""
    client = chain.w3.client_version  # e.g. "Ganache/v7.9.2/EthereumJS TestRPC/v7.9.2/ethereum-js"
    versions = {"ganache": client.split("/")[1].lstrip("v"), "python": platform.python_version(),
                "sqlite": sqlite3.sqlite_version, "postgresql": None}
    if pg_url is not None:
        import psycopg

        with psycopg.connect(pg_url.replace("postgresql+psycopg://", "postgresql://")) as conn:
            versions["postgresql"] = conn.execute("SHOW server_version").fetchone()[0]
    for package in ("web3", "sqlalchemy", "uvicorn"):
        versions[package] = importlib.metadata.version(package)
    return versions


def commit() -> str:
    result = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return result.stdout.strip() or "unknown"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--holdings", type=int, default=100_000)
    parser.add_argument("--stamp-types", type=int, default=20)
    parser.add_argument("--port", type=int, default=suite_network("backend").port)
    parser.add_argument("--network", default=suite_network("backend").name, help="Brownie network for the deploy script")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--recipe-events", type=int, default=20_000)
    parser.add_argument("--poll", type=float, default=1.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--results", default=str(RESULTS), help="where the run's results are stored")
    parser.add_argument("--out", default=str(REPORT), help="the page written from them")
    parser.add_argument("--chain-dir", help="keep Ganache's database and the generated data set here; a later run "
                        "with the same directory measures on them instead of generating again")
    parser.add_argument("--generate-only", action="store_true", help="stop after generating (needs --chain-dir)")
    args = parser.parse_args()

    import tempfile

    if args.generate_only and not args.chain_dir:
        parser.error("--generate-only needs --chain-dir")
    workdir = Path(tempfile.mkdtemp(prefix="odyssey-bench-"))
    chain_dir = Path(args.chain_dir).resolve() if args.chain_dir else None
    stored = chain_dir / "data.json" if chain_dir else None
    rpc_url = f"http://127.0.0.1:{args.port}"
    procs: list[subprocess.Popen] = []
    pg = pg_url = None
    results: dict = {"holdings": args.holdings, "poll": args.poll, "workers": args.workers,
                     "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "commit": commit(),
                     "machine": f"{os.cpu_count()} CPUs, {platform.processor() or platform.machine()}, Python {platform.python_version()}"}
    try:
        if stored is not None and stored.exists():
            log(f"Ganache on {rpc_url}, the data set stored in {chain_dir}")
            procs.append(start_ganache(args.port, workdir, chain_dir / "ganache"))
            deployments = chain_dir / "1337.json"
            chain = Chain(rpc_url, deployments, fee_cap=100 * GWEI)
            data = json.loads(stored.read_text())
            data["addresses"] = bench_addresses(data["members"])
            results["holdings"] = data["holdings"]
        else:
            resume = chain_dir is not None and (chain_dir / "1337.json").exists()
            if chain_dir is not None:
                chain_dir.mkdir(parents=True, exist_ok=True)
            procs.append(start_ganache(args.port, workdir, chain_dir / "ganache" if chain_dir else None))
            if resume:
                log(f"Ganache on {rpc_url}, resuming the generation stored in {chain_dir}")
                deployments = chain_dir / "1337.json"
            else:
                log(f"Ganache on {rpc_url}, deploying")
                deployments = deploy(Network(args.network, args.port), chain_dir or workdir)
            chain = Chain(rpc_url, deployments, fee_cap=100 * GWEI)
            if not resume:
                chain.setup_catalogue()
            log(f"generating {args.holdings:,} holdings")
            data = generate(chain, args.holdings, args.stamp_types, resume)
            data["holdings"] = data["members"] * args.stamp_types
            if stored is not None:
                stored.write_text(json.dumps({k: v for k, v in data.items() if k != "addresses"}))
                log(f"data set stored in {chain_dir}")
            if args.generate_only:
                return 0
        head = chain.head()
        results["head"] = head
        results["data"] = {k: v for k, v in data.items() if k != "addresses"}
        start = json.loads(deployments.read_text())["startBlock"]

        log("backfill: indexer on SQLite")
        sqlite_url = f"sqlite:///{workdir / 'bench.db'}"
        base_env = {"ODYSSEY_RPC_URL": rpc_url, "ODYSSEY_DEPLOYMENTS_FILE": str(deployments)}
        results["backfill"] = {"sqlite": backfill({**base_env, "DATABASE_URL": sqlite_url})}
        log(f"  {results['backfill']['sqlite']}")
        from sqlalchemy import create_engine, text

        engine = create_engine(sqlite_url)
        with engine.connect() as conn:
            results["data"]["holdings"] = conn.execute(text("SELECT count(*) FROM holdings WHERE balance > 0")).scalar()
            results["data"]["members"] = conn.execute(text("SELECT count(*) FROM members WHERE number IS NOT NULL")).scalar()
        engine.dispose()
        if not args.no_postgres:
            log("backfill: indexer on PostgreSQL")
            pg = PgServer().start()
            pg_url = pg.create_database("bench")
            results["backfill"]["postgres"] = backfill({**base_env, "DATABASE_URL": pg_url})
            log(f"  {results['backfill']['postgres']}")
        results["ceiling_span"] = 20_000
        results["ceiling"] = ceiling(rpc_url, deployments, start, head, results["ceiling_span"])
        log(f"ceiling: {results['ceiling']}")
        results["recipe"] = recipe(chain, start, head, args.recipe_events)
        log(f"recipe: {results['recipe']}")

        port = free_port()
        api = start_api(sqlite_url, rpc_url, deployments, port, args.workers, embedded=False, poll=args.poll)
        procs.append(api)
        base = f"http://127.0.0.1:{port}"
        results["latency"] = latency(base, chain, data, 400)
        log(f"latency: {results['latency']}")
        results["concurrent"] = concurrent(base, data["addresses"], 50, 100)
        log(f"concurrent: {results['concurrent']}")
        os.killpg(api.pid, signal.SIGTERM)
        api.wait(30)
        procs.remove(api)

        port = free_port()
        live = start_api(sqlite_url, rpc_url, deployments, port, 1, embedded=True, poll=args.poll)
        procs.append(live)
        base = f"http://127.0.0.1:{port}"
        for _ in range(600):
            if httpx.get(f"{base}/ready").status_code == 200:
                break
            time.sleep(0.1)
        results["lag"] = block_lag(base, chain, 20)
        log(f"lag: {results['lag']}")
        results["tools"] = tool_versions(chain, pg_url)
        Path(args.results).write_text(json.dumps(results, indent=2, default=str) + "\n")
        Path(args.out).write_text(render(results))
        log(f"results in {args.results}; written {args.out}")
        return 0
    finally:
        for proc in procs:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(30)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass
        if pg is not None:
            pg.stop()


if __name__ == "__main__":
    sys.exit(main())
