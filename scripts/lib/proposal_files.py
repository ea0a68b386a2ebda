"""Proposal files: YAML in words the ops team uses, turned into the governor's (targets, values, calldatas).

    title: Autumn journey                 # required: the proposal's title (first line of its description)
    description: |                        # optional: markdown shown under the title
      Why we want it...
    proposer: member1                     # optional: role, memberN (local chain) or address; CLI word wins
    actions:                              # an ordinary For/Against/Abstain proposal...
      - create_journey: {id: 3, name: Autumn, uri: "ipfs://...", start: 2026-09-01, end: 2026-11-30}
    # ...or a multiple-choice one (2-10 options; each option's actions run only if it wins):
    approval: false                       # true lets members approve several options
    options:
      - label: Maple design
        actions: [...]
      - label: Keep things as they are
        actions: []

Actions (one key each):
  create_journey / update_journey   {id, name, uri: "", start: 0, end: 0}   (dates: unix seconds or YYYY-MM-DD)
  create_stamp_type                 {id, journey, name, points, soulbound: true, max_supply: 0, price_eth: 0,
                                     wallet_cap: 0}   (a price also lists it in the shop)
  set_level_thresholds              [10, 50, 150]          (ascending points for levels 1, 2, ...)
  spend_treasury                    {to: 0x..., eth: 0.5}  (from the timelock's balance; or wei:)
  grant_role / revoke_role          {contract: stamps|shop|benefits|board|timelock, role: ISSUER_ROLE, account: 0x...}
  add_guardian / remove_guardian    {account: 0x...}      (pause issuance, cancel queued operations; nothing else)
  set_issuance_bounds               {max_stamp_points, budget_bps, budget_floor, budget_period_days}
  unpause                           {}                     (resume issuance after a guardian paused it)
  realise_idea                      {idea: 1, sale_stamp: 0}  (the proposal is linked to the idea when created)
  create_benefit                    {min_level, stock, uri}
  idea_stages                       {supporters: [10, 25], days: [30, 90]}
  idea_creator_share                {bps: 100}
  governor_settings                 {voting_delay, voting_period, proposal_threshold, quorum_percent, queue_period}
  set_treasury                      {to: 0x...}
"""
import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from eth_utils import is_address, to_checksum_address

from backend.chain.protocol import multiple_choice_description
from scripts.lib.common import ScriptError

MAX_OPTIONS = 10
ROLE_CONTRACTS = ("stamps", "shop", "benefits", "board", "timelock")


class Proposal:
    """What propose sends: the full action list and, for multiple choice, labels and option ends."""

    def __init__(self, title, description, proposer, targets, values, calldatas, labels=None, ends=None,
                 approval=False, ideas=()):
        self.title, self.proposer = title, proposer
        self.description = f"# {title}\n\n{description}".rstrip() + "\n" if description else f"# {title}\n"
        self.targets, self.values, self.calldatas = targets, values, calldatas
        self.labels, self.ends, self.approval = labels, ends, approval
        self.ideas = list(ideas)

    @property
    def multiple_choice(self) -> bool:
        return self.labels is not None

    @property
    def created_description(self) -> str:
        """The description the proposal exists under (a multiple-choice one's carries its options)."""
        if self.multiple_choice:
            return multiple_choice_description(self.description, self.labels, self.ends, self.approval)
        return self.description


def load_proposal(path: str, contracts: dict) -> Proposal:
    """Read and encode a proposal file; any problem is a ScriptError naming the file and the place."""
    file = Path(path)
    if not file.exists():
        raise ScriptError(f"{path}: no such file")
    try:
        data = yaml.safe_load(file.read_text())
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        raise ScriptError(f"{path}: not valid YAML{where}: {getattr(exc, 'problem', exc)}") from None
    return parse_proposal(data, contracts, source=path)


def parse_proposal(data, contracts: dict, source: str = "proposal") -> Proposal:
    if not isinstance(data, dict):
        raise ScriptError(f"{source}: expected a mapping with title and actions (or options)")
    known = {"title", "description", "proposer", "actions", "options", "approval"}
    unknown = set(data) - known
    if unknown:
        raise ScriptError(f"{source}: unknown key(s) {', '.join(sorted(map(str, unknown)))} (known: {', '.join(sorted(known))})")
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        raise ScriptError(f"{source}: 'title' is required (a line of text)")
    description = data.get("description") or ""
    if not isinstance(description, str):
        raise ScriptError(f"{source}: 'description' must be text")
    encoder = _Encoder(contracts, source)
    if ("actions" in data) == ("options" in data):
        raise ScriptError(f"{source}: give either 'actions' (ordinary proposal) or 'options' (multiple choice)")
    if "actions" in data:
        if "approval" in data:
            raise ScriptError(f"{source}: 'approval' applies to multiple-choice 'options' only")
        actions = encoder.actions(data["actions"], "actions")
        if not actions:
            raise ScriptError(f"{source}: 'actions' is empty: a proposal needs at least one action")
        targets, values, calldatas = (list(x) for x in zip(*actions))
        return Proposal(title.strip(), description, data.get("proposer"), targets, values, calldatas,
                        ideas=encoder.ideas)
    options = data["options"]
    if not isinstance(options, list) or not 2 <= len(options) <= MAX_OPTIONS:
        raise ScriptError(f"{source}: 'options' must list 2 to {MAX_OPTIONS} options")
    approval = data.get("approval", False)
    if not isinstance(approval, bool):
        raise ScriptError(f"{source}: 'approval' must be true or false")
    labels, ends, targets, values, calldatas = [], [], [], [], []
    for i, option in enumerate(options):
        where = f"options[{i}]"
        if not isinstance(option, dict) or set(option) - {"label", "actions"}:
            raise ScriptError(f"{source}: {where} must be a mapping with 'label' and 'actions'")
        label = option.get("label")
        if not isinstance(label, str) or not label.strip():
            raise ScriptError(f"{source}: {where} needs a 'label'")
        for target, value, calldata in encoder.actions(option.get("actions") or [], f"{where}.actions"):
            targets.append(target)
            values.append(value)
            calldatas.append(calldata)
        labels.append(label.strip())
        ends.append(len(targets))
    if not targets:
        raise ScriptError(f"{source}: no option has an action: a proposal needs at least one")
    return Proposal(title.strip(), description, data.get("proposer"), targets, values, calldatas, labels, ends,
                    approval, ideas=encoder.ideas)


class _Encoder:
    def __init__(self, contracts: dict, source: str):
        self.c = contracts
        self.source = source
        self.ideas = []

    def fail(self, where: str, message: str):
        raise ScriptError(f"{self.source}: {where}: {message}")

    def actions(self, items, where: str) -> list[tuple]:
        if not isinstance(items, list):
            self.fail(where, "must be a list of actions")
        encoded = []
        for i, item in enumerate(items):
            place = f"{where}[{i}]"
            if not isinstance(item, dict) or len(item) != 1:
                self.fail(place, "each action is one key, e.g. '- create_journey: {...}'")
            (kind, args), = item.items()
            if kind not in ACTIONS:
                self.fail(place, f"unknown action {kind!r} (known: {', '.join(sorted(ACTIONS))})")
            encoded.extend(getattr(self, f"_{kind}")(args, f"{place}.{kind}"))
        return encoded

    # ---------------------------------------------------------------- argument helpers

    def _fields(self, args, where, required, optional=None):
        optional = optional or {}
        if not isinstance(args, dict):
            self.fail(where, f"expected a mapping with {', '.join(required)}")
        unknown = set(args) - set(required) - set(optional)
        if unknown:
            self.fail(where, f"unknown field(s) {', '.join(sorted(map(str, unknown)))}")
        missing = [f for f in required if f not in args]
        if missing:
            self.fail(where, f"missing {', '.join(repr(m) for m in missing)}")
        return {**optional, **args}

    def _int(self, value, where, name, minimum=0, maximum=2**256 - 1):
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(where, f"{name} must be a whole number, not {value!r}")
        if not minimum <= value <= maximum:
            self.fail(where, f"{name} must be between {minimum} and {maximum}")
        return value

    def _text(self, value, where, name, allow_empty=True):
        if value is None and allow_empty:
            return ""
        if not isinstance(value, str) or (not allow_empty and not value.strip()):
            self.fail(where, f"{name} must be {'text' if allow_empty else 'non-empty text'}")
        return value

    def _time(self, value, where, name):
        if value in (None, 0):
            return 0
        if isinstance(value, datetime.datetime):
            return int(value.replace(tzinfo=value.tzinfo or datetime.timezone.utc).timestamp())
        if isinstance(value, datetime.date):
            return int(datetime.datetime(value.year, value.month, value.day, tzinfo=datetime.timezone.utc).timestamp())
        if isinstance(value, str):
            try:
                parsed = datetime.datetime.fromisoformat(value)
            except ValueError:
                self.fail(where, f"{name} {value!r} is not a date (YYYY-MM-DD) or unix time")
            return int(parsed.replace(tzinfo=parsed.tzinfo or datetime.timezone.utc).timestamp())
        return self._int(value, where, name, 0, 2**64 - 1)

    def _wei(self, args, where, eth_key, wei_key, required=True):
        if eth_key in args and wei_key in args:
            self.fail(where, f"give {eth_key} or {wei_key}, not both")
        if wei_key in args:
            return self._int(args[wei_key], where, wei_key)
        if eth_key in args:
            try:
                amount = Decimal(str(args[eth_key]))
            except InvalidOperation:
                self.fail(where, f"{eth_key} {args[eth_key]!r} is not a number")
            wei = amount * 10**18
            if amount < 0 or wei != wei.to_integral_value():
                self.fail(where, f"{eth_key} {args[eth_key]!r} is not a whole number of wei")
            return int(wei)
        if required:
            self.fail(where, f"missing {eth_key!r} (or {wei_key!r})")
        return 0

    def _address(self, value, where, name):
        if not isinstance(value, str) or not is_address(value):
            self.fail(where, f"{name} {value!r} is not an address")
        return to_checksum_address(value)

    def _call(self, contract_name, function, *args):
        target = self.c[contract_name]
        return (target.address, 0, getattr(target, function).encode_input(*args))

    # ---------------------------------------------------------------- actions

    def _journey(self, args, where, function):
        f = self._fields(args, where, ("id", "name"), {"uri": "", "start": 0, "end": 0})
        journey_id = self._int(f["id"], where, "id", 1, 2**32 - 1)
        start, end = self._time(f["start"], where, "start"), self._time(f["end"], where, "end")
        if end and end < start:
            self.fail(where, "end is before start")
        name = self._text(f["name"], where, "name", allow_empty=False)
        return [self._call("stamps", function, journey_id, name, self._text(f["uri"], where, "uri"), start, end)]

    def _create_journey(self, args, where):
        return self._journey(args, where, "createJourney")

    def _update_journey(self, args, where):
        return self._journey(args, where, "updateJourney")

    def _create_stamp_type(self, args, where):
        f = self._fields(
            args, where, ("id", "journey", "name", "points"),
            {"soulbound": True, "max_supply": 0, "wallet_cap": 0, "price_eth": None, "price_wei": None},
        )
        extra = {k: f.pop(k) for k in ("price_eth", "price_wei") if args.get(k) is not None}
        price = self._wei(extra, where, "price_eth", "price_wei", required=False)
        if not isinstance(f["soulbound"], bool):
            self.fail(where, "soulbound must be true or false")
        if price >= 2**96:
            self.fail(where, "price is too large")
        stamp_id = self._int(f["id"], where, "id", 1)
        wallet_cap = self._int(f["wallet_cap"], where, "wallet_cap", 0, 2**16 - 1)
        calls = [
            self._call(
                "stamps", "createStampType",
                stamp_id,
                self._int(f["journey"], where, "journey", 1, 2**32 - 1),
                self._text(f["name"], where, "name", allow_empty=False),
                self._int(f["points"], where, "points", 0, 2**32 - 1),
                f["soulbound"],
                self._int(f["max_supply"], where, "max_supply", 0, 2**32 - 1),
            )
        ]
        if price:
            calls.append(self._call("shop", "setListing", stamp_id, price, wallet_cap))
        return calls

    def _set_level_thresholds(self, args, where):
        if isinstance(args, dict):
            args = self._fields(args, where, ("thresholds",))["thresholds"]
        if not isinstance(args, list):
            self.fail(where, "expected a list of ascending points")
        values = [self._int(v, where, "threshold") for v in args]
        if any(b <= a for a, b in zip(values, values[1:])):
            self.fail(where, "thresholds must rise strictly")
        return [self._call("stamps", "setLevelThresholds", values)]

    def _spend_treasury(self, args, where):
        f = self._fields(args, where, ("to",), {"eth": None, "wei": None})
        amounts = {k: f.pop(k) for k in ("eth", "wei") if args.get(k) is not None}
        wei = self._wei(amounts, where, "eth", "wei")
        if wei == 0:
            self.fail(where, "the amount must be above 0")
        return [(self._address(f["to"], where, "to"), wei, "0x")]

    def _role(self, args, where, function):
        f = self._fields(args, where, ("contract", "role", "account"))
        if f["contract"] not in ROLE_CONTRACTS:
            self.fail(where, f"contract must be one of {', '.join(ROLE_CONTRACTS)}")
        target = self.c[f["contract"]]
        role_name = f["role"]
        if not isinstance(role_name, str) or not role_name.endswith("_ROLE") or not hasattr(target, role_name):
            self.fail(where, f"{f['contract']} has no role {role_name!r}")
        role = getattr(target, role_name)()
        return [self._call(f["contract"], function, role, self._address(f["account"], where, "account"))]

    def _grant_role(self, args, where):
        return self._role(args, where, "grantRole")

    def _revoke_role(self, args, where):
        return self._role(args, where, "revokeRole")

    def _guardian(self, args, where, function):
        """The guardian's two powers: PAUSER_ROLE on the stamps contract, CANCELLER_ROLE on the timelock."""
        account = self._address(self._fields(args, where, ("account",))["account"], where, "account")
        stamps, timelock = self.c["stamps"], self.c["timelock"]
        return [
            self._call("stamps", function, stamps.PAUSER_ROLE(), account),
            self._call("timelock", function, timelock.CANCELLER_ROLE(), account),
        ]

    def _add_guardian(self, args, where):
        return self._guardian(args, where, "grantRole")

    def _remove_guardian(self, args, where):
        return self._guardian(args, where, "revokeRole")

    def _set_issuance_bounds(self, args, where):
        f = self._fields(args, where, ("max_stamp_points", "budget_bps", "budget_floor", "budget_period_days"))
        return [
            self._call(
                "stamps", "setIssuanceBounds",
                self._int(f["max_stamp_points"], where, "max_stamp_points", 0, 2**32 - 1),
                self._int(f["budget_bps"], where, "budget_bps", 0, 10_000),
                self._int(f["budget_floor"], where, "budget_floor", 0, 2**48 - 1),
                self._int(f["budget_period_days"], where, "budget_period_days", 1, 49_000) * 86400,
            )
        ]

    def _unpause(self, args, where):
        if args not in (None, {}):
            self.fail(where, "takes no fields: write '- unpause: {}'")
        return [self._call("stamps", "unpause")]

    def _realise_idea(self, args, where):
        f = self._fields(args, where, ("idea",), {"sale_stamp": 0})
        idea = self._int(f["idea"], where, "idea", 1)
        self.ideas.append(idea)
        return [self._call("board", "realise", idea, self._int(f["sale_stamp"], where, "sale_stamp"))]

    def _create_benefit(self, args, where):
        f = self._fields(args, where, ("min_level", "stock"), {"uri": ""})
        return [
            self._call(
                "benefits", "createBenefit",
                self._int(f["min_level"], where, "min_level", 0, 2**32 - 1),
                self._int(f["stock"], where, "stock", 0, 2**32 - 1),
                self._text(f["uri"], where, "uri"),
            )
        ]

    def _idea_stages(self, args, where):
        f = self._fields(args, where, ("supporters", "days"))
        if not isinstance(f["supporters"], list) or not isinstance(f["days"], list):
            self.fail(where, "supporters and days must be lists")
        if not 1 <= len(f["supporters"]) <= 8 or len(f["supporters"]) != len(f["days"]):
            self.fail(where, "give 1 to 8 stages, as many days as supporters")
        supporters = [self._int(s, where, "supporters", 1, 2**32 - 1) for s in f["supporters"]]
        if any(b <= a for a, b in zip(supporters, supporters[1:])):
            self.fail(where, "supporters must rise strictly")
        seconds = [self._int(d, where, "days", 1, 100_000) * 86400 for d in f["days"]]
        return [self._call("board", "setStages", supporters, seconds)]

    def _idea_creator_share(self, args, where):
        f = self._fields(args, where, ("bps",))
        return [self._call("board", "setCreatorShareBps", self._int(f["bps"], where, "bps", 0, 10_000))]

    def _governor_settings(self, args, where):
        if not isinstance(args, dict):
            self.fail(where, "expected a mapping")
        f = args
        setters = {
            "voting_delay": ("setVotingDelay", 2**48 - 1),
            "voting_period": ("setVotingPeriod", 2**32 - 1),
            "proposal_threshold": ("setProposalThreshold", 2**256 - 1),
            "quorum_percent": ("updateQuorumNumerator", 100),
            "queue_period": ("setQueuePeriod", 2**48 - 1),
        }
        unknown = set(f) - set(setters)
        if unknown or not f:
            self.fail(where, f"give one or more of {', '.join(setters)}")
        calls = []
        for key, value in f.items():
            function, maximum = setters[key]
            minimum = 1 if key == "voting_period" else 0
            calls.append(self._call("governor", function, self._int(value, where, key, minimum, maximum)))
        return calls

    def _set_treasury(self, args, where):
        f = self._fields(args, where, ("to",))
        return [self._call("stamps", "setTreasury", self._address(f["to"], where, "to"))]


ACTIONS = {
    "create_journey", "update_journey", "create_stamp_type", "set_level_thresholds", "spend_treasury",
    "grant_role", "revoke_role", "realise_idea", "create_benefit", "idea_stages", "idea_creator_share",
    "governor_settings", "set_treasury", "add_guardian", "remove_guardian", "set_issuance_bounds", "unpause",
}
