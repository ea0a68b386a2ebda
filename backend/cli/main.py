"""`odyssey`: the member command line. Your key stays in your own encrypted keystore; you sign, the relay pays.

    odyssey wallet new|import|address       an encrypted keystore v3 (~/.odyssey/keystore.json or --keystore)
    odyssey join                            become a member (gasless)
    odyssey claim <voucher file or link>    claim a stamp with an issuer's voucher (gasless)
    odyssey stamps [address]                stamps, points, level and votes
    odyssey journeys                        journeys, how each stamp is earned, your progress
    odyssey play <stamp> | code <stamp> <code>   play a quiz, enter a kiosk's code or a word (gasless)
    odyssey delegate <address>              let someone else vote with your points (gasless)
    odyssey benefits [address] | redeem <benefitId>                          perks your level unlocks (gasless)
    odyssey vote <proposal> for|against|abstain|<option>[+<option>…] [--reason]  vote by signature (gasless)
    odyssey proposals [--state S]           proposals with their state and tallies
    odyssey ideas [--stage S]               the co-creation board's ideas with their support
    odyssey idea submit <title> | support <ideaId>                          the co-creation board (gasless)
    odyssey shop | buy <stamp> [quantity]   limited editions; a purchase pays price and gas from your wallet
    odyssey drops [--state S] | enter <drop> | drop <drop> [claim|refund|draw|move]   fair drops (docs/drops.md)

What a member reads (stamps, benefits, proposals, ideas) comes from the Odyssey API, with the block it reflects;
signing, sending and the checks that need the newest block use the chain node and the relay.

Options (before or after the command): --api URL (ODYSSEY_API_URL), --rpc URL (ODYSSEY_RPC_URL), --relay URL
(ODYSSEY_RELAY_URL, default the API's), --deployments FILE (ODYSSEY_DEPLOYMENTS_FILE), --keystore FILE
(ODYSSEY_KEYSTORE), --pay-gas, --json, --lang en|zh-Hans|zh-Hant (else LC_ALL, LC_MESSAGES, LANG: backend/cli/language.py).
Passwords are prompted without echo; ODYSSEY_PASSWORD supplies one to scripts.
"""
import argparse
import json
import os
import re
import sys
import warnings
from pathlib import Path

import requests
from eth_abi import encode
from eth_utils import keccak

from backend.chain.protocol import APPROVAL_VOTE, IDEA_STAGES, ProposalState, VoteType, Voucher, parse_voucher_link
from backend import i18n
from backend.cli import journeys, language, shop, wallet
from backend.cli.api import as_of
from backend.cli.chain import Context, checksum
from backend.cli.errors import CliError
from backend.cli.language import N_, NP_, _, date, estimated, moment, ngettext, number, word

# The words for the states and choices the contracts name (backend/chain/protocol.py), translated where shown.
PROPOSAL_STATES = {"pending": N_("Pending"), "active": N_("Active"), "canceled": N_("Canceled"), "defeated": N_("Defeated"),
                   "succeeded": N_("Succeeded"), "queued": N_("Queued"), "expired": N_("Expired"), "executed": N_("Executed")}
IDEA_STAGE_WORDS = {"open": NP_("idea stage", "open"), "expired": NP_("idea stage", "expired"),
                    "qualified": NP_("idea stage", "qualified"), "proposed": NP_("idea stage", "proposed"),
                    "rejected": NP_("idea stage", "rejected"), "realised": NP_("idea stage", "realised")}
VOTE_WORDS = {VoteType.FOR: N_("For"), VoteType.AGAINST: N_("Against"), VoteType.ABSTAIN: N_("Abstain")}

# ---------------------------------------------------------------------------------------------- wallet


def cmd_wallet(ctx: Context) -> dict:
    path = ctx.keystore
    action = ctx.args.wallet_action
    if action == "new":
        address = wallet.create(path, ctx.args.force)
        said = _("new wallet {address}\nkeystore: {path} (keep a backup; the password cannot be recovered)")
        return {"address": address, "keystore": str(path), "message": said.format(address=address, path=path)}
    if action == "import":
        address = wallet.import_key(path, ctx.args.force)
        return {"address": address, "keystore": str(path), "message": _("imported {address}\nkeystore: {path}").format(address=address, path=path)}
    address = ctx.address()
    return {"address": address, "keystore": str(path), "message": address}


# ---------------------------------------------------------------------------------------------- membership


def _profile(ctx: Context, member: str) -> dict | None:
    """`member`'s profile once the API has indexed the chain's head; None if not a member (as far as it has indexed)."""
    body = ctx.read_current(f"/members/{member}", missing_ok=True)
    return body["data"] if body else None


def cmd_join(ctx: Context) -> dict:
    stamps = ctx.contract("OdysseyStamps")
    member = ctx.address()
    if stamps.functions.isMember(member).call():  # newest block: a join a moment ago counts
        profile = _profile(ctx, member)  # None: a join the API has not indexed yet
        raise CliError(_("{address} is already member #{number}").format(address=member, number=profile["number"]) if profile
                       else _("{address} is already a member").format(address=member))
    result = ctx.call_as_member(stamps, "join", [], _("joined"))
    if result["status"] == "mined" and (landed := ctx.read_landed(result, f"/members/{member}")):
        number = landed["data"]["number"]
        result.update(number=number, message=_("welcome: {address} is member #{number}").format(address=member, number=number))
    result["address"] = member
    return result


def cmd_delegate(ctx: Context) -> dict:
    stamps = ctx.contract("OdysseyStamps")
    delegatee = checksum(ctx.args.delegatee, N_("delegate"))
    member = ctx.address()
    if stamps.functions.delegates(member).call() == delegatee:  # newest block
        raise CliError(_("your votes already go to {address}").format(address=delegatee))
    profile = _profile(ctx, member)
    points = profile["points"] if profile else 0
    summary = (_("your {points} points now vote through yourself") if delegatee == member else
               _("your {points} points now vote through {address}")).format(points=number(points), address=delegatee)
    result = ctx.call_as_member(stamps, "delegate", [delegatee], summary)
    result.update(address=member, delegate=delegatee, points=points)
    return result


# ---------------------------------------------------------------------------------------------- claims


def _load_voucher(ctx: Context, source: str) -> Voucher:
    if "#claim=" in source:
        try:
            return parse_voucher_link(source)
        except ValueError as exc:
            raise CliError(str(exc)) from None
    path = Path(source)
    try:
        content = json.loads(path.read_text()) if path.exists() else json.loads(source)
    except json.JSONDecodeError:
        raise CliError(_("{source}: not a claim link, a voucher file or voucher JSON").format(source=source)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(_("{source}: cannot read it ({error})").format(source=source, error=exc.__class__.__name__)) from None
    if isinstance(content, list):
        member = ctx.address()
        mine = [v for v in content if isinstance(v, dict) and str(v.get("member", "")).lower() == member.lower()]
        if not mine:
            raise CliError(ngettext("{source} holds {count} voucher, none for your wallet {address}",
                                    "{source} holds {count} vouchers, none for your wallet {address}", len(content)).format(
                source=source, count=len(content), address=member))
        content = mine[0]
    if not isinstance(content, dict):
        raise CliError(_("{source}: not a voucher").format(source=source))
    try:
        return Voucher(
            member=checksum(content["member"], N_("voucher member")),
            stampId=int(content["stampId"]),
            nonce=int(content["nonce"]),
            deadline=int(content["deadline"]),
            signature=str(content["signature"]),
        )
    except KeyError as exc:
        raise CliError(_("{source}: the voucher has no {field!r}").format(source=source, field=exc.args[0])) from None
    except (TypeError, ValueError):
        raise CliError(_("{source}: the voucher's numbers are damaged").format(source=source)) from None


def cmd_claim(ctx: Context) -> dict:
    voucher = _load_voucher(ctx, ctx.args.voucher)
    stamps = ctx.contract("OdysseyStamps")
    if voucher.deadline < ctx.now():  # the newest block's time
        raise CliError(_("this voucher expired on {when}; ask for a new one").format(when=moment(voucher.deadline)))
    if stamps.functions.voucherUsed(voucher.nonce).call():  # newest block: a claim a moment ago counts
        raise CliError(_("this voucher was already claimed (or revoked)"))
    stamp = ctx.read_current(f"/stamps/{voucher.stampId}", missing_ok=True)  # unknown: the simulation says so
    name, points = (stamp["data"]["name"], stamp["data"]["points"]) if stamp else (_("stamp {id}").format(id=voucher.stampId), 0)
    summary = _("claimed {name} ({points} points) for {address}").format(name=name, points=number(points), address=voucher.member)
    if ctx.args.pay_gas:
        result = ctx.call_direct(stamps, "claim", list(voucher.claim_args()), summary)
    else:
        result = ctx.call_direct(stamps, "claim", list(voucher.claim_args()), summary, route="/relay/claim", body=voucher.as_dict())
    result.update(member=voucher.member, stampId=voucher.stampId, name=name, points=points)
    if result["status"] == "mined" and (landed := ctx.read_landed(result, f"/members/{voucher.member}")):
        profile = landed["data"]
        result.update(totalPoints=profile["points"], level=profile["level"])
        result["message"] = summary + "\n" + _("now {points} points, level {level}").format(
            points=number(profile["points"]), level=profile["level"])
    return result


# ---------------------------------------------------------------------------------------------- reading


def _shown_address(ctx: Context) -> str:
    return checksum(ctx.args.address) if ctx.args.address else ctx.address()


def cmd_stamps(ctx: Context) -> dict:
    address = _shown_address(ctx)
    api = ctx.api
    profile = api.get(f"/members/{address}", missing_ok=True)  # the stamps held included; 404: not a member (yet)
    if profile is None:  # nothing indexed for the address; the level thresholds say how far level 1 is
        levels = api.get("/levels")
        thresholds, block = levels["data"]["thresholds"], levels["block"]["number"]
        member = {"number": 0, "since": 0, "points": 0, "level": 0, "next_level_points": thresholds[0] if thresholds else None,
                  "votes": 0, "delegate": None, "holdings": []}
    else:
        member, block = profile["data"], profile["block"]["number"]
    stamps = [
        {"stampId": int(h["stamp_id"]), "name": h["name"], "points": h["points"], "journeyId": h["journey_id"],
         "soulbound": h["soulbound"], "balance": h["balance"]}
        for h in member["holdings"]
    ]
    member_number, points, level, next_level = member["number"], member["points"], member["level"], member["next_level_points"]
    result = {
        "address": address, "member": profile is not None, "number": member_number, "since": member["since"], "points": points,
        "level": level, "nextLevelPoints": next_level, "votes": member["votes"], "delegate": member["delegate"],
        "stamps": stamps, "block": block,
    }
    lines = [f"{address}: " + (_("member #{number} since {date}").format(number=member_number, date=date(member["since"]))
                               if profile else _("not a member yet"))]
    progress = (_(", {missing} points to level {next}").format(missing=number(next_level - points), next=level + 1)
                if next_level is not None else _(" (top level)"))
    lines.append(_("points {points} · level {level}").format(points=number(points), level=level) + progress)
    if profile and member["delegate"]:
        lines.append(_("votes {votes}").format(votes=number(member["votes"])) + (
            "" if member["delegate"] == address else " · " + _("your points vote through {address}").format(address=member["delegate"])))
    lines.append(_("stamps ({count}):").format(count=len(stamps)) if stamps else
                 _("no stamps yet"))
    for stamp in stamps:
        count = f" ×{stamp['balance']}" if stamp["balance"] > 1 else ""
        lines.append(f"  #{stamp['stampId']:<6} {stamp['name']}{count} · " + _("{points} points").format(points=number(stamp["points"])))
    lines.append(as_of(block))
    result["message"] = "\n".join(lines)
    return result


def cmd_benefits(ctx: Context) -> dict:
    address = _shown_address(ctx)
    profile_path = f"/members/{address}"
    (profile, offered), block = ctx.api.at_one_block(profile_path, f"/benefits?member={address}", optional=(profile_path,))
    level = profile["data"]["level"] if profile else 0
    listed = []
    for b in offered["data"]:
        listed.append({
            "benefitId": b["id"], "uri": b["uri"], "minLevel": b["min_level"], "stock": b["stock"], "active": b["active"],
            "redeemed": b["redeemed_by_member"], "available": b["redeemable_by_member"],
            "levelAtSnapshot": b["member_level_at_snapshot"],
        })
    lines = [f"{address}: " + _("level {level}").format(level=level)] + ([] if listed else [_("no benefits yet")])
    names = {b["id"]: b["name"] for b in offered["data"]}  # the benefits file's, in the member's language
    for b in listed:
        if b["redeemed"]:
            note = _("redeemed")
        elif not b["active"]:
            note = _("paused")
        elif b["levelAtSnapshot"] < b["minLevel"]:
            # levels count the points a member had when the benefit was last set (the snapshot), as votes do
            note = (_("needs level {level} by the time it was set (you were level {then})") if level >= b["minLevel"] else
                    _("needs level {level}")).format(level=b["minLevel"], then=b["levelAtSnapshot"])
        elif not profile:
            note = _("for members")
        elif b["stock"] == 0:
            note = _("out of stock")
        else:
            note = _("available: odyssey redeem {id}").format(id=b["benefitId"])
        stock = "" if b["stock"] is None else " · " + _("{count} left").format(count=number(b["stock"]))
        lines.append(f"  #{b['benefitId']:<4} {names[b['benefitId']] or b['uri']} · " + _("level {level}+").format(level=b["minLevel"]) + f"{stock} · {note}")
    lines.append(as_of(block))
    return {"address": address, "level": level, "benefits": listed, "block": block, "message": "\n".join(lines)}


def cmd_redeem(ctx: Context) -> dict:
    benefits = ctx.contract("OdysseyBenefits")
    benefit_id = _number(ctx.args.benefit_id, N_("benefit"))
    member = ctx.address()
    offered = ctx.read_current("/benefits", {"member": member})["data"]
    if any(b["id"] == benefit_id and b["redeemed_by_member"] for b in offered):
        raise CliError(_("you already redeemed benefit {id}").format(id=benefit_id))
    result = ctx.call_as_member(benefits, "redeem", [benefit_id], _("redeemed benefit #{id}").format(id=benefit_id))
    result.update(benefitId=benefit_id, address=member)
    return result


def _governor(ctx: Context):
    return ctx.contract("OdysseyGovernor", N_("governance (the DAO's governor)"))


def cmd_proposals(ctx: Context) -> dict:
    found, block = ctx.api.all_pages("/proposals", {"state": ctx.args.state} if ctx.args.state else None)
    proposals = []
    for p in found:
        weights = {t["option"]: t["weight"] for t in p["tallies"]}
        entry = {
            "proposalId": p["id"], "proposer": p["proposer"], "title": p["title"], "state": p["state"].capitalize(),
            "voteStart": p["snapshot"], "voteEnd": p["deadline"],
        }
        if p["kind"] == "multiple":
            entry["options"] = [{"option": i, "label": label, "votes": weights.get(i, 0)} for i, label in enumerate(p["options"])]
        else:
            entry["votes"] = {vote.label: weights.get(vote, 0) for vote in VoteType}
        proposals.append(entry)
    lines = [] if proposals else [_("no proposals yet") if not ctx.args.state else
                                  _("no {state} proposals").format(state=word(PROPOSAL_STATES, ctx.args.state).lower())]
    for p, found_p in zip(proposals, found):
        lines.append(f"{p['proposalId']}  [{word(PROPOSAL_STATES, found_p['state'])}]  {p['title']}")
        if "votes" in p:
            lines.append("    " + _("for {for_} · against {against} · abstain {abstain}").format(
                for_=number(p["votes"]["for"]), against=number(p["votes"]["against"]), abstain=number(p["votes"]["abstain"])))
        for option in p.get("options", []):
            lines.append(f"    {option['option']}: {option['label']} — {number(option['votes'])}")
        lines += _voting_time(found_p)
    lines.append(as_of(block))
    return {"proposals": proposals, "block": block, "message": "\n".join(lines)}


def cmd_ideas(ctx: Context) -> dict:
    found, block = ctx.api.all_pages("/ideas", {"stage": ctx.args.stage} if ctx.args.stage else None)
    ideas = [
        {"ideaId": int(i["id"]), "title": i["title"], "stage": i["stage"], "author": i["author"], "uri": i["uri"],
         "supporters": i["supporters"], "supportWeight": i["support_weight"], "proposalId": i["proposal_id"]}
        for i in found
    ]
    lines = [] if ideas else [_("no ideas yet") if not ctx.args.stage else
                              _("no {stage} ideas").format(stage=word(IDEA_STAGE_WORDS, ctx.args.stage))]
    for i in ideas:
        lines.append(f"#{i['ideaId']}  [{word(IDEA_STAGE_WORDS, i['stage'])}]  {i['title']}")
        support = ngettext("by {author} · {count} supporter ({points} points)", "by {author} · {count} supporters ({points} points)",
                           i["supporters"]).format(author=i["author"], count=number(i["supporters"]), points=number(i["supportWeight"]))
        lines.append("    " + support + (" · " + _("proposal {id}").format(id=i["proposalId"]) if i["proposalId"] else ""))
    lines.append(as_of(block))
    return {"ideas": ideas, "block": block, "message": "\n".join(lines)}


# ---------------------------------------------------------------------------------------------- governance


def _voting_time(proposal: dict) -> list[str]:
    """When a pending vote opens or an active one closes, as a time (estimated by the API from the chain's pace)."""
    if proposal["state"] == "pending" and proposal["snapshot_time"]:
        return ["    " + _("voting opens {when}").format(when=estimated(proposal["snapshot_time"]))]
    if proposal["state"] == "active" and proposal["deadline_time"]:
        return ["    " + _("voting closes {when}").format(when=estimated(proposal["deadline_time"]))]
    return []


def _proposal_id(text: str) -> int:
    try:
        return int(text, 0)
    except ValueError:
        raise CliError(_("proposal {value!r} is not a proposal id (a number, see `odyssey proposals`)").format(value=text)) from None


def _number(text: str, what: str) -> int:
    try:
        value = int(text, 0)
    except ValueError:
        value = -1
    if value < 0:
        raise CliError(_("{what} {value!r} is not a number").format(what=_(what), value=text))
    return value


def cmd_vote(ctx: Context) -> dict:
    governor = _governor(ctx)
    proposal_id = _proposal_id(ctx.args.proposal)
    choice = ctx.args.choice.strip()
    voter = ctx.address()
    try:  # newest block: the vote may have opened or closed a block ago
        state = ProposalState(governor.functions.state(proposal_id).call())
    except Exception as exc:
        raise CliError(_("there is no proposal {id} ({reason})").format(id=ctx.args.proposal, reason=ctx.revert_reason(exc))) from None
    if state != ProposalState.ACTIVE:
        raise CliError(_("proposal {id} is {state}, not open for voting").format(
            id=ctx.args.proposal, state=word(PROPOSAL_STATES, state.label)))
    if governor.functions.hasVoted(proposal_id, voter).call():  # newest block: a vote a moment ago counts
        raise CliError(_("you already voted on proposal {id}").format(id=ctx.args.proposal))
    proposal = ctx.read_current(f"/proposals/{proposal_id}", {"member": voter})["data"]
    params = b""
    if proposal["kind"] == "multiple":
        labels = proposal["options"]
        # A whole label first (it may hold "+" or ","), else options joined with "+" (as scripts/vote.py) or ",".
        words = [choice] if choice.lower() in (l.lower() for l in labels) else re.split(r"[+,]", choice)
        picks = [_option(w.strip(), labels) for w in words]
        if len(picks) == 1:
            support, label = picks[0], labels[picks[0]]
        else:
            if not proposal["approval"]:
                raise CliError(_("this proposal takes one option; approval votes (several options) are not allowed"))
            support, params = APPROVAL_VOTE, encode(["uint256"], [sum(1 << p for p in set(picks))])
            label = ", ".join(labels[p] for p in sorted(set(picks)))
    else:
        if choice.lower() not in VoteType.labels():
            raise CliError(_("vote for, against or abstain, not {value!r}").format(value=choice))
        support, label = int(VoteType[choice.upper()]), choice.capitalize()
    shown = word(VOTE_WORDS, support) if proposal["kind"] != "multiple" else label  # an option's label is the proposer's
    snapshot, weight = proposal["snapshot"], proposal["member_votes"]
    reason = ctx.args.reason or ""
    summary = ngettext("voted {choice} on proposal {id} with {weight} vote", "voted {choice} on proposal {id} with {weight} votes",
                       weight).format(choice=shown, id=ctx.args.proposal, weight=number(weight))
    if ctx.args.pay_gas:
        result = ctx.call_direct(governor, "castVoteWithReasonAndParams", [proposal_id, support, reason, params], summary)
    else:
        function, args = ctx.sign_ballot(governor, proposal_id, support, reason, params)
        result = ctx.call_direct(governor, function, args, summary)
    result.update(proposalId=str(proposal_id), support=support, choice=label, weight=weight, reason=reason)
    if weight == 0 and result["status"] == "mined":
        at = moment(proposal["snapshot_time"]) if proposal["snapshot_time"] else _("block {block}").format(block=snapshot)
        result["message"] += _(" (you had no points at the proposal's snapshot, {at})").format(at=at)
    return result


def _option(text: str, labels: list[str]) -> int:
    lowered = [l.lower() for l in labels]
    if text.lower() in lowered:
        return lowered.index(text.lower())
    if text.isdigit() and int(text) < len(labels):
        return int(text)
    choices = ", ".join(f"{i} ({l})" for i, l in enumerate(labels))
    raise CliError(_("{value!r} is not an option of this proposal: {choices}").format(value=text, choices=choices))


def cmd_idea(ctx: Context) -> dict:
    board = ctx.contract("IdeaBoard", N_("the ideas board"))
    if ctx.args.idea_action == "submit":
        title = ctx.args.title.strip()
        if not title:
            raise CliError(_("an idea needs a title"))
        content = b""
        if ctx.args.content_file:
            try:
                content = Path(ctx.args.content_file).read_bytes()
            except OSError as exc:
                raise CliError(_("{source}: cannot read it ({error})").format(source=ctx.args.content_file, error=exc.__class__.__name__)) from None
        content_hash = keccak(content) if content else b"\x00" * 32
        result = ctx.call_as_member(board, "submit", [title, ctx.args.uri or "", content_hash], _("submitted the idea {title!r}").format(title=title))
        if result["status"] == "mined":
            with warnings.catch_warnings():  # the receipt also holds the forwarder's event
                warnings.simplefilter("ignore")
                events = board.events.IdeaSubmitted().process_receipt(ctx.receipt(result["txHash"]), errors=_discard())
            if events and "ideaId" in events[0].args:
                result["ideaId"] = events[0].args.ideaId
                result["message"] += _(" as idea #{id}").format(id=events[0].args.ideaId)
        return result
    idea_id = _number(ctx.args.idea_id, N_("idea"))
    result = ctx.call_as_member(board, "support", [idea_id], _("you support idea #{id}").format(id=idea_id))
    result["ideaId"] = idea_id
    return result


def _discard():
    from web3.logs import DISCARD

    return DISCARD


# ---------------------------------------------------------------------------------------------- parser


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's help with its one heading word in the member's language (the other headings are set below)."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, _("usage: ") if prefix is None else prefix)


def _titled(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """A parser made with add_help=False and _HelpFormatter, given its headings and -h in the member's language."""
    parser._positionals.title, parser._optionals.title = _("positional arguments"), _("options")
    parser.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=_("show this help message and exit"))
    return parser


def _common(parser: argparse.ArgumentParser, suppress: bool) -> None:
    def default(value):
        return argparse.SUPPRESS if suppress else value

    env = os.environ.get
    group = parser.add_argument_group(_("connection and output"))
    group.add_argument("--api", default=default(env("ODYSSEY_API_URL", "http://127.0.0.1:8000")), help=_("Odyssey API base URL (what you read)"))
    group.add_argument("--rpc", default=default(env("ODYSSEY_RPC_URL", "http://127.0.0.1:8545")), help=_("chain node URL"))
    group.add_argument("--relay", default=default(env("ODYSSEY_RELAY_URL")), help=_("relay base URL (default: the API's)"))
    group.add_argument("--deployments", default=default(None), metavar="FILE",
                       help=_("the deployments file (default: ODYSSEY_DEPLOYMENTS_FILE, else deployments/<chainId>.json)"))
    group.add_argument("--keystore", default=default(None), help=_("wallet keystore (default {path})").format(path=wallet.DEFAULT_KEYSTORE))
    group.add_argument("--pay-gas", action="store_true", default=default(False), help=_("send yourself, paying gas, instead of through the relay"))
    group.add_argument("--json", action="store_true", default=default(False), help=_("machine-readable output (English; names in --lang's language when given)"))
    group.add_argument("--timeout", type=float, default=default(120.0), help=_("seconds to wait for a transaction"))
    group.add_argument("--lang", default=default(None), metavar="LANG",
                       help=_("en, zh-Hans or zh-Hant (zh-CN, zh-TW ... work too; default: LC_ALL, LC_MESSAGES or LANG)"))


def build_parser() -> argparse.ArgumentParser:
    """The command line's parser, its help in the language `language.use` set."""
    parser = _titled(argparse.ArgumentParser(prog="odyssey", description=_("Odyssey member command line: you sign, the relay pays."),
                                             formatter_class=_HelpFormatter, add_help=False))
    _common(parser, suppress=False)
    commands = parser.add_subparsers(dest="command", required=True, metavar="command", title=_("commands"))

    def command(name, handler, help_):
        sub = _titled(commands.add_parser(name, help=help_, description=help_, formatter_class=_HelpFormatter, add_help=False))
        _common(sub, suppress=True)
        sub.set_defaults(handler=handler)
        return sub

    w = command("wallet", cmd_wallet, _("create, import or show your wallet"))
    w.add_argument("wallet_action", choices=["new", "import", "address"])
    w.add_argument("--force", action="store_true", help=_("replace an existing keystore"))
    command("join", cmd_join, _("become a member (gasless)"))
    c = command("claim", cmd_claim, _("claim a stamp with a voucher (gasless)"))
    c.add_argument("voucher", help=_("a claim link, a voucher JSON file (one voucher or a batch), or voucher JSON"))
    journeys.register(command)
    s = command("stamps", cmd_stamps, _("stamps, points, level and votes of an address (default: your wallet)"))
    s.add_argument("address", nargs="?")
    d = command("delegate", cmd_delegate, _("let an address vote with your points (gasless)"))
    d.add_argument("delegatee", metavar="address")
    v = command("vote", cmd_vote, _("vote on a proposal by signature (gasless)"))
    v.add_argument("proposal", help=_("proposal id (see `odyssey proposals`)"))
    v.add_argument("choice", help=_("for, against, abstain, or an option's number or label (several joined with + (or commas) for an approval vote)"))
    v.add_argument("--reason", default="", help=_("a reason, recorded on chain with the vote"))
    b = command("benefits", cmd_benefits, _("benefits, and which ones your level unlocks"))
    b.add_argument("address", nargs="?")
    r = command("redeem", cmd_redeem, _("redeem a benefit your level unlocks (gasless)"))
    r.add_argument("benefit_id", metavar="benefitId")
    p = command("proposals", cmd_proposals, _("proposals with their state and tallies, newest first"))
    p.add_argument("--state", choices=ProposalState.labels(), help=_("only proposals in this state"))
    ideas = command("ideas", cmd_ideas, _("ideas on the co-creation board with their support, newest first"))
    ideas.add_argument("--stage", choices=IDEA_STAGES, help=_("only ideas at this stage"))
    i = command("idea", cmd_idea, _("submit or support an idea on the co-creation board (gasless)"))
    actions = i.add_subparsers(dest="idea_action", required=True, metavar="action", title=_("actions"))
    submit = _titled(actions.add_parser("submit", help=_("submit an idea"), formatter_class=_HelpFormatter, add_help=False))
    _common(submit, suppress=True)
    submit.add_argument("title")
    submit.add_argument("--uri", default="", help=_("where the idea is described (e.g. ipfs://...)"))
    submit.add_argument("--content-file", help=_("a file whose keccak256 is recorded as the idea's content hash"))
    support = _titled(actions.add_parser("support", help=_("support an idea"), formatter_class=_HelpFormatter, add_help=False))
    _common(support, suppress=True)
    support.add_argument("idea_id", metavar="ideaId")
    shop.register(command)
    return parser


def _choose_language(argv: list[str] | None) -> None:
    """Speak the language --lang names (before or after the command), else the environment's. `--json` output is for
    programs: English whatever the terminal speaks, but for the names of an explicit --lang. An unknown --lang is
    refused in the environment's language."""
    early = argparse.ArgumentParser(add_help=False, exit_on_error=False)
    early.add_argument("--lang")
    early.add_argument("--json", action="store_true")
    try:
        wanted, _rest = early.parse_known_args(argv)
    except argparse.ArgumentError:  # `--lang` without a value: the full parser says so
        wanted = argparse.Namespace(lang=None, json=False)
    language.use(language.from_environment())
    chosen = language.chosen(wanted.lang)  # UnsupportedLanguage: main() says which languages there are
    if wanted.json:
        language.use(i18n.DEFAULT_LOCALE, content=chosen if wanted.lang else i18n.DEFAULT_LOCALE)
    else:
        language.use(chosen)


def main(argv: list[str] | None = None) -> int:
    try:
        _choose_language(argv)
    except language.UnsupportedLanguage as exc:
        print(_("error: unsupported language {value!r}: use one of {choices}").format(
            value=exc.args[0], choices=", ".join(i18n.LOCALES)), file=sys.stderr)
        return 2
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # usage errors (argparse printed them) and --help
        return int(exc.code or 0)
    ctx = Context(args)
    try:
        result = args.handler(ctx)
    except (CliError, wallet.WalletError) as exc:
        if args.json:
            print(json.dumps({"error": str(exc)}))
        print(_("error: {message}").format(message=exc), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(_("error: interrupted"), file=sys.stderr)
        return 130
    except requests.RequestException as exc:
        print(_("error: lost the chain node at {url} ({error})").format(url=args.rpc, error=exc.__class__.__name__), file=sys.stderr)
        return 1
    except Exception as exc:  # a bug or an unexpected node answer: one line, the traceback on request
        if os.environ.get("ODYSSEY_DEBUG"):
            raise
        print(_("error: unexpected {error}: {message} (ODYSSEY_DEBUG=1 shows where)").format(
            error=exc.__class__.__name__, message=exc), file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps({k: v for k, v in result.items() if k != "message"}, default=str))
    else:
        print(result["message"])
    return 0
