"""Query helpers shared by routers (keyword-only)."""
from sqlalchemy import Connection, and_, or_, select
from sqlalchemy.orm import Session

from backend.api.deps import encode_cursor
from backend.api.schemas import BlockRef, ClaimOut, IdeaOut, Page, VoteOut
from backend.db import models
from backend.governance import APPROVAL_VOTE, approved_options, idea_state


def config(db: Session | Connection, key: str, default=None):
    """A mirrored contract setting, read through an ORM session or a Core connection."""
    value = db.execute(select(models.Config.value).where(models.Config.key == key)).scalar()
    return value["v"] if value is not None else default


def _option_label(labels: list[str], support: int, params: str | None) -> str | None:
    if support == APPROVAL_VOTE:  # the options an approval vote names
        return ", ".join(labels[i] for i in approved_options(params) if i < len(labels))
    return labels[support] if support < len(labels) else None


def idea_out(session: Session, idea: models.Idea, block: BlockRef) -> IdeaOut:
    """An idea with its state as the board's ideaState would answer at the block the response reflects."""
    stage = idea_state(session, idea, block.number or 0, block.timestamp or 0)
    return IdeaOut.model_validate(idea).model_copy(update={"stage": stage})


def votes_out(session: Session, rows: list[models.Vote]) -> list[VoteOut]:
    options: dict[str, list] = {}
    out = []
    for v in rows:
        if v.proposal_id not in options:
            p = session.get(models.Proposal, v.proposal_id)
            options[v.proposal_id] = p.options if p else []
        labels = options[v.proposal_id]
        out.append(VoteOut(
            tx_hash=v.tx_hash, block_number=v.block_number, timestamp=v.timestamp, proposal_id=v.proposal_id,
            voter=v.voter, support=v.support, option=_option_label(labels, v.support, v.params),
            weight=v.weight, reason=v.reason,
        ))
    return out


def claims_page(session: Session, block: BlockRef, limit: int, cursor: tuple[int, int] | None, *, member: str | None = None,
                stamp_id: str | None = None, method: str | None = None) -> Page[ClaimOut]:
    query = select(models.Claim)
    if member:
        query = query.where(models.Claim.member == member)
    if stamp_id is not None:
        query = query.where(models.Claim.stamp_id == stamp_id)
    if method:
        query = query.where(models.Claim.method == method)
    if cursor:
        query = query.where(or_(models.Claim.block_number < cursor[0], and_(models.Claim.block_number == cursor[0], models.Claim.log_index < cursor[1])))
    rows = session.execute(query.order_by(models.Claim.block_number.desc(), models.Claim.log_index.desc()).limit(limit + 1)).scalars().all()
    next_cursor = encode_cursor(rows[limit - 1].block_number, rows[limit - 1].log_index) if len(rows) > limit else None
    return Page(block=block, data=[ClaimOut.model_validate(r) for r in rows[:limit]], next_cursor=next_cursor)
