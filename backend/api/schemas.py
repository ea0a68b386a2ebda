"""Response schemas (Pydantic v2), separate from the SQLAlchemy models. Every response is an envelope with
the block it reflects: `{"block": {...}, "data": ...}` and, for lists, `count` and/or `next_cursor`. Each schema
carries an example, which the OpenAPI document (and so /docs) shows for every route returning it."""
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")
MEMBER = "0x46C0a5326E643E4f71D3149d50B48216e174Ae84"
OTHER_MEMBER = "0x0063046686E46Dc6F15918b61AE2B121458534a5"
TX_HASH = "0x5f1c7e0a9b7f4c8fd2a6e3b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1"
PROPOSAL_ID = "84592846212880962911498154467547447346389113930316543153785349811367839113236"


def example(**fields) -> ConfigDict:
    return ConfigDict(json_schema_extra={"examples": [fields]})


class Schema(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class BlockRef(Schema):
    model_config = example(number=412, hash="0x9c2e1f0a7b3d5c4e8f6a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5a6",
                           timestamp=1795400000)

    number: int | None = Field(description="last indexed block this answer reflects (None before any)")
    hash: str | None
    timestamp: int | None


LANG_FIELD = Field(
    default=None, description="the language the names and descriptions are in (en, zh-Hans or zh-Hant; as the "
    "Content-Language header), from ?lang= or Accept-Language; English where the ops files gave no translation. None "
    "where nothing in the answer depends on the language")


class One(BaseModel, Generic[T]):
    block: BlockRef
    data: T
    lang: str | None = LANG_FIELD


class Page(BaseModel, Generic[T]):
    block: BlockRef
    data: list[T]
    count: int | None = Field(default=None, description="total matching items (None where costly)")
    next_cursor: str | None = Field(default=None, description="pass as ?cursor= for the next page")
    lang: str | None = LANG_FIELD


class MemberOut(Schema):
    model_config = example(address=MEMBER, number=1, since=1795300000, points=60, level=2, level_points=50,
                           next_level_points=150, stamps=2, delegate=MEMBER, votes=60, rank=1)

    address: str
    number: int
    since: int
    points: int
    level: int
    level_points: int = Field(description="the points the member's level starts at (0 at level 0)")
    next_level_points: int | None = Field(description="the points the next level needs (None at the top level)")
    stamps: int
    delegate: str | None
    votes: int
    rank: int | None = None


class ChoiceOut(Schema):
    id: str
    text: str


class QuestionOut(Schema):
    id: str
    text: str
    choices: list[ChoiceOut]


class EarnOut(Schema):
    """How a stamp is earned, as its journey file declares it: the kind and its public details (never an answer, a
    code or a secret)."""

    model_config = example(kind="quiz", description="Three questions on where coffee comes from.", pass_mark=2,
                           attempts_per_day=3, questions=[{"id": "q1", "text": "Where did coffee first grow wild?",
                                                           "choices": [{"id": "a", "text": "Brazil"},
                                                                       {"id": "b", "text": "Ethiopia"}]}])

    kind: Literal["quiz", "code", "receipt", "completion", "link", "allowlist", "airdrop", "sale", "drop"]
    description: str
    questions: list[QuestionOut] | None = Field(None, description="quiz: the questions and their choices")
    pass_mark: int | None = Field(None, description="quiz: right answers needed")
    attempts_per_day: int | None = Field(None, description="quiz: attempts per member and day")
    rotating: bool | None = Field(None, description="code: a kiosk's rotating code (else a secret word)")
    period: int | None = Field(None, description="rotating code: seconds each code is shown")
    digits: int | None = None
    partner: str | None = Field(None, description="receipt: the partner whose till issues it")
    requires: list[str] | None = Field(None, description="completion: the stamps to hold")


class StampTypeOut(Schema):
    model_config = example(id="101", journey_id=1, name="Origins Quiz", points=10, max_supply=0, minted=3, remaining=None,
                           holders=3, price="0", wallet_cap=0, soulbound=True, for_sale=False, allowlist_root=None,
                           creator=None, creator_share_bps=0, metadata_url="http://127.0.0.1:8000/metadata/101.json",
                           earn={"kind": "code", "description": "Enter the code on the kiosk by the counter.",
                                 "rotating": True, "period": 30, "digits": 6})

    id: str
    journey_id: int
    name: str
    description: str | None = Field(None, description="the journey file's description of the stamp, if any")
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
    earn: EarnOut | None = Field(None, description="how it is earned (None: its journey file does not say)")


class HoldingOut(Schema):
    model_config = example(stamp_id="101", balance=1, first_block=38, name="Origins Quiz", points=10, journey_id=1,
                           soulbound=True)

    stamp_id: str
    balance: int
    first_block: int
    name: str
    points: int
    journey_id: int
    soulbound: bool


class MemberProfileOut(MemberOut):
    model_config = example(
        address=MEMBER, number=1, since=1795300000, points=60, level=2, level_points=50, next_level_points=150,
        stamps=2, delegate=MEMBER, votes=60, rank=None,
        holdings=[{"stamp_id": "101", "balance": 1, "first_block": 38, "name": "Origins Quiz", "points": 10,
                   "journey_id": 1, "soulbound": True},
                  {"stamp_id": "80001", "balance": 1, "first_block": 52, "name": "Founding member", "points": 50,
                   "journey_id": 800, "soulbound": True}],
    )

    holdings: list[HoldingOut] = Field(description="the stamps held, as GET /members/{address}/stamps lists them")


class HolderOut(Schema):
    model_config = example(address=MEMBER, balance=2, first_block=61)

    address: str
    balance: int
    first_block: int


class JourneyOut(Schema):
    model_config = example(id=1, name="Coffee Origins", uri="ipfs://journey/1", start=0, end=0,
                           image_url="http://127.0.0.1:8000/images/journeys/1.svg", stamp_types=[])

    id: int
    name: str
    description: str | None = Field(None, description="the journey file's description, if any")
    uri: str
    start: int
    end: int
    image_url: str = Field(description="the journey's art (a generated SVG)")
    stamp_types: list[StampTypeOut] = []


class ClaimOut(Schema):
    model_config = example(tx_hash=TX_HASH, log_index=4, block_number=38, timestamp=1795300000, member=MEMBER,
                           stamp_id="101", method="voucher", quantity=1, ref="7")

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
    model_config = example(tx_hash=TX_HASH, block_number=70, timestamp=1795301000, proposal_id=PROPOSAL_ID,
                           voter=MEMBER, support=1, option="For", weight=60, reason="a good season")

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
    model_config = example(option=1, label="For", weight=60, voters=1)

    option: int
    label: str
    weight: int
    voters: int


class ProposalOut(Schema):
    model_config = example(
        id=PROPOSAL_ID, governor="OdysseyGovernor", kind="simple", state="active", proposer=MEMBER,
        title="Autumn journey", description="Autumn journey\n\nA new journey for the season.",
        options=["Against", "For", "Abstain"],
        tallies=[{"option": 0, "label": "Against", "weight": 0, "voters": 0},
                 {"option": 1, "label": "For", "weight": 60, "voters": 1},
                 {"option": 2, "label": "Abstain", "weight": 0, "voters": 0}],
        quorum=31, snapshot=66, deadline=86, eta=None, snapshot_time=1795300902, deadline_time=1795300942,
        actions=[{"target": "0x4F03E8A1a8b2C5Fd0E0d6a2E3A9aB2F6C1a2B3c4", "value": "0",
                  "signature": "", "calldata": "0x11aee380"}],
        created_block=65, created_time=1795300900, created_tx=TX_HASH, executed_block=None, canceled_block=None,
        idea_id=None, voters=1, votes_weight=60, approval=False, option_ends=None, winning_option=None,
        winning_label=None, member_votes=60,
    )

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
    snapshot_time: int | None = Field(description="when the snapshot block is (or was) made, unix time estimated from "
                                                  "the chain's recent pace (None when it cannot be told)")
    deadline_time: int | None = Field(description="when voting closes (the deadline block), estimated likewise")
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
    member_votes: int | None = Field(
        default=None, description="with ?member=: the votes that member has on this proposal (its votes at the "
        "snapshot, as the governor's getVotes); None before the snapshot block"
    )


class IdeaOut(Schema):
    model_config = example(
        id="1", board="IdeaBoard", author=OTHER_MEMBER, title="A tasting evening", uri="ipfs://idea/1",
        content_hash="0x" + "ab" * 32, stage="qualified", stages_reached=2, stages_version=1, deadline=None,
        supporters=3, support_weight=0, proposal_id=None, proposer=None, created_block=57, created_time=1795300500,
        updated_block=63, realised_block=None, co_creator_stamp_id=None, sale_stamp_id=None, share_bps=None,
        co_creator_stamp_owed=False, supported_by_member=True,
    )

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
    supported_by_member: bool | None = Field(default=None, description="with ?member=: whether that member supports it")


class BenefitOut(Schema):
    model_config = example(id=1, name="Free refill", description="One free refill a day.", min_level=1, stock=99, active=True, uri="ipfs://benefit/1", redeemed=1,
                           snapshot_block=40, redeemed_by_member=False, member_level_at_snapshot=2,
                           redeemable_by_member=True)

    id: int
    name: str | None = Field(None, description="from the benefits file (benefits/*.yaml; None: not named there)")
    description: str | None = Field(None, description="from the benefits file, if any")
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


class ShopMemberOut(Schema):
    model_config = example(address=MEMBER, bought=1, may_buy=1)

    address: str
    bought: int = Field(description="stamps of this edition the member bought in the shop (what the wallet cap counts)")
    may_buy: int | None = Field(
        description="how many more the member may buy now: the wallet cap less what they bought, at most what is left "
        "(None: nothing limits it)"
    )


class ShopItemOut(Schema):
    model_config = example(
        stamp_id="201", name="Winter Cup No. 1", journey_id=2, points=40, soulbound=False, price="10000000000000000",
        wallet_cap=2, max_supply=1000, minted=12, left=988, sold=12, on_sale=True, sale_starts=1767225600,
        sale_ends=0, member={"address": MEMBER, "bought": 1, "may_buy": 1},
    )

    stamp_id: str
    name: str
    journey_id: int
    points: int
    soulbound: bool
    price: str = Field(description="wei per stamp")
    wallet_cap: int = Field(description="stamps one wallet may buy (0: no cap)")
    max_supply: int = Field(description="0: an open edition")
    minted: int = Field(description="stamps of this type issued by any path")
    left: int | None = Field(description="stamps left to issue (None: an open edition)")
    sold: int = Field(description="stamps sold in the shop")
    on_sale: bool = Field(
        description="a purchase would be issued now: the journey is open at the reflected block's time, stamps are "
        "left and issuance is not paused"
    )
    sale_starts: int = Field(description="the journey's start (unix time): purchases are issued from then")
    sale_ends: int = Field(description="the journey's end (unix time, 0: never)")
    member: ShopMemberOut | None = Field(default=None, description="with ?member=: what that member bought and may buy")


class DropMemberOut(Schema):
    model_config = example(
        address=MEMBER, eligible=True, reason=None, points_at_snapshot=60, holds_required_stamp=None, entered=True,
        position=3, paid="0", status="entered", result="won", next="claim",
    )

    address: str
    eligible: bool | None = Field(
        description="whether the member may enter by the drop's rules (None: the level is measured at block "
        "opens_at - 1, not reached yet)"
    )
    reason: Literal["level_too_low", "required_stamp_missing", "not_measured_yet"] | None = Field(
        description="why not eligible (or why not known yet)"
    )
    points_at_snapshot: int | None = Field(
        description="the points that voted for the member at block opens_at - 1, which the level counts (None before "
        "that block, or when the drop needs no level)"
    )
    holds_required_stamp: bool | None = Field(description="None when the drop needs no stamp")
    entered: bool
    position: int | None = Field(description="the entry's place in entry order, from 0")
    paid: str | None = Field(description="wei escrowed by the entry")
    status: Literal["entered", "claimed", "refunded"] | None
    result: Literal["won", "lost"] | None = Field(description="once drawn, for an entry")
    next: Literal["enter", "wait", "draw", "move_seed_block", "claim", "refund"] | None = Field(
        description="what the member can do now: enter; wait (for entries to open, or for the seed block); draw or "
        "move the seed block (anyone may); claim the won stamp; get the deposit back (a loss, or a win whose stamp "
        "can no longer be issued); None: nothing (settled, not eligible, a lost free drop, missed the window)"
    )


class DropOut(Schema):
    model_config = example(
        id="1", name="Holiday Cup draw", description="One free cup for every member drawn.", stamp_id="302",
        stamp_name="Holiday Cup", stamp_points=10, supply=2, price="0", opens_at=120,
        closes_at=159, min_level=1, min_points=10, required_stamp=None, required_stamp_name=None, seed_block=223,
        state="drawn", entries=6, winner_count=2, seed="0x" + "5e" * 32, seed_block_hash="0x" + "b1" * 32,
        drawn_block=230, claimed=1, refunded=0, proceeds_wei="0", escrow_wei="0", opens_at_time=None,
        closes_at_time=None, drawable_at_time=None,
        member={"address": MEMBER, "eligible": True, "reason": None, "points_at_snapshot": 60,
                "holds_required_stamp": None, "entered": True, "position": 3, "paid": "0", "status": "entered",
                "result": "won", "next": "claim"},
    )

    id: str
    name: str = Field(description="the drop file's name for it, else its stamp's name")
    description: str | None = Field(None, description="the drop file's description, if any")
    stamp_id: str
    stamp_name: str
    stamp_points: int
    supply: int
    price: str = Field(description="wei per entry, escrowed until the draw settles it (\"0\": free, entered gaslessly)")
    opens_at: int = Field(description="first block taking entries")
    closes_at: int = Field(description="last block taking entries")
    min_level: int = Field(description="level needed on the points held at block opens_at - 1 (0: none)")
    min_points: int = Field(description="the points that level needed when the drop was opened")
    required_stamp: str | None = Field(description="a soulbound stamp entrants must hold (None: none)")
    required_stamp_name: str | None
    seed_block: int = Field(description="the block whose hash seeds the draw")
    state: str = Field(description="as OdysseyDrops.dropState at the reflected block: upcoming, open, closed, drawable, "
                                   "seed_expired, drawn")
    entries: int
    winner_count: int = Field(description="how many entries win: min(supply, entries)")
    seed: str | None = Field(description="keccak256(abi.encode(seed_block_hash, id)), once drawn")
    seed_block_hash: str | None
    drawn_block: int | None
    claimed: int
    refunded: int
    proceeds_wei: str = Field(description="prices of claimed wins: the treasury's")
    escrow_wei: str = Field(description="deposits of entries neither claimed nor refunded")
    opens_at_time: int | None = Field(description="when entries open (unix time), estimated from the chain's recent "
                                                  "block times; None once passed or when unknown")
    closes_at_time: int | None = Field(description="when the last entry block is made, estimated likewise")
    drawable_at_time: int | None = Field(description="when the draw can happen (the block after the seed block), "
                                                     "estimated likewise")
    member: DropMemberOut | None = Field(default=None, description="with ?member=: that member's eligibility, entry, "
                                                                   "result and next step")


class DropDetailOut(DropOut):
    model_config = example(**DropOut.model_config["json_schema_extra"]["examples"][0],
                           winners=[MEMBER, OTHER_MEMBER])

    winners: list[str] | None = Field(description="once drawn: the winning entrants in entry order, computed with "
                                                  "backend/chain/drops.py from the seed and the entries")


class DropEntryOut(Schema):
    model_config = example(member=MEMBER, position=3, paid="0", status="claimed", won=True, entered_block=131,
                           settled_block=236)

    member: str
    position: int
    paid: str
    status: Literal["entered", "claimed", "refunded"]
    won: bool | None = Field(description="None before the draw")
    entered_block: int
    settled_block: int | None


class LevelsOut(Schema):
    model_config = example(thresholds=[10, 50, 150, 400, 1000])

    thresholds: list[int] = Field(description="points needed for level 1, 2, ... (ascending)")


class TreasuryOut(Schema):
    model_config = example(treasury="0x3194cBDC3dbcd3E11a07892e7bA5c3394048Cc87", treasury_balance_wei="20000000000000000",
                           balance_block=412, shop_balance_wei="30000000000000000", sales_wei="50000000000000000",
                           proceeds_withdrawn_wei="20000000000000000", proceeds_pending_wei="29500000000000000",
                           creator_owed_wei="500000000000000", royalty_bps=500,
                           drop_proceeds_pending_wei="10000000000000000", drop_proceeds_withdrawn_wei="0",
                           drop_escrow_wei="20000000000000000")

    treasury: str | None
    treasury_balance_wei: str | None
    balance_block: int | None
    shop_balance_wei: str | None = Field(description="ETH the shop holds: proceeds not yet withdrawn and co-creators' earnings")
    sales_wei: str
    proceeds_withdrawn_wei: str
    proceeds_pending_wei: str
    creator_owed_wei: str
    royalty_bps: int | None
    drop_proceeds_pending_wei: str = Field(description="prices of claimed drop wins the drops contract holds for the "
                                                       "treasury (its proceeds())")
    drop_proceeds_withdrawn_wei: str
    drop_escrow_wei: str = Field(description="deposits of drop entries neither claimed nor refunded")


class StatsOut(Schema):
    model_config = example(members=5, stamp_types=5, journeys=3, stamps_minted=11, holdings=11, total_points=310,
                           claims=11, claims_by_method={"voucher": 1, "airdrop": 10}, sales=0, transfers=11,
                           proposals=1, votes=0, ideas=1, benefits_redeemed=0, raw_events=160, reorgs=0)

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
    model_config = example(status="ok", ready=True, indexed_block=412, chain_head=412, chain_head_at=1795400001.2, lag=0,
                           confirmations=0, indexer={"state": "live", "indexed_block": 412}, rpc_ok=True,
                           rpc_error=None, database_ok=True, events=160, reorgs=0)

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
