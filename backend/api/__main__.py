"""Serve the API (query routes, relay, member page):

    python -m backend.api [--host 127.0.0.1] [--port 8000] [--workers N] [--log-level info]

uvicorn with its own proxy-header handling off: it would take the client's address from X-Forwarded-For whenever the
peer is 127.0.0.1, so any local client could name itself anyone and slip the per-IP limits. The API decides from
ODYSSEY_TRUSTED_PROXIES instead (backend/api/middleware.py). Other settings: backend/settings.py.
"""
import argparse

import uvicorn


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m backend.api", description="Odyssey's API, relay and member page")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--log-level", default="info")
    args = parser.parse_args(argv)
    uvicorn.run("backend.api.main:create_app", factory=True, host=args.host, port=args.port, workers=args.workers,
                log_level=args.log_level, proxy_headers=False)


if __name__ == "__main__":
    main()
