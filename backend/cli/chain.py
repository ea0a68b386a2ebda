"""What the CLI needs to act for a member: the deployments file, contracts, the API, and sending a member's
transaction gaslessly (signed here, paid by the relay) or with the member's own gas (`--pay-gas`).

What members read (stamps, points, levels, benefits, proposals and their options, ideas) comes from the API
(backend/cli/api.py), once it has indexed the chain's head (`Context.read_current`). The node serves only what signing
and sending need and the checks that must see the newest block, each marked "newest block" where it is made: nonces,
the chain id and EIP-712 domains, the chain's time, already a member, already voted, a vote open, the voucher unused,
and the simulation, so a member is refused in words before anything is sent.
"""
import time
from functools import cached_property
from pathlib import Path

import httpx
import requests
from eth_account.messages import encode_typed_data
from eth_utils import to_checksum_address
from hexbytes import HexBytes
from web3 import Web3
from web3.exceptions import ContractLogicError, TimeExhausted, Web3RPCError

from backend.chain.deployment import Deployment, DeploymentError, load_deployment
from backend.chain.forwarding import sign_forward_request
from backend.chain.protocol import BALLOT_TYPES, EXTENDED_BALLOT_TYPES, domain_from_eip712
from backend.chain.reverts import decode_revert
from backend.cli import wallet
from backend.cli.api import Api, ApiBehind
from backend.cli.errors import CliError
from backend.cli.language import N_, _, content
from backend.cli.messages import friendly
from backend.cli.refusals import RELAY, refusal_line

FORWARD_DEADLINE = 600  # seconds a signed request stays valid
MAX_REQUEST_GAS = 1_000_000
RECORDS_WAIT = 15  # seconds to wait for the API to show a landed transaction before saying it will shortly


class Context:
    """Options of one command run, with the chain, deployments and relay behind lazy properties."""

    def __init__(self, args):
        self.args = args

    # ------------------------------------------------------------------ chain and deployments

    @cached_property
    def w3(self) -> Web3:
        w3 = Web3(Web3.HTTPProvider(self.args.rpc, request_kwargs={"timeout": 30}))
        try:
            w3.eth.chain_id
        except (requests.RequestException, OSError, ValueError):
            raise CliError(_("cannot reach the chain node at {url} (set --rpc or ODYSSEY_RPC_URL)").format(url=self.args.rpc)) from None
        return w3

    @cached_property
    def chain_id(self) -> int:
        return self.w3.eth.chain_id

    @cached_property
    def api(self) -> Api:
        return Api(self.args.api, timeout=self.args.timeout, locale=content())

    def read_current(self, path: str, params: dict | None = None, *, missing_ok: bool = False):
        """The API's answer once it has indexed the chain's head now (less the blocks it leaves for confirmations),
        for what an action checks before it sends: the figures are then the chain's current ones."""
        self.api.wait_for(self.w3.eth.block_number - self.api.confirmations)
        return self.api.get(path, params, missing_ok=missing_ok)

    def read_landed(self, result: dict, path: str, params: dict | None = None) -> dict | None:
        """The API's answer once it has indexed the block `result`'s transaction landed in, to report what it changed.
        When the API has not within RECORDS_WAIT (behind, or waiting for confirmations), None, and `result` says that
        the transaction landed and the records will follow: a success is never reported as an error."""
        try:
            self.api.wait_for(result["blockNumber"], timeout=min(self.args.timeout, RECORDS_WAIT))
        except ApiBehind as behind:
            result["recordsPending"] = True
            if behind.indexed is None:
                pending = _("transaction {tx} landed in block {block}; the Odyssey API has not indexed any block yet, "
                            "its records will show it shortly")
            else:
                pending = _("transaction {tx} landed in block {block}; the Odyssey API has indexed up to block "
                            "{indexed}, its records will show it shortly")
            result["message"] += "\n" + pending.format(tx=result["txHash"], block=result["blockNumber"],
                                                       indexed=behind.indexed)
            return None
        return self.api.get(path, params)

    @cached_property
    def deployment(self) -> Deployment:
        try:
            deployment = load_deployment(self.chain_id, self.args.deployments)
            deployment.check_node(self.w3)
        except DeploymentError as exc:
            raise CliError(_("{problem} (set --deployments or ODYSSEY_DEPLOYMENTS_FILE)").format(problem=exc)) from None
        return deployment

    @cached_property
    def abis(self) -> list:
        return [c.abi for c in self.deployment.contracts.values()]

    def contract(self, name: str, what: str | None = None):
        entry = self.deployment.contract(name)
        if entry is None:
            raise CliError(_("{what} is not deployed on chain {chain} yet ({name} is not in the deployments file)").format(
                what=_(what) if what else name, chain=self.chain_id, name=name))
        return self.w3.eth.contract(address=entry.address, abi=entry.abi)

    def now(self) -> int:
        return self.w3.eth.get_block("latest")["timestamp"]

    def revert_reason(self, exc: Exception) -> str:
        data = getattr(exc, "data", None)
        if isinstance(data, str) and data.startswith("0x"):
            return decode_revert(data, *self.abis)
        return str(getattr(exc, "message", None) or exc)

    # ------------------------------------------------------------------ wallet

    @cached_property
    def keystore(self) -> Path:
        return wallet.keystore_path(self.args.keystore)

    def address(self) -> str:
        return wallet.address(self.keystore)

    @cached_property
    def account(self):
        return wallet.unlock(self.keystore)

    # ------------------------------------------------------------------ sending

    def call_as_member(self, contract, function: str, args: list, summary: str) -> dict:
        """`contract.function(*args)` as the member: through the forwarder and the relay, or with own gas."""
        member = self.account
        data = HexBytes(contract.encode_abi(function, args=args))
        if self.args.pay_gas:
            return self._send_own({"to": contract.address, "data": data}, summary)
        forwarder = self.contract("OdysseyForwarder")
        # Estimate (and simulate) the inner call as the target will see it: from the forwarder, member appended.
        inner_call = {"from": forwarder.address, "to": contract.address, "data": data + HexBytes(member.address)}
        try:
            self.w3.eth.call(inner_call)  # eth_call returns the revert data (a node's estimate may not)
            inner = self.w3.eth.estimate_gas(inner_call)
        except (ContractLogicError, Web3RPCError) as exc:
            raise CliError(friendly(self.revert_reason(exc))) from None
        domain = domain_from_eip712(forwarder.functions.eip712Domain().call())
        request = sign_forward_request(
            member.key,
            domain,
            {
                "from": member.address,
                "to": contract.address,
                "value": 0,
                "gas": min(inner * 3 // 2 + 20_000, MAX_REQUEST_GAS),
                "nonce": forwarder.functions.nonces(member.address).call(),
                "deadline": self.now() + FORWARD_DEADLINE,
                "data": "0x" + data.hex(),
            },
        )
        return self._relay("/relay", request, summary)

    def call_direct(self, contract, function: str, args: list, summary: str, route: str = "/relay/call", body=None) -> dict:
        """A call its target authenticates itself (a voucher, a vote by signature): relayed, or with own gas."""
        data = HexBytes(contract.encode_abi(function, args=args))
        if self.args.pay_gas:
            return self._send_own({"to": contract.address, "data": data}, summary)
        try:  # the relay simulates too; doing it here first gives the member the same clear error
            self.w3.eth.call({"to": contract.address, "data": data})
        except (ContractLogicError, Web3RPCError) as exc:
            raise CliError(friendly(self.revert_reason(exc))) from None
        return self._relay(route, body if body is not None else {"to": contract.address, "data": "0x" + data.hex()}, summary)

    def _relay(self, route: str, body: dict, summary: str) -> dict:
        base = (self.args.relay or self.args.api).rstrip("/")
        try:
            with httpx.Client(base_url=base, timeout=30) as client:
                response = client.post(route, json=body)
                if response.status_code >= 400:
                    member = body.get("from") or body.get("member") or self.address  # whom the relay counts
                    reason = refusal_line(response, RELAY, member)
                    raise CliError(_("the relay refused: {reason}").format(reason=friendly(reason)))
                tx_hash = response.json()["txHash"]
                status = self._wait_relay(client, tx_hash)
        except httpx.HTTPError as exc:
            raise CliError(_("cannot reach the relay at {base} ({error}); use --pay-gas to send with your own gas").format(
                base=base, error=exc.__class__.__name__)) from None
        return self._outcome(status, summary, relayed=True)

    def _wait_relay(self, client, tx_hash: str) -> dict:
        deadline = time.monotonic() + self.args.timeout
        while True:
            response = client.get(f"/relay/{tx_hash}")
            if response.status_code >= 400:
                detail = refusal_line(response, RELAY)
                raise CliError(_("the relay cannot report {tx}: {detail}").format(tx=tx_hash, detail=detail))
            status = response.json()
            if status["status"] != "pending" or time.monotonic() > deadline:
                return status
            time.sleep(0.5)

    def send_paying(self, contract, function: str, args: list, value: int, summary: str) -> dict:
        """`contract.function(*args)` carrying `value` wei: always the member's own transaction (the relayer sends no
        ether), its fee reported with the outcome."""
        return self._send_own({"to": contract.address, "data": HexBytes(contract.encode_abi(function, args=args)),
                               "value": value}, summary)

    def _send_own(self, tx: dict, summary: str) -> dict:
        member = self.account
        tx = {"value": 0, **tx, "from": member.address}
        balance = self.w3.eth.get_balance(member.address)
        if balance < tx["value"]:  # before the simulation, which the node refuses without the funds
            raise CliError(_("{address} has too little ETH: {value} wei plus gas needed, it holds {balance}").format(
                address=member.address, value=tx["value"], balance=balance))
        try:
            self.w3.eth.call(tx)
            gas = self.w3.eth.estimate_gas(tx)
        except (ContractLogicError, Web3RPCError) as exc:
            raise CliError(friendly(self.revert_reason(exc))) from None
        price = self.w3.eth.gas_price
        if tx["value"] and balance < tx["value"] + gas * price:
            raise CliError(_("{address} has too little ETH: {value} wei plus gas needed, it holds {balance}").format(
                address=member.address, value=tx["value"], balance=balance))
        if balance < gas * price:
            raise CliError(_("{address} has no ETH to pay gas; leave out --pay-gas to send gaslessly through the relay").format(
                address=member.address))
        limit = gas * 6 // 5
        signed = member.sign_transaction(
            {**tx, "gas": limit, "gasPrice": price, "nonce": self.w3.eth.get_transaction_count(member.address, "pending"), "chainId": self.chain_id}
        )
        tx_hash = "0x" + bytes(self.w3.eth.send_raw_transaction(signed.raw_transaction)).hex()
        try:
            receipt = self.w3.eth.wait_for_transaction_receipt(tx_hash, timeout=self.args.timeout)
        except TimeExhausted:
            return self._outcome({"txHash": tx_hash, "status": "pending"}, summary, relayed=False)
        status = {"txHash": tx_hash, "status": "mined" if receipt["status"] == 1 else "failed", "blockNumber": receipt["blockNumber"],
                  "feeWei": receipt["gasUsed"] * receipt["effectiveGasPrice"]}
        if receipt["status"] != 1:
            status["error"] = self._failure_reason(tx, limit, receipt)
        return self._outcome(status, summary, relayed=False)

    def _failure_reason(self, tx: dict, limit: int, receipt) -> str:
        """Why the member's mined transaction failed: out of gas, or the revert its call meets on the state its block
        left (a transaction mined before it changed what the simulation saw), as the relay explains its own."""
        if receipt["gasUsed"] >= limit:
            return _("ran out of gas (limit {limit})").format(limit=limit)
        try:
            self.w3.eth.call(tx, receipt["blockNumber"])
        except (ContractLogicError, Web3RPCError) as exc:
            return self.revert_reason(exc)
        return _("reverted")

    def _outcome(self, status: dict, summary: str, relayed: bool) -> dict:
        if status["status"] == "failed":
            raise CliError(_("the transaction {tx} failed: {reason}").format(
                tx=status["txHash"], reason=friendly(status.get("error") or _("reverted"))))
        result = {"txHash": status["txHash"], "status": status["status"], "relayed": relayed, "blockNumber": status.get("blockNumber")}
        if "feeWei" in status:  # what the member paid in gas, sending themselves
            result["feeWei"] = str(status["feeWei"])
        if status["status"] == "pending":
            result["message"] = _("{summary}: sent, still pending (transaction {tx})").format(summary=summary, tx=status["txHash"])
        else:
            result["message"] = summary
        return result

    def receipt(self, tx_hash: str):
        return self.w3.eth.get_transaction_receipt(tx_hash)

    # ------------------------------------------------------------------ votes by signature

    def sign_ballot(self, governor, proposal_id: int, support: int, reason: str, params: bytes) -> tuple[str, list]:
        """The castVote*BySig function and arguments for the member's signed ballot (OZ 5.0 Governor)."""
        return signed_ballot(governor, self.account, proposal_id, support, reason, params)


def signed_ballot(governor, voter, proposal_id: int, support: int, reason: str = "", params: bytes = b"") -> tuple[str, list]:
    """`voter` (an eth-account LocalAccount) signs a ballot in `governor`'s EIP-712 domain with its next nonce:
    `Ballot` for a plain vote, `ExtendedBallot` with a reason or params. Returns the castVote*BySig function name and
    arguments, which anyone may send."""
    domain = domain_from_eip712(governor.functions.eip712Domain().call())
    nonce = governor.functions.nonces(voter.address).call()
    message = {"proposalId": proposal_id, "support": support, "voter": voter.address, "nonce": nonce}
    if reason or params:
        types, message = EXTENDED_BALLOT_TYPES, {**message, "reason": reason, "params": params}
    else:
        types = BALLOT_TYPES
    signed = voter.sign_message(encode_typed_data(domain_data=domain, message_types=types, message_data=message))
    signature = bytes(signed.signature)
    if types is BALLOT_TYPES:
        return "castVoteBySig", [proposal_id, support, voter.address, signature]
    return "castVoteWithReasonAndParamsBySig", [proposal_id, support, voter.address, reason, params, signature]


def checksum(value: str, what: str = N_("address")) -> str:
    if not Web3.is_address(value):
        raise CliError(_("{what} {value!r} is not an address (0x and 40 hex digits)").format(what=_(what), value=value))
    return to_checksum_address(value)
