"""Named faults of the backend and its test driver, hand-written: each is applied to a scratch copy of the project and
the tests it names must fail on it. They are the faults issue 15 names (a reordered claim-method enum, a handler that
drops transfer rows, a relay allowlist that accepts one more function, a swallowed vote revert) and a few of their
kin; mutmut (make mutate-backend) covers the rest of the handlers, the governance and level rules and the relay.

    .venv/bin/python tools/mutate_backend.py            # every fault (make mutate-backend runs this, then mutmut)
    .venv/bin/python tools/mutate_backend.py transfer   # the faults whose name contains "transfer"
    .venv/bin/python tools/mutate_backend.py --mutmut .venv-mutmut/bin/mutmut [NAME ...]  # mutmut run, on kept chains
    .venv/bin/python tools/mutate_backend.py --score .venv-mutmut/bin/mutmut   # mutmut's last run, per package

A fault is killed when its tests fail; the command fails if one survives. The suites run on their networks moved by
ODYSSEY_TEST_PORT_OFFSET, as `make test-backend` does: not alongside it with the same offset.
"""
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from mutate_contracts import Mutant, run

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.support.kept_chains import BROKEN, KEPT_CHAINS_VARIABLE, kept_chains  # noqa: E402

# The replay of the recorded chain (no chain, a second) and the differential test (a live chain, compared row by row).
MIRROR_TESTS = "tests/backend/test_recorded_workload.py::test_replayed_events_give_the_recorded_mirror " \
               "tests/backend/test_differential.py::test_api_equals_contract_views_after_random_workload"

MUTANTS = [
    Mutant(
        "claim-methods-reordered", "backend/chain/protocol.py",
        "    ALLOWLIST = 1\n    AIRDROP = 2\n",
        "    ALLOWLIST = 2\n    AIRDROP = 1\n",
        "a claim row names the method the contract emitted",
        MIRROR_TESTS,
    ),
    Mutant(
        "batch-transfer-rows-dropped", "backend/indexer/handlers/stamps.py",
        "    db.record(\n        models.Transfer,",
        "    if position == 0:\n      db.record(\n        models.Transfer,",
        "every id of a TransferBatch is a transfer row",
        MIRROR_TESTS,
    ),
    Mutant(
        "mint-transfer-rows-dropped", "backend/indexer/handlers/stamps.py",
        "    db.record(\n        models.Transfer,",
        "    if sender != ZERO:\n      db.record(\n        models.Transfer,",
        "a mint is a transfer row from the zero address",
        MIRROR_TESTS,
    ),
    Mutant(
        "relay-allowlist-one-more", "backend/relay/allowlist.py",
        '"OdysseyStamps": ["join()", "delegate(address)"],',
        '"OdysseyStamps": ["join()", "delegate(address)", "safeTransferFrom(address,address,uint256,uint256,bytes)"],',
        "the relayer pays for exactly the functions of the allowlist",
        "tests/relay/test_relay.py::test_info_names_the_relayer_and_the_allowlist",
    ),
    Mutant(
        "vote-revert-swallowed", "backend/dev/chain.py",
        "        return self.send(index, self.governor.functions.castVoteWithReason(proposal_id, support, reason))",
        "        with self.tolerating_reverts():  # the vote goes to a proposal that does not exist, and nobody notices\n"
        "            return self.send(index, self.governor.functions.castVoteWithReason(proposal_id + 1, support, reason))",
        "a scenario's votes land, and its tests check the tallies they rely on",
        "tests/backend/test_governance.py::test_missed_quorum_is_defeated_and_a_pending_proposal_can_be_canceled",
    ),
    Mutant(
        "send-swallows-reverts", "backend/dev/chain.py",
        "        if self._tolerant:\n            return None\n",
        "        return None\n",
        "a scripted step the contracts refuse fails its test, with the decoded error",
        "tests/backend/test_chain_driver.py",
    ),
]


def killed(folder, mutant: Mutant) -> tuple[bool, str]:
    """Run the mutant's tests (`first`: test ids, space-separated; every one, to show each that catches it) on SQLite
    in the scratch copy; (whether a test failed, the first failing test of each module)."""
    python = folder / ".venv" / "bin" / "python"
    env = {**os.environ, "ODYSSEY_TEST_DBS": "sqlite", "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run(
        [str(python), "-m", "pytest", "-p", "no:pytest-brownie", *mutant.first.split(), "-q", "-rfE", "-p", "no:warnings"],
        cwd=folder, env=env, capture_output=True, text=True,
    )
    failed = [line.split()[1] for line in result.stdout.splitlines() if line.startswith("FAILED")]
    if result.returncode not in (0, 1) or any(line.startswith("ERROR") for line in result.stdout.splitlines()):
        # not a test failing: pytest could not start, or a fixture broke (a Ganache port taken...): no verdict
        raise SystemExit(f"error: mutant {mutant.name}: pytest exited with {result.returncode}\n{result.stdout[-3000:]}")
    if failed:
        first = {}
        for test in failed:
            first.setdefault(test.split("::")[0], test)
        return True, "; ".join(first.values())
    return False, "every test passed"


# mutmut's children at once, each holding a chain of the pool for its session: the machine's two cores.
CHILDREN = 2


def run_mutmut(mutmut: str, names: list[str]) -> int:
    """`mutmut run` (of the mutants `names`, or all) with the relay suite's chains kept: started and deployed once,
    each mutant's session taking one reverted to its deployment (tests/support/kept_chains.py); mutmut's exit
    status, or 1 if the pool broke."""
    with tempfile.TemporaryDirectory(prefix="kept-chains-") as folder, kept_chains(Path(folder), CHILDREN, "load"):
        env = {**os.environ, KEPT_CHAINS_VARIABLE: folder, "ODYSSEY_TEST_DBS": "sqlite"}
        status = subprocess.run([mutmut, "run", "--max-children", str(CHILDREN), *names], env=env).returncode
        broken = Path(folder) / BROKEN
        if broken.exists():
            print(f"error: a kept chain lost its snapshot ({broken.read_text().strip()}): run again", file=sys.stderr)
            return 1
    return status


PACKAGES = ("backend.indexer.handlers", "backend.chain.views", "backend.relay")


def score(mutmut: str) -> int:
    """Print mutmut's last run per package: killed of all mutants (a mutant no fast test reaches counts as
    surviving), then every mutant not killed; 0."""
    listed = subprocess.run([mutmut, "results", "--all", "true"], capture_output=True, text=True, check=True).stdout
    outcomes = {name: status for name, status in re.findall(r"^\s*(\S+): (.+?)\s*$", listed, re.M)}
    for package in PACKAGES:
        found = Counter(status for name, status in outcomes.items() if name.startswith(package + "."))
        total = sum(found.values())
        print(f"{package}: {found['killed'] + found['timeout']} of {total} killed "
              f"({100 * (found['killed'] + found['timeout']) / max(total, 1):.1f} %); {dict(found)}")
    for name, status in sorted(outcomes.items()):
        if status not in ("killed", "timeout"):
            print(f"  {status}: {name}")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--score"]:
        sys.exit(score(sys.argv[2]))
    if sys.argv[1:2] == ["--mutmut"]:
        sys.exit(run_mutmut(sys.argv[2], sys.argv[3:]))
    # Brownie's compiled contracts (build/, untracked) are copied: the deploy script would compile them again.
    sys.exit(run(MUTANTS, killed, sys.argv[1:], copied=("build",)))
