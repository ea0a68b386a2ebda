"""The OpenAPI schema with its numbers as the models state them: FastAPI validates the schema through a model that
holds `maximum` and `minimum` as floats, so the uint256 bound 2**256 - 1 came out as 1.157920892373162e+77 (which
is 2**256, a value the API refuses)."""
from fastapi import FastAPI

from backend.api.deps import UINT256_MAX

BOUNDS = ("maximum", "minimum", "exclusiveMaximum", "exclusiveMinimum")
# Integers a float cannot hold exactly, by the float they became.
EXACT = {float(UINT256_MAX): UINT256_MAX}


def _exact(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in BOUNDS and isinstance(value, float) and value.is_integer():
                node[key] = EXACT.get(value, int(value)) if abs(value) >= 2**53 else int(value)
            else:
                _exact(value)
    elif isinstance(node, list):
        for item in node:
            _exact(item)
    return node


def exact_numbers(app: FastAPI) -> None:
    build = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            app.openapi_schema = _exact(build())
        return app.openapi_schema

    app.openapi = openapi
