"""What production code may import: the API, the relay, the indexer and the CLI never load the development helpers
(backend.dev: the local chain, its keys) or Brownie."""
import subprocess
import sys

from backend.settings import ROOT

PRODUCTION = ("backend.api.main", "backend.api.__main__", "backend.relay.__main__", "backend.indexer.__main__", "backend.cli.main")


def test_production_code_never_imports_development_helpers():
    probe = (f"import sys, {', '.join(PRODUCTION)}; "
             "print(sorted(m for m in sys.modules if m.startswith(('backend.dev', 'brownie', 'tests'))))")
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
