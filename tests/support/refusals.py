"""A refusal code is a promise to clients (the page and the CLI word it): the check both services' tables of codes
(backend/issuer/refusals.py, backend/relay/refusals.py) are held to."""
from pathlib import Path

from backend.settings import ROOT


def assert_codes_kept(refusals: dict[str, tuple[int, str]], package: Path, doc: Path, *, asserted_by: Path | None = None,
                      openapi: str | None = None) -> None:
    """Every code of `refusals` is raised in `package` (outside its refusals.py), listed with its status in `doc`'s
    table, and, when given, asserted by a test module of `asserted_by` and named in the `openapi` text."""
    raised = "\n".join(p.read_text() for p in (ROOT / package).glob("*.py") if p.name != "refusals.py")
    documented = (ROOT / doc).read_text()
    asserted = "\n".join(p.read_text() for p in asserted_by.glob("test_*.py")) if asserted_by else None
    for code, (status, _when) in refusals.items():
        assert f'"{code}"' in raised, f"{code} is never raised"
        assert f"| `{code}` | {status} |" in documented, f"{doc} does not list {code}"
        assert asserted is None or f'"{code}"' in asserted, f"no test asserts {code}"
        assert openapi is None or f"`{code}`" in openapi, f"the OpenAPI does not name {code}"
