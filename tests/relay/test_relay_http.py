"""The API's HTTP edges under abuse: bodies capped before they are read, the client's address taken from
X-Forwarded-For only as settings say, JSON bodies only, one error shape, and an OpenAPI schema stating the formats.
The body and proxy tests run a real server, started as `make run` starts it (python -m backend.api)."""
import json
import logging
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
import uvicorn
from fastapi.testclient import TestClient

from backend.api.main import create_app
from backend.dev.keys import LOCAL_ROLES, local_account, local_key
from backend.dev.net import free_port
from backend.relay.__main__ import server_config
from backend.relay.refusals import REFUSALS
from backend.settings import get_settings
from tests.relay.conftest import fresh_member, join_request, relay_settings
from tests.support.refusals import assert_codes_kept
from tests.support.server import running_server
from tests.support.web import costs_relayer_nothing, voucher_for


@pytest.fixture(scope="module")
def server(chain, deployments_file, c, tmp_path_factory):
    """The whole API on a free port, its per-IP limit at 3 requests a minute."""
    folder = tmp_path_factory.mktemp("api")
    with running_server(chain, deployments_file, folder, folder / "api.log", 0.5, {"ODYSSEY_RELAY_PER_IP": "3"}) as base:
        yield base


def _post_large(base: str, path: str, size: int) -> tuple[int, float]:
    """POST a JSON body of `size` bytes, sending it while reading the answer: (status, seconds until the status line)."""
    host, port = base.removeprefix("http://").split(":")
    body = json.dumps({"to": "0x" + "11" * 20, "data": "0x" + "00" * ((size - 60) // 2)}).encode()
    sock = socket.create_connection((host, int(port)))
    started = time.monotonic()
    sock.sendall(f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
                 f"Content-Length: {len(body)}\r\n\r\n".encode())

    def send_body():
        try:
            sock.sendall(body)
        except OSError:
            pass  # the server answered and closed without reading it: the point

    sender = threading.Thread(target=send_body)
    sender.start()
    status_line = sock.makefile("rb").readline()
    elapsed = time.monotonic() - started
    sock.close()
    sender.join()
    return int(status_line.split()[1]), elapsed


def test_large_bodies_are_refused_at_once_and_health_stays_fast(server):
    health_times = []
    with ThreadPoolExecutor(4) as pool:
        uploads = [pool.submit(_post_large, server, "/relay/call", 10 * 1024 * 1024) for _ in range(4)]
        while not all(u.done() for u in uploads):
            started = time.monotonic()
            assert requests.get(f"{server}/health", timeout=5).status_code == 200
            health_times.append(time.monotonic() - started)
    for upload in uploads:
        status, elapsed = upload.result()
        assert status == 413 and elapsed < 1.0, (status, elapsed)
    assert max(health_times) < 0.5, health_times
    response = requests.post(f"{server}/relay/claim", data=b"{" + b" " * 40_000 + b"}", headers={"Content-Type": "application/json"})
    assert response.status_code == 413 and response.headers["connection"] == "close"
    assert response.json() == {"detail": "request body too large: at most 32768 bytes",
                               "message": "request body too large: at most 32768 bytes"}


def test_a_chunked_body_is_capped_as_it_arrives(client, w3, c):
    """No Content-Length to refuse on: the bytes are counted as they come, and a body within the cap goes on whole."""
    def chunked(body: bytes):
        yield from (body[i:i + 1024] for i in range(0, len(body), 1024))

    headers = {"Content-Type": "application/json"}
    large = json.dumps({"to": "0x" + "11" * 20, "data": "0x" + "00" * 20_000}).encode()
    small = json.dumps(join_request(w3, c, fresh_member(), valid_for=-60)).encode()
    with costs_relayer_nothing(w3):
        refused = client.post("/relay/call", content=chunked(large), headers=headers)
        passed = client.post("/relay", content=chunked(small), headers=headers)
    assert refused.status_code == 413 and refused.json()["message"] == "request body too large: at most 32768 bytes"
    assert passed.status_code == 422 and passed.json()["detail"][0]["loc"] == ["body", "deadline"]


def test_a_made_up_x_forwarded_for_does_not_slip_the_per_ip_limit(server, w3, c):
    """No proxy is trusted by default: a local client naming itself someone else is still itself."""
    statuses = []
    with costs_relayer_nothing(w3):
        for i in range(4):  # expired requests: refused after the IP is counted, costing nothing
            request = join_request(w3, c, fresh_member(), valid_for=-60)
            statuses.append(requests.post(f"{server}/relay", json=request, headers={"X-Forwarded-For": f"198.51.100.{i}"}))
    assert [r.status_code for r in statuses] == [422, 422, 422, 429]
    assert statuses[-1].json()["message"].startswith("too many requests from 127.0.0.1: try again in ")
    assert statuses[-1].json()["code"] == "too_many_requests"


def _behind_proxy(chain, deployments_file, tmp_path, peer: str) -> TestClient:
    settings = relay_settings(chain, deployments_file, tmp_path / "api.db", relay_per_ip=2, trusted_proxies=["127.0.0.1"],
                              embedded_indexer=False)
    return TestClient(create_app(settings), client=(peer, 40000))


def test_behind_a_trusted_proxy_the_client_is_the_entry_it_appended(chain, deployments_file, w3, c, tmp_path):
    """Entries left of the proxy's are the client's own words: the rightmost untrusted one is the client."""
    with _behind_proxy(chain, deployments_file, tmp_path, "127.0.0.1") as client:
        def post(forwarded_for):
            request = join_request(w3, c, fresh_member(), valid_for=-60)
            return client.post("/relay", json=request, headers={"X-Forwarded-For": forwarded_for})

        assert [post(f"198.51.100.{i}, 203.0.113.7").status_code for i in range(2)] == [422, 422]
        over = post("198.51.100.9, 203.0.113.7")
        assert over.status_code == 429 and over.json()["message"].startswith("too many requests from 203.0.113.7:")
        assert post("203.0.113.8, 127.0.0.1").status_code == 422  # another client, through two trusted hops


def test_x_forwarded_for_from_an_untrusted_peer_is_ignored(chain, deployments_file, w3, c, tmp_path):
    with _behind_proxy(chain, deployments_file, tmp_path, "192.0.2.10") as client:
        statuses = [client.post("/relay", json=join_request(w3, c, fresh_member(), valid_for=-60),
                                headers={"X-Forwarded-For": f"203.0.113.{i}"}) for i in range(3)]
    assert statuses[-1].status_code == 429 and statuses[-1].json()["message"].startswith("too many requests from 192.0.2.10:")


def test_a_server_that_replaced_the_peer_from_x_forwarded_for_is_reported(chain, deployments_file, tmp_path, caplog):
    """Plain uvicorn (proxy headers on, 127.0.0.1 trusted) hands the app the header's address, port 0: the API can no
    longer tell who connected, and says how to serve it instead."""
    settings = relay_settings(chain, deployments_file, tmp_path / "api.db", embedded_indexer=False)
    with caplog.at_level(logging.WARNING, "odyssey.api"), TestClient(create_app(settings), client=("198.51.100.7", 0)) as client:
        client.get("/health", headers={"X-Forwarded-For": "198.51.100.7"})
    assert "start it with `python -m backend.api` or uvicorn --no-proxy-headers" in caplog.text


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data"])
def test_posts_take_json_only(client, w3, c, content_type):
    body = json.dumps(voucher_for(c["OdysseyStamps"], fresh_member().address, 6001).as_dict()).encode()
    headers = {"Content-Type": content_type} if content_type else {}
    with costs_relayer_nothing(w3):
        response = client.post("/relay/claim", content=body, headers=headers)
    assert response.status_code == 415
    assert response.json()["message"] == "the body must be JSON: send it with Content-Type: application/json"


def test_relay_refusals_share_the_validation_errors_shape(client, w3, c):
    bad_field = client.post("/relay", json={**join_request(w3, c, fresh_member()), "gas": "lots"})
    expired = client.post("/relay", json=join_request(w3, c, fresh_member(), valid_for=-60))
    for response in (bad_field, expired):
        body = response.json()
        assert response.status_code == 422 and set(body) - {"code"} == {"detail", "message"}
        assert [set(error) for error in body["detail"]] == [{"loc", "msg", "type"}]
    assert "code" not in bad_field.json() and expired.json()["code"] == "request_expired"  # the relay's own refusal is named
    assert bad_field.json()["detail"][0]["loc"] == ["body", "gas"]
    assert expired.json()["detail"][0]["loc"] == ["body", "deadline"]
    assert expired.json()["message"] == f"deadline: {expired.json()['detail'][0]['msg']}"


def test_openapi_states_the_formats_and_every_status(chain, deployments_file, tmp_path):
    with TestClient(create_app(relay_settings(chain, deployments_file, tmp_path / "api.db", embedded_indexer=False))) as client:
        spec = client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    request = schemas["ForwardRequestIn"]["properties"]
    assert request["from"]["pattern"] == "^0x[0-9a-fA-F]{40}$"
    assert request["data"]["pattern"] == "^0x([0-9a-fA-F]{2})*$"
    assert request["signature"]["pattern"] == "^0x[0-9a-fA-F]{130}$"
    assert request["gas"]["anyOf"][0]["maximum"] == 2**256 - 1  # exact, not 1.157920892373162e+77
    assert request["deadline"]["anyOf"][0]["maximum"] == 2**48 - 1
    for path in ("/relay", "/relay/call", "/relay/claim"):
        post = spec["paths"][path]["post"]["responses"]
        assert {"202", "400", "403", "409", "413", "415", "422", "429", "502", "503"} <= set(post), path
        assert post["429"]["headers"]["Retry-After"]["required"] is True
    claims = {p["name"]: p["schema"] for p in spec["paths"]["/claims"]["get"]["parameters"]}
    assert claims["cursor"]["pattern"] == "^[A-Za-z0-9_-]{1,512}$"
    assert claims["member"]["pattern"] == "^0x[0-9a-fA-F]{40}$"
    assert claims["limit"]["minimum"] == 1 and claims["limit"]["maximum"] == 500
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            assert "422" not in operation["responses"] or operation["responses"]["422"]["content"]["application/json"][
                "schema"]["$ref"].endswith("/ValidationErrorOut"), (method, path)


def test_every_relay_refusal_code_is_raised_documented_and_in_the_openapi(client):
    """A code is a promise to clients: each is raised somewhere, listed in docs/relay.md and named by the OpenAPI."""
    assert_codes_kept(REFUSALS, Path("backend/relay"), Path("docs/relay.md"),
                      openapi=json.dumps(client.get("/openapi.json").json()))


def test_the_relays_own_command_serves_it_where_asked_with_proxy_headers_off(chain, deployments_file, w3, c, tmp_path,
                                                                              monkeypatch):
    """`python -m backend.relay --host H --port P` (its `server_config`) serves the relay there, and a loopback
    client cannot name itself another address in X-Forwarded-For (uvicorn's own handling would believe it)."""
    port = free_port()
    environment = {"ODYSSEY_RPC_URL": chain.url, "ODYSSEY_DEPLOYMENTS_FILE": str(deployments_file),
                   "DATABASE_URL": f"sqlite:///{tmp_path / 'relay.db'}", "ODYSSEY_RELAY_PRIVATE_KEY": local_key("relayer"),
                   "ODYSSEY_RELAY_PER_IP": "1"}
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    try:
        defaults = server_config([])
        config = server_config(["--host", "127.0.0.1", "--port", str(port)])
    finally:
        get_settings.cache_clear()
    assert (defaults.host, defaults.port, defaults.proxy_headers) == ("127.0.0.1", 8000, False)
    assert server_config(["--host", "0.0.0.0", "--port", "1"]).host == "0.0.0.0"
    assert (config.host, config.port, config.proxy_headers) == ("127.0.0.1", port, False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "the relay's server did not start"
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        assert requests.get(f"{base}/relay", timeout=10).json()["relayer"] == local_account(LOCAL_ROLES["relayer"]).address
        assert requests.get(f"{base}/openapi.json", timeout=10).json()["info"]["title"] == "Odyssey relay"
        answers = [requests.post(f"{base}/relay", json=join_request(w3, c, fresh_member(), valid_for=-60),
                                 headers={"X-Forwarded-For": f"203.0.113.{i}"}, timeout=10) for i in range(2)]
        assert [a.status_code for a in answers] == [422, 429]
        assert answers[1].json()["message"].startswith("too many requests from 127.0.0.1:")
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def test_the_relays_own_command_says_what_it_is(capsys):
    with pytest.raises(SystemExit) as exited:
        server_config(["--help"])
    out = capsys.readouterr().out
    assert exited.value.code == 0
    assert out.startswith("usage: python -m backend.relay [-h] [--host HOST] [--port PORT]\n\nOdyssey's gasless relay\n")
