"""Open drops from YAML files in drops/, follow them, and draw them.

    brownie run scripts/drops.py main drops/siren-collection.yaml [more.yaml ...] --network odyssey-local
    brownie run scripts/drops.py status [dropId ...] --network odyssey-local
    brownie run scripts/drops.py draw <dropId> --network odyssey-local

A drop file names the drop's id, the stamp it drops, its supply and price, how many blocks it takes entries (from
the block that opens it, or `opens_in` blocks later) and who may enter: a minimum level on the votes held at the
block before entries open, and/or a soulbound stamp to hold; and, for members, a `name` and `description` (English, or
per language: backend/content.py), which go to the `translations` table (the drop's name defaults to its stamp's). The
whole file is checked against the chain before
anything is sent. Re-running a file changes nothing: a drop that exists with the file's rules is left as it is (its
window stays where it was opened); one whose rules differ is updated while nobody has entered (its window starts
again from now), and refused once someone has.

`draw` draws a drop whose seed block is mined (anyone may); if nobody drew while that block's hash was readable, it
moves the seed block to a new future block and says when to draw. `status` prints each drop's rules, state and
entries and, once drawn, its seed and winners: computed by backend/chain/drops.py from the public entry list, and checked
against the contract.
"""
from pathlib import Path

from brownie import chain, web3
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from backend.chain.drops import drop_seed, winners
from backend.chain.protocol import BLOCKHASH_WINDOW, SEED_DELAY, DropState
from backend.content import Localized, save_texts
from backend.settings import get_settings
from scripts.lib.common import (
    ScriptError, account_for, contract, existing_stamp, load_deployment, load_spec, parse_int, run_main, wei_amount,
)

UINT32_MAX = 2**32 - 1
UINT96_MAX = 2**96 - 1


class DropSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: int = Field(ge=1)
    stamp: int = Field(ge=1)
    supply: int = Field(ge=1, le=UINT32_MAX)
    price: int = Field(default=0, ge=0, le=UINT96_MAX)
    entry_blocks: int = Field(ge=1, le=10_000_000)
    opens_in: int = Field(default=0, ge=0, le=10_000_000)
    min_level: int = Field(default=0, ge=0, le=255)
    required_stamp: int = Field(default=0, ge=0)
    name: Localized | None = None
    description: Localized | None = None

    _price_in_wei = field_validator("price", mode="before")(wei_amount)

    @model_validator(mode="after")
    def _resists_sybils(self):
        if self.min_level == 0 and self.required_stamp == 0:
            raise ValueError("give min_level and/or required_stamp (a soulbound stamp): otherwise any fresh wallet enters")
        return self

    def rules(self, opens: int) -> tuple:
        """IOdysseyDrops.DropRules with entries from block `opens`."""
        closes = opens + self.entry_blocks - 1
        return (self.stamp, self.required_stamp, self.price, self.supply, opens, closes, self.min_level)


class DropFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    drop: DropSpec


def load_drop_file(path: str | Path) -> DropSpec:
    """Read and check a drop file; any problem becomes a one-line ScriptError naming it."""
    return load_spec(path, DropFile).drop


def check_against_chain(stamps, spec: DropSpec) -> list[str]:
    """Refuse, before sending anything, what the contract would refuse; returns notes worth printing."""
    stamp = existing_stamp(stamps, spec.stamp)
    points, max_supply, minted = stamp[1], stamp[2], stamp[3]
    if max_supply and spec.supply > max_supply - minted:
        raise ScriptError(f"stamp {spec.stamp} has {max_supply - minted} left to issue, fewer than the supply {spec.supply}")
    if spec.required_stamp and not existing_stamp(stamps, spec.required_stamp)[4]:
        raise ScriptError(
            f"required_stamp {spec.required_stamp} is collectible: it would pass from wallet to wallet (use a soulbound one)"
        )
    levels = len(stamps.levelThresholds())
    if spec.min_level > levels:
        raise ScriptError(f"min_level {spec.min_level} does not exist: there are {levels} levels")
    needed, available = spec.supply * points, stamps.issuanceAvailable()
    if needed > available:
        # Not refused: the budget refills over time and winners claim when they come (docs/drops.md).
        return [f"note: the winners' {needed} points exceed the {available} the DAO's issuance budget has left now; "
                "claims beyond it wait for the budget to refill"]
    return []


def apply_drop_file(drops, stamps, spec: DropSpec, sender) -> list[str]:
    """Open the drop, or bring its rules in line with `spec` while nobody has entered; returns what changed."""
    rules, _, entries, _, seed = drops.drop(spec.id)
    wanted = spec.rules(chain.height + 1 + spec.opens_in)
    exists = rules[0] != 0
    if exists and _without_window(rules) == _without_window(wanted) and rules[5] - rules[4] + 1 == spec.entry_blocks:
        return []
    if exists and (entries or _drawn(seed)):
        raise ScriptError(f"drop {spec.id} has {entries} entries (or was drawn): its rules are fixed, the file's differ")
    notes = check_against_chain(stamps, spec)
    if not exists:
        tx = drops.openDrop(spec.id, wanted, {"from": sender})
        return notes + [f"opened drop {spec.id}: {_describe(wanted, tx.events['DropConfigured']['seedBlock'])}"]
    tx = drops.updateDrop(spec.id, wanted, {"from": sender})
    return notes + [f"updated drop {spec.id}: {_describe(wanted, tx.events['DropConfigured']['seedBlock'])}"]


def _drawn(seed) -> bool:
    return bytes(seed) != bytes(32)


def _without_window(rules) -> tuple:
    stamp_id, required, price, supply, _, _, min_level = rules
    return (stamp_id, required, price, supply, min_level)


def _describe(rules, seed_block: int) -> str:
    stamp_id, required, price, supply, opens, closes, min_level = rules
    who = " and ".join(filter(None, [f"level {min_level}+" if min_level else "", f"holders of stamp {required}" if required else ""]))
    cost = f"{web3.from_wei(price, 'ether')} ether" if price else "free"
    return f"{supply} of stamp {stamp_id}, {cost}, for {who}, entries in blocks {opens}..{closes}, seed block {seed_block}"


def drop_status(drops, drop_id: int, since: int) -> list[str]:
    """Lines describing drop `drop_id`: rules, state, entries, and the draw's seed and winners once drawn."""
    rules, _, entries, seed_block, seed = drops.drop(drop_id)
    if rules[0] == 0:
        raise ScriptError(f"unknown drop {drop_id}: no such drop on chain {web3.eth.chain_id}")
    lines = [
        f"drop {drop_id}: {_describe(rules, seed_block)}",
        f"  {DropState(drops.dropState(drop_id)).label} at block {chain.height}; {entries} entries for {rules[3]} stamps",
    ]
    if not _drawn(seed):
        return lines
    entrants = _entrants(drops, drop_id, since)
    won = winners(bytes(seed), entrants, rules[3])
    position = {member: i for i, member in enumerate(entrants)}
    if any(not drops.isWinner(drop_id, position[member]) for member in won):
        raise ScriptError(f"drop {drop_id}: backend/chain/drops.py and the contract disagree on the winners")
    lines.append(f"  seed 0x{bytes(seed).hex()} (block {seed_block}); winners: {', '.join(won) or 'none'}")
    claimed = len(_events(drops, "DropClaimed", drop_id, since))
    refunded = len(_events(drops, "DropRefunded", drop_id, since))
    lines.append(f"  {claimed} of {len(won)} wins claimed, {refunded} deposits refunded")
    return lines


def _events(drops, name: str, drop_id: int, since: int) -> list:
    return [e for e in drops.events.get_sequence(since, event_type=name) if e.args.dropId == drop_id]


def _entrants(drops, drop_id: int, since: int) -> list[str]:
    """The entrants in entry order, from the public DropEntered events."""
    entered = sorted(_events(drops, "DropEntered", drop_id, since), key=lambda e: e.args.position)
    return [e.args.member for e in entered]


def draw_drop(drops, drop_id: int, sender) -> str:
    """Draw drop `drop_id`, or move its seed block if its hash expired; says what happened or what to wait for."""
    rules, _, _, seed_block, seed = drops.drop(drop_id)
    if rules[0] == 0:
        raise ScriptError(f"unknown drop {drop_id}: no such drop on chain {web3.eth.chain_id}")
    if _drawn(seed):
        return f"drop {drop_id} is drawn already: seed 0x{bytes(seed).hex()} (block {seed_block})"
    block = chain.height + 1  # the block the next transaction lands in
    if block <= seed_block:
        raise ScriptError(f"drop {drop_id} draws from block {seed_block}'s hash: wait until block {seed_block + 1} (now {chain.height})")
    if block > seed_block + BLOCKHASH_WINDOW:
        tx = drops.moveSeedBlock(drop_id, {"from": sender})
        moved = tx.events["DropSeedBlockMoved"]["seedBlock"]
        return (f"nobody drew drop {drop_id} while block {seed_block}'s hash was readable: it now draws from block "
                f"{moved} ({SEED_DELAY} blocks ahead); run draw again from block {moved + 1}")
    event = drops.draw(drop_id, {"from": sender}).events["DropDrawn"]
    if bytes(event["seed"]) != drop_seed(web3.eth.get_block(seed_block)["hash"], drop_id):
        raise ScriptError(f"drop {drop_id}: the contract's seed is not backend/chain/drops.py's for block {seed_block}")
    return f"drew drop {drop_id}: seed {event['seed']} from block {seed_block}, {event['winners']} winners of {event['entries']} entries"


def _drops_contract():
    deployment = load_deployment()
    entry = deployment.contract("OdysseyDrops")
    if entry is None:
        raise ScriptError("the deployment has no OdysseyDrops: deploy again (scripts/deploy.py)")
    return contract("OdysseyDrops", deployment), entry.block


def main(*paths: str) -> list[str]:
    def body():
        if not paths:
            raise ScriptError("name at least one drop file, e.g. drops/siren-collection.yaml")
        specs = [(path, load_drop_file(path)) for path in paths]  # check every file before sending anything
        ids = [spec.id for _, spec in specs]
        if len(set(ids)) != len(ids):
            raise ScriptError(f"drop ids repeated across the files: {sorted({i for i in ids if ids.count(i) > 1})}")
        drops, _ = _drops_contract()
        stamps, ops = contract("OdysseyStamps"), account_for("ops")
        settings, changes = get_settings(), []
        for path, spec in specs:
            done = apply_drop_file(drops, stamps, spec, ops)
            done += save_texts(settings, "drop", {str(spec.id): {"name": spec.name, "description": spec.description}})
            print(f"{path}: " + ("; ".join(done) if done else "up to date"))
            changes.extend(done)
        return changes

    return run_main(body)


def status(*drop_ids: str) -> list[str]:
    def body():
        drops, since = _drops_contract()
        ids = [parse_int(d, "dropId") for d in drop_ids] or sorted(
            {e.args.dropId for e in drops.events.get_sequence(since, event_type="DropConfigured")}
        )
        lines = [line for drop_id in ids for line in drop_status(drops, drop_id, since)]
        print("\n".join(lines) if lines else "no drops yet")
        return lines

    return run_main(body)


def draw(drop_id: str = "") -> str:
    def body():
        if not drop_id:
            raise ScriptError("usage: draw <dropId>")
        drops, _ = _drops_contract()
        message = draw_drop(drops, parse_int(drop_id, "dropId"), account_for("ops"))
        print(message)
        return message

    return run_main(body)
