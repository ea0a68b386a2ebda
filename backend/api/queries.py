"""Every read the API makes of the mirror, as keyword-only functions returning response schemas; routers stay thin.

Lists are paged by keyset (`keyset_page`): a page ends where the next one starts, named by the last row's sort key
in an opaque cursor, so a page costs the same however deep it is and rows inserted meanwhile shift nothing.
States that depend on the block (a proposal's, an idea's) are computed here with backend/chain/views.py as the
contracts' views would answer at the block the response reflects.
"""
from collections.abc import Callable, Sequence
from functools import lru_cache

from sqlalchemy import Connection, and_, bindparam, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement, Select

from backend.api.deps import encode_cursor, not_found
from backend.api.schemas import (
    BenefitOut, BlockRef, ClaimOut, DropDetailOut, DropEntryOut, DropMemberOut, DropOut, HolderOut, HoldingOut, IdeaOut,
    JourneyOut, MemberOut, MemberProfileOut, ProposalOut, ShopItemOut, ShopMemberOut, StampTypeOut, StatsOut, TallyOut,
    TreasuryOut, VoteOut,
)
from backend.chain.drops import is_winner, winning_positions
from backend.chain.protocol import APPROVAL_VOTE, UNLIMITED_STOCK, DropState, EntryStatus, without_options_tag
from backend.chain.views import (
    QUORUM_DENOMINATOR, approved_options, drop_state, idea_state, issuable, level_floor, level_for, next_threshold,
    proposal_state, winning_option,
)
from backend.content import Texts
from backend.db import models
from backend.i18n import DEFAULT_LOCALE
from backend.issuer.earn import parse as parse_earn

Order = Sequence[tuple[ColumnElement, bool]]  # (column, descending)


# ---------------------------------------------------------------------------------------------- paging


def _after(order: Order, cursor: tuple) -> ColumnElement:
    """Rows that come after the row whose sort key is `cursor`, in `order`."""
    clauses = []
    for i, (column, descending) in enumerate(order):
        beyond = column < cursor[i] if descending else column > cursor[i]
        clauses.append(and_(*[c == v for (c, _), v in zip(order[:i], cursor)], beyond))
    return or_(*clauses)


def keyset_page(db: Session | Connection, query: Select, *, order: Order, cursor: tuple | None, limit: int,
                render: Callable[[list], list], keep: Callable[[object], bool] | None = None) -> tuple[list, tuple | None]:
    """A page of `query`'s rows in `order`, after `cursor`: the rendered items (`render` turns a list of rows into
    items) and the sort key of the page's last row when more follow (the next cursor), else None.

    With `keep`, items are filtered after rendering (their state depends on the block, not on a column): rows are
    read and rendered a page at a time until `limit` items are kept."""
    if cursor:
        query = query.where(_after(order, cursor))
    query = query.order_by(*(column.desc() if descending else column.asc() for column, descending in order))
    names = [column.key for column, _ in order]
    items, keys = [], []
    while True:
        rows = [row[0] if len(row) == 1 else row for row in db.execute(query.limit(limit + 1))]  # entities or rows
        for row, item in zip(rows, render(rows)):
            if keep is None or keep(item):
                if len(items) == limit:
                    return items, keys[-1]
                items.append(item)
                keys.append(tuple(getattr(row, name) for name in names))
        if len(rows) <= limit:
            return items, None
        query = query.where(_after(order, tuple(getattr(rows[-1], name) for name in names)))


def _cursor(key: tuple | None) -> str | None:
    return encode_cursor(*key) if key else None


def config(db: Session | Connection, key: str, default=None):
    """A mirrored contract setting."""
    value = db.execute(select(models.Config.value).where(models.Config.key == key)).scalar()
    return value["v"] if value is not None else default


# ---------------------------------------------------------------------------------------------- members


_MEMBER_COLUMNS = (models.Member.address, models.Member.number, models.Member.since, models.Member.points,
                   models.Member.stamps, models.Member.delegate, models.VotingPower.votes)
_MEMBERS = select(*_MEMBER_COLUMNS).outerjoin(models.VotingPower, models.VotingPower.address == models.Member.address)
# The profile's reads, built once: it is the hottest route.
_MEMBER = _MEMBERS.where(models.Member.address == bindparam("address"))
_HOLDINGS = (
    select(models.Holding.stamp_id, models.Holding.balance, models.Holding.first_block, models.StampType.name,
           models.StampType.points, models.StampType.journey_id, models.StampType.soulbound)
    .join(models.StampType, models.StampType.id == models.Holding.stamp_id)
    .where(models.Holding.address == bindparam("address"), models.Holding.balance > 0)
    .order_by(models.Holding.first_block, models.Holding.stamp_id)
)
_THRESHOLDS = select(models.Config.value).where(models.Config.key == "level_thresholds")
# Level thresholds by (database, indexed block hash): they change only with an event, so one read per indexed block
# serves every profile.
_thresholds_at: dict[tuple, list[int]] = {}


def _member_fields(member, thresholds: list[int]) -> dict:
    return dict(
        address=member.address, number=member.number, since=member.since, points=member.points,
        level=level_for(member.points, thresholds), level_points=level_floor(member.points, thresholds),
        next_level_points=next_threshold(member.points, thresholds), stamps=member.stamps,
        delegate=member.delegate or member.address, votes=member.votes or 0,
    )


def level_thresholds(connection: Connection, *, block: BlockRef) -> list[int]:
    key = (connection.engine.url, block.hash)
    thresholds = _thresholds_at.get(key)
    if thresholds is None:
        value = connection.execute(_THRESHOLDS).scalar()
        thresholds = value["v"] if value is not None else []
        if block.hash is not None:
            _thresholds_at.clear()
            _thresholds_at[key] = thresholds
    return thresholds


def leaderboard(session: Session, *, limit: int, cursor: tuple[int, int, int] | None) -> tuple[list[MemberOut], int, str | None]:
    """Members by points, then member number, ranked; the total; the next cursor (points, number, rank)."""
    thresholds = config(session, "level_thresholds", [])
    rank = cursor[2] if cursor else 0
    members, key = keyset_page(
        session, _MEMBERS.where(models.Member.number.is_not(None)),
        order=[(models.Member.points, True), (models.Member.number, False)], cursor=cursor[:2] if cursor else None,
        limit=limit, render=lambda rows: [_member_fields(m, thresholds) for m in rows],
    )
    data = [MemberOut(**fields, rank=rank + i + 1) for i, fields in enumerate(members)]
    total = session.execute(select(func.count()).select_from(models.Member).where(models.Member.number.is_not(None))).scalar()
    return data, total, _cursor(key and (*key, rank + limit))


def _member_row(connection: Connection, address: str):
    member = connection.execute(_MEMBER, {"address": address}).first()
    if member is None or member.number is None:
        raise not_found(f"member {address}")
    return member


def _holdings(connection: Connection, address: str, locale: str) -> list[HoldingOut]:
    holdings = [HoldingOut(**row._mapping) for row in connection.execute(_HOLDINGS, {"address": address})]
    if locale != DEFAULT_LOCALE and holdings:  # English names are the chain's: no read for them
        texts = Texts(connection, "stamp", [h.stamp_id for h in holdings], locale)
        for h in holdings:
            h.name = texts.name(h.stamp_id, h.name)
    return holdings


def member_profile(connection: Connection, *, address: str, block: BlockRef, locale: str) -> MemberProfileOut:
    """The whole profile of a member with the stamps held (404 for an address that never joined). Core reads, no ORM
    unit of work: this is the hottest route."""
    member = _member_row(connection, address)
    thresholds = level_thresholds(connection, block=block)
    return MemberProfileOut(**_member_fields(member, thresholds), holdings=_holdings(connection, address, locale))


def member_holdings(session: Session, *, address: str, locale: str) -> list[HoldingOut]:
    """The stamps a member holds (404 for an address that never joined)."""
    connection = session.connection()
    _member_row(connection, address)
    return _holdings(connection, address, locale)


def member_votes(session: Session, *, voter: str, limit: int, cursor: tuple[int, int] | None) -> tuple[list[VoteOut], str | None]:
    votes, key = keyset_page(
        session, select(models.Vote).where(models.Vote.voter == voter),
        order=[(models.Vote.block_number, True), (models.Vote.log_index, True)], cursor=cursor, limit=limit,
        render=lambda rows: _votes_out(session, rows),
    )
    return votes, _cursor(key)


def member_ideas(session: Session, *, address: str, block: BlockRef) -> list[IdeaOut]:
    """Ideas `address` submitted or supports, newest first."""
    supported = select(models.IdeaSupporter.idea_id).where(models.IdeaSupporter.supporter == address)
    rows = session.execute(
        select(models.Idea).where(or_(models.Idea.author == address, models.Idea.id.in_(supported)))
        .order_by(models.Idea.created_block.desc())
    ).scalars().all()
    return _ideas_out(session, rows, block=block, member=address)


def votes_at(db: Session | Connection, *, delegate: str, block: int) -> int:
    """The votes of `delegate` after `block`, as Votes.getPastVotes answers."""
    return db.execute(
        select(models.VoteCheckpoint.votes)
        .where(models.VoteCheckpoint.delegate == delegate, models.VoteCheckpoint.block_number <= block)
        .order_by(models.VoteCheckpoint.block_number.desc()).limit(1)
    ).scalar() or 0


# ---------------------------------------------------------------------------------------------- journeys, stamps


def _earn_rules(session: Session, stamp_ids: list[str], locale: str) -> dict[str, dict]:
    """The public part of each stamp's earn rule (backend/issuer/earn.py) in `locale`, by stamp id."""
    rows = session.execute(select(models.EarnRule.stamp_id, models.EarnRule.spec).where(models.EarnRule.stamp_id.in_(stamp_ids)))
    return {stamp_id: parse_earn(spec).public(locale) for stamp_id, spec in rows}


def _stamp_out(stamp: models.StampType, public_url: str, earn: dict | None, texts: Texts) -> StampTypeOut:
    return StampTypeOut(
        id=stamp.id, journey_id=stamp.journey_id, name=texts.name(stamp.id, stamp.name),
        description=texts.get(stamp.id, "description"), points=stamp.points, max_supply=stamp.max_supply,
        minted=stamp.minted, remaining=(stamp.max_supply - stamp.minted) if stamp.max_supply else None,
        holders=stamp.holders, price=stamp.price, wallet_cap=stamp.wallet_cap, soulbound=stamp.soulbound,
        for_sale=stamp.price != "0", allowlist_root=stamp.allowlist_root, creator=stamp.creator,
        creator_share_bps=stamp.creator_share_bps, metadata_url=f"{public_url}/metadata/{stamp.id}.json", earn=earn,
    )


def _stamps_by_id(session: Session, *, journey_id: int | None = None) -> list[models.StampType]:
    query = select(models.StampType)
    if journey_id is not None:
        query = query.where(models.StampType.journey_id == journey_id)
    return sorted(session.execute(query).scalars(), key=lambda s: int(s.id))


def existing_stamp(session: Session, *, stamp_id: int) -> models.StampType:
    stamp = session.get(models.StampType, str(stamp_id))
    if stamp is None:
        raise not_found(f"stamp type {stamp_id}")
    return stamp


def _stamps_out(session: Session, stamps: list[models.StampType], public_url: str, locale: str) -> list[StampTypeOut]:
    if not stamps:
        return []
    earn = _earn_rules(session, [s.id for s in stamps], locale)
    texts = Texts(session, "stamp", [s.id for s in stamps], locale)
    return [_stamp_out(s, public_url, earn.get(s.id), texts) for s in stamps]


def stamp_types(session: Session, *, journey_id: int | None, public_url: str, locale: str) -> list[StampTypeOut]:
    return _stamps_out(session, _stamps_by_id(session, journey_id=journey_id), public_url, locale)


def stamp_type(session: Session, *, stamp_id: int, public_url: str, locale: str) -> StampTypeOut:
    return _stamps_out(session, [existing_stamp(session, stamp_id=stamp_id)], public_url, locale)[0]


def holders(session: Session, *, stamp_id: int, limit: int, cursor: tuple[int, str] | None) -> tuple[list[HolderOut], int, str | None]:
    """Holders of a stamp type, largest balance first; their count; the next cursor (balance, address)."""
    stamp = existing_stamp(session, stamp_id=stamp_id)
    data, key = keyset_page(
        session, select(models.Holding).where(models.Holding.stamp_id == stamp.id, models.Holding.balance > 0),
        order=[(models.Holding.balance, True), (models.Holding.address, False)], cursor=cursor, limit=limit,
        render=lambda rows: [HolderOut(address=h.address, balance=h.balance, first_block=h.first_block) for h in rows],
    )
    return data, stamp.holders, _cursor(key)


def _journeys_out(session: Session, rows: list[models.Journey], stamps: list[StampTypeOut], public_url: str,
                  locale: str) -> list[JourneyOut]:
    texts = Texts(session, "journey", [j.id for j in rows], locale)
    return [JourneyOut(
        id=j.id, name=texts.name(j.id, j.name), description=texts.get(j.id, "description"), uri=j.uri, start=j.start,
        end=j.end, image_url=f"{public_url}/images/journeys/{j.id}.svg",
        stamp_types=[s for s in stamps if s.journey_id == j.id],
    ) for j in rows]


def journeys(session: Session, *, public_url: str, locale: str) -> list[JourneyOut]:
    rows = session.execute(select(models.Journey).order_by(models.Journey.id)).scalars().all()
    return _journeys_out(session, list(rows), _stamps_out(session, _stamps_by_id(session), public_url, locale),
                         public_url, locale)


def journey(session: Session, *, journey_id: int, public_url: str, locale: str) -> JourneyOut:
    row = existing_journey(session, journey_id=journey_id)
    stamps = _stamps_out(session, _stamps_by_id(session, journey_id=journey_id), public_url, locale)
    return _journeys_out(session, [row], stamps, public_url, locale)[0]


def stamp_count(session: Session, *, journey_id: int) -> int:
    return session.execute(select(func.count()).select_from(models.StampType).where(models.StampType.journey_id == journey_id)).scalar()


def existing_journey(session: Session, *, journey_id: int) -> models.Journey:
    row = session.get(models.Journey, journey_id)
    if row is None:
        raise not_found(f"journey {journey_id}")
    return row


def journey_name(session: Session, *, journey_id: int, locale: str) -> str:
    journey = session.get(models.Journey, journey_id)
    if journey is None:
        return f"Journey {journey_id}"
    return Texts(session, "journey", [journey_id], locale).name(journey_id, journey.name)


def stamp_name(session: Session, *, stamp: models.StampType, locale: str) -> str:
    return Texts(session, "stamp", [stamp.id], locale).name(stamp.id, stamp.name)


# ---------------------------------------------------------------------------------------------- claims


def claims(session: Session, *, limit: int, cursor: tuple[int, int] | None, member: str | None = None,
           stamp_id: str | None = None, method: str | None = None) -> tuple[list[ClaimOut], str | None]:
    """Claims, newest first, optionally of one member, stamp type or method; the next cursor (block, log index)."""
    query = select(models.Claim)
    if member:
        query = query.where(models.Claim.member == member)
    if stamp_id is not None:
        query = query.where(models.Claim.stamp_id == stamp_id)
    if method:
        query = query.where(models.Claim.method == method)
    data, key = keyset_page(
        session, query, order=[(models.Claim.block_number, True), (models.Claim.log_index, True)], cursor=cursor,
        limit=limit, render=lambda rows: [ClaimOut.model_validate(r) for r in rows],
    )
    return data, _cursor(key)


# ---------------------------------------------------------------------------------------------- governance


# What a governor's proposals need at their snapshot, in one round trip: the quorum numerator and the total voting
# units then (GovernorVotesQuorumFraction.quorum), and the governor's queue period.
_GOVERNOR_AT = select(
    select(models.QuorumCheckpoint.numerator)
    .where(models.QuorumCheckpoint.governor == bindparam("governor"),
           models.QuorumCheckpoint.block_number <= bindparam("snapshot"))
    .order_by(models.QuorumCheckpoint.block_number.desc()).limit(1).scalar_subquery(),
    select(models.SupplyCheckpoint.total).where(models.SupplyCheckpoint.block_number <= bindparam("snapshot"))
    .order_by(models.SupplyCheckpoint.block_number.desc()).limit(1).scalar_subquery(),
    select(models.Config.value).where(models.Config.key == bindparam("queue_period_key")).scalar_subquery(),
)


def _governor_at(session: Session, governor: str, snapshot: int) -> tuple[int, int]:
    """The quorum of `governor`'s proposals with this snapshot, and its queue period."""
    numerator, total, queue_period = session.execute(
        _GOVERNOR_AT, {"governor": governor, "snapshot": snapshot, "queue_period_key": f"{governor}.queue_period"}
    ).one()
    quorum = (total or 0) * numerator // QUORUM_DENOMINATOR if numerator is not None else 0
    return quorum, queue_period["v"] if queue_period is not None else 0


def _proposals_out(session: Session, rows: list[models.Proposal], *, block: BlockRef,
                   member: str | None = None) -> list[ProposalOut]:
    """Proposals rendered with their state at `block`: what they need read for all of them at once."""
    if not rows:
        return []
    ids = [p.id for p in rows]
    tallies: dict[str, list[models.Tally]] = {i: [] for i in ids}
    for tally in session.execute(
        select(models.Tally).where(models.Tally.proposal_id.in_(ids)).order_by(models.Tally.option)
    ).scalars():
        tallies[tally.proposal_id].append(tally)
    operation_ids = [p.timelock_id for p in rows if p.timelock_id]
    operations = {op.id: op for op in session.execute(
        select(models.TimelockOperation).where(models.TimelockOperation.id.in_(operation_ids))
    ).scalars()} if operation_ids else {}
    at_snapshot = {(p.governor, p.snapshot): None for p in rows}
    for governor, snapshot in at_snapshot:
        at_snapshot[(governor, snapshot)] = _governor_at(session, governor, snapshot)
    clock = block.number if block.number is not None else 0
    pace = seconds_per_block(session, block=block)
    out = []
    for p in rows:
        weights = {t.option: t.weight for t in tallies[p.id]}
        labels = p.options
        winner = winning_option(weights) if p.kind == "multiple" else None
        # executed or cancelled on the timelock directly: the governor emitted nothing, the timelock's events say when
        operation = operations.get(p.timelock_id)
        quorum, queue_period = at_snapshot[(p.governor, p.snapshot)]
        state = proposal_state(p, weights, quorum, clock, queue_period, operation.state if operation is not None else None)
        out.append(ProposalOut(
            id=p.id, governor=p.governor, kind=p.kind, state=state, proposer=p.proposer, title=p.title,
            description=without_options_tag(p.description), options=labels,
            tallies=[TallyOut(option=t.option, label=labels[t.option] if t.option < len(labels) else str(t.option),
                              weight=t.weight, voters=t.voters) for t in tallies[p.id]],
            quorum=quorum, snapshot=p.snapshot, deadline=p.deadline, eta=p.eta,
            snapshot_time=estimated_time(p.snapshot, block=block, pace=pace),
            deadline_time=estimated_time(p.deadline, block=block, pace=pace),
            actions=p.actions, created_block=p.created_block, created_time=p.created_time, created_tx=p.created_tx,
            executed_block=p.executed_block or (operation.executed_block if operation is not None else None),
            canceled_block=p.canceled_block or (operation.cancelled_block if operation is not None else None),
            idea_id=p.idea_id, voters=p.voters, votes_weight=p.votes_weight, approval=p.approval,
            option_ends=p.option_ends, winning_option=winner, winning_label=None if winner is None else labels[winner],
            member_votes=None if member is None or p.snapshot >= clock else votes_at(session, delegate=member, block=p.snapshot),
        ))
    return out


def _existing_proposal(session: Session, proposal_id: int) -> models.Proposal:
    proposal = session.get(models.Proposal, str(proposal_id))
    if proposal is None:
        raise not_found(f"proposal {proposal_id}")
    return proposal


def _newest_first(session: Session, model, *, cursor: tuple[int, str] | None, limit: int, render, keep):
    """Proposals or ideas newest first, optionally only those `keep` takes: a state depends on the block the answer
    reflects (Expired, Rejected, Defeated have no event), so the filter runs on the rendered items."""
    data, key = keyset_page(
        session, select(model), order=[(model.created_block, True), (model.id, True)], cursor=cursor, limit=limit,
        render=render, keep=keep,
    )
    return data, _cursor(key)


def proposals(session: Session, *, block: BlockRef, state: str | None, limit: int, cursor: tuple[int, str] | None,
              member: str | None = None) -> tuple[list[ProposalOut], str | None]:
    """Proposals newest first, optionally in one state, with their state at `block`."""
    return _newest_first(session, models.Proposal, cursor=cursor, limit=limit,
                         render=lambda rows: _proposals_out(session, rows, block=block, member=member),
                         keep=None if state is None else lambda p: p.state == state)


def proposal(session: Session, *, proposal_id: int, block: BlockRef, member: str | None = None) -> ProposalOut:
    return _proposals_out(session, [_existing_proposal(session, proposal_id)], block=block, member=member)[0]


def _option_label(labels: list[str], support: int, params: str | None) -> str | None:
    if support == APPROVAL_VOTE:  # the options an approval vote names
        return ", ".join(labels[i] for i in approved_options(params) if i < len(labels))
    return labels[support] if support < len(labels) else None


def _votes_out(session: Session, rows: list[models.Vote]) -> list[VoteOut]:
    ids = {v.proposal_id for v in rows}
    options = dict(session.execute(
        select(models.Proposal.id, models.Proposal.options).where(models.Proposal.id.in_(ids))
    ).all()) if ids else {}
    return [VoteOut(
        tx_hash=v.tx_hash, block_number=v.block_number, timestamp=v.timestamp, proposal_id=v.proposal_id,
        voter=v.voter, support=v.support, option=_option_label(options.get(v.proposal_id, []), v.support, v.params),
        weight=v.weight, reason=v.reason,
    ) for v in rows]


def proposal_votes(session: Session, *, proposal_id: int, limit: int,
                   cursor: tuple[int, int] | None) -> tuple[list[VoteOut], int, str | None]:
    """A proposal's votes, newest first; its voters; the next cursor (block, log index)."""
    p = _existing_proposal(session, proposal_id)
    data, key = keyset_page(
        session, select(models.Vote).where(models.Vote.proposal_id == p.id),
        order=[(models.Vote.block_number, True), (models.Vote.log_index, True)], cursor=cursor, limit=limit,
        render=lambda rows: _votes_out(session, rows),
    )
    return data, p.voters, _cursor(key)


def _ideas_out(session: Session, rows: list[models.Idea], *, block: BlockRef, member: str | None = None) -> list[IdeaOut]:
    """Ideas with their state as the board's ideaState would answer at `block`."""
    linked = [i.proposal_id for i in rows if i.proposal_id is not None]
    proposal_rows = session.execute(select(models.Proposal).where(models.Proposal.id.in_(linked))).scalars().all() if linked else []
    states = {p.id: p.state for p in _proposals_out(session, list(proposal_rows), block=block)}
    supported = set(session.execute(
        select(models.IdeaSupporter.idea_id).where(
            models.IdeaSupporter.supporter == member, models.IdeaSupporter.idea_id.in_([i.id for i in rows]))
    ).scalars()) if member and rows else set()
    return [IdeaOut.model_validate(i).model_copy(update={
        "stage": idea_state(i, block.timestamp or 0, states.get(i.proposal_id)),
        "supported_by_member": None if member is None else i.id in supported,
    }) for i in rows]


def ideas(session: Session, *, block: BlockRef, stage: str | None, limit: int, cursor: tuple[int, str] | None,
          member: str | None = None) -> tuple[list[IdeaOut], str | None]:
    """Ideas newest first, optionally at one stage, with their stage at `block`."""
    return _newest_first(session, models.Idea, cursor=cursor, limit=limit,
                         render=lambda rows: _ideas_out(session, rows, block=block, member=member),
                         keep=None if stage is None else lambda i: i.stage == stage)


def idea(session: Session, *, idea_id: int, block: BlockRef, member: str | None = None) -> IdeaOut:
    row = session.get(models.Idea, str(idea_id))
    if row is None:
        raise not_found(f"idea {idea_id}")
    return _ideas_out(session, [row], block=block, member=member)[0]


# ---------------------------------------------------------------------------------------------- shop


def _sold(session: Session, stamp_ids: list[str], buyer: str | None = None) -> dict[str, int]:
    """Stamps sold in the shop by stamp id (to `buyer` only, if given)."""
    query = select(models.Sale.stamp_id, func.sum(models.Sale.quantity)).where(models.Sale.stamp_id.in_(stamp_ids))
    if buyer is not None:
        query = query.where(models.Sale.buyer == buyer)
    return {stamp_id: int(total) for stamp_id, total in session.execute(query.group_by(models.Sale.stamp_id))}


def _shop_items(session: Session, stamps: list[models.StampType], *, block: BlockRef, locale: str,
                member: str | None) -> list[ShopItemOut]:
    ids = [s.id for s in stamps]
    journeys = {j.id: j for j in session.execute(
        select(models.Journey).where(models.Journey.id.in_({s.journey_id for s in stamps}))).scalars()}
    sold, texts = _sold(session, ids), Texts(session, "stamp", ids, locale)
    bought = _sold(session, ids, member) if member else {}
    now, paused = block.timestamp or 0, config(session, "paused", False)
    items = []
    for stamp in stamps:
        journey = journeys.get(stamp.journey_id)
        start, end = (journey.start, journey.end) if journey else (0, 0)
        left = stamp.max_supply - stamp.minted if stamp.max_supply else None
        mine = None
        if member:
            limits = [x for x in (stamp.wallet_cap - bought.get(stamp.id, 0) if stamp.wallet_cap else None, left)
                      if x is not None]
            mine = ShopMemberOut(address=member, bought=bought.get(stamp.id, 0), may_buy=min(limits) if limits else None)
        items.append(ShopItemOut(
            stamp_id=stamp.id, name=texts.name(stamp.id, stamp.name), journey_id=stamp.journey_id, points=stamp.points,
            soulbound=stamp.soulbound, price=stamp.price, wallet_cap=stamp.wallet_cap, max_supply=stamp.max_supply,
            minted=stamp.minted, left=left, sold=sold.get(stamp.id, 0),
            on_sale=not paused and left != 0 and start <= now and (end == 0 or now <= end),
            sale_starts=start, sale_ends=end, member=mine,
        ))
    return items


def shop(session: Session, *, block: BlockRef, member: str | None, locale: str) -> list[ShopItemOut]:
    """The limited editions listed in the shop (a price set), by stamp id; with `member`, what they bought and may buy."""
    listed = [s for s in _stamps_by_id(session) if s.price != "0"]
    return _shop_items(session, listed, block=block, member=member, locale=locale)


def shop_item(session: Session, *, stamp_id: int, block: BlockRef, member: str | None, locale: str) -> ShopItemOut:
    stamp = existing_stamp(session, stamp_id=stamp_id)
    if stamp.price == "0":
        raise not_found(f"stamp {stamp_id} in the shop (it is not for sale)")
    return _shop_items(session, [stamp], block=block, member=member, locale=locale)[0]


# ---------------------------------------------------------------------------------------------- drops

# How many recent block headers the chain's pace is measured over (the mirror keeps the reorg window's and those
# of blocks with events).
PACE_HEADERS = 100


def seconds_per_block(session: Session, *, block: BlockRef) -> float | None:
    """The chain's recent pace, from the newest stored headers up to `block`; None when it cannot be told (fewer
    than two headers, or all of one second)."""
    if block.number is None:
        return None
    headers = session.execute(
        select(models.Block.number, models.Block.timestamp).where(models.Block.number <= block.number)
        .order_by(models.Block.number.desc()).limit(PACE_HEADERS)
    ).all()
    if len(headers) < 2 or headers[0].timestamp <= headers[-1].timestamp:
        return None
    return (headers[0].timestamp - headers[-1].timestamp) / (headers[0].number - headers[-1].number)


def estimated_time(number: int, *, block: BlockRef, pace: float | None) -> int | None:
    """When block `number` is (or was) made, in unix time, at the chain's recent `pace` from `block`; None without a
    pace. Members read times, not block numbers."""
    if not pace or block.number is None or block.timestamp is None:
        return None
    return round(block.timestamp + (number - block.number) * pace)


@lru_cache(maxsize=64)
def _winning_positions(seed: str, entries: int, supply: int) -> frozenset[int]:
    """A drawn drop's winning positions: they never change once drawn, and computing them walks every entry."""
    return frozenset(winning_positions(bytes.fromhex(seed[2:]), entries, supply))


def _won(drop: models.Drop, position: int) -> bool | None:
    if drop.seed is None:
        return None
    return is_winner(bytes.fromhex(drop.seed[2:]), position, drop.entries, drop.supply)


def _next_step(drop, state: str, entry, eligible: bool | None, won: bool | None, can_issue: bool) -> str | None:
    """What a member can do about `drop` now (DropMemberOut.next)."""
    if entry is None:
        if state == DropState.UPCOMING.label:
            return "wait" if eligible is not False else None
        return "enter" if state == DropState.OPEN.label and eligible else None
    if entry.status != EntryStatus.ENTERED.label:
        return None
    if state == DropState.OPEN.label or state == DropState.CLOSED.label:
        return "wait"
    if state == DropState.DRAWABLE.label:
        return "draw"
    if state == DropState.SEED_EXPIRED.label:
        return "move_seed_block"
    if won and can_issue:
        return "claim"
    return "refund" if drop.price != "0" else None


def _drops_out(session: Session, rows: list[models.Drop], *, block: BlockRef, member: str | None, locale: str,
               detail: bool = False) -> list[DropOut]:
    """Drops with their state at `block`, estimated times and, with `member`, that member's standing in each."""
    if not rows:
        return []
    stamp_ids = {d.stamp_id for d in rows} | {d.required_stamp for d in rows if d.required_stamp != "0"}
    stamps = {s.id: s for s in session.execute(select(models.StampType).where(models.StampType.id.in_(stamp_ids))).scalars()}
    stamp_texts, drop_texts = Texts(session, "stamp", stamps, locale), Texts(session, "drop", [d.id for d in rows], locale)
    ends = dict(session.execute(select(models.Journey.id, models.Journey.end).where(
        models.Journey.id.in_({s.journey_id for s in stamps.values()}))).all())
    entries, held = {}, set()
    if member:
        entries = {e.drop_id: e for e in session.execute(select(models.DropEntry).where(
            models.DropEntry.member == member, models.DropEntry.drop_id.in_([d.id for d in rows]))).scalars()}
        held = set(session.execute(select(models.Holding.stamp_id).where(
            models.Holding.address == member, models.Holding.balance > 0, models.Holding.stamp_id.in_(stamp_ids))).scalars())
    clock, now = block.number or 0, block.timestamp or 0
    pace = seconds_per_block(session, block=block)

    def when(number: int) -> int | None:
        return estimated_time(number, block=block, pace=pace) if number > clock else None

    out = []
    for d in rows:
        state = drop_state(d, clock)
        stamp, required = stamps.get(d.stamp_id), stamps.get(d.required_stamp)
        stamp_name = stamp_texts.name(stamp.id, stamp.name) if stamp else f"Stamp {d.stamp_id}"
        price, open_entries = int(d.price), d.entries - d.claimed - d.refunded
        standing = None
        if member:
            entry = entries.get(d.id)
            measured = d.opens_at - 1 <= clock
            points = votes_at(session, delegate=member, block=d.opens_at - 1) if d.min_level and measured else None
            holds = d.required_stamp in held if d.required_stamp != "0" else None
            if holds is False:
                eligible, reason = False, "required_stamp_missing"
            elif d.min_level and not measured:
                eligible, reason = None, "not_measured_yet"
            elif points is not None and points < d.min_points:
                eligible, reason = False, "level_too_low"
            else:
                eligible, reason = True, None
            won = _won(d, entry.position) if entry else None
            can_issue = stamp is not None and issuable(stamp, ends.get(stamp.journey_id, 0), now)
            standing = DropMemberOut(
                address=member, eligible=eligible, reason=reason, points_at_snapshot=points, holds_required_stamp=holds,
                entered=entry is not None, position=entry.position if entry else None,
                paid=entry.paid if entry else None, status=entry.status if entry else None,
                result=None if won is None else ("won" if won else "lost"),
                next=_next_step(d, state, entry, eligible, won, can_issue),
            )
        fields = dict(
            id=d.id, name=drop_texts.get(d.id, "name") or stamp_name, description=drop_texts.get(d.id, "description"),
            stamp_id=d.stamp_id, stamp_name=stamp_name,
            stamp_points=stamp.points if stamp else 0, supply=d.supply, price=d.price, opens_at=d.opens_at,
            closes_at=d.closes_at, min_level=d.min_level, min_points=d.min_points,
            required_stamp=None if d.required_stamp == "0" else d.required_stamp,
            required_stamp_name=stamp_texts.name(required.id, required.name) if required else None, seed_block=d.seed_block, state=state,
            entries=d.entries, winner_count=min(d.supply, d.entries), seed=d.seed, seed_block_hash=d.seed_block_hash,
            drawn_block=d.drawn_block, claimed=d.claimed, refunded=d.refunded, proceeds_wei=str(d.claimed * price),
            escrow_wei=str(open_entries * price), opens_at_time=when(d.opens_at), closes_at_time=when(d.closes_at),
            drawable_at_time=when(d.seed_block + 1), member=standing,
        )
        out.append(DropDetailOut(**fields, winners=_winners(session, d)) if detail else DropOut(**fields))
    return out


def _winners(session: Session, drop: models.Drop) -> list[str] | None:
    """A drawn drop's winning entrants in entry order, computed from its seed and mirrored entries."""
    if drop.seed is None:
        return None
    positions = sorted(_winning_positions(drop.seed, drop.entries, drop.supply))
    by_position = {}
    for start in range(0, len(positions), 5000):
        by_position.update(session.execute(select(models.DropEntry.position, models.DropEntry.member).where(
            models.DropEntry.drop_id == drop.id, models.DropEntry.position.in_(positions[start:start + 5000]))).all())
    return [by_position[p] for p in positions]


def _existing_drop(session: Session, drop_id: int) -> models.Drop:
    drop = session.get(models.Drop, str(drop_id))
    if drop is None:
        raise not_found(f"drop {drop_id}")
    return drop


_DROP_ORDER = [(models.Drop.opens_at, True), (models.Drop.id, True)]


def drops(session: Session, *, block: BlockRef, state: str | None, member: str | None, limit: int,
          cursor: tuple[int, str] | None, locale: str) -> tuple[list[DropOut], str | None]:
    """Drops, latest entry window first, optionally in one state (at `block`)."""
    data, key = keyset_page(
        session, select(models.Drop), order=_DROP_ORDER, cursor=cursor, limit=limit,
        render=lambda rows: _drops_out(session, rows, block=block, member=member, locale=locale),
        keep=None if state is None else lambda d: d.state == state,
    )
    return data, _cursor(key)


def drop(session: Session, *, drop_id: int, block: BlockRef, member: str | None, locale: str) -> DropDetailOut:
    return _drops_out(session, [_existing_drop(session, drop_id)], block=block, member=member, locale=locale,
                      detail=True)[0]


def drop_entries(session: Session, *, drop_id: int, won: bool | None, limit: int,
                 cursor: tuple[int] | None) -> tuple[list[DropEntryOut], int, str | None]:
    """A drop's entries in entry order, each with its result once drawn (only winners or losers with `won`); the
    number of entries; the next cursor (position)."""
    d = _existing_drop(session, drop_id)

    def render(rows):
        return [DropEntryOut(member=e.member, position=e.position, paid=e.paid, status=e.status, won=_won(d, e.position),
                             entered_block=e.entered_block, settled_block=e.settled_block) for e in rows]

    data, key = keyset_page(
        session, select(models.DropEntry).where(models.DropEntry.drop_id == d.id),
        order=[(models.DropEntry.position, False)], cursor=cursor, limit=limit, render=render,
        keep=None if won is None else lambda e: e.won is won,
    )
    return data, d.entries, _cursor(key)


def member_drops(session: Session, *, address: str, block: BlockRef, locale: str) -> list[DropOut]:
    """The drops `address` entered, latest entry window first, with their result and next step for that member."""
    entered = select(models.DropEntry.drop_id).where(models.DropEntry.member == address)
    rows = session.execute(select(models.Drop).where(models.Drop.id.in_(entered))
                           .order_by(*(c.desc() for c, _ in _DROP_ORDER))).scalars().all()
    return _drops_out(session, list(rows), block=block, member=address, locale=locale)


# ---------------------------------------------------------------------------------------------- benefits, figures


def benefits(session: Session, *, member: str | None, locale: str) -> list[BenefitOut]:
    """Benefits; with `member`, whether that member redeemed each and could redeem it now."""
    rows = session.execute(select(models.Benefit).order_by(models.Benefit.id)).scalars().all()
    mine, is_member, thresholds = set(), False, config(session, "level_thresholds", [])
    if member:
        mine = set(session.execute(select(models.Redemption.benefit_id).where(models.Redemption.member == member)).scalars())
        joined = session.get(models.Member, member)
        is_member = joined is not None and joined.number is not None
    texts, data = Texts(session, "benefit", [b.id for b in rows], locale), []
    for b in rows:
        out = BenefitOut(id=b.id, name=texts.get(b.id, "name"), description=texts.get(b.id, "description"),
                         min_level=b.min_level, stock=None if b.stock == UNLIMITED_STOCK else b.stock,
                         active=b.active, uri=b.uri, redeemed=b.redeemed, snapshot_block=b.snapshot_block)
        if member:
            level = level_for(votes_at(session, delegate=member, block=b.snapshot_block or 0), thresholds)
            out.redeemed_by_member, out.member_level_at_snapshot = b.id in mine, level
            out.redeemable_by_member = (
                is_member and b.active and b.id not in mine and b.stock != 0 and level >= b.min_level
            )
        data.append(out)
    return data


def _latest_balance(session: Session, address: str | None) -> models.Balance | None:
    if address is None:
        return None
    return session.execute(
        select(models.Balance).where(models.Balance.address == address).order_by(models.Balance.block_number.desc()).limit(1)
    ).scalar()


def treasury(session: Session) -> TreasuryOut:
    address = config(session, "treasury")
    balance = _latest_balance(session, address)
    shop = session.execute(select(models.RawEvent.address).where(models.RawEvent.contract == "OdysseyShop").limit(1)).scalar()
    held = _latest_balance(session, shop)
    sales, withdrawn, owed = (int(config(session, k, "0")) for k in ("sales_wei", "withdrawn_wei", "creator_owed_wei"))
    # What withdrawProceeds() would send now: sales − creator cuts − earlier withdrawals.
    creator_total = session.execute(select(models.Sale.creator_share)).scalars().all()
    pending = sales - sum(int(x) for x in creator_total) - withdrawn
    drop_rows = session.execute(select(models.Drop.price, models.Drop.entries, models.Drop.claimed, models.Drop.refunded)).all()
    drops_claimed = sum(int(d.price) * d.claimed for d in drop_rows)
    drops_open = sum(int(d.price) * (d.entries - d.claimed - d.refunded) for d in drop_rows)
    drops_withdrawn = int(config(session, "drop_proceeds_withdrawn_wei", "0"))
    return TreasuryOut(
        treasury=address, treasury_balance_wei=balance.wei if balance else None,
        balance_block=balance.block_number if balance else None, shop_balance_wei=held.wei if held else None,
        sales_wei=str(sales), proceeds_withdrawn_wei=str(withdrawn), proceeds_pending_wei=str(pending),
        creator_owed_wei=str(owed), royalty_bps=config(session, "royalty_bps"),
        drop_proceeds_pending_wei=str(drops_claimed - drops_withdrawn), drop_proceeds_withdrawn_wei=str(drops_withdrawn),
        drop_escrow_wei=str(drops_open),
    )


def stats(session: Session) -> StatsOut:
    def count(model, *where):
        return session.execute(select(func.count()).select_from(model).where(*where)).scalar() or 0

    by_method = dict(session.execute(select(models.Claim.method, func.count()).group_by(models.Claim.method)).all())
    state = session.get(models.IndexerState, 1)
    minted = session.execute(select(func.coalesce(func.sum(models.StampType.minted), 0))).scalar()
    return StatsOut(
        members=count(models.Member, models.Member.number.is_not(None)), stamp_types=count(models.StampType),
        journeys=count(models.Journey), stamps_minted=int(minted), holdings=count(models.Holding, models.Holding.balance > 0),
        total_points=config(session, "total_points", 0), claims=sum(by_method.values()), claims_by_method=by_method,
        sales=count(models.Sale), transfers=count(models.Transfer), proposals=count(models.Proposal), votes=count(models.Vote),
        ideas=count(models.Idea), benefits_redeemed=count(models.Redemption),
        raw_events=state.events if state else 0, reorgs=state.reorgs if state else 0,
    )


_INDEXER_STATE = select(models.IndexerState.cursor, models.IndexerState.events, models.IndexerState.reorgs).where(
    models.IndexerState.id == 1)


def indexer_state(connection: Connection):
    """The indexer's cursor, events stored and reorgs (None before the first run)."""
    return connection.execute(_INDEXER_STATE).first()
