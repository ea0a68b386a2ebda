"""OdysseyShop → listings (price and wallet cap on the stamp type), sales, proceeds and co-creators' earnings."""
from backend.db import models
from backend.indexer.handlers import Event, on, prefetcher
from backend.indexer.store import Store

C = "OdysseyShop"
TOTALS = ("sales_wei", "creator_owed_wei", "withdrawn_wei")


@prefetcher
def prefetch(events: list[Event], db: Store) -> None:
    if any(e.contract == C for e in events):
        db.prefetch(models.Config, [(k,) for k in TOTALS])


def _add(db: Store, key: str, wei: int) -> None:
    db.set_config(key, str(int(db.config(key, "0")) + wei))


@on(f"{C}:ListingSet")
def listing_set(event: Event, db: Store) -> None:
    stamp = db.get(models.StampType, str(event.args["stampId"]))
    if stamp is not None:
        stamp.price, stamp.wallet_cap = str(event.args["price"]), event.args["walletCap"]


@on(f"{C}:StampPurchased")
def stamp_purchased(event: Event, db: Store) -> None:
    a = event.args
    db.record(
        models.Sale, buyer=a["buyer"], stamp_id=str(a["stampId"]), quantity=a["quantity"], paid=str(a["paid"]),
        creator_share=str(a["creatorShare"]),
    )
    _add(db, "sales_wei", a["paid"])
    _add(db, "creator_owed_wei", a["creatorShare"])


@on(f"{C}:ProceedsWithdrawn")
def proceeds_withdrawn(event: Event, db: Store) -> None:
    db.record(models.TreasuryFlow, kind="proceeds", to_address=event.args["treasury"], amount=str(event.args["amount"]))
    _add(db, "withdrawn_wei", event.args["amount"])


@on(f"{C}:CreatorEarningsWithdrawn")
def creator_withdrawn(event: Event, db: Store) -> None:
    db.record(models.TreasuryFlow, kind="creator", to_address=event.args["creator"], amount=str(event.args["amount"]))
    _add(db, "creator_owed_wei", -event.args["amount"])


@on(f"{C}:CreatorShareSet")
def creator_share_set(event: Event, db: Store) -> None:
    stamp = db.get(models.StampType, str(event.args["stampId"]))
    if stamp is not None:
        stamp.creator = event.args["creator"] if event.args["shareBps"] else None
        stamp.creator_share_bps = event.args["shareBps"]
