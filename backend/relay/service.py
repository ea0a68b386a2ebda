"""The relay: checks a member's signed request, simulates it, and sends it with the relayer's key.

Every refusal happens before anything is sent, so a refused request costs the relayer nothing. Order of checks
(cheapest first): client IP rate limit → allowlist (contract and function) → value and gas → deadline →
forwarder nonce (replay) → signature → per-member rate limit → simulation → relayer funds → send.
"""
import json
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import requests
from eth_account import Account
from eth_utils import function_abi_to_4byte_selector, to_checksum_address
from hexbytes import HexBytes
from web3 import Web3
from web3.exceptions import ContractLogicError, TransactionNotFound, Web3RPCError

from backend.indexer.watch import deployments_path
from backend.protocol import Voucher, domain_from_eip712
from backend.relay import allowlist as default_allowlist
from backend.relay.forwarding import execute_args, recover_forward_request_signer
from backend.relay.limits import RateLimiter
from backend.reverts import decode_revert
from backend.settings import LOCAL_CHAIN_ID, Settings

EXECUTE_GAS_OVERHEAD = 60_000  # the forwarder's own work around the inner call (checks, nonce, event)


class RelayError(Exception):
    """A refusal with its HTTP status and a one-line reason for the client."""

    def __init__(self, status: int, detail: str, headers: dict | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers


@dataclass(frozen=True)
class AllowedFunction:
    contract: str
    address: str
    signature: str
    selector: bytes
    mode: str  # "forward" (through the ERC-2771 forwarder) or "direct" (the target checks a signature itself)
    member_arg: str | None  # direct calls: the argument naming the member


def function_signature(entry: dict) -> str:
    def _type(param: dict) -> str:
        if param["type"].startswith("tuple"):
            return f"({','.join(_type(c) for c in param['components'])}){param['type'][5:]}"
        return param["type"]

    return f"{entry['name']}({','.join(_type(i) for i in entry['inputs'])})"


def load_deployment(settings: Settings, chain_id: int) -> dict:
    path = deployments_path(settings, chain_id)  # the indexer's: the relay works on the same deployment
    try:
        deployment = json.loads(Path(path).read_text())
    except FileNotFoundError:
        raise RuntimeError(f"no deployments file for chain {chain_id}: {path} is missing (deploy first)") from None
    if int(deployment.get("chainId", -1)) != chain_id:
        raise RuntimeError(f"{path} is for chain {deployment.get('chainId')}, the node at the RPC URL is chain {chain_id}")
    return deployment


def relayer_account(settings: Settings, chain_id: int):
    """The relayer's account from settings: a hex key, or a keystore and its password; Ganache's on 1337."""
    if settings.relay_private_key is not None:
        return Account.from_key(settings.relay_private_key.get_secret_value().strip())
    if settings.relay_keystore is not None:
        if settings.relay_keystore_password is not None:
            password = settings.relay_keystore_password.get_secret_value()
        elif settings.relay_keystore_password_file is not None:
            password = Path(settings.relay_keystore_password_file).read_text().rstrip("\n")
        else:
            raise RuntimeError("ODYSSEY_RELAY_KEYSTORE is set without ODYSSEY_RELAY_KEYSTORE_PASSWORD(_FILE)")
        keyfile = json.loads(Path(settings.relay_keystore).read_text())
        try:
            return Account.from_key(Account.decrypt(keyfile, password))
        except ValueError:
            raise RuntimeError(f"wrong password for the relayer keystore {settings.relay_keystore}") from None
    if chain_id == LOCAL_CHAIN_ID:
        from backend.devkeys import local_account

        return local_account(3)
    raise RuntimeError(
        f"no relayer key for chain {chain_id}: set ODYSSEY_RELAY_KEYSTORE (+ _PASSWORD or _PASSWORD_FILE) "
        "or ODYSSEY_RELAY_PRIVATE_KEY"
    )


class Relay:
    """One relayer for one chain and deployment. Thread-safe; keep one per process (its rate limits are counted
    in the database, shared with the other processes)."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.w3 = Web3(Web3.HTTPProvider(settings.rpc_url, request_kwargs={"timeout": 30}))
        self.chain_id = self.w3.eth.chain_id
        self.deployment = load_deployment(settings, self.chain_id)
        contracts = self.deployment["contracts"]
        self.contracts = {
            name: self.w3.eth.contract(address=entry["address"], abi=entry["abi"]) for name, entry in contracts.items()
        }
        self.abis = [entry["abi"] for entry in contracts.values()]
        self.forwarder = self.contracts["OdysseyForwarder"]
        self.forwarder_domain = domain_from_eip712(self.forwarder.functions.eip712Domain().call())
        self._execute_selector = next(
            function_abi_to_4byte_selector(e) for e in self.forwarder.abi if e.get("type") == "function" and e["name"] == "execute"
        )
        self.account = relayer_account(settings, self.chain_id)
        self.allowed = self._build_allowlist()
        self.by_address = RateLimiter(settings, "member", settings.relay_per_address)
        self.by_ip = RateLimiter(settings, "ip", settings.relay_per_ip)
        self._send_lock = threading.Lock()

    # ------------------------------------------------------------------ allowlist

    def _build_allowlist(self) -> dict[tuple[str, bytes], AllowedFunction]:
        forwarded = {name: list(sigs) for name, sigs in default_allowlist.FORWARDED.items()}
        for name, sigs in self.settings.relay_extra_forwarded.items():
            forwarded.setdefault(name, []).extend(sigs)
        entries = [(name, sig, "forward", None) for name, sigs in forwarded.items() for sig in sigs]
        entries += [
            (name, sig, "direct", member)
            for name, sigs in default_allowlist.DIRECT.items()
            for sig, member in sigs.items()
        ]
        allowed = {}
        for name, signature, mode, member in entries:
            contract = self.contracts.get(name)
            if contract is None:
                continue  # not deployed on this chain (yet)
            functions = {function_signature(e): e for e in contract.abi if e.get("type") == "function"}
            if signature not in functions:
                raise RuntimeError(f"relay allowlist names {name}.{signature}, which is not in its ABI")
            selector = function_abi_to_4byte_selector(functions[signature])
            allowed[(contract.address, selector)] = AllowedFunction(
                name, contract.address, signature, selector, mode, member
            )
        return allowed

    def _allowed(self, to: str, data: bytes, mode: str) -> AllowedFunction:
        name = next((e.contract for e in self.allowed.values() if e.address == to), None)
        if name is None:
            raise RelayError(403, f"to: {to} is not a contract the relayer calls")
        if len(data) < 4:
            raise RelayError(422, "data: too short to name a function (needs a 4-byte selector)")
        if len(data) > self.settings.relay_max_data_bytes:
            raise RelayError(422, f"data: at most {self.settings.relay_max_data_bytes} bytes")
        entry = self.allowed.get((to, bytes(data[:4])))
        if entry is None or entry.mode != mode:
            other = entry is not None
            hint = (" (send it to POST /relay/call)" if mode == "forward" else " (sign a ForwardRequest for POST /relay)") if other else ""
            raise RelayError(403, f"data: function 0x{bytes(data[:4]).hex()} of {name} is not relayed{hint}")
        try:
            self.contracts[name].decode_function_input(data)
        except Exception:
            raise RelayError(422, f"data: arguments do not decode as {name}.{entry.signature}") from None
        return entry

    # ------------------------------------------------------------------ limits

    def check_ip(self, ip: str) -> None:
        """Count the request against its client IP (every request counts); 429 over the limit."""
        wait = self.by_ip.hit(ip)
        if wait is not None:
            raise RelayError(429, f"too many requests from {ip}: try again in {wait:.0f} s", {"Retry-After": str(int(wait) + 1)})

    @staticmethod
    def _refuse_member(member: str, wait: float | None) -> None:
        """429 when `wait` (from the per-member limiter) says `member` is over its limit."""
        if wait is not None:
            raise RelayError(
                429, f"too many relayed requests for {member}: try again in {wait:.0f} s", {"Retry-After": str(int(wait) + 1)}
            )

    # ------------------------------------------------------------------ relaying

    def relay_forward(self, request: dict) -> str:
        """Relay a member-signed ForwardRequest through the forwarder; the tx hash."""
        sender, to = to_checksum_address(request["from"]), to_checksum_address(request["to"])
        data = HexBytes(request["data"])
        self._allowed(to, data, "forward")
        if int(request["value"]) != 0:
            raise RelayError(422, "value: the relayer sends no ether (value must be 0)")
        if int(request["gas"]) > self.settings.relay_max_request_gas:
            raise RelayError(422, f"gas: at most {self.settings.relay_max_request_gas} per request")
        # The transaction mines at or after both the latest block's time and the wall clock.
        now = max(self.w3.eth.get_block("latest")["timestamp"], int(time.time()))
        if int(request["deadline"]) <= now:
            raise RelayError(422, f"deadline: the request expired at {int(request['deadline'])} (chain time {now})")
        expected = self.forwarder.functions.nonces(sender).call()
        if int(request["nonce"]) < expected:
            raise RelayError(409, f"nonce: request {request['nonce']} of {sender} was already used (replay); next is {expected}")
        if int(request["nonce"]) > expected:
            raise RelayError(409, f"nonce: {sender}'s next forwarder nonce is {expected}, not {request['nonce']}")
        signer = recover_forward_request_signer(self.forwarder_domain, request)
        if signer != sender:
            raise RelayError(422, f"signature: does not match from {sender} (recovers to {signer}): tampered or signed for another domain")
        args = execute_args(request)
        if not self.forwarder.functions.verify(args).call():
            raise RelayError(422, "signature: the forwarder refuses the request (target does not trust it)")
        self._refuse_member(sender, self.by_address.retry_after(sender))
        # The inner call as the target will see it (the forwarder appends the member's address): its revert data
        # is the contract's own error, which `execute` would hide behind FailedInnerCall().
        self._simulate({"from": self.forwarder.address, "to": to, "data": data + HexBytes(sender), "gas": int(request["gas"])})
        tx = {"to": self.forwarder.address, "data": self.forwarder.encode_abi("execute", args=[args]), "value": 0}
        self._simulate({**tx, "from": self.account.address})  # and `execute` itself, as the relayer will send it
        gas = self._estimate(tx)
        gas = max(gas, int(request["gas"]) * 64 // 63 + EXECUTE_GAS_OVERHEAD)
        return self._send(tx, gas, sender)

    def relay_direct(self, to: str, data: bytes | str) -> str:
        """Relay a call whose target checks a signature itself (claim vouchers, castVoteBySig); the tx hash."""
        to, data = to_checksum_address(to), HexBytes(data)
        entry = self._allowed(to, data, "direct")
        _fn, params = self.contracts[entry.contract].decode_function_input(data)
        member = to_checksum_address(params[entry.member_arg]) if entry.member_arg else None
        if member:
            self._refuse_member(member, self.by_address.retry_after(member))
        tx = {"to": to, "data": data, "value": 0}
        self._simulate({**tx, "from": self.account.address})
        gas = self._estimate(tx)
        if gas > self.settings.relay_max_request_gas:
            raise RelayError(422, f"gas: this call needs {gas}, more than the {self.settings.relay_max_request_gas} the relayer pays")
        return self._send(tx, gas, member)

    def relay_claim(self, voucher: Voucher) -> str:
        stamps = self.contracts["OdysseyStamps"]
        return self.relay_direct(stamps.address, stamps.encode_abi("claim", args=list(voucher.claim_args())))

    def _rpc(self, call, *args, **kwargs):
        try:
            return call(*args, **kwargs)
        except requests.RequestException as exc:
            raise RelayError(503, f"the chain node is unreachable: {exc.__class__.__name__}") from None

    def reason(self, exc: Exception) -> str:
        data = getattr(exc, "data", None)
        if isinstance(data, str) and data.startswith("0x"):
            return decode_revert(data, *self.abis)
        message = getattr(exc, "message", None) or str(exc)
        return str(message)

    def _simulate(self, call: dict, block="latest") -> None:
        try:
            self._rpc(self.w3.eth.call, call, block)
        except (ContractLogicError, Web3RPCError) as exc:
            raise RelayError(422, self.reason(exc)) from None

    def _estimate(self, tx: dict) -> int:
        try:
            gas = self._rpc(self.w3.eth.estimate_gas, {**tx, "from": self.account.address})
        except (ContractLogicError, Web3RPCError) as exc:
            raise RelayError(422, self.reason(exc)) from None
        return gas * 6 // 5

    def _gas_price(self) -> int:
        price = self.settings.relay_gas_price or self._rpc(lambda: self.w3.eth.gas_price)
        return min(price, self.settings.relay_max_gas_price)

    def _send(self, tx: dict, gas: int, member: str | None) -> str:
        price = self._gas_price()
        with self._send_lock:
            balance = self._rpc(self.w3.eth.get_balance, self.account.address)
            if balance < gas * price:
                raise RelayError(503, "the relayer is out of funds: try later or send with your own gas")
            if member:  # counted once the checks passed: only what the relayer sends counts, atomically
                self._refuse_member(member, self.by_address.hit(member))
            nonce = self._rpc(self.w3.eth.get_transaction_count, self.account.address, "pending")
            signed = self.account.sign_transaction(
                {**tx, "gas": gas, "gasPrice": price, "nonce": nonce, "chainId": self.chain_id}
            )
            try:
                tx_hash = self._rpc(self.w3.eth.send_raw_transaction, signed.raw_transaction)
            except Web3RPCError as exc:
                raise RelayError(502, f"the node refused the transaction: {self.reason(exc)}") from None
        return "0x" + bytes(tx_hash).hex()

    # ------------------------------------------------------------------ status

    def status(self, tx_hash: str) -> dict:
        try:
            tx = self._rpc(self.w3.eth.get_transaction, tx_hash)
        except TransactionNotFound:
            raise RelayError(404, f"unknown transaction {tx_hash}") from None
        try:
            receipt = self._rpc(self.w3.eth.get_transaction_receipt, tx_hash)
        except TransactionNotFound:
            receipt = None
        if receipt is None or receipt.get("blockNumber") is None:
            return {"txHash": tx_hash, "status": "pending", "blockNumber": None, "gasUsed": None, "error": None}
        mined = receipt["status"] == 1
        return {
            "txHash": tx_hash,
            "status": "mined" if mined else "failed",
            "blockNumber": receipt["blockNumber"],
            "gasUsed": receipt["gasUsed"],
            "error": None if mined else self._failure_reason(tx, receipt),
        }

    def _failure_reason(self, tx, receipt) -> str:
        """Why a mined transaction failed: replay it on the state before its block and decode the revert."""
        block = receipt["blockNumber"] - 1
        calls = []
        data = HexBytes(tx["input"])
        if tx["to"] == self.forwarder.address and bytes(data[:4]) == self._execute_selector:
            _fn, params = self.forwarder.decode_function_input(data)
            request = params["request"]
            fields = request if isinstance(request, (tuple, list)) else tuple(request.values())
            sender, to, _value, gas, _deadline, inner, _sig = fields
            calls.append({"from": self.forwarder.address, "to": to, "data": HexBytes(inner) + HexBytes(sender), "gas": gas})
        calls.append({"from": tx["from"], "to": tx["to"], "data": data, "value": tx["value"], "gas": tx["gas"]})
        for call in calls:
            try:
                self._rpc(self.w3.eth.call, call, block)
            except (ContractLogicError, Web3RPCError) as exc:
                return self.reason(exc)
        if receipt["gasUsed"] >= tx["gas"]:
            return f"ran out of gas (limit {tx['gas']})"
        return "reverted; the reason could not be reproduced (an earlier transaction in its block changed the state)"

    # ------------------------------------------------------------------ info

    def info(self) -> dict:
        return {
            "chainId": self.chain_id,
            "relayer": self.account.address,
            "forwarder": {"address": self.forwarder.address, "domain": self.forwarder_domain},
            "allowlist": [
                {"contract": e.contract, "address": e.address, "function": e.signature, "selector": "0x" + e.selector.hex(), "mode": e.mode}
                for e in self.allowed.values()
            ],
            "limits": {
                "windowSeconds": self.settings.relay_window_seconds,
                "perAddress": self.settings.relay_per_address,
                "perIp": self.settings.relay_per_ip,
                "maxRequestGas": self.settings.relay_max_request_gas,
                "maxDataBytes": self.settings.relay_max_data_bytes,
            },
        }
