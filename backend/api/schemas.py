"""Response schemas (Pydantic v2), separate from the SQLAlchemy models. Every response is an envelope with
the block it reflects: `{"block": {...}, "data": ...}` and, for lists, `count` and/or `next_cursor`."""
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class Schema(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class BlockRef(Schema):
    number: int | None = Field(description="last indexed block this answer reflects (None before any)")
    hash: str | None
    timestamp: int | None


class One(BaseModel, Generic[T]):
    block: BlockRef
    data: T


class Page(BaseModel, Generic[T]):
    block: BlockRef
    data: list[T]
    count: int | None = Field(default=None, description="total matching items (None where costly)")
    next_cursor: str | None = Field(default=None, description="pass as ?cursor= for the next page")


class MemberOut(Schema):
    address: str
    number: int
    since: int
    points: int
    level: int
    next_level_points: int | None
    stamps: int
    delegate: str | None
    votes: int
    rank: int | None = None


class StampTypeOut(Schema):
    id: str
    journey_id: int
    name: str
    points: int
    max_supply: int
    minted: int
    remaining: int | None
    holders: int
    price: str
    wallet_cap: int
    soulbound: bool
    for_sale: bool
    allowlist_root: str | None
    creator: str | None
    creator_share_bps: int
    metadata_url: str


class HoldingOut(Schema):
    stamp_id: str
    balance: int
    first_block: int
    name: str
    points: int
    journey_id: int
    soulbound: bool


class MemberProfileOut(MemberOut):
    holdings: list[HoldingOut] = Field(description="the stamps held, as GET /members/{address}/stamps lists them")


class HolderOut(Schema):
    address: str
    balance: int
    first_block: int


class JourneyOut(Schema):
    id: int
    name: str
    uri: str
    start: int
    end: int
    stamp_types: list[StampTypeOut] = []


class ClaimOut(Schema):
    tx_hash: str
    log_index: int
    block_number: int
    timestamp: int
    member: str
    stamp_id: str
    method: str
    quantity: int
    ref: str


class VoteOut(Schema):
    tx_hash: str
    block_number: int
    timestamp: int
    proposal_id: str
    voter: str
    support: int
    option: str | None
    weight: int
    reason: str


class TallyOut(Schema):
    option: int
    label: str
    weight: int
    voters: int


class ProposalOut(Schema):
    id: str
    governor: str
    kind: str
    state: str
    proposer: str
    title: str
    description: str
    options: list[str]
    tallies: list[TallyOut]
    quorum: int
    snapshot: int
    deadline: int
    eta: int | None
    actions: list[dict]
    created_block: int
    created_time: int
    created_tx: str
    executed_block: int | None
    canceled_block: int | None
    idea_id: str | None
    voters: int
    votes_weight: int = Field(description="weight voted, each voter's once (the multiple-choice quorum counts this)")
    approval: bool = Field(description="multiple choice: approval votes (support 255, params = bitmap) allowed")
    option_ends: list[int] | None = Field(description="multiple choice: option i runs actions [ends[i-1], ends[i])")
    winning_option: int | None = Field(description="multiple choice: the option leading alone (None on a tie or no votes)")
    winning_label: str | None


class IdeaOut(Schema):
    id: str
    board: str
    author: str
    title: str
    uri: str
    content_hash: str | None
    stage: str = Field(description="state as the board's ideaState: open, expired, qualified, proposed, rejected, realised")
    stages_reached: int
    stages_version: int | None
    deadline: int | None = Field(description="time (s) by which the next stage must be reached; None once qualified")
    supporters: int
    support_weight: int
    proposal_id: str | None
    proposer: str | None
    created_block: int
    created_time: int
    updated_block: int
    realised_block: int | None
    co_creator_stamp_id: str | None
    sale_stamp_id: str | None
    share_bps: int | None
    co_creator_stamp_owed: bool = Field(
        description="realised, but the author's co-creator stamp could not be issued then: anyone may claim it for them"
    )


class BenefitOut(Schema):
    id: int
    min_level: int
    stock: int | None = Field(description="None = unlimited")
    active: bool
    uri: str
    redeemed: int
    snapshot_block: int | None = Field(description="levels count the points that voted for a member at this block")
    redeemed_by_member: bool | None = Field(default=None, description="with ?member=: whether that member redeemed it")
    member_level_at_snapshot: int | None = Field(
        default=None, description="with ?member=: the member's level from the votes they had at the snapshot block"
    )
    redeemable_by_member: bool | None = Field(
        default=None,
        description="with ?member=: whether redeem would succeed now (a member, active, in stock, not redeemed, level "
        "reached at the snapshot)",
    )


class LevelsOut(Schema):
    thresholds: list[int] = Field(description="points needed for level 1, 2, ... (ascending)")


class TreasuryOut(Schema):
    treasury: str | None
    treasury_balance_wei: str | None
    balance_block: int | None
    shop_balance_wei: str | None = Field(description="ETH the shop holds: proceeds not yet withdrawn and co-creators' earnings")
    sales_wei: str
    proceeds_withdrawn_wei: str
    proceeds_pending_wei: str
    creator_owed_wei: str
    royalty_bps: int | None


class StatsOut(Schema):
    members: int
    stamp_types: int
    journeys: int
    stamps_minted: int
    holdings: int
    total_points: int
    claims: int
    claims_by_method: dict[str, int]
    sales: int
    transfers: int
    proposals: int
    votes: int
    ideas: int
    benefits_redeemed: int
    raw_events: int
    reorgs: int


class HealthOut(BaseModel):
    status: Literal["ok", "degraded"]
    ready: bool = Field(description="the lag is known and within ODYSSEY_READY_MAX_LAG (what /ready answers 200 on)")
    indexed_block: int | None = Field(description="the last block the mirror holds (None before any)")
    chain_head: int | None = Field(description="the node's head, as it answered within the last seconds; None: unknown")
    chain_head_at: float | None = Field(description="when the node last answered (unix time)")
    lag: int | None = Field(description="blocks the mirror is behind (after confirmations); None: unknown, never a guess")
    confirmations: int
    indexer: dict | None = Field(description="the embedded indexer's state (None when it runs elsewhere)")
    rpc_ok: bool
    rpc_error: str | None = Field(description="what failed asking the node (never its URL)")
    database_ok: bool
    events: int
    reorgs: int
