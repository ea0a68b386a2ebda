"""The relay: checks a member's signed request, simulates it, and sends it with the relayer's key.

Every refusal happens before anything is sent, so a refused request costs the relayer nothing. Order of checks
(cheapest first): client IP rate limit (router) → allowlist (contract and function), calldata size, string
lengths → value and gas → deadline, with a margin for the transaction to be mined → forwarder nonce (replay) →
signature → the member's transaction in flight, request rate and gas budget → simulation → relayer funds → the
member's slot, request and gas reserved in the database (all or nothing, shared by every process) → send.
"""
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

import requests
from eth_utils import function_abi_to_4byte_selector, to_checksum_address
from hexbytes import HexBytes
from web3.exceptions import ContractLogicError, TransactionNotFound, Web3RPCError

from backend.chain.abi import abi_signature
from backend.chain.deployment import connect
from backend.chain.forwarding import execute_args, recover_forward_request_signer
from backend.chain.keys import signing_account
from backend.chain.protocol import Voucher, domain_from_eip712
from backend.chain.reverts import decode_revert
from backend.indexer.rpc import describe_failure
from backend.relay import allowlist as default_allowlist
from backend.relay.limits import MemberLedger, Refused
from backend.relay.refusals import REFUSALS
from backend.settings import Settings

EXECUTE_GAS_OVERHEAD = 60_000  # the forwarder's own work around the inner call (checks, nonce, event)
# A transaction the node no longer knows this long after it was sent left the pool unmined: its member may send again.
DROPPED_AFTER_SECONDS = 120
EXPLAINED_KEPT = 4096  # final statuses kept per process: a polled failure is replayed once, not at every poll


class RelayError(Exception):
    """A refusal: its code (backend/relay/refusals.py, which gives its HTTP status), the body field it concerns (None:
    the request as a whole) and a one-line English message. A 422 is answered in the validation errors' shape, naming
    the field (`kind`: the error's type)."""

    def __init__(self, code: str, message: str, *, field: str | None = None, headers: dict | None = None,
                 kind: str = "value_error"):
        super().__init__(message)
        self.status = REFUSALS[code][0]
        self.code, self.message, self.field, self.headers, self.kind = code, message, field, headers, kind


def _pending(member: str, tx_hash: str) -> RelayError:
    return RelayError("request_pending", f"{member} has a relayed transaction pending ({tx_hash}): send again once it is mined")


def _over(member: str, limit: str, wait: float) -> RelayError:
    """429 for `member` over its request rate ("rate") or gas budget ("gas"), with the seconds to wait."""
    message = f"too many relayed requests for {member}" if limit == "rate" else f"{member} has used its relayed gas for now"
    code = "member_rate_limited" if limit == "rate" else "member_gas_used"
    return RelayError(code, f"{message}: try again in {wait:.0f} s", headers={"Retry-After": str(int(wait) + 1)})


@dataclass(frozen=True)
class AllowedFunction:
    contract: str
    address: str
    signature: str
    selector: bytes
    mode: str  # "forward" (through the ERC-2771 forwarder) or "direct" (the target checks a signature itself)
    member_arg: str | None  # direct calls: the argument naming the member
    deadline_arg: str | None  # direct calls: the argument the transaction must be mined before
    strings: dict[str, int]  # string argument -> the most bytes the relayer pays for
    max_gas: int  # the most gas the relayer pays for one call


def relayer_account(settings: Settings, chain_id: int):
    """The relayer's account from settings (ODYSSEY_RELAY_PRIVATE_KEY or _KEYSTORE): backend/chain/keys.py."""
    return signing_account(settings, "relay", "relayer", chain_id)


class Relay:
    """One relayer for one chain and deployment. Thread-safe; keep one per process (its limits and the members'
    transactions in flight are kept in the database, shared with the other processes)."""

    def __init__(self, settings: Settings):
        self.settings = settings
        # The indexer's deployment: the relay works on the same one (a node that is down answers 503 at once).
        self.w3, self.deployment = connect(settings.rpc_url, settings.rpc_timeout, settings.deployments_file)
        self.chain_id = self.deployment.chain_id
        self.contracts = {
            c.name: self.w3.eth.contract(address=c.address, abi=c.abi) for c in self.deployment.contracts.values()
        }
        self.abis = [c.abi for c in self.deployment.contracts.values()]
        self.forwarder = self.contracts["OdysseyForwarder"]
        self.forwarder_domain = domain_from_eip712(self.forwarder.functions.eip712Domain().call())
        self._execute_selector = next(
            function_abi_to_4byte_selector(e) for e in self.forwarder.abi if e.get("type") == "function" and e["name"] == "execute"
        )
        self.account = relayer_account(settings, self.chain_id)
        self.allowed = self._build_allowlist()
        self.ledger = MemberLedger(settings)
        self._send_lock = threading.Lock()
        self._next_nonce = 0  # the node's pending count may lag what this process sent (Ganache's does)
        self._explained: OrderedDict[str, dict] = OrderedDict()

    # ------------------------------------------------------------------ allowlist

    def _build_allowlist(self) -> dict[tuple[str, bytes], AllowedFunction]:
        forwarded = {name: list(sigs) for name, sigs in default_allowlist.FORWARDED.items()}
        for name, sigs in self.settings.relay_extra_forwarded.items():
            forwarded.setdefault(name, []).extend(sigs)
        entries = [(name, sig, "forward", {}) for name, sigs in forwarded.items() for sig in sigs]
        entries += [(name, sig, "direct", args) for name, sigs in default_allowlist.DIRECT.items() for sig, args in sigs.items()]
        allowed = {}
        for name, signature, mode, args in entries:
            contract = self.contracts.get(name)
            if contract is None:
                continue  # not deployed on this chain (yet)
            functions = {abi_signature(e): e for e in contract.abi if e.get("type") == "function"}
            if signature not in functions:
                raise RuntimeError(f"relay allowlist names {name}.{signature}, which is not in its ABI")
            strings = {
                i["name"]: default_allowlist.STRING_LIMITS.get((name, i["name"]), default_allowlist.STRING_BYTES)
                for i in functions[signature]["inputs"] if i["type"] == "string"
            }
            selector = function_abi_to_4byte_selector(functions[signature])
            max_gas = min(default_allowlist.GAS_LIMITS.get((name, signature), self.settings.relay_max_request_gas),
                          self.settings.relay_max_request_gas)
            allowed[(contract.address, selector)] = AllowedFunction(
                name, contract.address, signature, selector, mode, args.get("member"), args.get("deadline"), strings,
                max_gas,
            )
        return allowed

    def _allowed(self, to: str, data: bytes, mode: str) -> tuple[AllowedFunction, dict]:
        """The allowlist entry `data` calls on `to`, and its decoded arguments; refused when it is not relayed, or
        longer than the relayer pays for."""
        name = next((e.contract for e in self.allowed.values() if e.address == to), None)
        if name is None:
            raise RelayError("contract_not_relayed", f"{to} is not a contract the relayer calls", field="to")
        if len(data) < 4:
            raise RelayError("data_too_short", "too short to name a function (needs a 4-byte selector)", field="data")
        if len(data) > self.settings.relay_max_data_bytes:
            raise RelayError("data_too_long", f"at most {self.settings.relay_max_data_bytes} bytes", field="data")
        entry = self.allowed.get((to, bytes(data[:4])))
        if entry is None or entry.mode != mode:
            other = entry is not None
            hint = (" (send it to POST /relay/call)" if mode == "forward" else " (sign a ForwardRequest for POST /relay)") if other else ""
            raise RelayError("function_not_relayed", f"function 0x{bytes(data[:4]).hex()} of {name} is not relayed{hint}", field="data")
        try:
            _fn, params = self.contracts[name].decode_function_input(data)
        except Exception:
            raise RelayError("arguments_malformed", f"arguments do not decode as {name}.{entry.signature}", field="data") from None
        for argument, limit in entry.strings.items():
            size = len(params[argument].encode())
            if size > limit:
                raise RelayError("argument_too_long", f"{argument} is {size} bytes; the relayer pays for at most {limit}", field="data")
        return entry, params

    # ------------------------------------------------------------------ checks

    def _check_deadline(self, deadline: int, field: str, expired_is_refused: bool = True) -> None:
        """A transaction mined after its deadline reverts, paid by the relayer: the deadline must leave
        `relay_deadline_margin` seconds after the later of the latest block's time and the wall clock."""
        now = max(self._rpc(self.w3.eth.get_block, "latest")["timestamp"], int(time.time()))
        if deadline <= now:
            if expired_is_refused:
                raise RelayError("request_expired", f"the request expired at {deadline} (chain time {now})", field=field)
            return  # the contract's own error says it best (the simulation finds it)
        margin = self.settings.relay_deadline_margin
        if deadline < now + margin:
            raise RelayError("deadline_too_close", f"{deadline} leaves less than the {margin} s a transaction may wait "
                                                   f"to be mined (chain time {now})", field=field)

    def _check_member(self, member: str) -> None:
        """409 while `member` has a relayed transaction pending; 429 over its request rate or gas budget."""
        in_flight = self.ledger.in_flight(member)
        if in_flight is not None and not self._settled(in_flight.tx_hash, in_flight.sent_at):
            raise _pending(member, in_flight.tx_hash)
        wait = self.ledger.requests.retry_after(member)
        if wait is not None:
            raise _over(member, "rate", wait)
        wait = self.ledger.budget_wait(member)
        if wait is not None:
            raise _over(member, "gas", wait)

    def _settled(self, tx_hash: str, sent_at: float) -> bool:
        """Whether the transaction left the pool (mined, or gone unmined); settles the member's ledger if so."""
        try:
            receipt = self._rpc(self.w3.eth.get_transaction_receipt, tx_hash)
        except TransactionNotFound:
            receipt = None
        if receipt is not None and receipt.get("blockNumber") is not None:
            self.ledger.settle(tx_hash, receipt["gasUsed"])
            return True
        try:
            self._rpc(self.w3.eth.get_transaction, tx_hash)
            return False
        except TransactionNotFound:
            if time.time() - sent_at < DROPPED_AFTER_SECONDS:
                return False  # just sent: the node (or the one behind a load balancer) may not show it yet
            self.ledger.settle(tx_hash, 0)
            return True

    # ------------------------------------------------------------------ relaying

    def relay_forward(self, request: dict) -> str:
        """Relay a member-signed ForwardRequest through the forwarder; the tx hash."""
        sender, to = to_checksum_address(request["from"]), to_checksum_address(request["to"])
        data = HexBytes(request["data"])
        entry, _params = self._allowed(to, data, "forward")
        if int(request["value"]) != 0:
            raise RelayError("value_not_zero", "the relayer sends no ether (value must be 0)", field="value")
        if int(request["gas"]) > entry.max_gas:
            raise RelayError("over_gas_cap", f"at most {entry.max_gas} per request to {entry.contract}.{entry.signature}", field="gas")
        self._check_deadline(int(request["deadline"]), "deadline")
        expected = self._rpc(self.forwarder.functions.nonces(sender).call)
        if int(request["nonce"]) < expected:
            raise RelayError("nonce_used", f"request {request['nonce']} of {sender} was already used (replay); next is {expected}", field="nonce")
        if int(request["nonce"]) > expected:
            raise RelayError("nonce_not_due", f"{sender}'s next forwarder nonce is {expected}, not {request['nonce']}", field="nonce")
        signer = recover_forward_request_signer(self.forwarder_domain, request)
        if signer != sender:
            raise RelayError("wrong_signer", f"does not match from {sender} (recovers to {signer}): tampered or signed for another domain",
                             field="signature")
        args = execute_args(request)
        if not self._rpc(self.forwarder.functions.verify(args).call):
            raise RelayError("target_not_trusting", "the forwarder refuses the request (target does not trust it)", field="signature")
        self._check_member(sender)
        # The inner call as the target will see it (the forwarder appends the member's address): its revert data
        # is the contract's own error, which `execute` would hide behind FailedInnerCall().
        self._simulate({"from": self.forwarder.address, "to": to, "data": data + HexBytes(sender), "gas": int(request["gas"])})
        tx = {"to": self.forwarder.address, "data": self.forwarder.encode_abi("execute", args=[args]), "value": 0}
        self._simulate({**tx, "from": self.account.address})  # and `execute` itself, as the relayer will send it
        gas = self._estimate(tx)
        gas = max(gas, int(request["gas"]) * 64 // 63 + EXECUTE_GAS_OVERHEAD)
        return self._send(tx, gas, sender)

    def relay_direct(self, to: str, data: bytes | str, deadline_field: str = "data") -> str:
        """Relay a call whose target checks a signature itself (claim vouchers, castVoteBySig); the tx hash.
        `deadline_field`: the body field a deadline argument came from."""
        to, data = to_checksum_address(to), HexBytes(data)
        entry, params = self._allowed(to, data, "direct")
        if entry.deadline_arg:
            self._check_deadline(params[entry.deadline_arg], deadline_field, expired_is_refused=False)
        member = to_checksum_address(params[entry.member_arg])
        self._check_member(member)
        tx = {"to": to, "data": data, "value": 0}
        self._simulate({**tx, "from": self.account.address})
        gas = self._estimate(tx)
        if gas > entry.max_gas:
            raise RelayError("over_gas_cap", f"this call needs {gas}, more than the {entry.max_gas} the relayer pays for "
                                             f"{entry.contract}.{entry.signature}", field="data")
        return self._send(tx, gas, member)

    def relay_claim(self, voucher: Voucher) -> str:
        stamps = self.contracts["OdysseyStamps"]
        return self.relay_direct(stamps.address, stamps.encode_abi("claim", args=list(voucher.claim_args())), "deadline")

    def _rpc(self, call, *args, **kwargs):
        try:
            return call(*args, **kwargs)
        except requests.RequestException as exc:
            raise RelayError("node_unreachable", f"the chain node is unreachable: {describe_failure(exc)}") from None

    def reason(self, exc: Exception) -> str:
        """The decoded revert of a failed call, or the node's own one-line message."""
        data = getattr(exc, "data", None)
        if isinstance(data, str) and data.startswith("0x"):
            return decode_revert(data, *self.abis)
        error = (getattr(exc, "rpc_response", None) or {}).get("error")
        if isinstance(error, dict) and isinstance(error.get("message"), str):
            return error["message"]  # without what nodes add to it (Ganache: its stack trace)
        return str(getattr(exc, "message", None) or exc).splitlines()[0]

    def _simulate(self, call: dict, block="latest") -> None:
        try:
            self._rpc(self.w3.eth.call, call, block)
        except (ContractLogicError, Web3RPCError) as exc:
            raise RelayError("would_revert", self.reason(exc), kind="revert") from None

    def _estimate(self, tx: dict) -> int:
        try:
            gas = self._rpc(self.w3.eth.estimate_gas, {**tx, "from": self.account.address})
        except (ContractLogicError, Web3RPCError) as exc:
            raise RelayError("would_revert", self.reason(exc), kind="revert") from None
        return gas * 6 // 5

    def _gas_price(self) -> int:
        price = self.settings.relay_gas_price or self._rpc(lambda: self.w3.eth.gas_price)
        return min(price, self.settings.relay_max_gas_price)

    def _send(self, tx: dict, gas: int, member: str) -> str:
        price = self._gas_price()
        with self._send_lock:
            balance = self._rpc(self.w3.eth.get_balance, self.account.address)
            if balance < gas * price:
                raise RelayError("relayer_out_of_funds", "the relayer is out of funds: try later or send with your own gas")
            nonce = max(self._rpc(self.w3.eth.get_transaction_count, self.account.address, "pending"), self._next_nonce)
            signed = self.account.sign_transaction({**tx, "gas": gas, "gasPrice": price, "nonce": nonce, "chainId": self.chain_id})
            tx_hash = "0x" + bytes(signed.hash).hex()
            self._reserve(member, tx_hash, gas)
            try:
                self._rpc(self.w3.eth.send_raw_transaction, signed.raw_transaction)
            except Web3RPCError as exc:
                self.ledger.release(member, tx_hash)
                raise RelayError("node_refused", f"the node refused the transaction: {self.reason(exc)}") from None
            # A node that went away mid-send (503) may have taken it: the member's slot stays until it shows up
            # mined, or DROPPED_AFTER_SECONDS pass without the node knowing it.
            self._next_nonce = nonce + 1
        return tx_hash

    def _reserve(self, member: str, tx_hash: str, gas: int) -> None:
        """The member's slot, request and gas, taken in the database just before sending (every process agrees)."""
        try:
            self.ledger.reserve(member, tx_hash, gas)
        except Refused as refused:
            if refused.reason == "in flight":
                raise _pending(member, refused.tx_hash) from None
            raise _over(member, refused.reason, refused.wait) from None

    # ------------------------------------------------------------------ status

    def status(self, tx_hash: str) -> dict:
        """pending, mined or failed (with the decoded reason) for a transaction this relayer sent."""
        tx_hash = tx_hash.lower()
        known = self._explained.get(tx_hash)
        if known is not None:
            return known
        try:
            tx = self._rpc(self.w3.eth.get_transaction, tx_hash)
        except TransactionNotFound:
            raise RelayError("unknown_transaction", f"unknown transaction {tx_hash}") from None
        if tx["from"] != self.account.address:  # explaining anyone's failure would replay it on our node
            raise RelayError("not_relayed_transaction", f"{tx_hash} is not a transaction this relayer sent")
        try:
            receipt = self._rpc(self.w3.eth.get_transaction_receipt, tx_hash)
        except TransactionNotFound:
            receipt = None
        if receipt is None or receipt.get("blockNumber") is None:
            return {"txHash": tx_hash, "status": "pending", "blockNumber": None, "gasUsed": None, "error": None}
        mined = receipt["status"] == 1
        final = {
            "txHash": tx_hash,
            "status": "mined" if mined else "failed",
            "blockNumber": receipt["blockNumber"],
            "gasUsed": receipt["gasUsed"],
            "error": None if mined else self._failure_reason(tx, receipt),
        }
        self.ledger.settle(tx_hash, receipt["gasUsed"])
        self._explained[tx_hash] = final
        if len(self._explained) > EXPLAINED_KEPT:
            self._explained.popitem(last=False)
        return final

    def _failure_reason(self, tx, receipt) -> str:
        """Why a mined transaction failed: out of gas, as its receipt says (never run again at its full gas), or the
        revert found by replaying it on the state before its block, else after it (an earlier transaction of the
        block, another member's, changed what the simulation saw: the usual way a relayed transaction fails)."""
        if receipt["gasUsed"] >= tx["gas"]:
            return f"ran out of gas (limit {tx['gas']})"
        calls = []
        data = HexBytes(tx["input"])
        if tx["to"] == self.forwarder.address and bytes(data[:4]) == self._execute_selector:
            _fn, params = self.forwarder.decode_function_input(data)
            request = params["request"]  # web3.py decodes the struct as a dict, by field name
            calls.append({"from": self.forwarder.address, "to": request["to"],
                          "data": HexBytes(request["data"]) + HexBytes(request["from"]), "gas": request["gas"]})
        calls.append({"from": tx["from"], "to": tx["to"], "data": data, "value": tx["value"], "gas": tx["gas"]})
        for block in (receipt["blockNumber"] - 1, receipt["blockNumber"]):
            for call in calls:
                try:
                    self._rpc(self.w3.eth.call, call, block)
                except (ContractLogicError, Web3RPCError) as exc:
                    return self.reason(exc)
        return "reverted; the reason could not be reproduced (transactions of its block changed the state)"

    # ------------------------------------------------------------------ info

    def info(self) -> dict:
        s = self.settings
        return {
            "chainId": self.chain_id,
            "relayer": self.account.address,
            "forwarder": {"address": self.forwarder.address, "domain": self.forwarder_domain},
            "allowlist": [
                {"contract": e.contract, "address": e.address, "function": e.signature, "selector": "0x" + e.selector.hex(),
                 "mode": e.mode, "maxStringBytes": e.strings, "maxGas": e.max_gas}
                for e in self.allowed.values()
            ],
            "limits": {
                "windowSeconds": s.relay_window_seconds,
                "perAddress": s.relay_per_address,
                "perIp": s.relay_per_ip,
                "statusPerIp": s.relay_status_per_ip,
                "gasPerMember": s.relay_gas_per_member,
                "gasWindowSeconds": s.relay_gas_window_seconds,
                "deadlineMarginSeconds": s.relay_deadline_margin,
                "maxRequestGas": s.relay_max_request_gas,
                "maxDataBytes": s.relay_max_data_bytes,
                "maxBodyBytes": s.max_body_bytes,
            },
        }


_relays: dict[int, Relay] = {}
_relays_lock = threading.Lock()


def relay_for(settings: Settings) -> Relay:
    """One Relay per settings object (its node connection, contracts and key), built on first use and shared by the
    relay routes and the issuer service. RuntimeError or DeploymentError when it cannot be built."""
    with _relays_lock:
        relay = _relays.get(id(settings))
        if relay is None or relay.settings is not settings:
            relay = _relays[id(settings)] = Relay(settings)
    return relay
