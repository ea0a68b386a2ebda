"""What /health and /ready tell a monitor when the node misbehaves: never the node's URL (a provider's key is often
in its path), and a liveness answer that never waits on the node."""
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.backend.proxy import SilentNode

SECRET = "k3y-0f-the-pr0v1der"


def _wait(predicate, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Unauthorized(BaseHTTPRequestHandler):
    """A provider refusing the key: HTTP 401 to every request."""

    def do_POST(self):
        self.send_response(401)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_):
        pass


@pytest.fixture
def refusing_node():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Unauthorized)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("node, said", [("closed", "cannot connect to the node"), ("refusing", "the node answered HTTP 401")])
def test_health_says_what_failed_never_the_node_url(settings_for, new_db, client_for, request, node, said):
    port = _closed_port() if node == "closed" else request.getfixturevalue("refusing_node")
    settings = settings_for(new_db(), rpc_url=f"http://127.0.0.1:{port}/v3/{SECRET}", embedded_indexer=True)
    client = client_for(settings)

    health = _wait(lambda: (r := client.get("/health")).json()["indexer"]["last_error"] and r.json()["rpc_error"] == said and r)
    ready = client.get("/ready")

    assert health.status_code == 200 and ready.status_code == 503
    for response in (health, ready):
        assert SECRET not in response.text and str(port) not in response.text
        assert response.json()["rpc_error"] == said
    assert said in health.json()["indexer"]["last_error"]


def test_health_answers_at_once_while_the_node_hangs(settings_for, new_db, client_for):
    node = SilentNode().start()
    settings = settings_for(new_db(), rpc_url=f"http://127.0.0.1:{node.port}", embedded_indexer=True, rpc_timeout=5.0)
    client = client_for(settings)
    try:
        for _ in range(10):  # a liveness probe with a 1 s timeout must never restart this API
            for url in ("/health", "/ready"):
                started = time.monotonic()
                client.get(url)
                assert time.monotonic() - started < 0.5, f"{url} waited on the node"
            time.sleep(0.3)
        body = _wait(lambda: (b := client.get("/health").json())["rpc_error"] and b)
        assert body["rpc_ok"] is False and body["rpc_error"] == "the node did not answer in time"
        assert body["chain_head"] is None and body["lag"] is None and body["ready"] is False
        assert client.get("/ready").status_code == 503
    finally:
        node.stop()
