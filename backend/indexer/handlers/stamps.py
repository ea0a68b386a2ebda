"""OdysseyStamps → members, journeys, stamp types, holdings, claims, transfers, delegation, config (the DAO's
issuance bounds among it), and near the head the ETH the treasury and the shop hold. Sales are the shop's (shop.py).

Event order inside one mint (OdysseyStamps._update): TransferSingle, then MemberJoined and
DelegateChanged(member, 0, member) for a first-time member, then DelegateVotesChanged, then StampClaimed.
So the transfer handler creates the member row (number still None) and MemberJoined completes it.
"""
from eth_utils import function_signature_to_4byte_selector

from backend.chain.protocol import ClaimMethod
from backend.db import models
from backend.indexer.handlers import Event, Head, at_head, on, prefetcher
from backend.indexer.store import Row, Store
from backend.indexer.watch import checksum

ZERO = "0x0000000000000000000000000000000000000000"
C = "OdysseyStamps"
TREASURY_CALL = "0x" + function_signature_to_4byte_selector("treasury()").hex()


@prefetcher
def prefetch(events: list[Event], db: Store) -> None:
    """Members, votes and holdings a batch touches, in a few queries; all stamp types (a small table)."""
    addresses, holdings = set(), set()
    for e in events:
        if e.contract != C:
            continue
        a = e.args
        if e.name in ("TransferSingle", "TransferBatch"):
            ids = [a["id"]] if e.name == "TransferSingle" else a["ids"]
            for party in (a["from"], a["to"]):
                if party != ZERO:
                    addresses.add(party)
                    holdings.update((party, str(i)) for i in ids)
        elif e.name in ("MemberJoined", "DelegateChanged", "DelegateVotesChanged"):
            addresses.add(a.get("member") or a.get("delegator") or a.get("delegate"))
            if e.name == "DelegateChanged":
                addresses.add(a["toDelegate"])
    if addresses:
        db.prefetch(models.Member, [(x,) for x in addresses])
        db.prefetch(models.VotingPower, [(x,) for x in addresses])
        db.prefetch(models.Holding, list(holdings))
        db.prefetch_all(models.StampType)
    if any(e.contract == C and e.name == "MemberJoined" for e in events) or addresses:
        db.prefetch(models.Config, [(k,) for k in ("total_points", "member_count")])


def _member(db: Store, address: str) -> Row:
    return db.get_or_create(models.Member, address, points=0, stamps=0)


def _add_points(db: Store, delta: int) -> None:
    total = db.config("total_points", 0) + delta
    db.set_config("total_points", total)
    db.checkpoint(models.SupplyCheckpoint, total=total)


def _move(db: Store, event: Event, position: int, operator: str, sender: str, to: str, stamp_id: int, value: int):
    key = str(stamp_id)
    stamp = db.get(models.StampType, key)
    points = stamp.points * value if stamp is not None else 0
    if sender != ZERO:
        holding = db.get(models.Holding, sender, key)
        holding.balance -= value
        member = _member(db, sender)
        member.points -= points
        if holding.balance == 0:  # the row stays (balance 0): history of who held what
            member.stamps -= 1
            if stamp is not None:
                stamp.holders -= 1
    else:
        if stamp is not None:
            stamp.minted += value
        _add_points(db, points)
    if to != ZERO:
        holding = db.get_or_create(models.Holding, to, key, balance=0, first_block=event.block_number)
        member = _member(db, to)
        if holding.balance == 0:
            member.stamps += 1
            if stamp is not None:
                stamp.holders += 1
        holding.balance += value
        member.points += points
    elif sender != ZERO:
        _add_points(db, -points)
    db.record(
        models.Transfer,
        position=position,
        operator=operator,
        from_address=sender,
        to_address=to,
        stamp_id=key,
        value=value,
    )


@on(f"{C}:TransferSingle")
def transfer_single(event: Event, db: Store) -> None:
    a = event.args
    _move(db, event, 0, a["operator"], a["from"], a["to"], a["id"], a["value"])


@on(f"{C}:TransferBatch")
def transfer_batch(event: Event, db: Store) -> None:
    a = event.args
    for position, (stamp_id, value) in enumerate(zip(a["ids"], a["values"])):
        _move(db, event, position, a["operator"], a["from"], a["to"], stamp_id, value)


@on(f"{C}:MemberJoined")
def member_joined(event: Event, db: Store) -> None:
    member = _member(db, event.args["member"])
    member.number = event.args["number"]
    member.since = event.args["since"]
    member.joined_block = event.block_number
    db.set_config("member_count", db.config("member_count", 0) + 1)


@on(f"{C}:DelegateChanged")
def delegate_changed(event: Event, db: Store) -> None:
    a = event.args
    _member(db, a["delegator"]).delegate = a["toDelegate"]
    db.record(models.Delegation, delegator=a["delegator"], from_delegate=a["fromDelegate"], to_delegate=a["toDelegate"])


@on(f"{C}:DelegateVotesChanged")
def delegate_votes_changed(event: Event, db: Store) -> None:
    power = db.get_or_create(models.VotingPower, event.args["delegate"], votes=0)
    power.votes = event.args["newVotes"]
    db.checkpoint(models.VoteCheckpoint, event.args["delegate"], votes=event.args["newVotes"])


@on(f"{C}:JourneyConfigured")
def journey_configured(event: Event, db: Store) -> None:
    a = event.args
    journey = db.get_or_create(
        models.Journey, a["journeyId"], name=a["name"], uri=a["uri"], start=a["start"], end=a["end"],
        configured_block=event.block_number,
    )
    journey.name, journey.uri, journey.start, journey.end = a["name"], a["uri"], a["start"], a["end"]
    journey.configured_block = event.block_number


@on(f"{C}:StampTypeConfigured")
def stamp_type_configured(event: Event, db: Store) -> None:
    a = event.args
    stamp = db.get_or_create(
        models.StampType, str(a["stampId"]), journey_id=a["journeyId"], name=a["name"], points=a["points"],
        max_supply=a["maxSupply"], price="0", wallet_cap=0, soulbound=a["soulbound"],
        minted=0, holders=0, creator_share_bps=0, configured_block=event.block_number,
    )
    stamp.journey_id, stamp.name, stamp.points = a["journeyId"], a["name"], a["points"]
    stamp.max_supply, stamp.soulbound, stamp.configured_block = a["maxSupply"], a["soulbound"], event.block_number


@on(f"{C}:StampClaimed")
def stamp_claimed(event: Event, db: Store) -> None:
    a = event.args
    db.record(
        models.Claim, member=a["member"], stamp_id=str(a["stampId"]), method=ClaimMethod(a["method"]).label,
        quantity=a["quantity"], ref=str(a["ref"]),
    )


@at_head
def balances(db: Store, head: Head) -> None:
    """ETH held by the treasury and by the shop (unwithdrawn proceeds), at the batch's last block."""
    stamps, shop = head.address(C), head.address("OdysseyShop")
    if stamps is None or shop is None:
        return
    treasury = db.config("treasury")
    if treasury is None:
        treasury = checksum("0x" + head.call(stamps, TREASURY_CALL)[-40:])
        db.set_config("treasury", treasury)
    for address in dict.fromkeys([treasury, shop]):
        db.record(models.Balance, address=address, block_number=head.block, wei=str(head.balance(address)))


@on(f"{C}:AllowlistRootSet")
def allowlist_root_set(event: Event, db: Store) -> None:
    stamp = db.get(models.StampType, str(event.args["stampId"]))
    if stamp is not None:
        stamp.allowlist_root = event.args["root"]


@on(f"{C}:IssuanceBoundsSet")
def issuance_bounds_set(event: Event, db: Store) -> None:
    a = event.args
    db.set_config("issuance_bounds", {
        "max_stamp_points": a["maxStampPoints"], "budget_bps": a["budgetBps"], "budget_floor": a["budgetFloor"],
        "budget_period": a["budgetPeriod"],
    })


@on(f"{C}:LevelThresholdsSet")
def level_thresholds_set(event: Event, db: Store) -> None:
    db.set_config("level_thresholds", list(event.args["thresholds"]))


@on(f"{C}:TreasuryChanged")
def treasury_changed(event: Event, db: Store) -> None:
    db.set_config("treasury", event.args["newTreasury"])


@on(f"{C}:RoyaltySet")
def royalty_set(event: Event, db: Store) -> None:
    db.set_config("royalty_bps", event.args["royaltyBps"])


@on(f"{C}:BaseURIChanged")
def base_uri_changed(event: Event, db: Store) -> None:
    db.set_config("base_uri", event.args["uri"])


@on(f"{C}:Paused")
def paused(event: Event, db: Store) -> None:
    db.set_config("paused", True)


@on(f"{C}:Unpaused")
def unpaused(event: Event, db: Store) -> None:
    db.set_config("paused", False)
