"""The Brownie networks of the local chain: `make run`'s, and one per test suite, each on a Ganache of its own.

ODYSSEY_TEST_PORT_OFFSET moves every suite's Ganache (never `make run`'s) by that many ports, to share a machine
with someone running the same suites: a moved suite gets a network of its own, named after its port
(`odyssey-test-20545`), so Brownie deploys to that suite's Ganache and never to another's.

    python -m backend.dev.networks               # add the missing networks to ~/.brownie/network-config.yaml
    python -m backend.dev.networks contracts     # a suite's network name (what `make` passes to Brownie)
"""
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from backend.dev.ganache import SETTINGS

BROWNIE = Path(sys.executable).parent / "brownie"
NETWORK_CONFIG = Path.home() / ".brownie" / "network-config.yaml"
PORT_OFFSET_VARIABLE = "ODYSSEY_TEST_PORT_OFFSET"


@dataclass(frozen=True)
class Network:
    name: str
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


LOCAL = Network("odyssey-local", 8545)
# Suites that share a network run one after the other (make test-relay, then make test-cli).
SUITES = {
    "contracts": Network("odyssey-test", 18545),  # Brownie's own, and `make gas`
    "e2e": Network("odyssey-e2e", 18550),
    "backend": Network("odyssey-backend", 18603),  # and the benchmark
    "relay": Network("odyssey-web", 18604),
    "cli": Network("odyssey-web", 18604),
    "issuer": Network("odyssey-issuer", 18609),
    "web": Network("odyssey-page", 18605),
    "fuzz": Network("odyssey-fuzz", 18606),
}


def port_offset() -> int:
    value = os.environ.get(PORT_OFFSET_VARIABLE, "").strip() or "0"
    if not value.isdigit() or int(value) + max(n.port for n in SUITES.values()) > 65535:
        raise SystemExit(f"error: {PORT_OFFSET_VARIABLE} must be a whole number that keeps ports below 65536, not {value!r}")
    return int(value)


def suite_network(suite: str) -> Network:
    """The network (name and Ganache port) of test suite `suite`, moved by ODYSSEY_TEST_PORT_OFFSET."""
    base, offset = SUITES[suite], port_offset()
    if not offset:
        return base
    return Network(f"{base.name}-{base.port + offset}", base.port + offset)


def _registered() -> dict[str, dict]:
    """Brownie's development networks as its config file holds them, by name."""
    if not NETWORK_CONFIG.exists():
        return {}
    config = yaml.safe_load(NETWORK_CONFIG.read_text()) or {}
    return {n["id"]: n for n in config.get("development", [])}


def _settings(network: Network) -> dict:
    return {**SETTINGS, "port": network.port}


def register(networks: list[Network]) -> None:
    """Add each network Brownie does not know yet, and bring one whose Ganache settings differ up to date."""
    known = _registered()
    for network in dict.fromkeys(networks):
        wanted = _settings(network)
        entry = known.get(network.name)
        if entry is None:
            action = ["add", "Development", network.name, "cmd=ganache", "host=http://127.0.0.1"]
        elif {k: entry.get("cmd_settings", {}).get(k) for k in wanted} != wanted:
            action = ["modify", network.name]
        else:
            continue
        subprocess.run([str(BROWNIE), "networks", *action, *(f"{k}={v}" for k, v in wanted.items())],
                       check=True, stdout=subprocess.DEVNULL)


def main(argv: list[str]) -> None:
    if argv:
        if argv[0] not in SUITES:
            raise SystemExit(f"error: no test suite {argv[0]!r} (one of {', '.join(SUITES)})")
        print(suite_network(argv[0]).name)
        return
    register([LOCAL, *(suite_network(suite) for suite in SUITES)])


if __name__ == "__main__":
    main(sys.argv[1:])
