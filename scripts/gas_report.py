"""Gas report: what members and ops pay, against a bare OpenZeppelin ERC-1155 mint; writes docs/gas.md and the
figures behind it, docs/gas-results.json.

    brownie run scripts/gas_report.py --network odyssey-test           # measure, then write both
    brownie run scripts/gas_report.py render --network odyssey-test    # write docs/gas.md from the stored figures

Deploys everything fresh on the connected (local) chain, including the test-only baseline
`contracts/mocks/BareERC1155.sol`, compiled in the same run with the same settings. Every figure is the
`gasUsed` of a real transaction receipt (21,000 intrinsic gas included); a figure over several transactions is
their median. Ganache mines one block per transaction, so every transaction writes fresh vote checkpoints (the
worst case for a busy chain, where transactions in the same block share the total-supply checkpoint).

The governance section comes from `scripts/gas_governance.py` and the drops section from `scripts/gas_drops.py`,
measured in the same run. The results file keeps this run's figures and the previous run's; the report compares
them, so a change shows with its size, and prose carries no figure of its own.
"""
import datetime
import json
import secrets
import statistics
import subprocess
from pathlib import Path

from brownie import BareERC1155, OdysseyForwarder, OdysseyShop, OdysseyStamps, accounts, web3

from backend.dev.keys import local_account
from backend.chain.merkle import allowlist_tree
from backend.chain.protocol import domain_from_eip712, sign_voucher
from scripts.lib.common import setup_network
from scripts.gas_drops import rows as drop_rows
from scripts.gas_governance import rows as governance_rows

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "docs" / "gas.md"
RESULTS = ROOT / "docs" / "gas-results.json"
SIZE_LIMIT = 24_576
AIRDROP_BATCH = 50
ALLOWLIST_SIZE = 1_000
SAMPLES = 5

FRESH_SLOT = 22_100  # gas of a zero-to-nonzero SSTORE to a cold slot (EIP-2929)
LENGTH_SLOT = 20_000  # about: a zero-to-nonzero SSTORE to a slot already read (EIP-2200)
CHECKPOINT_STREAM = 8_500  # about: half a fresh checkpoint slot per block, on average, with two checkpoints a slot
STAMP_CLAIMED_EVENT = 2_400  # about: LOG3 with two words of data, and its memory

# (row key, target ratio vs. the bare mint)
TARGETS = {"claim_returning": 2.0, "claim_first": 3.0, "airdrop_new": 0.8}


def _gas(tx) -> int:
    return int(tx.gas_used)


def _fresh(n):
    return [accounts.add("0x" + secrets.token_hex(32)) for _ in range(n)]


def measure() -> dict:
    deployer, issuer, ops, relayer = accounts[0], accounts[1], accounts[2], accounts[3]
    buyers = list(accounts[4:9])
    tx = {"from": deployer}

    bare = BareERC1155.deploy(tx)
    forwarder = OdysseyForwarder.deploy(tx)
    stamps = OdysseyStamps.deploy("http://127.0.0.1:8000/metadata/{id}.json", deployer, deployer, 500, forwarder, tx)
    shop = OdysseyShop.deploy(stamps, deployer, forwarder, tx)
    # The live profile's issuance bounds, with a floor no measurement here reaches: every mint draws from the budget
    # as on a live chain, none is refused.
    stamps.setIssuanceBounds(200, 500, 10**9, 7 * 86400, tx)
    stamps.grantRole(stamps.ISSUER_ROLE(), issuer, tx)
    stamps.grantRole(stamps.JOURNEY_MANAGER_ROLE(), ops, tx)
    stamps.grantRole(stamps.MINTER_ROLE(), shop, tx)
    shop.grantRole(shop.SHOP_MANAGER_ROLE(), ops, tx)
    stamps.setLevelThresholds([10, 50, 150, 400, 1000], tx)
    o = {"from": ops}
    stamps.createJourney(1, "Gas", "ipfs://gas", 0, 0, o)
    # Earned soulbound types with a supply cap (the common case), a collectible and a limited edition.
    for stamp_id in (1, 2, 3, 4, 5, 6, 7, 8):
        stamps.createStampType(stamp_id, 1, f"Earned {stamp_id}", 10, True, 100_000, o)
    stamps.createStampType(20, 1, "Collectible", 25, False, 0, o)
    stamps.createStampType(30, 1, "Edition", 40, False, 1_000, o)
    shop.setListing(30, 10**16, 5, o)
    for stamp_id in (40, 41):
        stamps.createStampType(stamp_id, 1, f"Airdrop {stamp_id}", 10, True, 0, o)
    stamps.createStampType(50, 1, "Allowlist", 10, True, 0, o)

    domain = domain_from_eip712(stamps.eip712Domain())
    issuer_key = local_account(1).key
    deadline = web3.eth.get_block("latest")["timestamp"] + 10**6
    nonce = iter(range(1, 10**6))

    def claim(member, stamp_id):
        v = sign_voucher(issuer_key, domain, str(member), stamp_id, next(nonce), deadline)
        return _gas(stamps.claim(*v.claim_args(), {"from": relayer}))

    rows = {}

    # Baseline: a bare OZ ERC-1155 _mint of one token to an address that holds none (a fresh balance slot).
    bare.mint(deployer, 1, 1, tx)  # warm the contract's code path once; not counted
    rows["bare_mint"] = statistics.median(_gas(bare.mint(a, 1, 1, tx)) for a in _fresh(SAMPLES))

    # Warm-up claim so the first nonce word and the total-supply checkpoint array exist (as on any live chain).
    claim(_fresh(1)[0], 1)

    newcomers = _fresh(SAMPLES)
    rows["claim_first"] = statistics.median(claim(m, 1) for m in newcomers)
    rows["claim_returning"] = statistics.median(claim(m, 2) for m in newcomers)

    tree = allowlist_tree([str(a) for a in _fresh(ALLOWLIST_SIZE - SAMPLES)] + [str(a) for a in _fresh(SAMPLES)])
    stamps.setAllowlistRoot(50, tree.root, o)
    listed = [(i, tree.values[i][1]) for i in range(ALLOWLIST_SIZE - SAMPLES, ALLOWLIST_SIZE)]
    rows["allowlist_first"] = statistics.median(
        _gas(stamps.claimAllowlisted(m, 50, i, tree.proof(i), {"from": relayer})) for i, m in listed
    )

    batch = _fresh(AIRDROP_BATCH)
    rows["airdrop_new_total"] = _gas(stamps.airdrop(40, batch, o))
    rows["airdrop_new"] = rows["airdrop_new_total"] / AIRDROP_BATCH
    rows["airdrop_members_total"] = _gas(stamps.airdrop(41, batch, o))
    rows["airdrop_members"] = rows["airdrop_members_total"] / AIRDROP_BATCH
    rows["airdrop_skip"] = _gas(stamps.airdrop(41, batch, o)) / AIRDROP_BATCH

    for b in buyers:
        stamps.join({"from": b})
    rows["purchase"] = statistics.median(
        _gas(shop.purchase(30, 1, {"from": b, "value": 10**16})) for b in buyers
    )

    # Collectible transfer between two members who already hold points (both have vote checkpoints).
    for b in buyers:
        shop.purchase(30, 1, {"from": b, "value": 10**16})
    rows["transfer"] = statistics.median(
        _gas(stamps.safeTransferFrom(buyers[i], buyers[(i + 1) % len(buyers)], 30, 1, "", {"from": buyers[i]}))
        for i in range(len(buyers))
    )
    rows["transfer_new_holder"] = _gas(
        stamps.safeTransferFrom(buyers[0], _fresh(1)[0], 30, 1, "", {"from": buyers[0]})
    )

    sizes = {name: len(web3.eth.get_code(c.address)) for name, c in (("OdysseyStamps", stamps), ("OdysseyShop", shop))}
    return rows, sizes


def tool_versions() -> dict:
    """The versions this run used, as the tools report them."""
    oz = json.loads((ROOT / "node_modules" / "@openzeppelin" / "contracts" / "package.json").read_text())["version"]
    client = web3.client_version  # e.g. "Ganache/v7.9.2/EthereumJS TestRPC/v7.9.2/ethereum-js"
    solc = OdysseyStamps._build["compiler"]["version"].split("+")[0]  # what compiled the contracts measured
    return {"solc": solc, "ganache": client.split("/")[1].lstrip("v"), "openzeppelin": oz}


def _commit() -> str:
    result = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return result.stdout.strip() or "unknown"


EXPLANATIONS = {
    "claim_returning": (
        "A returning member's claim writes, besides the new balance slot the bare mint writes too, two fresh "
        "storage slots for points-as-votes: a new checkpoint of the member's (self-)delegate and a new "
        "total-supply checkpoint (OZ `Votes` keeps one 32-byte `Checkpoint208` per block per account, each a "
        "zero-to-nonzero SSTORE of 22,100 gas when the block is new), plus updates of the member's points, the "
        "stamp's minted count and the voucher-nonce bitmap (about 5,000 each), the EIP-712 digest and `ecrecover` "
        "(about 6,000 with the 65-byte signature in calldata) and the `StampClaimed` and `DelegateVotesChanged` "
        "events. The two checkpoint slots alone are {checkpoints_gas:,} gas, {checkpoints_share} of this run's bare mint: "
        "checkpointed votes that follow every stamp cannot fit 2.0x of a plain mint."
    ),
    "claim_first": (
        "A first claim adds to the returning member's cost the member record (number, join time and points in one "
        "packed slot, zero to nonzero) and the first checkpoint of the member's own delegate, which OZ's "
        "`Checkpoints.Trace208` stores as a dynamic array: its length slot and its first element are both fresh "
        "slots. That is four zero-to-nonzero SSTOREs (about {four_slots_gas:,} gas) before the balance slot, against one in the "
        "bare mint, plus the `MemberJoined` and implicit `DelegateChanged` events."
    ),
    "airdrop_new": (
        "0.8x of a whole mint transaction per recipient ({airdrop_target_gas:,} gas in this run) is less than the "
        "storage a new member needs: four fresh slots (balance, member record, and the length and first element of "
        "their vote checkpoints) are {four_slots_gas:,} gas of SSTOREs alone, while the bare mint's one fresh slot "
        "and 21,000 intrinsic gas make most of the baseline. The batch already shares the intrinsic gas, the role and pause checks, the stamp type slot, "
        "the issuance budget's slot and the total-supply checkpoint (written once per block, then updated in "
        "place). For recipients who are already members the per-recipient cost falls (see 'airdrop to existing "
        "members'), still above the target because each needs a new checkpoint element for the new block."
    ),
}

LABELS = [
    ("bare_mint", "Baseline: bare OZ ERC-1155 `_mint`, one token to a new holder (`BareERC1155.mint`)"),
    ("claim_first", "Voucher claim, first-time member (incl. join and implicit self-delegation)"),
    ("claim_returning", "Voucher claim, returning member (new stamp type)"),
    ("allowlist_first", f"Allowlist claim, first-time member ({ALLOWLIST_SIZE:,}-entry list, 10-hash proof)"),
    ("airdrop_new", f"Airdrop per recipient, batch of {AIRDROP_BATCH} new members (total / {AIRDROP_BATCH})"),
    ("airdrop_members", f"Airdrop per recipient, batch of {AIRDROP_BATCH} existing members"),
    ("airdrop_skip", f"Airdrop per recipient, batch of {AIRDROP_BATCH} who all hold it (all skipped)"),
    ("purchase", "Purchase of one limited-edition stamp in the shop (member, exact payment)"),
    ("transfer", "Transfer of a collectible between two members who hold points"),
    ("transfer_new_holder", "Transfer of a collectible to a new holder (auto-join)"),
]


def _change(gas: float, before: float | None) -> str:
    if before is None:
        return "new"
    delta = gas - before
    return f"{delta:+,.0f} ({delta / before:+.1%})" if delta else "0"


def markdown(current: dict, previous: dict | None, before_bounds: dict | None = None) -> str:
    rows, sizes, gov, tools = current["rows"], current["sizes"], current["governance"], current["tools"]
    base = rows["bare_mint"]
    before = (previous or {}).get("rows", {})
    now = current["generated"]
    since = f"the run of {previous['generated']} (commit {previous['commit']})" if previous else "no earlier run"
    lines = [
        "# Gas report",
        "",
        f"Generated by `brownie run scripts/gas_report.py --network odyssey-test` on {now} "
        f"(solc {tools['solc']}, optimizer 200 runs, EVM shanghai, OpenZeppelin {tools['openzeppelin']}, Ganache "
        f"{tools['ganache']}); the figures are in `docs/gas-results.json`. Do not edit by hand: re-run the command.",
        "",
        "Every figure is a real receipt's `gasUsed` (21,000 intrinsic gas included); per-recipient airdrop "
        "figures are the batch total divided by the batch size. Ganache mines one block per transaction, so every "
        "transaction writes fresh vote checkpoints: on a busy chain, claims in the same block share the "
        "total-supply checkpoint and cost a little less. The baseline is `contracts/mocks/BareERC1155.sol`, "
        f"compiled in the same run. *Change* compares with {since}.",
        "",
        "| Operation | Gas | × bare mint | Change | Target | Met |",
        "|---|---:|---:|---:|---:|:---:|",
    ]
    # Prose estimates from the EVM's gas schedule, set against this run's figures.
    shares = {"checkpoints_gas": 2 * FRESH_SLOT, "checkpoints_share": f"{2 * FRESH_SLOT / base:.0%}",
              "event_gas": STAMP_CLAIMED_EVENT, "event_share": f"{STAMP_CLAIMED_EVENT / rows['claim_returning']:.1%}",
              "four_slots_gas": 4 * FRESH_SLOT, "airdrop_target_gas": round(TARGETS["airdrop_new"] * base),
              "length_slot_gas": LENGTH_SLOT, "checkpoint_stream_gas": CHECKPOINT_STREAM,
              "first_after": f"{(rows['claim_first'] - LENGTH_SLOT) / base:.2f}",
              "returning_after": f"{(rows['claim_returning'] - 2 * CHECKPOINT_STREAM) / base:.2f}"}
    missed = []
    for key, label in LABELS:
        gas = rows[key]
        ratio = gas / base
        target = TARGETS.get(key)
        met = "" if target is None else ("yes" if ratio <= target else "**no**")
        if target is not None and ratio > target:
            missed.append(key)
        lines.append(
            f"| {label} | {gas:,.0f} | {ratio:.2f} | {_change(gas, before.get(key))} | "
            f"{'' if target is None else f'≤ {target:.1f}'} | {met} |"
        )
    old_sizes = (previous or {}).get("sizes", {})
    lines += [
        "",
        f"Airdrop batch totals: {AIRDROP_BATCH} new members {rows['airdrop_new_total']:,} gas; "
        f"{AIRDROP_BATCH} existing members {rows['airdrop_members_total']:,} gas.",
        "",
        "Deployed sizes (EIP-170 limit 24,576 bytes): "
        + "; ".join(
            f"{name} {size:,} bytes ({SIZE_LIMIT - size:,} to spare"
            + (f", {size - old_sizes[name]:+,} since the previous run" if name in old_sizes else "")
            + ")"
            for name, size in sizes.items()
        )
        + ".",
        "",
        "## What the DAO's issuance bound costs",
        "",
        BOUND_NOTE,
        "",
        *_bound_cost(rows, before_bounds),
        "## Targets",
        "",
        "From the contracts-core issue: returning member's claim ≤ 2.0× the bare mint; first claim including join "
        "and self-delegation ≤ 3.0×; airdrop ≤ 0.8× per recipient.",
        "",
    ]
    if not missed:
        lines.append("All targets are met.")
    for key in missed:
        label = dict(LABELS)[key]
        lines += [f"### Missed: {label} — {rows[key] / base:.2f}× (target ≤ {TARGETS[key]:.1f}×)", "",
                  EXPLANATIONS[key].format(**shares), ""]
    lines += [line.format(**shares) for line in OPTIMISATIONS]
    old_drops = {label: gas for label, gas, _ in (previous or {}).get("drops", [])}
    lines += ["", "## Drops", "", DROPS_NOTE, "", "| Operation | Gas | Change | Note |", "|---|---:|---:|---|"]
    for label, gas, note in current.get("drops", []):
        lines.append(f"| {label} | {gas:,} | {_change(gas, old_drops.get(label))} | {note} |")
    old_gov = {label: gas for label, gas, _ in (previous or {}).get("governance", [])}
    lines += ["", "## Governance", "", GOVERNANCE_NOTE, "",
              "| Operation | Gas | × OZ baseline | Change | Note |", "|---|---:|---:|---:|---|"]
    baseline = {label.replace(" (OZ baseline)", ""): gas for label, gas, _ in gov if label.endswith("(OZ baseline)")}
    for label, gas, note in gov:
        same = baseline.get(label.replace(" (Odyssey)", "")) if label.endswith("(Odyssey)") else None
        lines.append(
            f"| {label} | {gas:,} | {f'{gas / same:.2f}' if same else ''} | {_change(gas, old_gov.get(label))} | {note} |"
        )
    return "\n".join(lines) + "\n"


BOUND_NOTE = (
    "Every mint, whatever its path, draws its points from the DAO's issuance budget "
    "(`OdysseyStamps._drawIssuance`, [security.md](security.md)). The budget and its bounds share one storage "
    "slot, read and written once per mint transaction: a cold read (2,100 gas) and a write to a non-zero slot "
    "(2,900), plus the refill arithmetic and the total points it is measured against (a read of the total-supply "
    "checkpoint that the vote bookkeeping makes anyway, so it moves rather than adds). An airdrop reads and "
    "writes the slot once per recipient, warm after the first."
)


def _bound_cost(rows: dict, before_bounds: dict | None) -> list[str]:
    """This run's mints against the kept record of the last run before the bounds (`before_bounds` in the results
    file, carried over by every run): what the bound and the changes that came with it cost."""
    if not before_bounds:
        return []
    before = before_bounds["rows"]
    lines = [
        f"Against the last run before the bounds ({before_bounds['generated']}, commit {before_bounds['commit']}), "
        "which also predates the other changes that came with them: the claimed-entries bitmap of allowlists keyed by "
        "stamp type as well as root (one more hash per claim), the zero-value check before joining a member, and for "
        "purchases the move to the shop contract (one external call to the stamps contract's `issue`).",
        "",
        "| Operation | Gas | Before the bounds | Change |",
        "|---|---:|---:|---:|",
    ]
    for key, label in LABELS:
        if key in before and key != "bare_mint":
            lines.append(f"| {label} | {rows[key]:,.0f} | {before[key]:,.0f} | {_change(rows[key], before[key])} |")
    return lines + [""]


DROPS_NOTE = (
    "From `scripts/gas_drops.py`: entering a fair drop, the draw, claiming a win and refunding a loss "
    "(`contracts/drops/OdysseyDrops.sol`, [drops.md](drops.md)), on a fresh deployment in this run. The draw reads "
    "one block hash and writes the seed: its cost does not depend on how many entered (compare the two draws). A "
    "claim and a refund each check the entry's place in the seeded permutation, whose cycle-walk repeats its rounds "
    "while it lands past the last entry: their cost follows the seed, so it moves between runs."
)

GOVERNANCE_NOTE = (
    "From `scripts/gas_governance.py`: Odyssey's governor (multiple-choice counting, queue period) and idea board "
    "next to a plain OpenZeppelin Governor wired the same way (`contracts/mocks/BaselineGovernor.sol`, "
    "GovernorCountingSimple) as the baseline, each on a fresh deployment in this run. A multiple-choice proposal "
    "binds its options into its description (the keccak of labels, ends and approval, written out in hex), which "
    "is the cost it adds to `proposeMultipleChoice`; idea support reads the supporter's votes at the idea's "
    "snapshot block (a checkpoint search), and submission checks the lengths of title and URI."
)

OPTIMISATIONS = [
    "## Optimisations",
    "",
    "Already in the design:",
    "",
    "- The member record (number, join time, delegated flag, points) is one packed slot, so joining, points and "
    "the implicit-delegation flag cost one fresh slot, not four; a stamp type (journey, points, cap, minted, "
    "soulbound) is one slot read and written once per claim; the DAO's issuance bounds and the budget's state are "
    "one slot.",
    "- Voucher nonces and allowlist entries are bitmaps: one slot per 256, so a claim updates a warm, non-zero "
    "word (about 5,000 gas) instead of writing a fresh slot (22,100) 255 times out of 256.",
    "- Points are kept in storage and updated in the token hook, never summed over stamp types.",
    "- Implicit self-delegation: no `delegate` transaction and no write to the delegate mapping until a member "
    "chooses someone else (`delegates(a)` reads the packed flag).",
    "- Airdrops share the intrinsic gas, role and pause checks, the stamp type slot and the total-supply "
    "checkpoint across the batch; recipients who already hold the stamp cost about 5,000 gas each (skipped "
    "with an event, no revert).",
    "",
    "- `delegates(address(0))` answers without reading the zero address's member slot: OZ `Votes` asks for the "
    "delegate of `from` on every transfer, including mints (`from` = 0), and that cold read would cost 2,100 gas "
    "on every mint for nothing (the zero address can never delegate).",
    "",
    "Looked at for this report, and why not (yet) done:",
    "",
    "- Where the gas goes (returning member's claim): the new balance slot (22,100, as in the bare mint), a new "
    "checkpoint for the member's delegate and one for the total supply (22,100 each on a new block, plus about "
    "2,900 each for the array length), updates of the member record, the stamp's minted count and the nonce "
    "word (about 5,000 each), nine cold reads (about 19,000: role, stamp, journey window, nonce word, balance, "
    "member, two checkpoint arrays, ...), the signature (about 6,000 with calldata) and three events (about "
    "6,500). Only the last three are not storage, and they are already minimal for an EIP-712 voucher.",
    "- Replacing OZ `Votes`/`Checkpoints.Trace208` by a custom layout — the checkpoint count kept in the member's "
    "packed slot (saving the fresh length slot of a new member, about {length_slot_gas:,} gas) and two checkpoints "
    "per slot (halving fresh-slot writes on alternate blocks, about {checkpoint_stream_gas:,} gas per checkpoint stream "
    "on average) — would save about {length_slot_gas:,} gas on a first claim and about {checkpoint_stream_gas:,} per "
    "checkpoint stream on a returning one (its delegate's and the total supply's): by this run's figures a first claim "
    "would then cost {first_after}× the bare mint and a returning one {returning_after}×, while it would swap audited "
    "OpenZeppelin code that the Governor reads (`getPastVotes`, `getPastTotalSupply`) for a bespoke one. Not done; "
    "worth revisiting only together with the governance work.",
    "- Dropping the `StampClaimed` event (TransferSingle carries member, id and quantity) would save about {event_gas:,} "
    "gas per stamp ({event_share} of this run's returning member's claim) but the indexer needs the method and "
    "the nonce/index it carries.",
    "- Not tracking purchases per wallet when a listing has no wallet cap would save a fresh slot (about 20,000 "
    "gas) on a first purchase, but a cap set later would then ignore earlier purchases (the cap counts "
    "purchases, not holdings, which a transfer resets).",
]


def main():
    """Measure, keep the figures (the last run's become the previous), write the report."""
    setup_network()
    rows, sizes = measure()
    current = {
        "generated": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": _commit(), "tools": tool_versions(), "rows": rows, "sizes": sizes,
        "governance": [list(g) for g in governance_rows()],
        "drops": [list(d) for d in drop_rows()],
    }
    stored = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    kept = {"before_bounds": stored["before_bounds"]} if "before_bounds" in stored else {}
    RESULTS.write_text(json.dumps({"current": current, "previous": stored.get("current"), **kept}, indent=2) + "\n")
    render()
    base = rows["bare_mint"]
    for key, label in LABELS:
        print(f"{rows[key]:>10,.0f}  {rows[key] / base:5.2f}x  {label}")
    return rows


def render(results: str | Path = RESULTS, report: str | Path = REPORT):
    """Write the report (docs/gas.md) from stored figures (docs/gas-results.json), without measuring."""
    stored = json.loads(Path(results).read_text())
    Path(report).write_text(markdown(stored["current"], stored["previous"], stored.get("before_bounds")))
    print(f"wrote {report} from {results}")
