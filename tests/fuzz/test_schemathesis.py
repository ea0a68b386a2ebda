"""Schemathesis against the running API's own OpenAPI schema: generated requests (valid and invalid, every
operation) get no 5xx, and every response conforms to the schema (status, content type, headers, body)."""
import os
import re
import subprocess

CHECKS = ",".join([
    "not_a_server_error", "status_code_conformance", "content_type_conformance", "response_headers_conformance",
    "response_schema_conformance", "negative_data_rejection", "missing_required_header", "unsupported_method",
])
# Generated cases per operation (43 operations; the coverage phase adds its own on top).
MAX_EXAMPLES = 100
MIN_CASES = 1000


def test_the_api_keeps_its_schema_under_generated_requests(api_url, tmp_path):
    result = subprocess.run(
        [os.environ.get("ODYSSEY_SCHEMATHESIS", "st"), "run", f"{api_url}/openapi.json", "--checks", CHECKS,
         "--max-examples", str(MAX_EXAMPLES), "--seed", "20261125", "--workers", "2", "--no-color",
         "--request-timeout", "10", "--generation-database", "none"],
        capture_output=True, text=True, timeout=600, cwd=tmp_path,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-20000:]
    generated = re.search(r"(\d+) generated", output)
    assert generated and int(generated.group(1)) >= MIN_CASES, output[-3000:]
