"""scripts/gas_report.py's page from stored figures (its `render` step; the measuring run takes ten minutes): the
committed docs/gas.md is what it makes of the committed docs/gas-results.json, and every figure of a run reaches
the page only through the results file."""
import copy
import json
import re

from scripts import gas_report


def stored() -> dict:
    return json.loads(gas_report.RESULTS.read_text())


def rendered(results: dict, tmp_path) -> str:
    source, page = tmp_path / "gas-results.json", tmp_path / "gas.md"
    source.write_text(json.dumps(results))
    gas_report.render(source, page)
    return page.read_text()


def test_the_committed_report_is_generated_from_the_committed_results(tmp_path):
    assert rendered(stored(), tmp_path) == gas_report.REPORT.read_text()


def test_the_page_shows_this_runs_figures_and_the_change_since_the_last(tmp_path):
    results = stored()
    current = results["current"]
    rows, base = current["rows"], current["rows"]["bare_mint"]
    results["previous"] = copy.deepcopy(current)
    results["previous"]["rows"]["claim_returning"] -= 500
    page = rendered(results, tmp_path)

    for key, label in gas_report.LABELS:
        assert f"| {label} | {rows[key]:,.0f} | {rows[key] / base:.2f} |" in page, key
    assert f"| {rows['claim_returning']:,.0f} | {rows['claim_returning'] / base:.2f} | +500 (+{500 / (rows['claim_returning'] - 500):.1%}) |" in page
    assert f"| {rows['purchase']:,.0f} | {rows['purchase'] / base:.2f} | 0 |" in page
    for name, size in current["sizes"].items():
        assert f"{name} {size:,} bytes ({gas_report.SIZE_LIMIT - size:,} to spare, +0 since the previous run)" in page
    tools = current["tools"]
    assert f"(solc {tools['solc']}, optimizer 200 runs, EVM shanghai, OpenZeppelin {tools['openzeppelin']}, Ganache {tools['ganache']})" in page
    for label, gas, _note in current["governance"] + current["drops"]:
        assert f"| {label} | {gas:,} |" in page, label


def test_targets_are_judged_on_the_stored_ratios(tmp_path):
    results = stored()
    rows = results["current"]["rows"]
    for key, target in gas_report.TARGETS.items():
        rows[key] = int(rows["bare_mint"] * target) - 1  # just within the target
    page = rendered(results, tmp_path)
    assert "All targets are met." in page and "### Missed" not in page
    rows["airdrop_new"] = int(rows["bare_mint"] * gas_report.TARGETS["airdrop_new"]) + 1
    page = rendered(results, tmp_path)
    assert "All targets are met." not in page
    assert re.findall(r"^### Missed: (.*) — ", page, re.M) == [dict(gas_report.LABELS)["airdrop_new"]]


def test_no_figure_of_a_run_is_typed_into_the_prose(tmp_path):
    """Every measured figure scaled by seven, no previous run: none of the stored run's own figures is left (the
    ratios stay: scaling keeps them)."""
    results = stored()
    current = results["current"]
    figures = {f"{v:,.0f}" for v in current["rows"].values()} | {f"{v:,}" for v in current["sizes"].values()}
    figures |= {f"{gas:,}" for _label, gas, _note in current["governance"] + current["drops"]}
    current["rows"] = {k: v * 7 for k, v in current["rows"].items()}
    current["sizes"] = {k: v * 7 for k, v in current["sizes"].items()}
    current["governance"] = [[label, gas * 7, note] for label, gas, note in current["governance"]]
    current["drops"] = [[label, gas * 7, note] for label, gas, note in current["drops"]]
    page = rendered({"current": current, "previous": None}, tmp_path)
    numbers = set(re.findall(r"(?<![\d.,])\d[\d,]*(?:\.\d+)?", page))
    assert not figures & numbers, sorted(figures & numbers)
