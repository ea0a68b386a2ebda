"""Slither over the project's own contracts, compiled by the solcjs adapter: `make lint` runs it.

    .venv-slither/bin/python tools/slither.py [extra slither flags, e.g. --print human-summary]

(`make lint` makes that venv, apart from .venv and eth-brownie's exact pins; see docs/slither.md).

Why this script exists: crytic-compile's solc platform calls `solc --combined-json`, which the adapter
(tools/solc-v<version>) does not support, and its `--solc-standard-json` mode only takes a folder's top-level
*.sol files (ours sit in subfolders). So this writes a solc standard-json input itself, with the compiler settings
of brownie-config.yaml (version, EVM, optimizer, remappings) and every contract under contracts/ but mocks/, and
hands it to Slither as a `solc-json` target compiled by the adapter.

It fails (non-zero) when Slither reports a High or Medium finding that no `// slither-disable-next-line
<detector>` comment suppresses, when such a comment no longer suppresses anything, or when compiling fails.
Low, informational and optimization findings are printed only. Reported are findings with at least one element
in our contracts: one that also names OpenZeppelin code stays (Slither's --filter-paths would drop it).
"""
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "build" / "slither"
EXCLUDED = ("mocks",)  # contracts/ folders that never ship in a deployment
IMPACTS = ("High", "Medium", "Low", "Informational", "Optimization")


def standard_json_input(config: dict, contracts: Path, bytecode: bool) -> dict:
    compiler = config["compiler"]
    solc = compiler["solc"]
    sources = sorted(
        path.relative_to(ROOT).as_posix()
        for path in contracts.rglob("*.sol")
        if path.relative_to(contracts).parts[0] not in EXCLUDED
    )
    return {
        "language": "Solidity",
        "sources": {source: {"urls": [source]} for source in sources},
        "settings": {
            "evmVersion": compiler["evm_version"],
            "optimizer": solc["optimizer"],
            "remappings": solc["remappings"],
            # Slither's detectors read the ASTs only; generating bytecode would take solcjs 3/4 of the compile
            # (same findings either way). Printers such as `evm` need it: a run with extra flags asks for it.
            "outputSelection": {
                "*": {
                    **({"*": ["abi", "metadata", "devdoc", "userdoc", "evm.bytecode", "evm.deployedBytecode"]}
                       if bytecode else {}),
                    "": ["ast"],
                }
            },
        },
    }


def main() -> int:
    config = yaml.safe_load((ROOT / "brownie-config.yaml").read_text())
    contracts = ROOT / config["project_structure"]["contracts"]
    solc = ROOT / "tools" / f"solc-v{config['compiler']['solc']['version']}"
    OUT.mkdir(parents=True, exist_ok=True)
    target = OUT / "input.json"
    target.write_text(json.dumps(standard_json_input(config, contracts, bytecode=bool(sys.argv[1:])), indent=1))
    results = OUT / "results.json"
    results.unlink(missing_ok=True)

    # Slither drops a result when any of its elements matches --filter-paths; --include-paths keeps it when any
    # element is in our contracts. Anchored at this clone, so no folder above it can match.
    ours = "^" + re.escape(contracts.as_posix()) + "/(?!(" + "|".join(EXCLUDED) + ")/)"
    command = [
        str(Path(sys.executable).parent / "slither"),
        target.relative_to(ROOT).as_posix(),
        "--compile-force-framework", "solc-json",
        "--solc", solc.relative_to(ROOT).as_posix(),
        "--include-paths", ours,
        # solc's warnings are Brownie's to print (today: shadowing, which Slither reports as shadowing-local)
        "--solc-disable-warnings",
        "--fail-medium",
        "--warn-unused-ignores",
        "--json", results.relative_to(ROOT).as_posix(),
        *sys.argv[1:],
    ]
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as run:
        for line in run.stdout:
            # --warn-unused-ignores also lists OpenZeppelin's own comments (their findings are not reported here)
            if not ("Unused slither-disable" in line and f"{ROOT}/node_modules/" in line):
                print(line, end="", flush=True)
    status = run.returncode
    report = json.loads(results.read_text()) if results.exists() else {}
    if not report.get("success"):  # it did not compile, or Slither failed: its error is printed above
        return status or 1
    if sys.argv[1:]:  # a run by hand with other detectors or printers: Slither's own verdict
        return status

    detectors = report.get("results", {}).get("detectors", [])
    unused = sorted({  # ours only: OpenZeppelin's own comments name detectors for findings in its code
        (Path(entry["file"]).relative_to(ROOT).as_posix(), entry["line"], ",".join(entry["unused_detectors"]))
        for result in detectors if result["check"] == "unused-ignore-directive"
        for entry in result["unused_ignores"] if re.match(ours, Path(entry["file"]).as_posix())
    })
    counts = Counter(result["impact"] for result in detectors if result["check"] != "unused-ignore-directive")
    print("slither: " + ", ".join(f"{counts[impact]} {impact.lower()}" for impact in IMPACTS)
          + " (High and Medium fail; see docs/slither.md)")
    if unused:
        print("slither: a slither-disable comment suppresses nothing any more; remove it and its row in "
              "docs/slither.md:")
        for file, line, names in unused:
            print(f"  {file}#{line}: {names}")
        return status or 1
    return status


if __name__ == "__main__":
    sys.exit(main())
