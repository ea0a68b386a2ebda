"""OdysseyDrops → drops (rules, entries, seed, settlements), entries, and the drop proceeds sent to the treasury.

Who won is not stored: it follows from the seed and the entry positions (backend/chain/drops.py), at read time.
"""
from backend.chain.protocol import EntryStatus
from backend.db import models
from backend.indexer.handlers import Event, on, prefetcher
from backend.indexer.store import Store

C = "OdysseyDrops"
WITHDRAWN = "drop_proceeds_withdrawn_wei"


@prefetcher
def prefetch(events: list[Event], db: Store) -> None:
    drops, entries = set(), set()
    for e in events:
        if e.contract == C and "dropId" in e.args:
            drops.add((str(e.args["dropId"]),))
            if "member" in e.args:
                entries.add((str(e.args["dropId"]), e.args["member"]))
    if drops:
        db.prefetch(models.Drop, list(drops))
        db.prefetch(models.DropEntry, list(entries))


@on(f"{C}:DropConfigured")
def drop_configured(event: Event, db: Store) -> None:
    a = event.args
    drop = db.get_or_create(models.Drop, str(a["dropId"]), entries=0, claimed=0, refunded=0)
    drop.stamp_id, drop.supply, drop.price = str(a["stampId"]), a["supply"], str(a["price"])
    drop.opens_at, drop.closes_at, drop.seed_block = a["opensAt"], a["closesAt"], a["seedBlock"]
    drop.min_level, drop.min_points, drop.required_stamp = a["minLevel"], a["minPoints"], str(a["requiredStamp"])
    drop.configured_block = event.block_number


@on(f"{C}:DropEntered")
def drop_entered(event: Event, db: Store) -> None:
    a = event.args
    drop = db.get(models.Drop, str(a["dropId"]))
    drop.entries = a["position"] + 1
    db.get_or_create(
        models.DropEntry, str(a["dropId"]), a["member"], position=a["position"], paid=str(a["paid"]),
        status=EntryStatus.ENTERED.label, entered_block=event.block_number,
    )


@on(f"{C}:DropSeedBlockMoved")
def seed_block_moved(event: Event, db: Store) -> None:
    db.get(models.Drop, str(event.args["dropId"])).seed_block = event.args["seedBlock"]


@on(f"{C}:DropDrawn")
def drop_drawn(event: Event, db: Store) -> None:
    a = event.args
    drop = db.get(models.Drop, str(a["dropId"]))
    drop.seed, drop.seed_block_hash, drop.drawn_block = a["seed"], a["blockHash"], event.block_number


def _settle(event: Event, db: Store, status: EntryStatus) -> models.Drop:
    a = event.args
    entry = db.get(models.DropEntry, str(a["dropId"]), a["member"])
    entry.status, entry.settled_block = status.label, event.block_number
    return db.get(models.Drop, str(a["dropId"]))


@on(f"{C}:DropClaimed")
def drop_claimed(event: Event, db: Store) -> None:
    _settle(event, db, EntryStatus.CLAIMED).claimed += 1


@on(f"{C}:DropRefunded")
def drop_refunded(event: Event, db: Store) -> None:
    _settle(event, db, EntryStatus.REFUNDED).refunded += 1


@on(f"{C}:ProceedsWithdrawn")
def proceeds_withdrawn(event: Event, db: Store) -> None:
    a = event.args
    db.record(models.TreasuryFlow, kind="drop_proceeds", to_address=a["treasury"], amount=str(a["amount"]))
    db.set_config(WITHDRAWN, str(int(db.config(WITHDRAWN, "0")) + a["amount"]))
