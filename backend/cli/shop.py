"""`odyssey shop`, `buy`, `drops`, `enter` and `drop`: limited editions bought with the member's own ether, and fair
drops entered, drawn, claimed and refunded (docs/drops.md).

What is listed comes from the API (`/shop`, `/drops`), with the block it reflects; an action first waits until the
API has indexed the chain's head (`Context.read_current`), so its checks see the newest block. A purchase and a paid
entry carry ether: they are the member's own transactions (the relayer sends none). A free entry and a draw are signed
and relayed; a claim and a refund name the member and are relayed as direct calls (or sent with `--pay-gas`)."""
import datetime
import time
from decimal import Decimal

from backend.chain.protocol import DROP_STATES
from backend.cli import wallet
from backend.cli.api import as_of
from backend.cli.chain import Context
from backend.cli.errors import CliError

# What a member is told about a drop's standing: the API's `reason` and `next` (DropMemberOut) in words.
NOT_ELIGIBLE = {
    "level_too_low": "not eligible: it needs level {min_level} on the points you held when entries opened (you had {points})",
    "required_stamp_missing": "not eligible: it is for holders of {required_stamp_name} (stamp {required_stamp})",
    "not_measured_yet": "eligibility is measured on the points held at block {snapshot}, when entries open",
}
NEXT_STEP = {
    "enter": "enter it: odyssey enter {id}",
    "wait": "wait: {waiting}",
    "draw": "the draw can happen now (anyone may): odyssey drop {id} draw",
    "move_seed_block": "nobody drew in time: move the draw to a new seed block (anyone may): odyssey drop {id} move",
    "claim": "you won: claim your stamp with odyssey drop {id} claim",
    "refund": "get your {deposit} deposit back: odyssey drop {id} refund",
}
ACTIONS = {  # `odyssey drop <id> <action>`: the contract function, and whether the member signs it (forwarded)
    "claim": ("claim", False), "refund": ("refund", False), "draw": ("draw", True), "move": ("moveSeedBlock", True),
}


def ether(wei: int | str) -> str:
    """`10000000000000000` → `0.01 ETH`."""
    amount = Decimal(int(wei)) / Decimal(10**18)
    return ("0" if amount == 0 else f"{amount:f}".rstrip("0").rstrip(".")) + " ETH"


def _when(timestamp: int | None) -> str:
    """An estimated time (the API's, from the chain's recent block times) as a date and how far off it is."""
    if timestamp is None:
        return ""
    at = datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    now = time.time()
    if timestamp <= now:
        return at
    minutes = (timestamp - now) / 60
    return f"{at}, in about " + (f"{round(minutes)} min" if minutes >= 1.5 else f"{round(timestamp - now)} s")


def _number(text: str, what: str, minimum: int = 0) -> int:
    try:
        value = int(text, 0)
    except ValueError:
        value = -1
    if value < minimum:
        raise CliError(f"{what} {text!r} is not a number" + (f" of at least {minimum}" if minimum else ""))
    return value


def _wallet_address(ctx: Context) -> str | None:
    """The member's address when a wallet exists (a listing then shows their standing), else None."""
    try:
        return ctx.address()
    except wallet.WalletError:
        return None


# ---------------------------------------------------------------------------------------------- shop


def _item_line(item: dict) -> str:
    left = "open edition" if item["left"] is None else f"{item['left']} left of {item['max_supply']}"
    cap = f" · {item['wallet_cap']} per wallet" if item["wallet_cap"] else ""
    line = f"  #{item['stamp_id']:<6} {item['name']} · {item['points']} points · {ether(item['price'])} · {left}{cap}"
    if not item["on_sale"]:
        line += " · sold out" if item["left"] == 0 else " · not on sale now"
    elif item["member"] is not None:
        mine = item["member"]
        line += f" · you bought {mine['bought']}" if mine["bought"] else ""
        line += " · you may buy no more" if mine["may_buy"] == 0 else ""
    return line


def _item(item: dict) -> dict:
    return {"stampId": int(item["stamp_id"]), "name": item["name"], "points": item["points"], "priceWei": item["price"],
            "left": item["left"], "maxSupply": item["max_supply"], "walletCap": item["wallet_cap"],
            "sold": item["sold"], "onSale": item["on_sale"], "member": item["member"]}


def cmd_shop(ctx: Context) -> dict:
    member = _wallet_address(ctx)
    body = ctx.api.get("/shop", {"member": member} if member else None)
    items, block = [_item(i) for i in body["data"]], body["block"]["number"]
    lines = ["limited editions (buy with: odyssey buy <stamp> [quantity]):" if items else "nothing for sale yet"]
    lines += [_item_line(i) for i in body["data"]]
    lines.append(as_of(block))
    return {"address": member, "items": items, "block": block, "message": "\n".join(lines)}


def cmd_buy(ctx: Context) -> dict:
    shop = ctx.contract("OdysseyShop", "the shop")
    stamp_id = _number(ctx.args.stamp, "stamp")
    quantity = _number(ctx.args.quantity, "quantity", minimum=1)
    member = ctx.address()
    found = ctx.read_current(f"/shop/{stamp_id}", {"member": member}, missing_ok=True)
    if found is None:
        raise CliError(f"stamp {stamp_id} is not for sale in the shop (see `odyssey shop`)")
    item = found["data"]
    if not item["on_sale"]:
        raise CliError(f"{item['name']} is " + ("sold out" if item["left"] == 0 else "not on sale now"))
    may_buy = item["member"]["may_buy"]
    if may_buy is not None and quantity > may_buy:
        raise CliError(f"you may buy {may_buy} more {item['name']} (" + (
            f"{item['wallet_cap']} per wallet, you bought {item['member']['bought']})"
            if item["wallet_cap"] and may_buy == item["wallet_cap"] - item["member"]["bought"] else f"{item['left']} left)"))
    price = int(item["price"]) * quantity
    summary = f"bought {quantity} × {item['name']} ({item['points']} points each) for {ether(price)}"
    # Ether changes hands: the member's own transaction, never the relay's.
    result = ctx.send_paying(shop, "purchase", [stamp_id, quantity], price, summary)
    result.update(address=member, stampId=stamp_id, quantity=quantity, priceWei=str(price))
    return _with_fee(result)


def _with_fee(result: dict) -> dict:
    """The gas a member's own transaction cost, added to what it says."""
    if "feeWei" in result:
        result["message"] += f" (gas {ether(result['feeWei'])})"
    return result


# ---------------------------------------------------------------------------------------------- drops


def _standing(drop: dict) -> list[str]:
    """The member's eligibility, entry, result and next step in words."""
    mine = drop["member"]
    if mine is None:
        return []
    lines = []
    if mine["entered"]:
        deposit = f", {ether(mine['paid'])} held" if int(mine["paid"] or 0) else ""
        lines.append(f"    you entered (entry #{mine['position']}{deposit})"
                     + (f": you {mine['result']}" if mine["result"] else "")
                     + (f", {mine['status']}" if mine["status"] != "entered" else ""))
    elif mine["reason"]:
        lines.append("    " + NOT_ELIGIBLE[mine["reason"]].format(
            min_level=drop["min_level"], points=mine["points_at_snapshot"], required_stamp=drop["required_stamp"],
            required_stamp_name=drop["required_stamp_name"], snapshot=drop["opens_at"] - 1))
    if mine["next"]:
        waiting = (f"entries open {_when(drop['opens_at_time']) or 'at block ' + str(drop['opens_at'])}"
                   if drop["state"] == "upcoming" else
                   f"the draw can happen {_when(drop['drawable_at_time']) or 'after block ' + str(drop['seed_block'])}")
        deposit = ether(mine["paid"] or drop["price"])
        lines.append("    " + NEXT_STEP[mine["next"]].format(id=drop["id"], waiting=waiting, deposit=deposit))
    return lines


def _drop_lines(drop: dict) -> list[str]:
    price = "free" if drop["price"] == "0" else f"{ether(drop['price'])} per entry"
    lines = [f"drop #{drop['id']}  [{drop['state']}]  {drop['stamp_name']} ({drop['stamp_points']} points) · "
             f"{drop['supply']} to win · {price} · {drop['entries']} entered"]
    needs = ([f"at level {drop['min_level']} or above"] if drop["min_level"] else []) + (
        [f"holding {drop['required_stamp_name']}"] if drop["required_stamp"] else [])
    window = f"    entries blocks {drop['opens_at']}-{drop['closes_at']}"
    if drop["state"] in ("upcoming", "open"):
        verb, when = ("opens", drop["opens_at_time"]) if drop["state"] == "upcoming" else ("closes", drop["closes_at_time"])
        if when:
            window += f" ({verb} {_when(when)})"
    lines.append(window + (f" · for members {' and '.join(needs)}" if needs else ""))
    if drop["seed"]:
        lines.append(f"    drawn at block {drop['drawn_block']}: seed {drop['seed']} (block {drop['seed_block']}), "
                     f"{drop['winner_count']} won, {drop['claimed']} claimed, {drop['refunded']} refunded")
    else:
        lines.append(f"    the draw uses the hash of block {drop['seed_block']}")
    return lines + _standing(drop)


def _drop(drop: dict) -> dict:
    keys = ("id", "stamp_id", "stamp_name", "supply", "price", "state", "entries", "opens_at", "closes_at", "seed_block",
            "seed", "winner_count", "opens_at_time", "closes_at_time", "drawable_at_time", "member", "winners")
    return {key: drop[key] for key in keys if key in drop}


def cmd_drops(ctx: Context) -> dict:
    member = _wallet_address(ctx)
    params = {**({"member": member} if member else {}), **({"state": ctx.args.state} if ctx.args.state else {})}
    found, block = ctx.api.all_pages("/drops", params)
    lines = [] if found else ["no drops yet" if not ctx.args.state else f"no {ctx.args.state} drops"]
    for drop in found:
        lines += _drop_lines(drop)
    lines.append(as_of(block))
    return {"address": member, "drops": [_drop(d) for d in found], "block": block, "message": "\n".join(lines)}


def _current_drop(ctx: Context, drop_id: int, member: str, block: int | None = None) -> dict:
    """The drop with the member's standing, once the API has indexed `block` (default: the chain's head)."""
    body = ctx.read_current(f"/drops/{drop_id}", {"member": member}, missing_ok=True, block=block)
    if body is None:
        raise CliError(f"there is no drop {drop_id} (see `odyssey drops`)")
    return body["data"]


def cmd_enter(ctx: Context) -> dict:
    drops = ctx.contract("OdysseyDrops", "drops")
    drop_id = _number(ctx.args.drop_id, "drop")
    member = ctx.address()
    drop = _current_drop(ctx, drop_id, member)
    mine = drop["member"]
    if mine["entered"]:
        raise CliError(f"you already entered drop {drop_id} (entry #{mine['position']})")
    if drop["state"] != "open":
        raise CliError(f"drop {drop_id} is {drop['state']}: "
                       + (f"entries open {_when(drop['opens_at_time']) or 'at block ' + str(drop['opens_at'])}"
                          if drop["state"] == "upcoming" else "entries are closed"))
    if mine["eligible"] is False:
        raise CliError(_standing(drop)[0].strip())
    price = int(drop["price"])
    summary = (f"entered drop {drop_id} for {drop['stamp_name']} ({drop['supply']} to win, {drop['entries'] + 1} entered "
               f"so far)" + (f", {ether(price)} held until the draw" if price else ""))
    if price:  # a deposit travels with the entry: the member's own transaction
        result = _with_fee(ctx.send_paying(drops, "enter", [drop_id], price, summary))
    else:
        result = ctx.call_as_member(drops, "enter", [drop_id], summary)
    result.update(address=member, dropId=drop_id, paidWei=str(price))
    if result["status"] == "mined":
        result["message"] += f"\nthe draw can happen {_when(drop['drawable_at_time']) or 'after block ' + str(drop['seed_block'])}"
    return result


def cmd_drop(ctx: Context) -> dict:
    drop_id = _number(ctx.args.drop_id, "drop")
    action = ctx.args.action
    member = ctx.address()
    drop = _current_drop(ctx, drop_id, member)
    if action is None:
        lines = _drop_lines(drop)
        if drop["winners"] is not None:
            lines.append("    winners: " + (", ".join(drop["winners"]) or "none"))
        return {**_drop(drop), "address": member, "message": "\n".join(lines)}
    drops = ctx.contract("OdysseyDrops", "drops")
    function, signed = ACTIONS[action]
    if signed:
        summary = f"{'drew' if action == 'draw' else 'moved the draw of'} drop {drop_id}"
        result = ctx.call_as_member(drops, function, [drop_id], summary)
    else:
        got = f"{drop['stamp_name']} is yours" if action == "claim" else f"{ether(drop['member']['paid'] or 0)} back to you"
        result = ctx.call_direct(drops, function, [drop_id, member], f"drop {drop_id}: {got}")
    result.update(address=member, dropId=drop_id, action=action)
    if action == "draw" and result["status"] == "mined":
        drawn = _current_drop(ctx, drop_id, member, block=result["blockNumber"])
        outcome = drawn["member"]["result"]
        result.update(seed=drawn["seed"], result=outcome)
        result["message"] += f": seed {drawn['seed']}" + (f", you {outcome}" if outcome else "")
    return result


# ---------------------------------------------------------------------------------------------- parser


def register(command) -> None:
    """Adds the shop and drop commands through `command(name, handler, help)` (backend/cli/main.py)."""
    command("shop", cmd_shop, "limited editions for sale: price, what is left, the per-wallet cap")
    b = command("buy", cmd_buy, "buy a limited edition, paying its price and gas from your wallet")
    b.add_argument("stamp", help="the stamp id (see `odyssey shop`)")
    b.add_argument("quantity", nargs="?", default="1")
    d = command("drops", cmd_drops, "fair drops: rules, state, when, and whether you may enter")
    d.add_argument("--state", choices=DROP_STATES, help="only drops in this state")
    e = command("enter", cmd_enter, "enter a drop (free drops gasless; a paid drop's price held until the draw)")
    e.add_argument("drop_id", metavar="drop")
    one = command("drop", cmd_drop, "one drop: your result; claim a win, get a deposit back, or draw (gasless)")
    one.add_argument("drop_id", metavar="drop")
    one.add_argument("action", nargs="?", choices=sorted(ACTIONS), help="claim, refund, draw or move (the seed block)")
