"""`brownie run` for the project's own callers (tests, `make run`): runs `scripts/<name>.py`'s function on a
Brownie network with the project loaded, as `brownie run scripts/<name>.py <function> --network <network>` does.

    .venv/bin/python tools/brownie_run.py <network> <script name> [function] [args...]

Why not `brownie run` itself: Brownie 1.22 imports the script under a module name made of its absolute path's
folders, which fails ("No module named 'tmp.tmp'") when a folder above the project has a dot in its name, as
`mktemp -d` folders do. Here the script is imported as the `scripts` package it is.
"""
import importlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    network_name, script, function, *args = sys.argv[1:3] + (sys.argv[3:] or ["main"])
    from brownie import network, project

    active = project.load(ROOT)
    active.load_config()
    active._add_to_main_namespace()  # `from brownie import OdysseyStamps`, as `brownie run` allows
    network.connect(network_name)
    sys.path.insert(0, str(ROOT))
    getattr(importlib.import_module(f"scripts.{Path(script).stem}"), function)(*args)


if __name__ == "__main__":
    main()
