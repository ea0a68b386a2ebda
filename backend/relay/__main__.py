"""Serve the relay on its own until the API includes its router:

    python -m backend.relay [--host 127.0.0.1] [--port 8000]

Settings come from ODYSSEY_RELAY_* variables (see backend/relay/settings.py and docs/relay.md).
"""
import argparse

import uvicorn
from fastapi import FastAPI

from backend.relay.router import router


def create_app() -> FastAPI:
    app = FastAPI(title="Odyssey relay")
    app.include_router(router)
    return app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m backend.relay", description="Odyssey's gasless relay")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    uvicorn.run(create_app(), host=args.host, port=args.port)


if __name__ == "__main__":
    main()
