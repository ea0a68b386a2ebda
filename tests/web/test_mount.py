"""backend.web.mount_web without a chain: the page's configuration from a deployments file, and a clear page
when the assets are not built."""
import json

from fastapi import FastAPI
from fastapi.testclient import TestClient

from backend.settings import Settings
from backend.web import mount_web

ADDRESSES = {
    "OdysseyStamps": "0x" + "11" * 20,
    "OdysseyForwarder": "0x" + "22" * 20,
    "OdysseyGovernor": "0x" + "33" * 20,
    "OdysseyTimelock": "0x" + "44" * 20,
}


def client_for(tmp_path, chain_id: int, **web) -> TestClient:
    """The page mounted on a bare app whose settings (`web_*` fields from `web`) name a deployments file."""
    deployments = tmp_path / f"{chain_id}.json"
    deployments.write_text(json.dumps({
        "chainId": chain_id, "contracts": {name: {"address": a, "abi": []} for name, a in ADDRESSES.items()},
    }))
    settings = Settings(
        rpc_url="http://127.0.0.1:9/private-key-in-url", deployments_file=deployments, database_url="sqlite://", **web,
    )
    app = FastAPI()
    mount_web(app, settings)
    return TestClient(app)


def test_config_names_the_chain_and_the_contracts_the_page_uses(tmp_path):
    client = client_for(tmp_path, 1337, web_build_dir=tmp_path / "none")
    config = client.get("/web/config.json").json()
    assert config["chainId"] == 1337
    assert config["contracts"] == {k: v for k, v in ADDRESSES.items() if k != "OdysseyTimelock"}
    assert config["relayUrl"] == "/relay"
    assert config["rpcUrls"] == ["http://127.0.0.1:9/private-key-in-url"]  # the local chain: the API's node


def test_config_never_offers_the_api_node_url_of_a_live_chain(tmp_path):
    client = client_for(tmp_path, 10, web_build_dir=tmp_path / "none")
    assert client.get("/web/config.json").json()["rpcUrls"] == []
    client = client_for(tmp_path, 10, web_build_dir=tmp_path / "none", web_chain_rpc_url="https://rpc.example")
    assert client.get("/web/config.json").json()["rpcUrls"] == ["https://rpc.example"]


def test_unbuilt_page_says_how_to_build_it(tmp_path):
    response = client_for(tmp_path, 1337, web_build_dir=tmp_path / "none").get("/")
    assert response.status_code == 503
    assert "npm run build:web" in response.text


def test_built_page_is_served_at_the_root(tmp_path):
    built = tmp_path / "built"
    built.mkdir()
    (built / "index.html").write_text("<!doctype html><title>Odyssey</title>")
    (built / "app.js").write_text("console.log('odyssey')")
    client = client_for(tmp_path, 1337, web_build_dir=built)
    assert client.get("/").text.startswith("<!doctype html>")
    assert client.get("/app.js").headers["content-type"].startswith("text/javascript")
    assert client.get("/web/config.json").json()["chainId"] == 1337  # the route wins over the mount
