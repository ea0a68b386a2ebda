"""The query API (FastAPI): routers per resource in routers/, response schemas in schemas.py."""
