"""OdysseyBenefits → benefits and redemptions."""
from backend.db import models
from backend.indexer.handlers import Event, on
from backend.indexer.store import Store


@on("OdysseyBenefits:BenefitConfigured")
def benefit_configured(event: Event, db: Store) -> None:
    a = event.args
    benefit = db.get_or_create(
        models.Benefit, a["benefitId"], min_level=a["minLevel"], stock=a["stock"], active=a["active"], uri=a["uri"],
        redeemed=0, snapshot_block=a["snapshot"],
    )
    benefit.min_level, benefit.stock, benefit.active, benefit.uri = a["minLevel"], a["stock"], a["active"], a["uri"]
    benefit.snapshot_block = a["snapshot"]


@on("OdysseyBenefits:BenefitRedeemed")
def benefit_redeemed(event: Event, db: Store) -> None:
    a = event.args
    benefit = db.get(models.Benefit, a["benefitId"])
    if benefit is not None:
        benefit.redeemed += 1
        benefit.stock = a["stockLeft"]
    db.record(models.Redemption, benefit_id=a["benefitId"], member=a["member"], stock_left=a["stockLeft"])
