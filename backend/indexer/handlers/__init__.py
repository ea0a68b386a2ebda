"""Handlers turn decoded events into derived state, registered per "Contract:Event" (Ponder style).

    @on("OdysseyStamps:TransferSingle")      # this contract's event (name as in deployments/<chainId>.json)
    def transfer_single(event: Event, db: Store) -> None: ...

    @on("*:ProposalCreated")                 # this event of any watched contract (any Governor)

Every event of every watched contract is stored raw (table raw_events) whether or not a handler exists.
Handlers change state through `db` (the batch's unit of work, backend/indexer/store.py) and append history with
`db.record(Model, ...)`; they never handle reorgs (see journal.py). Two optional hooks per module: a `@prefetcher`
loads in a few queries the rows a batch will touch, and an `@at_head` hook reads from the node what no event carries
(balances) after a batch near the chain's head. Modules registering handlers:

* stamps.py     OdysseyStamps: members, journeys, stamp types, holdings, claims, points, delegation, bounds, balances
* shop.py       OdysseyShop: listings, sales, proceeds, co-creators' earnings
* drops.py      OdysseyDrops: drops, entries, seeds, claims and refunds, drop proceeds
* benefits.py   OdysseyBenefits
* governor.py   OZ Governor (+ QuorumFraction, TimelockControl) events, OdysseyGovernor multiple choice, Timelock
* board.py      IdeaBoard: ideas, supporters, stages, links to proposals, realisation, board settings
"""
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from backend.indexer.rpc import Rpc
from backend.indexer.store import Store
from backend.indexer.watch import WatchList

Handler = Callable[["Event", Store], None]
REGISTRY: dict[str, list[Handler]] = defaultdict(list)
# Called once per batch with all its events, before any handler: load in a few queries the rows the handlers
# will touch (a backfill would otherwise spend its time in one SELECT per row). Optional, speed only.
PREFETCHERS: list[Callable[[list["Event"], Store], None]] = []
# Called after a batch that ends inside the reorg window (the chain's head, where the API shows current figures):
# reads of the node's state at the batch's last block that no event carries.
HEAD_HOOKS: list[Callable[[Store, "Head"], None]] = []


@dataclass(slots=True)
class Event:
    contract: str
    address: str
    name: str
    args: dict
    block_number: int
    block_hash: str
    timestamp: int
    tx_hash: str
    tx_index: int
    log_index: int


@dataclass(frozen=True)
class Head:
    """The node at the last block of a batch, for head hooks."""

    block: int
    rpc: Rpc
    watch: WatchList

    def address(self, contract: str) -> str | None:
        """The address of the watched contract named `contract` (None if this deployment has none)."""
        watched = self.watch.by_name(contract)
        return watched.address if watched is not None else None

    def call(self, address: str, data: str) -> str:
        return self.rpc.eth_call(address, data, self.block)

    def balance(self, address: str) -> int:
        return self.rpc.balance(address, self.block)


def on(key: str) -> Callable[[Handler], Handler]:
    """Register a handler for "Contract:Event" ("*" as contract: any watched contract)."""
    if ":" not in key:
        raise ValueError(f"handler key {key!r} must be 'Contract:Event'")

    def register(handler: Handler) -> Handler:
        REGISTRY[key].append(handler)
        return handler

    return register


def prefetcher(fn):
    PREFETCHERS.append(fn)
    return fn


def at_head(fn):
    HEAD_HOOKS.append(fn)
    return fn


def handlers_for(contract: str, event: str) -> list[Handler]:
    return REGISTRY.get(f"{contract}:{event}", []) + REGISTRY.get(f"*:{event}", [])


def dispatch(events: list[Event], store: Store, safe: int) -> None:
    """Run `events` (in chain order) through their handlers on `store`: the prefetchers first, then each event's
    handlers, block by block, keeping an undo journal for the blocks above `safe` (inside the reorg window)."""
    for prefetch in PREFETCHERS:
        prefetch(events, store)
    current_block = None
    for event in events:
        if event.block_number != current_block:
            current_block = event.block_number
            store.begin_block(current_block, journaled=current_block > safe)
        store.event = event
        for handler in handlers_for(event.contract, event.name):
            handler(event, store)
    store.end_block()


def load_all() -> None:
    """Import the handler modules (registration happens on import)."""
    from backend.indexer.handlers import benefits, board, drops, governor, shop, stamps  # noqa: F401
