"""bench/report.py, the generator of docs/performance.md: the committed page is what it makes of the committed
results (docs/performance-results.json), and a run's figures reach the page only through them."""
import copy
import json
import re

from bench import report


def stored() -> dict:
    return json.loads(report.RESULTS.read_text())


def test_the_committed_page_is_generated_from_the_committed_results():
    assert report.render(stored()) == report.REPORT.read_text()


def test_the_results_record_the_tools_and_each_backfills_own_peak_memory():
    results = stored()
    assert set(results["tools"]) == {"ganache", "python", "sqlite", "postgresql", "web3", "sqlalchemy", "uvicorn"}
    assert all(re.match(r"\d+\.\d+", version) for version in results["tools"].values()), results["tools"]  # as reported
    assert all(run["peak_rss_mb"] > 0 for run in results["backfill"].values())


def test_targets_are_judged_on_the_stored_figures():
    results = stored()
    results["backfill"]["sqlite"]["events_per_s"] = results["ceiling"]["events_per_s"] * (report.CEILING_TARGET + 0.01)
    results["recipe"]["events_per_s"] = results["backfill"]["sqlite"]["events_per_s"] / (report.RECIPE_TARGET + 0.1)
    results["latency"]["chain_p50_ms"] = results["latency"]["api_p50_ms"] * (report.PROFILE_TARGET + 1)
    results["lag"] = [report.LAG_POLLS * results["poll"]]  # at the limit: met
    page = report.render(results)
    assert page.count("| met |") == 4 and "**missed**" not in page and "Every target is met." in page
    results["lag"] = [report.LAG_POLLS * results["poll"] + 0.01]
    page = report.render(results)
    assert page.count("| met |") == 3 and page.count("| **missed** |") == 1 and "Every target is met." not in page
    assert f"- **{report.TARGET_NAMES['lag']}** — missed in this run." in page


def test_no_figure_of_a_run_is_typed_into_the_prose():
    """The measured figures scaled by seven: none of the stored run's own is left on the page."""
    results = stored()
    scaled = copy.deepcopy(results)
    for run in [scaled["backfill"]["sqlite"], scaled["backfill"].get("postgres", {}), scaled["ceiling"], scaled["recipe"]]:
        for key in ("events_per_s", "seconds", "peak_rss_mb"):
            if run.get(key) is not None:
                run[key] *= 7
    scaled["latency"] = {k: v * 7 for k, v in results["latency"].items() if k != "samples"} | {"samples": results["latency"]["samples"]}
    scaled["concurrent"] |= {k: results["concurrent"][k] * 7 for k in ("p50_ms", "p99_ms", "rps")}
    scaled["lag"] = [lag * 7 for lag in results["lag"]]
    before, after = report.render(results), report.render(scaled)
    measured = [  # each figure with its unit, as the table shows it
        ("Backfill, indexer on SQLite", r"([\d,]+ events/s)"), ("Raw ceiling", r"([\d,]+ events/s)"),
        ("EventScanner recipe", r"([\d,]+ events/s)"), ("Member profile p50", r"([\d.]+ ms) vs ([\d.]+ ms)"),
        ("concurrent clients", r"p50 ([\d.]+ ms), p99 ([\d.]+ ms), ([\d,]+ req/s)"),
        ("Block-to-API lag", r"p50 ([\d.]+ s), max ([\d.]+ s)"), ("Peak RSS", r"SQLite (\d+ MB)"),
    ]
    for row, pattern in measured:
        old = re.search(pattern, next(line for line in before.splitlines() if row in line)).groups()
        assert not [figure for figure in old if re.search(rf"(?<![\d,.]){re.escape(figure)}", after)], (row, old)
