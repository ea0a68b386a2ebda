"""/docs: Swagger UI over the API's OpenAPI document, its files served by the API itself (from npm's swagger-ui-dist,
copied into the page's build by `npm run build:web`), so the page works without internet."""
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = "/docs/assets"
NOT_BUILT = """<!doctype html><html lang="en"><meta charset="utf-8"><title>Odyssey API</title>
<body style="font-family:sans-serif;max-width:40rem;margin:3rem auto">
<h1>Odyssey API</h1><p>The API's documentation page has not been built on this server yet. Run
<code>npm run build:web</code> (or <code>make install</code>) and reload. The OpenAPI document is at
<a href="/openapi.json">/openapi.json</a>.</p></body></html>"""


def install_docs(app: FastAPI, build_dir: Path) -> None:
    """Serve /docs from the Swagger UI files in `build_dir`/swagger (create the app with `docs_url=None`)."""
    assets = Path(build_dir) / "swagger"
    built = (assets / "swagger-ui-bundle.js").is_file()
    if built:
        app.mount(ASSETS, StaticFiles(directory=assets), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        if not built:
            return HTMLResponse(NOT_BUILT, status_code=503)
        return get_swagger_ui_html(
            openapi_url=app.openapi_url, title=f"{app.title} — documentation",
            swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js", swagger_css_url=f"{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS}/favicon-32x32.png",
        )
