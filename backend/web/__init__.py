"""The member web page, served by the API at `/`.

The page's source is in web/ and `npm run build:web` bundles it (esbuild, no CDN at run time) into build/web/.
Wire it into the API last, after every router (the page is mounted at `/` and catches what they don't):

    from backend.web import mount_web
    mount_web(app, settings)

Besides the built files, the page reads one route of its own:

    GET /web/config.json   chain id, contract addresses (from deployments/<chainId>.json), the relay's path, the
                           EIP-712 types members sign (backend/chain/protocol.py) and, for wallets that don't know
                           the chain yet, a public RPC URL and a chain name.
"""
from pathlib import Path

from fastapi import FastAPI, HTTPException
from fastapi.responses import HTMLResponse, JSONResponse

from backend.api.errors import responses
from backend.chain.deployment import DeploymentError, load_deployment, read_deployment
from backend.chain.protocol import BALLOT_TYPES, EXTENDED_BALLOT_TYPES, FORWARD_REQUEST_TYPES
from backend.indexer.rpc import Rpc
from backend.settings import LOCAL_CHAIN_ID, Settings

# The contracts the page talks to (names as in deployments/<chainId>.json); others are left out.
PAGE_CONTRACTS = (
    "OdysseyStamps", "OdysseyBenefits", "OdysseyForwarder", "OdysseyGovernor", "IdeaBoard", "OdysseyShop", "OdysseyDrops",
)


def page_config(settings: Settings) -> dict:
    """The page's configuration from the deployments file of the chain the API reads."""
    if settings.deployments_file is not None:
        deployment = read_deployment(settings.deployments_file)
    else:
        deployment = load_deployment(Rpc(settings.rpc_url, timeout=3.0).chain_id())
    chain_id = deployment.chain_id
    local = chain_id == LOCAL_CHAIN_ID
    rpc_url = settings.web_chain_rpc_url or (settings.rpc_url if local else None)
    return {
        "chainId": chain_id,
        "chainName": settings.web_chain_name or ("Odyssey local chain" if local else f"Chain {chain_id}"),
        "rpcUrls": [rpc_url] if rpc_url else [],
        "contracts": {name: c.address for name, c in deployment.contracts.items() if name in PAGE_CONTRACTS},
        "relayUrl": settings.web_relay_url,
        "types": FORWARD_REQUEST_TYPES | BALLOT_TYPES | EXTENDED_BALLOT_TYPES,
    }


NOT_BUILT = """<!doctype html><html lang="en"><meta charset="utf-8"><title>Odyssey</title>
<body style="font-family:sans-serif;max-width:40rem;margin:3rem auto">
<h1>Odyssey</h1><p>The member page has not been built on this server yet.
Run <code>npm run build:web</code> (or <code>make install</code>) and reload.</p></body></html>"""


def mount_web(app: FastAPI, settings: Settings) -> None:
    """Serve /web/config.json and the built page (`settings.web_build_dir`) at `/`. Call after every other router
    is included."""

    @app.get("/web/config.json", tags=["web"], summary="Configuration of the member web page",
             responses={200: {"description": "the page's configuration", "content": {"application/json": {"example": {
                 "chainId": 1337, "chainName": "Odyssey local chain", "rpcUrls": ["http://127.0.0.1:8545"],
                 "contracts": {"OdysseyStamps": "0x602C71e4DAC47a042Ee7f46E0aee17F94A3bA0B6"}, "relayUrl": "/relay",
                 "types": BALLOT_TYPES}}}}, **responses(503)})
    def web_config() -> JSONResponse:
        """What the member page needs to talk to the chain: the chain id, the addresses of the contracts it calls, the
        relay's path, the EIP-712 types members sign, and for wallets that don't know the chain a public RPC URL."""
        try:
            config = page_config(settings)
        except DeploymentError as exc:
            raise HTTPException(503, f"nothing deployed yet: {exc}") from None
        except Exception as exc:  # node down while looking up the chain id
            raise HTTPException(503, f"chain unavailable: {type(exc).__name__}") from None
        return JSONResponse(config, headers={"Cache-Control": "no-cache"})

    if (Path(settings.web_build_dir) / "index.html").is_file():
        # Low priority: a path an API route serves with other methods stays 405 (with Allow), not the page's 404.
        app.frontend("/", directory=settings.web_build_dir, fallback=None)
    else:

        @app.get("/", include_in_schema=False)
        def not_built() -> HTMLResponse:
            return HTMLResponse(NOT_BUILT, status_code=503)
