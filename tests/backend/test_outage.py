"""RPC down for a while, then back: the API stays up, /ready reports the lag, the indexer catches up."""
import random
import time

from tests.backend.mirror import assert_api_matches_chain
from tests.backend.proxy import TcpProxy


def _wait(predicate, timeout=30.0, interval=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("condition not met in time")


def test_rpc_outage_api_stays_up_reports_lag_and_catches_up(chain, local_chain, settings_for, new_db, client_for):
    chain.random_workload(random.Random(3), 15)
    proxy = TcpProxy(local_chain.port)
    proxy.start()
    settings = settings_for(
        new_db(), rpc_url=f"http://127.0.0.1:{proxy.port}", embedded_indexer=True, rpc_timeout=2.0,
        retry_max_delay=1.0, max_range=5, initial_range=5, ready_max_lag=0,
    )
    client = client_for(settings)  # the indexer runs inside the API process (embedded default)
    _wait(lambda: client.get("/ready").status_code == 200)
    indexed = client.get("/health").json()["indexed_block"]
    assert indexed == chain.head()

    proxy.stop()
    chain.random_workload(random.Random(4), 10)
    chain.mine(150)  # the chain moves on while the indexer cannot see it
    head = chain.head()

    def degraded():  # the indexer's next poll meets the outage, and the API's own look at the node (cached 1 s)
        response = client.get("/health")
        body = response.json()
        return response if body["indexer"]["state"] == "degraded" and not body["rpc_ok"] else None

    health = _wait(degraded)
    assert health.status_code == 200
    body = health.json()
    assert body["rpc_ok"] is False and body["status"] == "degraded"
    assert body["indexer"]["state"] == "degraded" and body["indexer"]["last_error"]
    # The chain runs 150 blocks ahead: the lag is unknown, not 0 from the last head stored before the outage.
    assert body["chain_head"] is None and body["lag"] is None
    ready = client.get("/ready")
    assert ready.status_code == 503 and ready.json()["indexed_block"] == indexed
    assert ready.json()["lag"] is None and ready.json()["chain_head"] is None
    members = client.get("/members")  # the data stays served, saying which block it reflects
    assert members.status_code == 200 and members.json()["block"]["number"] == indexed

    proxy.port, old_port = proxy.port, proxy.port
    proxy.start()
    assert proxy.port == old_port
    seen_lag = []

    def caught_up():
        r = client.get("/ready")
        b = r.json()
        if b["rpc_ok"] and b["lag"]:
            seen_lag.append(b["lag"])
            assert r.status_code == 503
        return r.status_code == 200

    _wait(caught_up, timeout=60, interval=0.01)
    assert seen_lag and max(seen_lag) <= head - indexed
    assert client.get("/health").json()["indexed_block"] == head
    assert client.get("/health").json()["indexer"]["state"] == "live"
    assert_api_matches_chain(client, chain)
    proxy.stop()


def test_indexer_resumes_as_soon_as_the_node_answers_again(chain, local_chain, settings_for, new_db, client_for):
    """An outage long enough for the backoff to grow past 4 s; the node back: indexing resumes within a second."""
    proxy = TcpProxy(local_chain.port)
    proxy.start()
    settings = settings_for(new_db(), rpc_url=f"http://127.0.0.1:{proxy.port}", embedded_indexer=True, rpc_timeout=2.0,
                            retry_max_delay=15.0)
    client = client_for(settings)
    _wait(lambda: client.get("/ready").status_code == 200)

    proxy.stop()
    _wait(lambda: client.get("/health").json()["indexer"]["state"] == "degraded")
    time.sleep(4.5)  # retries after 0.5, 1, 2 s failed; a backoff would now sleep 4 s more
    chain.mine(3)
    proxy.start()
    back = time.monotonic()
    _wait(lambda: client.get("/health").json()["indexed_block"] == chain.head(), timeout=10, interval=0.02)
    assert time.monotonic() - back < 1.5, "the indexer sat out its backoff after the node was back"
    proxy.stop()
