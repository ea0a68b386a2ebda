"""`odyssey shop`, `buy`, `drops`, `enter` and `drop`: limited editions bought with the member's own ether, and fair
drops entered, drawn, claimed and refunded (docs/drops.md).

What is listed comes from the API (`/shop`, `/drops`), with the block it reflects; an action first waits until the
API has indexed the chain's head (`Context.read_current`), so its checks see the newest block. A purchase and a paid
entry carry ether: they are the member's own transactions (the relayer sends none). A free entry and a draw are signed
and relayed; a claim and a refund name the member and are relayed as direct calls (or sent with `--pay-gas`)."""
from decimal import Decimal

from backend.chain.protocol import DROP_STATES
from backend.cli import wallet
from backend.cli.api import as_of
from backend.cli.chain import Context
from backend.cli.errors import CliError
from backend.cli.language import N_, NP_, _, estimated, moment, number, word

# What a member is told about a drop's standing: the API's `reason` and `next` (DropMemberOut) in words.
NOT_ELIGIBLE = {
    "level_too_low": N_("not eligible: it needs level {min_level} on the points you held when entries opened (you had {points})"),
    "required_stamp_missing": N_("not eligible: it is for holders of {required_stamp_name} (stamp {required_stamp})"),
    "not_measured_yet": N_("eligibility is measured on the points held when entries open, {opens}"),
}
NEXT_STEP = {
    "enter": N_("enter it: odyssey enter {id}"),
    "wait": N_("wait: {waiting}"),
    "draw": N_("the draw can happen now (anyone may): odyssey drop {id} draw"),
    "move_seed_block": N_("nobody drew in time: move the draw to a new seed block (anyone may): odyssey drop {id} move"),
    "claim": N_("you won: claim your stamp with odyssey drop {id} claim"),
    "refund": N_("get your {deposit} deposit back: odyssey drop {id} refund"),
}
STATES = {"upcoming": NP_("drop state", "upcoming"), "open": NP_("drop state", "open"), "closed": NP_("drop state", "closed"),
          "drawable": NP_("drop state", "drawable"), "seed_expired": NP_("drop state", "seed expired"),
          "drawn": NP_("drop state", "drawn")}
ENTRY = {"won": N_("won"), "lost": N_("lost"), "claimed": N_("claimed"), "refunded": N_("refunded")}
ACTIONS = {  # `odyssey drop <id> <action>`: the contract function, and whether the member signs it (forwarded)
    "claim": ("claim", False), "refund": ("refund", False), "draw": ("draw", True), "move": ("moveSeedBlock", True),
}


def ether(wei: int | str) -> str:
    """`10000000000000000` → `0.01 ETH`."""
    amount = Decimal(int(wei)) / Decimal(10**18)
    return ("0" if amount == 0 else f"{amount:f}".rstrip("0").rstrip(".")) + " ETH"


def _when(timestamp: int | None) -> str:
    return "" if timestamp is None else estimated(timestamp)


def _at(timestamp: int | None, block: int) -> str:
    """When a drop's block comes: its estimated time, else (no estimate yet) the block itself."""
    return _when(timestamp) or _("at block {block}").format(block=block)


def _number(text: str, what: str, minimum: int = 0) -> int:
    try:
        value = int(text, 0)
    except ValueError:
        value = -1
    if value < minimum:
        raise CliError((_("{what} {value!r} is not a number of at least {minimum}") if minimum else
                        _("{what} {value!r} is not a number")).format(what=_(what), value=text, minimum=minimum))
    return value


def _wallet_address(ctx: Context) -> str | None:
    """The member's address when a wallet exists (a listing then shows their standing), else None."""
    try:
        return ctx.address()
    except wallet.WalletError:
        return None


# ---------------------------------------------------------------------------------------------- shop


def _item_line(item: dict) -> str:
    left = (_("open edition") if item["left"] is None else
            _("{left} left of {supply}").format(left=number(item["left"]), supply=number(item["max_supply"])))
    cap = " · " + _("{cap} per wallet").format(cap=item["wallet_cap"]) if item["wallet_cap"] else ""
    line = f"  #{item['stamp_id']:<6} " + _("{name} · {points} points · {price}").format(
        name=item["name"], points=number(item["points"]), price=ether(item["price"])) + f" · {left}{cap}"
    if not item["on_sale"]:
        line += " · " + (_("sold out") if item["left"] == 0 else _("not on sale now"))
    elif item["member"] is not None:
        mine = item["member"]
        line += " · " + _("you bought {count}").format(count=mine["bought"]) if mine["bought"] else ""
        line += " · " + _("you may buy no more") if mine["may_buy"] == 0 else ""
    return line


def _item(item: dict) -> dict:
    return {"stampId": int(item["stamp_id"]), "name": item["name"], "points": item["points"], "priceWei": item["price"],
            "left": item["left"], "maxSupply": item["max_supply"], "walletCap": item["wallet_cap"],
            "sold": item["sold"], "onSale": item["on_sale"], "member": item["member"]}


def cmd_shop(ctx: Context) -> dict:
    member = _wallet_address(ctx)
    body = ctx.api.get("/shop", {"member": member} if member else None)
    items, block = [_item(i) for i in body["data"]], body["block"]["number"]
    lines = [_("limited editions (buy with: odyssey buy <stamp> [quantity]):") if items else _("nothing for sale yet")]
    lines += [_item_line(i) for i in body["data"]]
    lines.append(as_of(block))
    return {"address": member, "items": items, "block": block, "message": "\n".join(lines)}


def cmd_buy(ctx: Context) -> dict:
    shop = ctx.contract("OdysseyShop", N_("the shop"))
    stamp_id = _number(ctx.args.stamp, N_("stamp"))
    quantity = _number(ctx.args.quantity, N_("quantity"), minimum=1)
    member = ctx.address()
    found = ctx.read_current(f"/shop/{stamp_id}", {"member": member}, missing_ok=True)
    if found is None:
        raise CliError(_("stamp {id} is not for sale in the shop (see `odyssey shop`)").format(id=stamp_id))
    item = found["data"]
    if not item["on_sale"]:
        raise CliError((_("{name} is sold out") if item["left"] == 0 else _("{name} is not on sale now")).format(name=item["name"]))
    may_buy = item["member"]["may_buy"]
    if may_buy is not None and quantity > may_buy:
        if item["wallet_cap"] and may_buy == item["wallet_cap"] - item["member"]["bought"]:
            why = _("{cap} per wallet, you bought {bought}").format(cap=item["wallet_cap"], bought=item["member"]["bought"])
        else:
            why = _("{left} left").format(left=item["left"])
        raise CliError(_("you may buy {count} more {name} ({why})").format(count=may_buy, name=item["name"], why=why))
    price = int(item["price"]) * quantity
    summary = _("bought {quantity} × {name} ({points} points each) for {price}").format(
        quantity=quantity, name=item["name"], points=number(item["points"]), price=ether(price))
    # Ether changes hands: the member's own transaction, never the relay's.
    result = ctx.send_paying(shop, "purchase", [stamp_id, quantity], price, summary)
    result.update(address=member, stampId=stamp_id, quantity=quantity, priceWei=str(price))
    return _with_fee(result)


def _with_fee(result: dict) -> dict:
    """The gas a member's own transaction cost, added to what it says."""
    if "feeWei" in result:
        result["message"] += _(" (gas {fee})").format(fee=ether(result["feeWei"]))
    return result


# ---------------------------------------------------------------------------------------------- drops


def _standing(drop: dict) -> list[str]:
    """The member's eligibility, entry, result and next step in words."""
    mine = drop["member"]
    if mine is None:
        return []
    lines = []
    if mine["entered"]:
        entry = (_("you entered (entry #{position}, {deposit} held)") if int(mine["paid"] or 0) else
                 _("you entered (entry #{position})")).format(position=mine["position"], deposit=ether(mine["paid"] or 0))
        if mine["result"]:
            entry += _(": you {result}").format(result=word(ENTRY, mine["result"]))
        if mine["status"] != "entered":
            entry += _(", {status}").format(status=word(ENTRY, mine["status"]))
        lines.append("    " + entry)
    elif mine["reason"]:
        lines.append("    " + word(NOT_ELIGIBLE, mine["reason"]).format(
            min_level=drop["min_level"], points=mine["points_at_snapshot"], required_stamp=drop["required_stamp"],
            required_stamp_name=drop["required_stamp_name"], opens=_at(drop["opens_at_time"], drop["opens_at"])))
    if mine["next"]:
        waiting = (_("entries open {when}").format(when=_at(drop["opens_at_time"], drop["opens_at"]))
                   if drop["state"] == "upcoming" else _draw_time(drop))
        deposit = ether(mine["paid"] or drop["price"])
        lines.append("    " + word(NEXT_STEP, mine["next"]).format(id=drop["id"], waiting=waiting, deposit=deposit))
    return lines


def _draw_time(drop: dict) -> str:
    when = _when(drop["drawable_at_time"])
    return (_("the draw can happen {when}").format(when=when) if when else
            _("the draw can happen after block {block}").format(block=drop["seed_block"]))


def _drop_lines(drop: dict) -> list[str]:
    price = _("free") if drop["price"] == "0" else _("{price} per entry").format(price=ether(drop["price"]))
    lines = [_("drop #{id}  [{state}]  {name} ({points} points) · {supply} to win · {price} · {entries} entered").format(
                 id=drop["id"], state=word(STATES, drop["state"]), name=drop["stamp_name"], points=number(drop["stamp_points"]),
                 supply=number(drop["supply"]), price=price, entries=number(drop["entries"]))]
    needs = ([_("at level {level} or above").format(level=drop["min_level"])] if drop["min_level"] else []) + (
        [_("holding {name}").format(name=drop["required_stamp_name"])] if drop["required_stamp"] else [])
    window = "    " + _window(drop)
    lines.append(window + (" · " + _("for members {needs}").format(needs=_(" and ").join(needs)) if needs else ""))
    if drop["seed"]:
        lines.append("    " + _("drawn at block {drawn}: seed {seed} (block {seed_block}), {won} won, {claimed} claimed, "
                              "{refunded} refunded").format(
            drawn=drop["drawn_block"], seed=drop["seed"], seed_block=drop["seed_block"], won=drop["winner_count"],
            claimed=drop["claimed"], refunded=drop["refunded"]))
    else:
        lines.append("    " + _("the draw uses the hash of block {block}").format(block=drop["seed_block"]))
    return lines + _standing(drop)


def _window(drop: dict) -> str:
    """When entries open and close: times (estimated from the chain's pace) where the API has them, else blocks."""
    opens, closes = drop["opens_at_time"], drop["closes_at_time"]
    if drop["state"] == "upcoming" and opens and closes:
        return _("entries open {opens}, close {closes}").format(opens=_when(opens), closes=moment(closes))
    if drop["state"] == "open" and closes:
        return _("entries close {closes}").format(closes=_when(closes))
    if drop["state"] not in ("upcoming", "open") and closes:
        return _("entries closed {closed}").format(closed=moment(closes))
    return _("entries blocks {opens}-{closes}").format(opens=drop["opens_at"], closes=drop["closes_at"])


def _drop(drop: dict) -> dict:
    keys = ("id", "stamp_id", "stamp_name", "supply", "price", "state", "entries", "opens_at", "closes_at", "seed_block",
            "seed", "winner_count", "opens_at_time", "closes_at_time", "drawable_at_time", "member", "winners")
    return {key: drop[key] for key in keys if key in drop}


def cmd_drops(ctx: Context) -> dict:
    member = _wallet_address(ctx)
    params = {**({"member": member} if member else {}), **({"state": ctx.args.state} if ctx.args.state else {})}
    found, block = ctx.api.all_pages("/drops", params)
    lines = [] if found else [_("no drops yet") if not ctx.args.state else
                              _("no {state} drops").format(state=word(STATES, ctx.args.state))]
    for drop in found:
        lines += _drop_lines(drop)
    lines.append(as_of(block))
    return {"address": member, "drops": [_drop(d) for d in found], "block": block, "message": "\n".join(lines)}


def _current_drop(ctx: Context, drop_id: int, member: str) -> dict:
    """The drop with the member's standing, once the API has indexed the chain's head."""
    body = ctx.read_current(f"/drops/{drop_id}", {"member": member}, missing_ok=True)
    if body is None:
        raise CliError(_("there is no drop {id} (see `odyssey drops`)").format(id=drop_id))
    return body["data"]


def cmd_enter(ctx: Context) -> dict:
    drops = ctx.contract("OdysseyDrops", N_("drops"))
    drop_id = _number(ctx.args.drop_id, N_("drop"))
    member = ctx.address()
    drop = _current_drop(ctx, drop_id, member)
    mine = drop["member"]
    if mine["entered"]:
        raise CliError(_("you already entered drop {id} (entry #{position})").format(id=drop_id, position=mine["position"]))
    if drop["state"] != "open":
        why = (_("entries open {when}").format(when=_at(drop["opens_at_time"], drop["opens_at"]))
               if drop["state"] == "upcoming" else _("entries are closed"))
        raise CliError(_("drop {id} is {state}: {why}").format(id=drop_id, state=word(STATES, drop["state"]), why=why))
    if mine["eligible"] is False:
        raise CliError(_standing(drop)[0].strip())
    price = int(drop["price"])
    summary = (_("entered drop {id} for {name} ({supply} to win, {entries} entered so far), {deposit} held until the draw")
               if price else _("entered drop {id} for {name} ({supply} to win, {entries} entered so far)")).format(
        id=drop_id, name=drop["stamp_name"], supply=number(drop["supply"]), entries=number(drop["entries"] + 1),
        deposit=ether(price))
    if price:  # a deposit travels with the entry: the member's own transaction
        result = _with_fee(ctx.send_paying(drops, "enter", [drop_id], price, summary))
    else:
        result = ctx.call_as_member(drops, "enter", [drop_id], summary)
    result.update(address=member, dropId=drop_id, paidWei=str(price))
    if result["status"] == "mined":
        result["message"] += "\n" + _draw_time(drop)
    return result


def cmd_drop(ctx: Context) -> dict:
    drop_id = _number(ctx.args.drop_id, N_("drop"))
    action = ctx.args.action
    member = ctx.address()
    drop = _current_drop(ctx, drop_id, member)
    if action is None:
        lines = _drop_lines(drop)
        if drop["winners"] is not None:
            lines.append("    " + _("winners: {winners}").format(winners=", ".join(drop["winners"]) or _("none")))
        return {**_drop(drop), "address": member, "message": "\n".join(lines)}
    drops = ctx.contract("OdysseyDrops", N_("drops"))
    function, signed = ACTIONS[action]
    if signed:
        summary = (_("drew drop {id}") if action == "draw" else _("moved the draw of drop {id}")).format(id=drop_id)
        result = ctx.call_as_member(drops, function, [drop_id], summary)
    else:
        got = (_("drop {id}: {name} is yours") if action == "claim" else _("drop {id}: {deposit} back to you")).format(
            id=drop_id, name=drop["stamp_name"], deposit=ether(drop["member"]["paid"] or 0))
        result = ctx.call_direct(drops, function, [drop_id, member], got)
    result.update(address=member, dropId=drop_id, action=action)
    if action == "draw" and result["status"] == "mined" and (landed := ctx.read_landed(result, f"/drops/{drop_id}", {"member": member})):
        drawn = landed["data"]
        outcome = drawn["member"]["result"]
        result.update(seed=drawn["seed"], result=outcome)
        result["message"] += (_(": seed {seed}, you {result}") if outcome else _(": seed {seed}")).format(
            seed=drawn["seed"], result=word(ENTRY, outcome) if outcome else "")
    return result


# ---------------------------------------------------------------------------------------------- parser


def register(command) -> None:
    """Adds the shop and drop commands through `command(name, handler, help)` (backend/cli/main.py)."""
    command("shop", cmd_shop, _("limited editions for sale: price, what is left, the per-wallet cap"))
    b = command("buy", cmd_buy, _("buy a limited edition, paying its price and gas from your wallet"))
    b.add_argument("stamp", help=_("the stamp id (see `odyssey shop`)"))
    b.add_argument("quantity", nargs="?", default="1")
    d = command("drops", cmd_drops, _("fair drops: rules, state, when, and whether you may enter"))
    d.add_argument("--state", choices=DROP_STATES, help=_("only drops in this state"))
    e = command("enter", cmd_enter, _("enter a drop (free drops gasless; a paid drop's price held until the draw)"))
    e.add_argument("drop_id", metavar="drop")
    one = command("drop", cmd_drop, _("one drop: your result; claim a win, get a deposit back, or draw (gasless)"))
    one.add_argument("drop_id", metavar="drop")
    one.add_argument("action", nargs="?", choices=sorted(ACTIONS), help=_("claim, refund, draw or move (the seed block)"))
