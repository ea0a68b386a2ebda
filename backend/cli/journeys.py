"""`odyssey journeys`, `odyssey play <stamp>` and `odyssey code <stamp> <code>`: the journeys a member plays.

The journeys, their stamps and how each is earned come from the API (`GET /journeys`); an activity is played with the
issuer service (backend/issuer): the member signs in with Ethereum (EIP-4361) with their keystore, plays, and the
voucher earned is sent by the relay (gasless) or, with --pay-gas, by the member. Most words shown are in TEXT below,
translated where used (backend/cli/language.py).
"""
import datetime
import time
from datetime import timezone

import httpx
from eth_account.messages import encode_defunct
from siwe import SiweMessage

from backend.chain.protocol import Voucher
from backend.cli import wallet
from backend.cli.api import as_of
from backend.cli.chain import Context
from backend.cli.errors import CliError
from backend.cli.language import N_, _, content, date, number, word
from backend.cli.refusals import ISSUER, refusal_line

COLLECT_POLL = 0.5  # seconds between looks at a voucher the relay is sending

TEXT = {  # N_: translated where used
    "kind": {"quiz": N_("quiz"), "code": N_("code"), "receipt": N_("purchase at a partner"), "completion": N_("finish the journey"),
             "link": N_("claim link"), "allowlist": N_("allowlist"), "airdrop": N_("airdrop"), "sale": N_("shop"), "drop": N_("fair drop")},
    "rotating": N_("the code on the kiosk"),
    "held": "✓",
    "progress": N_("{held} of {total} collected"),
    "window": N_("open {start} – {end}"),
    "open_ended": N_("open"),
    "no_journeys": N_("no journeys yet"),
    "not_quiz": N_("stamp {id} ({name}) is not a quiz: it is earned by {kind}{hint}"),
    "hint_code": N_(" (odyssey code {id} <code>)"),
    "not_code": N_("stamp {id} ({name}) is not earned by a code: it is earned by {kind}{hint}"),
    "hint_play": N_(" (odyssey play {id})"),
    "no_earn": N_("stamp {id} ({name}) does not say how it is earned"),
    "ask": N_("your answer ({choices}): "),
    "bad_choice": N_("answer with one of: {choices}"),
    "bad_answers": N_("--answers takes question=choice pairs separated by commas, e.g. q1=b,q2=a"),
    "failed": N_("not passed: {score} of {questions} right, {pass_mark} needed; try again (attempts are limited per day)"),
    "passed": N_("passed: {score} of {questions} right"),
    "passed_before": N_("you passed this quiz before"),
    "code_ok": N_("code accepted"),
    "collected": N_("collected {name} ({points} points)"),
    "ready": N_("your voucher for {name} is ready: claiming it yourself (--pay-gas)"),
    "waiting": N_("{name} is on its way but not collected yet: {reason}\n`odyssey journeys` shows it when it lands"),
    "refused": N_("the network refused the claim of {name}: {reason}"),
    "slow": N_("{name} is on its way (transaction {tx}); `odyssey journeys` shows it when it lands"),
    "issuer_down": N_("cannot reach the issuer at {base} ({error}); set --api or ODYSSEY_API_URL"),
}


def _kind(earn: dict | None) -> str:
    if earn is None:
        return "?"
    if earn["kind"] == "code" and earn.get("rotating"):
        return word(TEXT, "rotating")
    return word(TEXT["kind"], earn["kind"])


class IssuerClient:
    """The issuer service of the API, signed in as the member (a Sign-In with Ethereum session)."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.base = ctx.args.api.rstrip("/")
        self.token: str | None = None

    def _request(self, method: str, path: str, body: dict | None = None) -> dict:
        # what the issuer says in words, in the member's language
        headers = {"Accept-Language": content(), **({"Authorization": f"Bearer {self.token}"} if self.token else {})}
        try:
            response = httpx.request(method, self.base + path, json=body, headers=headers, timeout=self.ctx.args.timeout)
        except httpx.HTTPError as exc:
            raise CliError(word(TEXT, "issuer_down").format(base=self.base, error=exc.__class__.__name__)) from None
        if response.status_code >= 400:
            raise CliError(refusal_line(response, ISSUER))
        return response.json()

    def sign_in(self) -> str:
        """Sign an EIP-4361 message with the member's key (no transaction, nothing paid); the member's address."""
        account = self.ctx.account
        siwe = self._request("GET", "/issuer")["siwe"]
        nonce = self._request("POST", "/issuer/siwe/nonce")["nonce"]
        message = SiweMessage(
            domain=siwe["domain"], address=account.address, statement=siwe["statement"], uri=siwe["uri"], version="1",
            chain_id=siwe["chainId"], nonce=nonce,
            issued_at=datetime.datetime.now(timezone.utc).isoformat().replace("+00:00", "Z"),
        ).prepare_message()
        signature = account.sign_message(encode_defunct(text=message)).signature.to_0x_hex()
        self.token = self._request("POST", "/issuer/siwe/session", {"message": message, "signature": signature})["token"]
        return account.address

    def play(self, stamp_id: int, activity: str, body: dict) -> dict:
        return self._request("POST", f"/issuer/stamps/{stamp_id}/{activity}", {**body, "payGas": self.ctx.args.pay_gas})

    def voucher(self, stamp_id: int) -> dict | None:
        found = [v for v in self._request("GET", "/issuer/vouchers")["data"] if v["stampId"] == str(stamp_id)]
        return found[0] if found else None


def _stamp(ctx: Context, stamp_id: str) -> dict:
    if not stamp_id.isdigit():
        raise CliError(_("stamp must be a stamp id (a whole number; `odyssey journeys` lists them), not {value!r}").format(
            value=stamp_id))
    body = ctx.api.get(f"/stamps/{stamp_id}", missing_ok=True)
    if body is None:
        raise CliError(_("there is no stamp {id} (`odyssey journeys` lists them)").format(id=stamp_id))
    return body["data"]


def _wrong_kind(stamp: dict, wanted: str) -> CliError:
    earn = stamp["earn"]
    if earn is None:
        return CliError(word(TEXT, "no_earn").format(id=stamp["id"], name=stamp["name"]))
    hint = {"code": word(TEXT, "hint_code"), "quiz": word(TEXT, "hint_play")}.get(earn["kind"], "").format(id=stamp["id"])
    template = word(TEXT, "not_quiz") if wanted == "quiz" else word(TEXT, "not_code")
    return CliError(template.format(id=stamp["id"], name=stamp["name"], kind=_kind(earn), hint=hint))


def _collect(ctx: Context, issuer: IssuerClient, stamp: dict, voucher: dict, said: str) -> dict:
    """Follow the voucher until the stamp is collected (sent by the relay, or by the member with --pay-gas)."""
    name = stamp["name"]
    result = {"stampId": stamp["id"], "name": name, "points": stamp["points"], "voucher": voucher}
    if voucher["status"] == "ready":  # --pay-gas: the member sends the claim
        v = Voucher(member=voucher["member"], stampId=int(voucher["stampId"]), nonce=int(voucher["nonce"]),
                    deadline=int(voucher["deadline"]), signature=voucher["signature"])
        sent = ctx.call_direct(ctx.contract("OdysseyStamps"), "claim", list(v.claim_args()), word(TEXT, "ready").format(name=name))
        voucher = issuer.voucher(int(stamp["id"])) or voucher
        voucher["txHash"] = voucher.get("txHash") or sent["txHash"]
    deadline = time.monotonic() + ctx.args.timeout
    while voucher["status"] in ("sending", "ready") and time.monotonic() < deadline:
        if ctx.contract("OdysseyStamps").functions.balanceOf(voucher["member"], int(stamp["id"])).call():
            break  # the newest block has it: collected
        time.sleep(COLLECT_POLL)
        voucher = issuer.voucher(int(stamp["id"])) or voucher
    member = voucher["member"]
    head = ctx.w3.eth.block_number
    if ctx.contract("OdysseyStamps").functions.balanceOf(member, int(stamp["id"])).call(block_identifier=head):
        collected = word(TEXT, "collected").format(name=name, points=number(stamp["points"]))
        result.update(status="collected", txHash=voucher.get("txHash"), blockNumber=head, message=said + "\n" + collected)
        if landed := ctx.read_landed(result, f"/members/{member}"):
            profile = landed["data"]
            result.update(totalPoints=profile["points"], level=profile["level"])
            result["message"] += "\n" + _("now {points} points, level {level}").format(points=number(profile["points"]),
                                                                                      level=profile["level"])
        return result
    status = voucher["status"]
    result["status"] = status
    if status == "refused":
        raise CliError(word(TEXT, "refused").format(name=name, reason=voucher["reason"]))
    template = word(TEXT, "waiting") if status == "waiting" else word(TEXT, "slow")
    result["message"] = said + "\n" + template.format(name=name, reason=voucher["reason"], tx=voucher["txHash"])
    return result


# ---------------------------------------------------------------------------------------------- commands


def cmd_journeys(ctx: Context) -> dict:
    body = ctx.api.get("/journeys")
    try:
        member = ctx.address()
    except wallet.WalletError:  # no wallet: the journeys without progress
        member = None
    held = set()
    if member:
        profile = ctx.api.get(f"/members/{member}", missing_ok=True)
        held = {h["stamp_id"] for h in profile["data"]["holdings"]} if profile else set()
    journeys, lines = [], []
    for journey in body["data"]:
        stamps = journey["stamp_types"]
        mine = [s for s in stamps if s["id"] in held]
        window = (word(TEXT, "window").format(start=date(journey["start"]) if journey["start"] else "…",
                                           end=date(journey["end"]) if journey["end"] else "…")
                  if journey["start"] or journey["end"] else word(TEXT, "open_ended"))
        progress = word(TEXT, "progress").format(held=len(mine), total=len(stamps))
        lines.append(_("{name} (journey {id}) · {window}").format(name=journey["name"], id=journey["id"], window=window)
                     + (f" · {progress}" if member else ""))
        for s in stamps:
            mark = TEXT["held"] if s["id"] in held else " "
            description = f" — {s['earn']['description']}" if s["earn"] and s["earn"]["description"] else ""
            lines.append(f"  {mark} #{s['id']:<6} " + _("{name} · {points} points · {kind}").format(
                name=s["name"], points=number(s["points"]), kind=_kind(s["earn"])) + description)
        journeys.append({"id": journey["id"], "name": journey["name"], "start": journey["start"], "end": journey["end"],
                         "collected": len(mine) if member else None, "stamps": [
                             {"stampId": s["id"], "name": s["name"], "points": s["points"],
                              "earn": s["earn"], "held": s["id"] in held if member else None} for s in stamps]})
    lines.append(as_of(body["block"]["number"]) if lines else word(TEXT, "no_journeys"))
    return {"member": member, "journeys": journeys, "block": body["block"]["number"], "message": "\n".join(lines)}


def _answers_from(text: str) -> dict:
    answers = {}
    for pair in text.split(","):
        question, _, choice = pair.partition("=")
        if not question.strip() or not choice.strip():
            raise CliError(word(TEXT, "bad_answers"))
        answers[question.strip()] = choice.strip()
    return answers


def _ask(questions: list[dict]) -> dict:
    answers = {}
    for position, question in enumerate(questions, 1):
        print(f"{position}. {question['text']}")
        for choice in question["choices"]:
            print(f"   {choice['id']}) {choice['text']}")
        ids = [c["id"] for c in question["choices"]]
        while (given := input(word(TEXT, "ask").format(choices="/".join(ids))).strip().lower()) not in ids:
            print(word(TEXT, "bad_choice").format(choices=", ".join(ids)))
        answers[question["id"]] = given
    return answers


def cmd_play(ctx: Context) -> dict:
    stamp = _stamp(ctx, ctx.args.stamp)
    if stamp["earn"] is None or stamp["earn"]["kind"] != "quiz":
        raise _wrong_kind(stamp, "quiz")
    quiz = stamp["earn"]
    issuer = IssuerClient(ctx)
    issuer.sign_in()
    answers = _answers_from(ctx.args.answers) if ctx.args.answers else _ask(quiz["questions"])
    outcome = issuer.play(int(stamp["id"]), "quiz", {"answers": answers})
    facts = {"score": outcome.get("score"), "questions": outcome.get("questions"), "pass_mark": outcome.get("passMark")}
    if not outcome["passed"]:
        raise CliError(word(TEXT, "failed").format(**facts))
    said = word(TEXT, "passed").format(**facts) if facts["score"] is not None else word(TEXT, "passed_before")
    return {"passed": True, "score": facts["score"], **_collect(ctx, issuer, stamp, outcome["voucher"], said)}


def cmd_code(ctx: Context) -> dict:
    stamp = _stamp(ctx, ctx.args.stamp)
    if stamp["earn"] is None or stamp["earn"]["kind"] != "code":
        raise _wrong_kind(stamp, "code")
    issuer = IssuerClient(ctx)
    issuer.sign_in()
    outcome = issuer.play(int(stamp["id"]), "code", {"code": ctx.args.code})
    return _collect(ctx, issuer, stamp, outcome["voucher"], word(TEXT, "code_ok"))


def register(command) -> None:
    """Register the commands with `command(name, handler, help)` of backend/cli/main.py's parser."""
    command("journeys", cmd_journeys, _("journeys, their stamps, how each is earned and what you collected"))
    play = command("play", cmd_play, _("play a stamp's quiz in the terminal; passing earns the stamp (gasless)"))
    play.add_argument("stamp", help=_("the stamp's id (see `odyssey journeys`)"))
    play.add_argument("--answers", help=_("answer without questions asked: question=choice pairs, e.g. q1=b,q2=a"))
    code = command("code", cmd_code, _("enter a stamp's code (a kiosk's or a secret word); a right one earns it (gasless)"))
    code.add_argument("stamp", help=_("the stamp's id (see `odyssey journeys`)"))
    code.add_argument("code", help=_("the code shown on the kiosk, or the word you were told"))
