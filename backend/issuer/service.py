"""The issuer service: checks what a member did, signs the Claim voucher it earned (the unchanged EIP-712 type of
backend/chain/protocol.py) with the issuer key from settings, stores it, and hands it to the relay in this process.

Order, for every activity: the stamp declares this kind of earning → its journey is open → the member does not hold
it already → a voucher they already earned is returned as it is (asking again never signs a second) → the attempt is
counted (per member and per client IP, in the database) → the check → the voucher, stored before it is returned →
the relay sends it (or the member does, paying the fee). What the relay cannot send now (the DAO's issuance budget is
spent for now, the member's transaction slot is busy, the node is down) stays stored and valid until its deadline:
every `issuer_worker_interval` seconds a delivery round of any API process sends what is due, follows what it sent
until it is mined, and issues the completion stamps whose last required stamp has landed.

The issuer key is used to sign and for nothing else: it never appears in a log, an error or an answer.
"""
import logging
import threading
import time

import requests
from sqlalchemy import func, select
from web3.exceptions import ContractLogicError, Web3RPCError

from backend.chain.deployment import connect
from backend.chain.keys import signing_account
from backend.chain.protocol import domain_from_eip712, role_id, sign_voucher, voucher_link
from backend.content import Texts, pick
from backend.db import models
from backend.db.session import session_factory
from backend.indexer.rpc import describe_failure
from backend.issuer import earn as earn_models
from backend.issuer.activities import check_quiz_answers, code_matches, kiosk_view, quiz_score
from backend.issuer.kiosks import live_kiosk
from backend.issuer.partners import Partners, signature_matches
from backend.issuer.refusals import Refusal
from backend.issuer.rules import completion_rules, rules_by_stamp
from backend.issuer.sessions import Sessions
from backend.issuer.store import Issued, VoucherStore
from backend.issuer.vault import SecretsError, Vault
from backend.relay.limits import RateLimiter
from backend.relay.service import RelayError, relay_for
from backend.settings import Settings

log = logging.getLogger("odyssey.issuer")

SENT_CHECK_SECONDS = 3  # how soon a round looks at a transaction it sent
BUSY_RETRY_SECONDS = 10  # the member's relay slot busy, the node or the relayer unavailable
BUDGET_RETRY_SECONDS = 60  # the DAO's issuance budget refills continuously; so does a pause end, by a vote
# Reverts that mean the voucher may still be collected later; any other refusal is final for this voucher.
WAIT_REVERTS = {"OdysseyIssuanceBudgetExceeded", "EnforcedPause"}
# Reverts that mean the nonce was used or the member holds the stamp: collected, if the chain shows it held.
HELD_REVERTS = {"OdysseyVoucherUsed", "OdysseyAlreadyHolds"}
QUIZ_WINDOW = 86_400.0  # a quiz's attempts_per_day are counted per UTC day

# What a member reads about a voucher's delivery (the page and the CLI say it in their own words from `status`).
STATUS_WORDS = {
    "collected": "collected",
    "sending": "on its way",
    "waiting": "waiting to be sent",
    "ready": "yours to send (you chose to pay the network fee)",
    "expired": "expired before it was collected",
    "refused": "refused by the network",
}


class Issuer:
    """One issuer for one chain and deployment; thread-safe, one per process (its records are in the database)."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.w3, self.deployment = connect(settings.rpc_url, settings.rpc_timeout, settings.deployments_file)
        self.chain_id = self.deployment.chain_id
        entry = self.deployment.contract("OdysseyStamps")
        self.stamps = self.w3.eth.contract(address=entry.address, abi=entry.abi)
        self.domain = domain_from_eip712(self.stamps.functions.eip712Domain().call())
        self._account = signing_account(settings, "issuer", "issuer", self.chain_id)
        self.address = self._account.address
        if not self.stamps.functions.hasRole(role_id("ISSUER_ROLE"), self.address).call():
            raise RuntimeError(f"the issuer key's account {self.address} does not hold ISSUER_ROLE on OdysseyStamps")
        try:
            self.vault = Vault.from_settings(settings)
        except SecretsError as exc:
            raise RuntimeError(str(exc)) from None
        self.store = VoucherStore(settings)
        self.sessions = Sessions(settings, self.chain_id)
        self.partners = Partners(settings)
        self.reads = session_factory(settings)
        self._limiters: dict[tuple, RateLimiter] = {}
        self._limiters_lock = threading.Lock()

    # ------------------------------------------------------------------ limits

    def _count(self, scope: str, key: str, limit: int, window: float, code: str, what: str) -> None:
        """Count one attempt of `key`; refused (`code`, a 429 with Retry-After) past `limit` in the window."""
        with self._limiters_lock:
            limiter = self._limiters.get((scope, limit, window))
            if limiter is None:
                limiter = self._limiters[(scope, limit, window)] = RateLimiter(
                    self.settings, scope, limit, window_seconds=window, model=models.IssuerHit)
        wait = limiter.hit(key)
        if wait is not None:
            raise Refusal(code, f"{what}: try again in {_duration(wait)}", headers={"Retry-After": str(int(wait) + 1)})

    def count_ip(self, scope: str, ip: str, limit: int) -> None:
        self._count(scope, ip, limit, self.settings.issuer_window_seconds, "too_many_requests",
                    f"too many requests from {ip}")

    # ------------------------------------------------------------------ the mirror

    def _stamp(self, stamp_id: int, kind: str | tuple[str, ...]):
        """The stamp's earn rule, if it is earned by `kind`; its stamp type and journey rows. 404 otherwise."""
        kinds = (kind,) if isinstance(kind, str) else kind
        with self.reads() as session:
            stamp = session.get(models.StampType, str(stamp_id))
            rule = rules_by_stamp(session, [str(stamp_id)]).get(str(stamp_id))
            journey = session.get(models.Journey, stamp.journey_id) if stamp is not None else None
        if stamp is None:
            raise Refusal("no_such_stamp", f"there is no stamp {stamp_id}")
        if rule is None or rule.kind not in kinds:
            how = f"it is earned by: {rule.kind}" if rule is not None else "its journey does not say how it is earned"
            raise Refusal("not_earned_this_way", f"stamp {stamp_id} ({stamp.name}) is not earned by {' or '.join(kinds)}: {how}")
        return rule, stamp, journey

    def holds(self, member: str, stamp_id: int) -> bool:
        """Whether the member holds the stamp, as the mirror shows it."""
        with self.reads() as session:
            holding = session.get(models.Holding, (member, str(stamp_id)))
        return holding is not None and holding.balance > 0

    def _open_for(self, member: str, stamp, journey) -> Issued | None:
        """409 if the journey is closed or the member holds the stamp; the member's open voucher for it, if any."""
        now = time.time()
        if journey is not None and journey.start and now < journey.start:
            raise Refusal("journey_not_started", f"{journey.name} opens on {_date(journey.start)}")
        if journey is not None and journey.end and now > journey.end:
            raise Refusal("journey_ended", f"{journey.name} closed on {_date(journey.end)}")
        if self.holds(member, int(stamp.id)):
            raise Refusal("stamp_held", f"you already have the {stamp.name} stamp")
        return self.store.open_voucher(member, int(stamp.id))

    # ------------------------------------------------------------------ activities

    def quiz(self, member: str, ip: str, stamp_id: int, answers: dict[str, str], pay_gas: bool) -> dict:
        quiz, stamp, journey = self._stamp(stamp_id, "quiz")
        earned = self._open_for(member, stamp, journey)
        if earned is not None:
            return self._answer(self._deliver_if_asked(earned, pay_gas), passed=True)
        check_quiz_answers(quiz, answers)
        self.count_ip("attempt", ip, self.settings.issuer_attempts_per_ip)
        self._count("quiz", f"{stamp_id}:{member}", quiz.attempts_per_day, QUIZ_WINDOW, "quiz_tries_used",
                    f"no tries left today for the {stamp.name} quiz ({quiz.attempts_per_day} a day)")
        score = quiz_score(quiz, self._secret(self.vault.quiz_answers, quiz.answers), answers)
        facts = {"score": score, "passMark": quiz.pass_mark, "questions": len(quiz.questions)}
        if score < quiz.pass_mark:
            return {"passed": False, **facts, "voucher": None}
        issued = self._issue(member, stamp, journey, "quiz", facts, pay_gas)
        return self._answer(issued, passed=True, **facts)

    def code(self, member: str, ip: str, stamp_id: int, given: str, pay_gas: bool) -> dict:
        code, stamp, journey = self._stamp(stamp_id, "code")
        earned = self._open_for(member, stamp, journey)
        if earned is not None:
            return self._answer(self._deliver_if_asked(earned, pay_gas))
        self.count_ip("attempt", ip, self.settings.issuer_attempts_per_ip)
        window = self.settings.issuer_window_seconds
        self._count("code", f"{stamp_id}:{member}", self.settings.issuer_code_attempts, window, "code_tries_used",
                    f"too many codes tried for the {stamp.name} stamp")
        secret = self._secret(self.vault.word, code.word) if code.word else self._secret(self.vault.seed, code.rotating.seed)
        if not code_matches(code, secret, given, time.time()):
            raise Refusal("wrong_code", "that code is not right: check it and try again", field="code")
        evidence = {"rotating": code.rotating is not None}
        return self._answer(self._issue(member, stamp, journey, "code", evidence, pay_gas))

    def completion(self, member: str, ip: str, stamp_id: int, pay_gas: bool) -> dict:
        completion, stamp, journey = self._stamp(stamp_id, "completion")
        earned = self._open_for(member, stamp, journey)
        if earned is not None:
            return self._answer(self._deliver_if_asked(earned, pay_gas))
        self.count_ip("attempt", ip, self.settings.issuer_attempts_per_ip)
        missing = self.missing_for_completion(member, completion)
        if missing:
            with self.reads() as session:
                names = [session.get(models.StampType, str(i)) for i in missing]
            listed = ", ".join(s.name if s is not None else f"stamp {i}" for s, i in zip(names, missing))
            raise Refusal("stamps_missing", f"collect these first: {listed}")
        return self._answer(self._issue(member, stamp, journey, "completion", {"held": completion.required}, pay_gas))

    def missing_for_completion(self, member: str, completion: earn_models.Completion) -> list[int]:
        """The required stamps the member does not hold, as the chain says at its newest block (not the mirror, not
        the page)."""
        ids = completion.required
        balances = self._node(self.stamps.functions.balanceOfBatch([member] * len(ids), ids).call)
        return [i for i, balance in zip(ids, balances) if balance == 0]

    def receipt(self, *, partner: str, timestamp: str, key: str, signature: str, body: bytes, ip: str,
                stamp_id: int, member: str | None, member_code: str | None, evidence: dict) -> dict:
        """A partner's signed purchase: checked (partner known, fresh, signature, this partner's stamp, not a replay),
        then the member's voucher issued and sent by the relay."""
        self.count_ip("webhook", ip, self.settings.issuer_webhooks_per_ip)
        try:
            secret = self.vault.partner_secret(partner)
        except SecretsError:
            raise Refusal("unknown_partner", f"unknown partner {partner!r}") from None
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > self.settings.issuer_webhook_tolerance:
            raise Refusal("stale_timestamp", f"stale or malformed Odyssey-Timestamp: it must be the unix time within "
                                            f"{self.settings.issuer_webhook_tolerance} s of ours ({int(time.time())})")
        if not signature_matches(secret, timestamp, key, body, signature):
            raise Refusal("bad_signature", "Odyssey-Signature does not match: sign <timestamp>.<idempotency key>.<raw body> "
                                          "with HMAC-SHA256 and your secret")
        rule, stamp, journey = self._stamp(stamp_id, "receipt")
        if rule.partner != partner:
            raise Refusal("partner_not_assigned", f"partner {partner!r} does not issue stamp {stamp_id} ({stamp.name})")
        earlier = self.partners.delivered(partner, key)
        if earlier is not None:
            raise Refusal("replayed", f"Idempotency-Key {key!r} was delivered at {_date(earlier.received_at, True)}: "
                                       "a replay issues nothing")
        if member is None:
            member = self.partners.member_of_code(member_code)
            if member is None:
                raise Refusal("unknown_member_code", f"no member has the code {member_code!r}", field="memberCode")
        try:
            issued = self._open_for(member, stamp, journey)
        except Refusal as exc:
            if exc.status == 409 and self.holds(member, stamp_id):  # a member buying again: nothing more to give
                self.partners.record(partner, key, body, None)
                return {"stampId": str(stamp_id), "member": member, "status": "collected", "voucher": None}
            raise
        if issued is None:
            issued = self._issue(member, stamp, journey, "receipt", {"partner": partner, "key": key, **evidence},
                                 pay_gas=False)
        if not self.partners.record(partner, key, body, issued.id):
            raise Refusal("replayed", f"Idempotency-Key {key!r} was delivered a moment ago: a replay issues nothing")
        answer = self._answer(issued)
        return {"stampId": str(stamp_id), "member": member, "status": answer["voucher"]["status"], "voucher": answer["voucher"]}

    def kiosk(self, token: str, ip: str, locale: str) -> dict:
        """What a kiosk shows now (its token names the stamp), its texts in `locale`; 401 for an unknown or revoked
        token."""
        kiosk = live_kiosk(self.settings, token)
        if kiosk is None:
            raise Refusal("kiosk_token_invalid", "this kiosk link is not valid (or was switched off): ask for a new one")
        self._count("kiosk", str(kiosk.id), self.settings.issuer_kiosk_fetches, self.settings.issuer_window_seconds,
                    "kiosk_too_often", f"kiosk {kiosk.name!r} asks too often")
        code, stamp, journey = self._stamp(int(kiosk.stamp_id), "code")
        if code.rotating is None:
            raise Refusal("not_rotating_code", f"stamp {stamp.id} ({stamp.name}) is earned by a code word, not a rotating code")
        view = kiosk_view(code, self._secret(self.vault.seed, code.rotating.seed), time.time(), self.settings.public_url,
                          int(stamp.id))
        with self.reads() as session:
            stamp_name = Texts(session, "stamp", [stamp.id], locale).name(stamp.id, stamp.name)
            journey_name = Texts(session, "journey", [journey.id], locale).name(journey.id, journey.name) if journey else None
        return {"kiosk": {"id": kiosk.id, "name": kiosk.name},
                "stamp": {"id": stamp.id, "name": stamp_name, "points": stamp.points, "journey": journey_name,
                          "description": pick(code.description, locale) or ""}, **view}

    def _secret(self, lookup, name: str):
        try:
            return lookup(name)
        except SecretsError as exc:
            log.error("an activity needs a secret the issuer does not have: %s", exc)
            raise Refusal("activity_not_set_up", "this activity is not set up yet: please tell the staff") from None

    # ------------------------------------------------------------------ vouchers

    def _issue(self, member: str, stamp, journey, activity: str, evidence: dict, pay_gas: bool) -> Issued:
        deadline = int(time.time()) + self.settings.issuer_voucher_seconds
        if journey is not None and journey.end:
            deadline = min(deadline, journey.end)

        def sign(nonce: int, deadline: int):
            return sign_voucher(self._account.key, self.domain, member, int(stamp.id), nonce, deadline)

        issued, new = self.store.issue(member, int(stamp.id), activity=activity, evidence=evidence, deadline=deadline,
                                       relayed=not pay_gas, sign=sign)
        if not new:
            return self._deliver_if_asked(issued, pay_gas)
        log.info("issued a voucher for stamp %s to %s (%s)", stamp.id, member, activity)
        return self.deliver(issued) if issued.relayed else issued  # new and relayed: leased to this process

    def _deliver_if_asked(self, issued: Issued, pay_gas: bool) -> Issued:
        """Send an earlier voucher now if the member wants it relayed and it is not on its way already (nor being sent
        by another request or a delivery round: the lease says)."""
        if pay_gas:
            return issued
        taken = self.store.take_for_relay(issued.id)
        return self.deliver(taken) if taken is not None else self.store.get(issued.id)

    def deliver(self, issued: Issued) -> Issued:
        """Hand the voucher to the relay, or follow the transaction it sent; record how it went. Only the process
        holding the voucher's lease calls it."""
        try:
            relay = relay_for(self.settings)
        except Exception as exc:
            self.store.retry_later(issued.id, BUSY_RETRY_SECONDS, f"the relay is unavailable: {describe_failure(exc)}")
            return self.store.get(issued.id)
        if issued.tx_hash is not None:
            try:
                status = relay.status(issued.tx_hash)
            except RelayError as exc:
                status = {"status": "gone"} if exc.status == 404 else None
            except requests.RequestException:
                status = None
            if status is None or status["status"] == "pending":
                self.store.retry_later(issued.id, SENT_CHECK_SECONDS, issued.last_error, keep_tx=True)
                return self.store.get(issued.id)
            if status["status"] == "mined":
                self.store.settle(issued.id, "collected")
                return self.store.get(issued.id)
            if status["status"] == "failed":
                return self._refused(issued, status["error"])
            # gone: the node dropped it; send it again
        try:
            tx_hash = relay.relay_claim(issued.voucher)
        except RelayError as exc:
            if exc.kind == "revert":
                return self._refused(issued, exc.message)
            if exc.status in (409, 429, 502, 503):
                wait = int(exc.headers["Retry-After"]) if exc.headers and "Retry-After" in exc.headers else BUSY_RETRY_SECONDS
                self.store.retry_later(issued.id, wait, exc.message)
            else:  # the voucher itself is refused (its deadline within the relay's margin)
                self.store.settle(issued.id, "refused", exc.message)
            return self.store.get(issued.id)
        except requests.RequestException as exc:
            self.store.retry_later(issued.id, BUSY_RETRY_SECONDS, f"the chain node is unreachable: {describe_failure(exc)}")
            return self.store.get(issued.id)
        self.store.sent(issued.id, tx_hash)
        return self.store.get(issued.id)

    def _refused(self, issued: Issued, reason: str) -> Issued:
        name = reason.split("(")[0]
        if name in WAIT_REVERTS:
            self.store.retry_later(issued.id, BUDGET_RETRY_SECONDS, reason)
        elif name in HELD_REVERTS and self._node(self.stamps.functions.balanceOf(issued.member, issued.stamp_id).call):
            self.store.settle(issued.id, "collected")
        else:
            self.store.settle(issued.id, "refused", reason)
        return self.store.get(issued.id)

    def status(self, issued: Issued) -> str:
        if issued.outcome is not None:
            return issued.outcome
        if issued.deadline <= time.time():
            return "expired"
        if not issued.relayed:
            return "ready"
        if self.holds(issued.member, issued.stamp_id):
            return "collected"
        return "sending" if issued.tx_hash is not None else "waiting"

    def voucher_view(self, issued: Issued) -> dict:
        status = self.status(issued)
        return {
            **issued.voucher.as_dict(), "stampId": str(issued.stamp_id), "nonce": str(issued.nonce),
            "link": voucher_link(self.settings.public_url, issued.voucher), "activity": issued.activity,
            "issuedAt": issued.created_at, "status": status, "txHash": issued.tx_hash,
            "reason": issued.last_error if status in ("waiting", "refused") else None,
        }

    def _answer(self, issued: Issued, **facts) -> dict:
        return {**facts, "voucher": self.voucher_view(issued)}

    # ------------------------------------------------------------------ delivery rounds

    def deliver_round(self) -> int:
        """Send what is due, follow what was sent, issue the completion stamps earned; how many vouchers it touched."""
        touched = 0
        for issued in self.store.due():
            self.deliver(issued)
            touched += 1
        return touched + self._complete_round()

    def _complete_round(self) -> int:
        """Members whom the mirror shows holding every stamp a completion requires, and not that one: checked on the
        chain, then issued their completion stamp."""
        issued = 0
        with self.reads() as session:
            candidates = {}
            for stamp_id, completion in completion_rules(session).items():
                candidates[stamp_id] = (completion, _complete_in_mirror(session, stamp_id, completion.required))
        for stamp_id, (completion, members) in candidates.items():
            members -= self.store.members_with_voucher(stamp_id)
            for member in sorted(members):
                try:
                    if self.missing_for_completion(member, completion):
                        continue
                    rule, stamp, journey = self._stamp(stamp_id, "completion")
                    if self._open_for(member, stamp, journey) is None:
                        self._issue(member, stamp, journey, "completion", {"held": completion.required}, pay_gas=False)
                        issued += 1
                except Refusal:
                    continue  # closed journey, just collected: nothing to issue now
        return issued

    def _node(self, call):
        try:
            return call()
        except (requests.RequestException, ContractLogicError, Web3RPCError) as exc:
            raise Refusal("node_unreachable", f"the chain node is unreachable: {describe_failure(exc)}") from None


def _complete_in_mirror(session, stamp_id: int, required: list[int]) -> set[str]:
    """Members the mirror shows holding every stamp of `required` and not `stamp_id`."""
    holds_all = (
        select(models.Holding.address)
        .where(models.Holding.stamp_id.in_([str(i) for i in required]), models.Holding.balance > 0)
        .group_by(models.Holding.address).having(func.count() == len(required))
    )
    holds_it = select(models.Holding.address).where(models.Holding.stamp_id == str(stamp_id), models.Holding.balance > 0)
    return set(session.execute(holds_all.where(models.Holding.address.not_in(holds_it))).scalars())


def _date(timestamp: float, with_time: bool = False) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S UTC" if with_time else "%Y-%m-%d", time.gmtime(timestamp))


def _duration(seconds: float) -> str:
    seconds = int(seconds) + 1
    if seconds >= 3600:
        return f"{seconds // 3600} h {seconds % 3600 // 60} min"
    return f"{seconds // 60} min {seconds % 60} s" if seconds >= 60 else f"{seconds} s"


_issuers: dict[int, Issuer] = {}
_issuers_lock = threading.Lock()


def issuer_for(settings: Settings) -> Issuer:
    """One Issuer per settings object, built on first use (RuntimeError, DeploymentError when it cannot be)."""
    with _issuers_lock:
        issuer = _issuers.get(id(settings))
        if issuer is None or issuer.settings is not settings:
            issuer = _issuers[id(settings)] = Issuer(settings)
    return issuer


def deliver_forever(settings: Settings, stop: threading.Event) -> None:
    """Delivery rounds every `issuer_worker_interval` seconds until `stop` (the API runs it in a thread when an issuer
    key is set). A failing round is logged once until one succeeds again."""
    failing = False
    while not stop.wait(settings.issuer_worker_interval):
        try:
            issuer_for(settings).deliver_round()
            failing = False
        except Exception as exc:
            if not failing:
                log.warning("the issuer's delivery round failed (retrying): %s", describe_failure(exc))
            failing = True
