"""Hand-written mutation testing of the contracts: each mutant is applied to a scratch copy of the project, and the
contract and script suites (`make test-contracts`) must fail on it. A mutant that survives is a rule no test holds.

    .venv/bin/python tools/mutate_contracts.py            # every mutant (make mutate-contracts)
    .venv/bin/python tools/mutate_contracts.py soulbound  # the mutants whose name contains "soulbound"

Each mutant names the test module that should kill it; that module runs first, with `-x`, and only if it passes do
the whole suites run (a mutant is killed by any failing test, and survives only if every test passes). The scratch
copy holds the tracked files of this working tree and links node_modules, .venv and .solcx. It runs on the contract
suite's network, moved by ODYSSEY_TEST_PORT_OFFSET as `make test-contracts` is: not alongside it with the same offset.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from backend.dev.networks import suite_network

ROOT = Path(__file__).resolve().parent.parent
LINKED = ("node_modules", ".venv", ".solcx")


@dataclass(frozen=True)
class Mutant:
    name: str
    path: str
    original: str
    mutated: str
    why: str  # the rule it breaks
    first: str  # the tests expected to kill it (contracts: a module, run before the whole suites)


MUTANTS = [
    Mutant(
        "soulbound-check-dropped", "contracts/stamps/OdysseyStamps.sol",
        "if (stamp.soulbound && from != address(0)) revert OdysseySoulbound(ids[i]);",
        "",
        "soulbound stamps never move", "tests/contracts/test_transfers.py",
    ),
    Mutant(
        "supply-cap-skipped", "contracts/stamps/OdysseyStamps.sol",
        "if (stamp.maxSupply != 0 && minted > stamp.maxSupply) revert OdysseySoldOut(stampId, stamp.maxSupply);",
        "",
        "no stamp type past its supply cap", "tests/contracts/test_airdrop.py",
    ),
    Mutant(
        "claim-methods-swapped", "contracts/interfaces/IOdysseyStamps.sol",
        "        Allowlist,\n        Airdrop,",
        "        Airdrop,\n        Allowlist,",
        "StampClaimed records how a stamp was issued", "tests/contracts/test_allowlist.py",
    ),
    Mutant(
        "voucher-nonce-not-spent", "contracts/stamps/OdysseyStamps.sol",
        "_usedVoucherNonces[nonce >> 8] = bits | bit;",
        "_usedVoucherNonces[nonce >> 8] = bits;",
        "a voucher claims once", "tests/contracts/test_voucher_claims.py",
    ),
    Mutant(
        "abstain-counted-as-for", "contracts/governance/GovernorCountingMultipleChoice.sol",
        "proposalVote.abstainVotes += weight;",
        "proposalVote.forVotes += weight;",
        "Abstain counts toward quorum, never for the proposal", "tests/contracts/governance/test_governor.py",
    ),
    Mutant(
        "issuance-budget-unchecked", "contracts/stamps/OdysseyStamps.sol",
        "if (points > available) revert OdysseyIssuanceBudgetExceeded(points, available);\n"
        "        // Only the two fields that change are written (a whole struct would be written field by field).\n"
        "        stored.available = (available - points).toUint80();",
        "stored.available = (available > points ? available - points : 0).toUint80();",
        "every minted point draws from the DAO's budget", "tests/contracts/test_issuance_bounds.py",
    ),
    Mutant(
        "stamp-points-uncapped", "contracts/stamps/OdysseyStamps.sol",
        "if (points > cap) revert OdysseyPointsAboveCap(points, cap);",
        "",
        "no stamp type above the DAO's points cap", "tests/contracts/test_issuance_bounds.py",
    ),
    Mutant(
        "guardian-may-cancel-its-removal", "contracts/governance/OdysseyTimelock.sol",
        "if (_guardianRemovals[id] && !hasRole(PROPOSER_ROLE, _msgSender())) {",
        "if (false) {",
        "a guardian cannot block its own removal", "tests/contracts/governance/test_guardian.py",
    ),
    Mutant(
        "guardian-may-unpause", "contracts/stamps/OdysseyStamps.sol",
        "function unpause() external onlyRole(DEFAULT_ADMIN_ROLE) {",
        "function unpause() external onlyRole(PAUSER_ROLE) {",
        "only the DAO resumes issuance", "tests/contracts/test_pause.py",
    ),
    Mutant(
        "options-tag-not-reserved", "contracts/governance/GovernorCountingMultipleChoice.sol",
        "if (_hasOptionsTag(description)) revert GovernorOptionsTagReserved();",
        "",
        "a plain proposal cannot take a multiple-choice proposal's id",
        "tests/contracts/governance/test_multiple_choice.py",
    ),
    Mutant(
        "benefit-levels-now", "contracts/benefits/OdysseyBenefits.sol",
        "stamps.levelForPoints(stamps.getPastVotes(member, benefit.snapshot))",
        "stamps.levelOf(member)",
        "a benefit counts levels at its snapshot, not now", "tests/contracts/test_benefits.py",
    ),
    Mutant(
        "allowlist-claims-per-root", "contracts/stamps/OdysseyStamps.sol",
        "_allowlistClaimed[stampId][root];",
        "_allowlistClaimed[0][root];",
        "allowlist entries are claimed once per stamp type", "tests/contracts/test_allowlist.py",
    ),
    Mutant(
        "zero-value-transfer-joins", "contracts/stamps/OdysseyStamps.sol",
        "if (member.number == 0 && received) _join(to);",
        "if (member.number == 0) _join(to);",
        "nobody is made a member without receiving a stamp", "tests/contracts/test_membership.py",
    ),
]


def scratch_copy() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="odyssey-mutant-"))
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, tracked.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, folder / name)
    for name in LINKED:
        (folder / name).symlink_to(ROOT / name)
    return folder


def apply(folder: Path, mutant: Mutant) -> None:
    path = folder / mutant.path
    text = path.read_text()
    if text.count(mutant.original) != 1:
        raise SystemExit(f"error: mutant {mutant.name}: its original text is not in {mutant.path} exactly once")
    path.write_text(text.replace(mutant.original, mutant.mutated))


def killed(folder: Path, mutant: Mutant) -> tuple[bool, str]:
    """Run the mutant's first module, then (if it passes) the contract and script suites; (whether a test failed,
    the first failing test)."""
    env = {**os.environ, "SOLCX_BINARY_PATH": str(folder / ".solcx"),
           "PATH": f"{folder / 'node_modules' / '.bin'}:{folder / '.venv' / 'bin'}:{os.environ['PATH']}"}
    network = suite_network("contracts").name
    for paths in ([mutant.first], ["tests/contracts"]):
        result = subprocess.run(
            [str(folder / ".venv" / "bin" / "brownie"), "test", *paths, "--network", network, "-x", "-q",
             "-rfE", "-p", "no:warnings"],
            cwd=folder, env=env, capture_output=True, text=True,
        )
        if result.returncode != 0:
            failed = [line for line in result.stdout.splitlines() if line.startswith(("FAILED", "ERROR"))]
            return True, failed[0] if failed else f"exit status {result.returncode}"
    return False, "every test passed"


def run(mutants: list[Mutant], killed, argv: list[str], copied: tuple[str, ...] = ()) -> int:
    """Apply each mutant whose name contains a word of `argv` (every one without) to a scratch copy (with the
    untracked folders `copied` of this tree copied in) and ask `killed(folder, mutant)`; 1 if one survives."""
    chosen = [m for m in mutants if not argv or any(word in m.name for word in argv)]
    if not chosen:
        raise SystemExit(f"error: no mutant's name contains {' or '.join(argv)}")
    survivors = []
    for mutant in chosen:
        folder = scratch_copy()
        for name in copied:
            if (ROOT / name).is_dir():
                shutil.copytree(ROOT / name, folder / name, symlinks=True, dirs_exist_ok=True)
        try:
            apply(folder, mutant)
            started = time.monotonic()
            dead, evidence = killed(folder, mutant)
        finally:
            shutil.rmtree(folder)
        print(f"{'killed  ' if dead else 'SURVIVED'} {mutant.name} ({time.monotonic() - started:.0f} s): {evidence}")
        if not dead:
            survivors.append(mutant)
    print(f"{len(chosen) - len(survivors)} of {len(chosen)} mutants killed")
    for mutant in survivors:
        print(f"survivor: {mutant.name} — no test holds that {mutant.why}")
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(run(MUTANTS, killed, sys.argv[1:]))
