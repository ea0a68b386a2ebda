"""Print journeys, stamp supplies and (optionally) a member's stamps, points and level.

    brownie run scripts/status.py main [member_address] --network odyssey-local
"""
import datetime

from brownie import web3
from eth_utils import is_address, to_checksum_address

from scripts.lib.common import ScriptError, contract, load_deployment, run_main


def _date(timestamp: int, open_value: str) -> str:
    if not timestamp:
        return open_value
    return datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc).strftime("%Y-%m-%d")


def catalogue(stamps, start_block: int) -> dict[int, list[int]]:
    """Journey id -> stamp type ids, in the order they were configured (read from the contract's events)."""
    events = web3.eth.contract(address=stamps.address, abi=stamps.abi).events
    journeys: dict[int, list[int]] = {}
    for log in events.JourneyConfigured.get_logs(from_block=start_block):
        journeys.setdefault(log.args.journeyId, [])
    for log in events.StampTypeConfigured.get_logs(from_block=start_block):
        ids = journeys.setdefault(log.args.journeyId, [])
        if log.args.stampId not in ids:
            ids.append(log.args.stampId)
    return journeys


def member_summary(stamps, member: str, stamp_ids: list[int]) -> list[str]:
    number, since, points = stamps.memberOf(member)
    if number == 0:
        return [f"{member} is not a member yet"]
    level = stamps.levelOf(member)
    thresholds = stamps.levelThresholds()
    following = f"; level {level + 1} at {thresholds[level]} points" if level < len(thresholds) else " (top level)"
    delegate = stamps.delegates(member)
    votes_line = f"votes {stamps.getVotes(member)} (delegate: {'self' if delegate == member else delegate})"
    lines = [
        f"member #{number} {member}, since {_date(since, '-')}",
        f"  level {level}, {points} points{following}; {votes_line}",
    ]
    balances = stamps.balanceOfBatch([member] * len(stamp_ids), stamp_ids) if stamp_ids else []
    held = [(sid, bal) for sid, bal in zip(stamp_ids, balances) if bal]
    for stamp_id, balance in held:
        stamp_points = stamps.stampType(stamp_id)[1]
        lines.append(f"  stamp {stamp_id} {stamps.stampName(stamp_id)!r} x{balance} ({stamp_points * balance} points)")
    if not held:
        lines.append("  no stamps")
    return lines


def main(member: str = "") -> list[str]:
    def body():
        if member and not is_address(member):
            raise ScriptError(f"not an address: {member!r}")
        deployment = load_deployment()
        stamps, shop = contract("OdysseyStamps", deployment), contract("OdysseyShop", deployment)
        journeys = catalogue(stamps, deployment.start_block)
        lines = [
            f"Odyssey on chain {deployment.chain_id}: stamps {stamps.address}",
            f"  {stamps.memberCount()} members; treasury {stamps.treasury()}; "
            f"proceeds held {web3.from_wei(shop.proceeds(), 'ether')} ETH; "
            f"claims {'PAUSED' if stamps.paused() else 'open'}",
        ]
        for journey_id, stamp_ids in sorted(journeys.items()):
            name, _uri, start, end = stamps.journey(journey_id)
            lines.append(f"journey {journey_id} {name!r}: {_date(start, 'always')} to {_date(end, 'open-ended')}")
            for stamp_id in stamp_ids:
                _, points, max_supply, minted, soulbound = stamps.stampType(stamp_id)
                price, wallet_cap = shop.listing(stamp_id)
                kind = "soulbound" if soulbound else "collectible"
                sale = f", {web3.from_wei(price, 'ether')} ETH (cap {wallet_cap or 'none'})" if price else ""
                lines.append(
                    f"  stamp {stamp_id} {stamps.stampName(stamp_id)!r}: {points} points, {kind}{sale}, "
                    f"minted {minted}/{max_supply or 'open'}"
                )
        if member:
            all_ids = [sid for ids in journeys.values() for sid in ids]
            lines.extend(member_summary(stamps, to_checksum_address(member), all_ids))
        print("\n".join(lines))
        return lines

    return run_main(body)
