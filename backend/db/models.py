"""SQLAlchemy 2 typed models of the mirror.

Three kinds of tables:

* bookkeeping — `indexer_state` (the cursor: one row, written in the same transaction as the rows it covers),
  `blocks` (hash, parent hash and time of recent blocks and of every block with an event), `raw_events`
  (every decoded log of every contract in the deployments file, unique on (tx hash, log index)) and
  `journal` (undo entries of derived-state rows changed in blocks that may still be reorganised);
* mutable derived state — members, journeys, stamp types, holdings, benefits, proposals, tallies, ideas, drops and
  their entries, ...
  Marked `__journaled__ = True`: every insert/update/delete of them inside the reorg window is journaled
  (see backend/indexer/journal.py) so a reorg can undo it exactly;
* append-only history — claims, transfers, sales, votes, delegations, redemptions, checkpoints. Each row carries
  `block_number`; a rollback to block N deletes the rows above N (`__history__ = True`).

The services' own tables are not the mirror's, and a re-index keeps them (`SERVICE_TABLES`): the relay's rate-limit
counters (`relay_hits`), the transaction each member has in flight (`relay_in_flight`) and the gas budgets
(`relay_gas`); the issuer service's earn rules, issued vouchers, sign-in nonces and sessions, member codes, kiosks,
partners' webhook deliveries and attempt counters (backend/issuer); the ops files' texts per language
(`translations`). Every API process shares them.

Amounts that can exceed 64 bits (wei, uint256 ids) are stored as decimal strings; points and votes are
64-bit integers (the contract keeps points in uint128 but they are sums of uint32 × balances).
"""
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Index, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

Address = String(42)
Hash = String(66)
Uint = String(78)  # uint256 as a decimal string


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


# ---------------------------------------------------------------- bookkeeping


class IndexerState(Base):
    __tablename__ = "indexer_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # always 1
    chain_id: Mapped[int] = mapped_column(BigInteger)
    deployment_key: Mapped[str] = mapped_column(String(66))  # hash of (name, address, start block) of the watch list
    start_block: Mapped[int] = mapped_column(BigInteger)
    cursor: Mapped[int] = mapped_column(BigInteger)  # last block fully indexed (start_block - 1 before any)
    cursor_hash: Mapped[str | None] = mapped_column(Hash)
    cursor_time: Mapped[int | None] = mapped_column(BigInteger)
    # Highest block applied (or kept) without an undo journal: a reorg below it is deeper than reorg_depth.
    final_block: Mapped[int] = mapped_column(BigInteger)
    chain_head: Mapped[int | None] = mapped_column(BigInteger)  # last head seen (written with the cursor)
    events: Mapped[int] = mapped_column(BigInteger, default=0)  # raw events stored
    reorgs: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[float] = mapped_column(default=0.0)


class Block(Base):
    __tablename__ = "blocks"

    number: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    hash: Mapped[str] = mapped_column(Hash)
    parent_hash: Mapped[str] = mapped_column(Hash)
    timestamp: Mapped[int] = mapped_column(BigInteger)


class RawEvent(Base):
    __tablename__ = "raw_events"
    __table_args__ = (Index("ix_raw_events_tx_log", "tx_hash", "log_index", unique=True),)

    block_number: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    log_index: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    tx_hash: Mapped[str] = mapped_column(Hash)
    tx_index: Mapped[int] = mapped_column(Integer)
    block_hash: Mapped[str] = mapped_column(Hash)
    contract: Mapped[str] = mapped_column(String(64), index=True)
    address: Mapped[str] = mapped_column(Address)
    event: Mapped[str] = mapped_column(String(64), index=True)
    args: Mapped[dict[str, Any]] = mapped_column(JSON)


class JournalEntry(Base):
    __tablename__ = "journal"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    block_number: Mapped[int] = mapped_column(BigInteger, index=True)
    table: Mapped[str] = mapped_column(String(64))
    key: Mapped[dict[str, Any]] = mapped_column(JSON)
    old: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)  # None: the row did not exist


# ---------------------------------------------------------------- mutable derived state (journaled)


class Config(Base):
    """Contract-wide settings mirrored from events: level thresholds, treasury, base URI, royalty, paused..."""

    __tablename__ = "config"
    __journaled__ = True

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(JSON)  # {"v": <value>}


class Member(Base):
    __tablename__ = "members"
    __journaled__ = True
    __table_args__ = (Index("ix_members_leaderboard", "points", "number"),)

    address: Mapped[str] = mapped_column(Address, primary_key=True)
    number: Mapped[int | None] = mapped_column(Integer, unique=True)  # None until MemberJoined (same tx)
    since: Mapped[int | None] = mapped_column(BigInteger)
    joined_block: Mapped[int | None] = mapped_column(BigInteger)
    points: Mapped[int] = mapped_column(BigInteger, default=0)
    stamps: Mapped[int] = mapped_column(Integer, default=0)  # distinct stamp types held
    delegate: Mapped[str | None] = mapped_column(Address)


class VotingPower(Base):
    """Votes (OZ Votes) of any account that ever had some, member or delegatee."""

    __tablename__ = "voting_power"
    __journaled__ = True

    address: Mapped[str] = mapped_column(Address, primary_key=True)
    votes: Mapped[int] = mapped_column(BigInteger, default=0)


class Journey(Base):
    __tablename__ = "journeys"
    __journaled__ = True

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(Text)
    uri: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(BigInteger)
    end: Mapped[int] = mapped_column(BigInteger)
    configured_block: Mapped[int] = mapped_column(BigInteger)


class StampType(Base):
    __tablename__ = "stamp_types"
    __journaled__ = True

    id: Mapped[str] = mapped_column(Uint, primary_key=True)  # ERC-1155 id, decimal
    journey_id: Mapped[int] = mapped_column(BigInteger, index=True)
    name: Mapped[str] = mapped_column(Text)
    points: Mapped[int] = mapped_column(BigInteger)
    max_supply: Mapped[int] = mapped_column(BigInteger)  # 0 = open edition
    price: Mapped[str] = mapped_column(Uint)  # wei, "0" = not for sale
    wallet_cap: Mapped[int] = mapped_column(Integer)
    soulbound: Mapped[bool] = mapped_column(Boolean)
    minted: Mapped[int] = mapped_column(BigInteger, default=0)
    holders: Mapped[int] = mapped_column(Integer, default=0)
    allowlist_root: Mapped[str | None] = mapped_column(Hash)
    creator: Mapped[str | None] = mapped_column(Address)
    creator_share_bps: Mapped[int] = mapped_column(Integer, default=0)
    configured_block: Mapped[int] = mapped_column(BigInteger)


class Holding(Base):
    __tablename__ = "holdings"
    __journaled__ = True
    __table_args__ = (Index("ix_holdings_stamp", "stamp_id", "balance"),)

    address: Mapped[str] = mapped_column(Address, primary_key=True)
    stamp_id: Mapped[str] = mapped_column(Uint, primary_key=True)
    balance: Mapped[int] = mapped_column(BigInteger, default=0)
    first_block: Mapped[int] = mapped_column(BigInteger)


class Benefit(Base):
    __tablename__ = "benefits"
    __journaled__ = True

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    min_level: Mapped[int] = mapped_column(Integer)
    stock: Mapped[int] = mapped_column(BigInteger)  # 2**32-1 = unlimited
    active: Mapped[bool] = mapped_column(Boolean)
    uri: Mapped[str] = mapped_column(Text)
    redeemed: Mapped[int] = mapped_column(Integer, default=0)
    snapshot_block: Mapped[int | None] = mapped_column(BigInteger)  # levels count the votes at this block


class Proposal(Base):
    """A governor proposal: standard OZ (options Against/For/Abstain) or multiple-choice (options listed)."""

    __tablename__ = "proposals"
    __journaled__ = True

    id: Mapped[str] = mapped_column(Uint, primary_key=True)  # proposalId, decimal
    governor: Mapped[str] = mapped_column(String(64))  # contract name in the deployments file
    kind: Mapped[str] = mapped_column(String(16), default="simple")  # simple | multiple
    proposer: Mapped[str] = mapped_column(Address)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    options: Mapped[list[Any]] = mapped_column(JSON)  # labels, index = support value
    actions: Mapped[list[Any]] = mapped_column(JSON)  # [{target, value, signature, calldata}]
    snapshot: Mapped[int] = mapped_column(BigInteger)  # voteStart (ERC-6372 timepoint)
    deadline: Mapped[int] = mapped_column(BigInteger)  # voteEnd
    created_block: Mapped[int] = mapped_column(BigInteger, index=True)
    created_tx: Mapped[str] = mapped_column(Hash)
    created_time: Mapped[int] = mapped_column(BigInteger)
    eta: Mapped[int | None] = mapped_column(BigInteger)  # set by ProposalQueued
    queued_block: Mapped[int | None] = mapped_column(BigInteger)
    executed_block: Mapped[int | None] = mapped_column(BigInteger)
    canceled_block: Mapped[int | None] = mapped_column(BigInteger)
    timelock_id: Mapped[str | None] = mapped_column(Hash)
    idea_id: Mapped[str | None] = mapped_column(Uint)
    voters: Mapped[int] = mapped_column(Integer, default=0)
    # Weight voted, each voter's once (an approval vote counts in several tallies): the multiple-choice quorum.
    votes_weight: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    # Multiple choice (MultipleChoiceProposalCreated): option i runs actions [option_ends[i-1], option_ends[i]).
    option_ends: Mapped[list[Any] | None] = mapped_column(JSON, nullable=True)
    approval: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Tally(Base):
    __tablename__ = "proposal_tallies"
    __journaled__ = True

    proposal_id: Mapped[str] = mapped_column(Uint, primary_key=True)
    option: Mapped[int] = mapped_column(Integer, primary_key=True)  # support value
    weight: Mapped[int] = mapped_column(BigInteger, default=0)
    voters: Mapped[int] = mapped_column(Integer, default=0)


class Idea(Base):
    """A co-creation board idea (backend/indexer/handlers/board.py).

    `stage` is what the board's events said (open, qualified, proposed, realised); the state the API shows adds
    what has no event (expired: deadline passed while open; rejected: the linked proposal failed), computed at
    read time by backend/governance.py as the board's `ideaState` view would."""

    __tablename__ = "ideas"
    __journaled__ = True

    id: Mapped[str] = mapped_column(Uint, primary_key=True)
    board: Mapped[str] = mapped_column(String(64))
    author: Mapped[str] = mapped_column(Address, index=True)
    title: Mapped[str] = mapped_column(Text, default="")
    uri: Mapped[str] = mapped_column(Text, default="")
    stage: Mapped[str] = mapped_column(String(32), index=True)
    supporters: Mapped[int] = mapped_column(Integer, default=0)
    support_weight: Mapped[int] = mapped_column(BigInteger, default=0)
    proposal_id: Mapped[str | None] = mapped_column(Uint)
    created_block: Mapped[int] = mapped_column(BigInteger)
    created_time: Mapped[int] = mapped_column(BigInteger)
    updated_block: Mapped[int] = mapped_column(BigInteger)
    content_hash: Mapped[str | None] = mapped_column(Hash)
    stages_version: Mapped[int | None] = mapped_column(Integer)
    stages_reached: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    deadline: Mapped[int | None] = mapped_column(BigInteger)  # of the next stage (seconds); None once qualified
    proposer: Mapped[str | None] = mapped_column(Address)  # who turned it into a proposal
    realised_block: Mapped[int | None] = mapped_column(BigInteger)
    co_creator_stamp_id: Mapped[str | None] = mapped_column(Uint)
    sale_stamp_id: Mapped[str | None] = mapped_column(Uint)
    share_bps: Mapped[int | None] = mapped_column(Integer)
    co_creator_stamp_owed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class IdeaSupporter(Base):
    __tablename__ = "idea_supporters"
    __journaled__ = True

    idea_id: Mapped[str] = mapped_column(Uint, primary_key=True)
    supporter: Mapped[str] = mapped_column(Address, primary_key=True, index=True)
    weight: Mapped[int] = mapped_column(BigInteger, default=0)
    block_number: Mapped[int] = mapped_column(BigInteger)


class TimelockOperation(Base):
    __tablename__ = "timelock_operations"
    __journaled__ = True

    id: Mapped[str] = mapped_column(Hash, primary_key=True)
    timelock: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16))  # scheduled | executed | cancelled
    calls: Mapped[list[Any]] = mapped_column(JSON)
    predecessor: Mapped[str | None] = mapped_column(Hash)
    delay: Mapped[int] = mapped_column(BigInteger)
    ready_at: Mapped[int] = mapped_column(BigInteger)
    scheduled_block: Mapped[int] = mapped_column(BigInteger)
    executed_block: Mapped[int | None] = mapped_column(BigInteger)
    cancelled_block: Mapped[int | None] = mapped_column(BigInteger)


class Drop(Base):
    """A fair drop (OdysseyDrops, backend/indexer/handlers/drops.py): its rules, entries, seed and settlements. Its
    state (upcoming, open, ...) depends on the block and is computed at read time (backend/chain/views.py), its
    winners from the seed and the entries (backend/chain/drops.py)."""

    __tablename__ = "drops"
    __journaled__ = True

    id: Mapped[str] = mapped_column(Uint, primary_key=True)  # dropId, decimal
    stamp_id: Mapped[str] = mapped_column(Uint)
    supply: Mapped[int] = mapped_column(BigInteger)
    price: Mapped[str] = mapped_column(Uint)  # wei per entry, "0" = free
    opens_at: Mapped[int] = mapped_column(BigInteger)  # first block taking entries
    closes_at: Mapped[int] = mapped_column(BigInteger)  # last block taking entries
    min_level: Mapped[int] = mapped_column(Integer)
    min_points: Mapped[int] = mapped_column(BigInteger)  # the points min_level needed when the drop was configured
    required_stamp: Mapped[str] = mapped_column(Uint)  # "0" = none
    seed_block: Mapped[int] = mapped_column(BigInteger)
    entries: Mapped[int] = mapped_column(Integer, default=0)
    claimed: Mapped[int] = mapped_column(Integer, default=0)
    refunded: Mapped[int] = mapped_column(Integer, default=0)
    seed: Mapped[str | None] = mapped_column(Hash)  # set by DropDrawn
    seed_block_hash: Mapped[str | None] = mapped_column(Hash)
    drawn_block: Mapped[int | None] = mapped_column(BigInteger)
    configured_block: Mapped[int] = mapped_column(BigInteger)


class DropEntry(Base):
    """A member's entry in a drop: its position (entry order, from 0), what it paid into escrow, and its status
    (IOdysseyDrops.EntryStatus: entered, claimed, refunded)."""

    __tablename__ = "drop_entries"
    __journaled__ = True
    __table_args__ = (Index("ix_drop_entries_position", "drop_id", "position", unique=True),)

    drop_id: Mapped[str] = mapped_column(Uint, primary_key=True)
    member: Mapped[str] = mapped_column(Address, primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer)
    paid: Mapped[str] = mapped_column(Uint)
    status: Mapped[str] = mapped_column(String(16))
    entered_block: Mapped[int] = mapped_column(BigInteger)
    settled_block: Mapped[int | None] = mapped_column(BigInteger)  # claimed or refunded


# ---------------------------------------------------------------- append-only history


class Claim(Base):
    __tablename__ = "claims"
    __history__ = True
    __table_args__ = (Index("ix_claims_feed", "block_number", "log_index"),)

    tx_hash: Mapped[str] = mapped_column(Hash, primary_key=True)
    log_index: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    block_number: Mapped[int] = mapped_column(BigInteger)
    timestamp: Mapped[int] = mapped_column(BigInteger)
    member: Mapped[str] = mapped_column(Address, index=True)
    stamp_id: Mapped[str] = mapped_column(Uint, index=True)
    method: Mapped[str] = mapped_column(String(16))  # voucher | allowlist | airdrop | purchase
    quantity: Mapped[int] = mapped_column(BigInteger)
    ref: Mapped[str] = mapped_column(Uint)  # voucher nonce or allowlist index


class Transfer(Base):
    __tablename__ = "transfers"
    __history__ = True

    tx_hash: Mapped[str] = mapped_column(Hash, primary_key=True)
    log_index: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)  # in TransferBatch
    block_number: Mapped[int] = mapped_column(BigInteger, index=True)
    timestamp: Mapped[int] = mapped_column(BigInteger)
    operator: Mapped[str] = mapped_column(Address)
    from_address: Mapped[str] = mapped_column(Address, index=True)
    to_address: Mapped[str] = mapped_column(Address, index=True)
    stamp_id: Mapped[str] = mapped_column(Uint)
    value: Mapped[int] = mapped_column(BigInteger)


class Sale(Base):
    __tablename__ = "sales"
    __history__ = True

    tx_hash: Mapped[str] = mapped_column(Hash, primary_key=True)
    log_index: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    block_number: Mapped[int] = mapped_column(BigInteger, index=True)
    timestamp: Mapped[int] = mapped_column(BigInteger)
    buyer: Mapped[str] = mapped_column(Address, index=True)
    stamp_id: Mapped[str] = mapped_column(Uint)
    quantity: Mapped[int] = mapped_column(BigInteger)
    paid: Mapped[str] = mapped_column(Uint)
    creator_share: Mapped[str] = mapped_column(Uint)


class TreasuryFlow(Base):
    """Proceeds and creator earnings leaving the shop, and drop proceeds leaving the drops contract."""

    __tablename__ = "treasury_flows"
    __history__ = True

    tx_hash: Mapped[str] = mapped_column(Hash, primary_key=True)
    log_index: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    block_number: Mapped[int] = mapped_column(BigInteger, index=True)
    kind: Mapped[str] = mapped_column(String(32))  # proceeds | creator | drop_proceeds
    to_address: Mapped[str] = mapped_column(Address)
    amount: Mapped[str] = mapped_column(Uint)


class Redemption(Base):
    __tablename__ = "redemptions"
    __history__ = True

    tx_hash: Mapped[str] = mapped_column(Hash, primary_key=True)
    log_index: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    block_number: Mapped[int] = mapped_column(BigInteger, index=True)
    timestamp: Mapped[int] = mapped_column(BigInteger)
    benefit_id: Mapped[int] = mapped_column(BigInteger, index=True)
    member: Mapped[str] = mapped_column(Address, index=True)
    stock_left: Mapped[int] = mapped_column(BigInteger)


class Delegation(Base):
    __tablename__ = "delegations"
    __history__ = True

    tx_hash: Mapped[str] = mapped_column(Hash, primary_key=True)
    log_index: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    block_number: Mapped[int] = mapped_column(BigInteger, index=True)
    delegator: Mapped[str] = mapped_column(Address, index=True)
    from_delegate: Mapped[str] = mapped_column(Address)
    to_delegate: Mapped[str] = mapped_column(Address)


class Vote(Base):
    __tablename__ = "votes"
    __history__ = True
    __table_args__ = (Index("ix_votes_proposal", "proposal_id", "block_number"),)

    tx_hash: Mapped[str] = mapped_column(Hash, primary_key=True)
    log_index: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    block_number: Mapped[int] = mapped_column(BigInteger)
    timestamp: Mapped[int] = mapped_column(BigInteger)
    proposal_id: Mapped[str] = mapped_column(Uint)
    voter: Mapped[str] = mapped_column(Address, index=True)
    support: Mapped[int] = mapped_column(Integer)  # option index (0 against, 1 for, 2 abstain for simple)
    weight: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(Text, default="")
    params: Mapped[str | None] = mapped_column(Text)


class SupplyCheckpoint(Base):
    """Total voting units (= total points) after each block that changed them: quorum at a snapshot."""

    __tablename__ = "supply_checkpoints"
    __history__ = True

    block_number: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    total: Mapped[int] = mapped_column(BigInteger)


class VoteCheckpoint(Base):
    """A delegate's votes (points voting for them) after each block that changed them: levels at a benefit's
    snapshot, as OdysseyBenefits reads them with getPastVotes."""

    __tablename__ = "vote_checkpoints"
    __history__ = True

    delegate: Mapped[str] = mapped_column(Address, primary_key=True)
    block_number: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    votes: Mapped[int] = mapped_column(BigInteger)


class QuorumCheckpoint(Base):
    """GovernorVotesQuorumFraction numerator after each change (QuorumNumeratorUpdated)."""

    __tablename__ = "quorum_checkpoints"
    __history__ = True

    governor: Mapped[str] = mapped_column(String(64), primary_key=True)
    block_number: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    numerator: Mapped[int] = mapped_column(BigInteger)


class Balance(Base):
    """ETH balances read at the end of a batch (treasury, stamps contract proceeds)."""

    __tablename__ = "balances"
    __history__ = True

    address: Mapped[str] = mapped_column(Address, primary_key=True)
    block_number: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    wei: Mapped[str] = mapped_column(Uint)


# ---------------------------------------------------------------- relay


class RelayHit(Base):
    """Requests counted against one relay rate limit in one fixed window (backend/relay/limits.py)."""

    __tablename__ = "relay_hits"

    scope: Mapped[str] = mapped_column(String(16), primary_key=True)  # "ip" or "member"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)  # the client IP or the member's address
    window_start: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False, index=True)  # unix ms
    hits: Mapped[int] = mapped_column(Integer)


class RelayInFlight(Base):
    """The relayed transaction of a member not yet mined: one at most, so a request resubmitted (or any other of the
    member's) while it is pending is refused instead of paid for twice (backend/relay/limits.py)."""

    __tablename__ = "relay_in_flight"

    member: Mapped[str] = mapped_column(Address, primary_key=True)
    tx_hash: Mapped[str] = mapped_column(Hash, unique=True)
    gas_limit: Mapped[int] = mapped_column(BigInteger)  # reserved in the member's gas budget until it is mined
    budget_window: Mapped[int] = mapped_column(BigInteger)  # the budget window it was reserved in (unix ms)
    sent_at: Mapped[float] = mapped_column()  # unix time


class RelayGas(Base):
    """Gas of a member's relayed transactions in one budget window: used by the mined ones, the limit of the one in
    flight (backend/relay/limits.py)."""

    __tablename__ = "relay_gas"

    member: Mapped[str] = mapped_column(Address, primary_key=True)
    window_start: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False, index=True)  # unix ms
    gas: Mapped[int] = mapped_column(BigInteger)


# ---------------------------------------------------------------- issuer service (backend/issuer)

RowId = BigInteger().with_variant(Integer, "sqlite")  # SQLite numbers only an INTEGER PRIMARY KEY by itself


class EarnRule(Base):
    """How a stamp type is earned, as its journey file declares it (scripts/journeys.py writes it): the kind and its
    details, secrets only by name (backend/issuer/earn.py says which details are public)."""

    __tablename__ = "earn_rules"

    stamp_id: Mapped[str] = mapped_column(Uint, primary_key=True)
    journey_id: Mapped[int] = mapped_column(BigInteger, index=True)
    kind: Mapped[str] = mapped_column(String(16))
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[float] = mapped_column()


class IssuedVoucher(Base):
    """Every Claim voucher the issuer signed, stored before it is returned: one open voucher per (member, stamp) at a
    time (`seq` numbers them), with the activity and evidence it was earned by and how its delivery went."""

    __tablename__ = "issued_vouchers"
    __table_args__ = (UniqueConstraint("member", "stamp_id", "seq"),)

    id: Mapped[int] = mapped_column(RowId, primary_key=True, autoincrement=True)
    member: Mapped[str] = mapped_column(Address)
    stamp_id: Mapped[str] = mapped_column(Uint)
    seq: Mapped[int] = mapped_column(Integer)  # 0 for the first voucher, +1 for each after one expired unused
    nonce: Mapped[str | None] = mapped_column(Uint, unique=True)  # set, with the signature, in the inserting transaction
    deadline: Mapped[int] = mapped_column(BigInteger)
    signature: Mapped[str | None] = mapped_column(String(132))
    activity: Mapped[str] = mapped_column(String(16))
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[float] = mapped_column()
    relayed: Mapped[bool] = mapped_column(Boolean)  # the relay sends it (else the member does, paying the fee)
    tx_hash: Mapped[str | None] = mapped_column(Hash)  # the relay's last transaction for it
    sent_at: Mapped[float | None] = mapped_column()
    retry_at: Mapped[float | None] = mapped_column()  # not sent again before (the budget spent, the member's slot busy)
    lease_until: Mapped[float | None] = mapped_column()  # one process at a time sends it
    last_error: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(16), index=True)  # None while open, "collected", "refused"


class SiweNonce(Base):
    """A Sign-In with Ethereum nonce handed out and not used yet: taken (deleted) by the one sign-in that names it."""

    __tablename__ = "siwe_nonces"

    nonce: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[float] = mapped_column(index=True)


class MemberSession(Base):
    """A signed-in member: the session token is never stored, only its SHA-256."""

    __tablename__ = "member_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    member: Mapped[str] = mapped_column(Address, index=True)
    expires_at: Mapped[float] = mapped_column(index=True)


class MemberCode(Base):
    """The short code a member shows at a partner's till, so its point-of-sale system can name them."""

    __tablename__ = "member_codes"

    member: Mapped[str] = mapped_column(Address, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)


class Kiosk(Base):
    """A staff kiosk showing one stamp's rotating code; it holds a token (only its SHA-256 is stored) and no key."""

    __tablename__ = "kiosks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(Text)
    stamp_id: Mapped[str] = mapped_column(Uint)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[float] = mapped_column()
    revoked_at: Mapped[float | None] = mapped_column()


class WebhookDelivery(Base):
    """A partner's receipt webhook, by its idempotency key: the same key again is a replay, refused."""

    __tablename__ = "webhook_deliveries"

    partner: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    body_sha256: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[float] = mapped_column()
    voucher_id: Mapped[int | None] = mapped_column(BigInteger)


class IssuerHit(Base):
    """Attempts counted against one issuer limit in one fixed window (backend/relay/limits.py's RateLimiter)."""

    __tablename__ = "issuer_hits"

    scope: Mapped[str] = mapped_column(String(16), primary_key=True)  # "quiz", "code", "signin", "kiosk", ...
    key: Mapped[str] = mapped_column(String(128), primary_key=True)  # client IP, member and stamp, kiosk, partner
    window_start: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False, index=True)  # unix ms
    hits: Mapped[int] = mapped_column(Integer)


class Translation(Base):
    """Member-facing text the ops files give per language (backend/content.py): names and descriptions of journeys,
    stamp types, drops and benefits, written by the loading scripts (scripts/journeys.py, drops.py, benefits.py) and
    read by the API in the language a request asks for. The chain keeps the English names."""

    __tablename__ = "translations"

    subject: Mapped[str] = mapped_column(String(16), primary_key=True)  # "journey", "stamp", "drop", "benefit"
    subject_id: Mapped[str] = mapped_column(Uint, primary_key=True)
    field: Mapped[str] = mapped_column(String(16), primary_key=True)  # "name", "description"
    locale: Mapped[str] = mapped_column(String(8), primary_key=True)  # one of backend.i18n.LOCALES
    text: Mapped[str] = mapped_column(Text)


# The services' own tables: never the mirror's, kept by a re-index.
SERVICE_TABLES = {m.__table__ for m in (RelayHit, RelayInFlight, RelayGas, EarnRule, IssuedVoucher, SiweNonce, MemberSession,
                                        MemberCode, Kiosk, WebhookDelivery, IssuerHit, Translation)}
HISTORY = {m.__tablename__: m for m in Base.__subclasses__() if getattr(m, "__history__", False)}
