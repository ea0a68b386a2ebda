"""An EIP-1193 wallet for the browser test: `window.ethereum` injected by an init script, backed by a test key.

The page's requests go to Python through Playwright's `expose_function`: the wallet methods (accounts, chain,
signing, sending) are answered here with eth-account, every other `eth_*` call is forwarded to the node, as a
wallet app's background does. The wallet starts on another chain (1), so the page has to switch it.
"""
import json

import requests
from eth_account import Account
from eth_account.messages import encode_defunct, encode_typed_data
from eth_utils import to_checksum_address

INIT_SCRIPT = """
(() => {
  const listeners = {};
  const emit = (event, value) => (listeners[event] || []).forEach((fn) => { try { fn(value); } catch (e) {} });
  window.ethereum = {
    isOdysseyInjectedWallet: true,
    async request({ method, params }) {
      const answer = JSON.parse(await window.__odysseyWallet(method, JSON.stringify(params || [])));
      if (answer.error) {
        const error = new Error(answer.error.message);
        error.code = answer.error.code;
        if (answer.error.data !== undefined) error.data = answer.error.data;
        throw error;
      }
      for (const [event, value] of answer.events || []) emit(event, value);
      return answer.result;
    },
    on(event, fn) { (listeners[event] = listeners[event] || []).push(fn); return this; },
    removeListener(event, fn) { listeners[event] = (listeners[event] || []).filter((f) => f !== fn); return this; },
  };
  window.dispatchEvent(new Event("ethereum#initialized"));
})();
"""

UNKNOWN_CHAIN = 4902
UNSUPPORTED = 4200


class InjectedWallet:
    """One account (`key`), one known network (`chain_id` at `rpc_url`); records every request it answers."""

    def __init__(self, key, rpc_url: str, chain_id: int, start_chain_id: int = 1):
        self.account = Account.from_key(key)
        self.rpc_url = rpc_url
        self.chain_id = chain_id
        self.current_chain = start_chain_id
        self.connected = False
        self.calls: list[str] = []
        self.reads: list[str] = []  # the 4-byte selector of every eth_call the page asked the node through the wallet
        self.session = requests.Session()

    def install(self, page) -> None:
        page.expose_function("__odysseyWallet", self.handle)
        page.add_init_script(INIT_SCRIPT)

    # ------------------------------------------------------------ plumbing

    def node(self, method: str, params: list):
        body = self.session.post(self.rpc_url, json={"jsonrpc": "2.0", "id": 1, "method": method, "params": params}, timeout=30).json()
        if "error" in body:
            raise WalletError(body["error"].get("code", -32000), body["error"].get("message", "node error"), body["error"].get("data"))
        return body["result"]

    def handle(self, method: str, params_json: str) -> str:
        self.calls.append(method)
        params = json.loads(params_json)
        events: list = []
        try:
            result = self.answer(method, params, events)
            return json.dumps({"result": result, "events": events})
        except WalletError as exc:
            return json.dumps({"error": {"code": exc.code, "message": exc.message, "data": exc.data}})

    # ------------------------------------------------------------ EIP-1193

    def answer(self, method: str, params: list, events: list):
        address = self.account.address
        if method == "eth_requestAccounts":
            self.connected = True
            events.append(["accountsChanged", [address]])
            return [address]
        if method == "eth_accounts":
            return [address] if self.connected else []
        if method == "eth_chainId":
            return hex(self.current_chain)
        if method == "net_version":
            return str(self.current_chain)
        if method == "wallet_switchEthereumChain":
            wanted = int(params[0]["chainId"], 16)
            if wanted != self.chain_id:
                raise WalletError(UNKNOWN_CHAIN, f"Unrecognized chain ID {params[0]['chainId']}")
            if self.current_chain != wanted:
                self.current_chain = wanted
                events.append(["chainChanged", hex(wanted)])
            return None
        if method == "wallet_addEthereumChain":
            if int(params[0]["chainId"], 16) != self.chain_id:
                raise WalletError(UNSUPPORTED, "this test wallet only knows the test chain")
            return None
        if method in ("personal_sign", "eth_signTypedData_v4", "eth_sendTransaction"):
            self.require_connected()
        if method == "personal_sign":
            message, signer = params
            self.require_self(signer)
            signable = encode_defunct(hexstr=message) if message.startswith("0x") else encode_defunct(text=message)
            return "0x" + bytes(self.account.sign_message(signable).signature).hex()
        if method == "eth_signTypedData_v4":
            signer, data = params
            self.require_self(signer)
            typed = json.loads(data) if isinstance(data, str) else data
            if int(typed["domain"].get("chainId", self.current_chain)) != self.current_chain:
                raise WalletError(-32000, "typed data is for another chain than the wallet's")
            return "0x" + bytes(self.account.sign_message(encode_typed_data(full_message=typed)).signature).hex()
        if method == "eth_sendTransaction":
            return self.send_transaction(params[0])
        if method.startswith("eth_") or method.startswith("net_") or method == "web3_clientVersion":
            if method == "eth_call":
                self.reads.append(params[0].get("data", params[0].get("input", ""))[:10])
            if self.current_chain != self.chain_id:
                raise WalletError(-32000, f"the wallet is on chain {self.current_chain}, which it cannot reach")
            return self.node(method, params)
        raise WalletError(UNSUPPORTED, f"method {method} is not supported")

    def require_connected(self) -> None:
        if not self.connected:
            raise WalletError(4100, "the page has not been authorised: call eth_requestAccounts first")

    def require_self(self, signer: str) -> None:
        if to_checksum_address(signer) != self.account.address:
            raise WalletError(4100, f"this wallet does not hold {signer}")

    def send_transaction(self, tx: dict) -> str:
        if self.current_chain != self.chain_id:
            raise WalletError(-32000, "the wallet is on another chain")
        self.require_self(tx.get("from", self.account.address))
        base = {"from": self.account.address, "to": to_checksum_address(tx["to"]), "data": tx.get("data", "0x"),
                "value": tx.get("value", "0x0")}
        gas = int(tx["gas"], 16) if tx.get("gas") else int(int(self.node("eth_estimateGas", [base]), 16) * 1.2)
        gas_price = int(self.node("eth_gasPrice", []), 16)
        signed = self.account.sign_transaction({
            "to": base["to"], "data": base["data"], "value": int(base["value"], 16), "gas": gas,
            "nonce": int(self.node("eth_getTransactionCount", [self.account.address, "pending"]), 16),
            "chainId": self.chain_id, "maxFeePerGas": gas_price * 2, "maxPriorityFeePerGas": gas_price // 10 or 1,
        })
        return self.node("eth_sendRawTransaction", ["0x" + bytes(signed.raw_transaction).hex()])


class WalletError(Exception):
    def __init__(self, code: int, message: str, data=None):
        super().__init__(message)
        self.code, self.message, self.data = code, message, data
