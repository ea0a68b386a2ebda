"""The API documents itself (no chain needed): every route has a description, an example of its answer and the error
statuses it returns; every example is valid for its schema."""
import inspect

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from backend.api import schemas as api_schemas
from backend.api.main import create_app
from backend.relay import schemas as relay_schemas
from backend.settings import Settings


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    """The API on an empty SQLite mirror, its node unreachable."""
    database = tmp_path_factory.mktemp("openapi") / "api.db"
    settings = Settings(rpc_url="http://127.0.0.1:9", database_url=f"sqlite:///{database}", embedded_indexer=False)
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.fixture(scope="module")
def openapi(client) -> dict:
    return client.get("/openapi.json").json()


def operations(openapi: dict):
    for path, methods in openapi["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def resolve(openapi: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = openapi["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def has_example(openapi: dict, schema: dict) -> bool:
    """The schema, or the item or data schema it envelopes, carries an example."""
    schema = resolve(openapi, schema)
    if "examples" in schema or "example" in schema:
        return True
    properties = schema.get("properties", {})
    inner = properties.get("data") or schema.get("items")
    if inner is not None:
        return has_example(openapi, inner.get("items", inner))
    return False


def test_every_route_has_a_description_and_an_example(openapi):
    for name, operation in operations(openapi):
        assert operation.get("description", "").strip(), f"{name} has no description"
        success = next(code for code in operation["responses"] if code.startswith("2"))
        content = operation["responses"][success].get("content", {})
        media = content.get("application/json") or next(iter(content.values()), {})
        assert "example" in media or has_example(openapi, media.get("schema", {})), f"{name} has no example"


# Path parameters in the right format but naming nothing, then malformed ones.
UNKNOWN = {"address": "0x" + "00" * 19 + "01", "journey_id": "4000000", "stamp_id": "4000000", "proposal_id": "4000000",
           "idea_id": "4000000", "drop_id": "4000000", "token": "4000000", "tx_hash": "0x" + "ab" * 32, "locale": "zh-Hant"}
MALFORMED = {"address": "0x12", "journey_id": "x", "stamp_id": "x", "proposal_id": "x", "idea_id": "x", "drop_id": "x",
             "token": "x", "tx_hash": "0x12", "locale": "fr"}


def test_every_route_answers_only_statuses_it_documents(openapi, client):
    """Each route called on an empty mirror with no node (unknown ids, then malformed ones, a POST with no body):
    whatever it answers, its OpenAPI entry lists."""
    for path, methods in openapi["paths"].items():
        for method, operation in methods.items():
            documented = set(operation["responses"])
            for values in (UNKNOWN, MALFORMED):
                url = path.format(**values)
                response = client.request(method.upper(), url, json=None if method == "get" else {})
                assert str(response.status_code) in documented, f"{method.upper()} {url}: {response.status_code} {response.text}"


@pytest.mark.parametrize("model", [
    model for module in (api_schemas, relay_schemas) for _, model in inspect.getmembers(module, inspect.isclass)
    if issubclass(model, BaseModel) and (model.model_config.get("json_schema_extra") or {}).get("examples")
])
def test_examples_are_valid_answers(model):
    for example in model.model_config["json_schema_extra"]["examples"]:
        model.model_validate(example)
