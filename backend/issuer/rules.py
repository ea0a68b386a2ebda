"""The earn rules in the database (`earn_rules`): written by scripts/journeys.py from the journey files, read by the
issuer service and shown by the API. One row per stamp type that declares how it is earned."""
import time

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from backend.db import migrate
from backend.db.models import EarnRule
from backend.db.session import get_engine, write_connection
from backend.issuer import earn as earn_models
from backend.settings import Settings


def save_rules(settings: Settings, journey_id: int, rules: dict[int, object]) -> list[str]:
    """Bring the rules of a journey file's stamps (stamp id -> earn model, None for a stamp without `earn`) in line with
    it, writing only what differs; what changed (empty when nothing did)."""
    migrate.upgrade(settings)
    changes = []
    with write_connection(get_engine(settings)) as connection, connection.begin():
        stored = {row.stamp_id: row for row in connection.execute(
            select(EarnRule).where(EarnRule.stamp_id.in_([str(i) for i in rules]))).all()}
        for stamp_id, earn in rules.items():
            row = stored.get(str(stamp_id))
            if earn is None:
                if row is not None:
                    connection.execute(delete(EarnRule).where(EarnRule.stamp_id == str(stamp_id)))
                    changes.append(f"stamp {stamp_id} no longer declares how it is earned")
                continue
            spec = earn.model_dump(mode="json")
            if row is not None and row.spec == spec and row.journey_id == journey_id:
                continue
            connection.execute(delete(EarnRule).where(EarnRule.stamp_id == str(stamp_id)))
            connection.execute(EarnRule.__table__.insert().values(
                stamp_id=str(stamp_id), journey_id=journey_id, kind=earn.kind, spec=spec, updated_at=time.time()))
            changes.append(f"stamp {stamp_id} is earned by {earn.kind}" if row is None else f"updated how stamp {stamp_id} is earned")
    return changes


def rules_by_stamp(session: Session, stamp_ids: list[str] | None = None) -> dict[str, object]:
    """The earn models of the stamps (all, or those of `stamp_ids`), by stamp id."""
    query = select(EarnRule.stamp_id, EarnRule.spec)
    if stamp_ids is not None:
        query = query.where(EarnRule.stamp_id.in_(stamp_ids))
    return {stamp_id: earn_models.parse(spec) for stamp_id, spec in session.execute(query)}


def completion_rules(session: Session) -> dict[int, earn_models.Completion]:
    rows = session.execute(select(EarnRule.stamp_id, EarnRule.spec).where(EarnRule.kind == "completion"))
    return {int(stamp_id): earn_models.parse(spec) for stamp_id, spec in rows}
