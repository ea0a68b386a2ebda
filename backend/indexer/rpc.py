"""JSON-RPC over web3.py's HTTPProvider, raw (no result formatters: the backfill's hot path), with batching."""
import requests
from web3 import HTTPProvider


class RpcError(Exception):
    """The node answered with an error (as opposed to being unreachable)."""

    def __init__(self, message: str, code: int | None = None, data=None):
        super().__init__(message)
        self.code = code
        self.data = data


def describe_failure(exc: Exception) -> str:
    """What went wrong asking the node, in words that never carry its URL: a provider's key is often in its path, and
    the texts of requests' exceptions repeat the URL."""
    if isinstance(exc, requests.Timeout):
        return "the node did not answer in time"
    if isinstance(exc, requests.ConnectionError):
        return "cannot connect to the node"
    if isinstance(exc, requests.HTTPError):
        status = exc.response.status_code if exc.response is not None else "an error"
        return f"the node answered HTTP {status}"
    if isinstance(exc, requests.RequestException):
        return f"the request to the node failed ({type(exc).__name__})"
    return f"{type(exc).__name__}: {exc}"


def _result(response):
    if not isinstance(response, dict):
        raise RpcError(f"malformed response: {response!r}"[:300])
    if response.get("error"):
        error = response["error"]
        if isinstance(error, dict):
            raise RpcError(str(error.get("message", error)), error.get("code"), error.get("data"))
        raise RpcError(str(error))
    return response.get("result")


class Rpc:
    def __init__(self, url: str, timeout: float = 10.0):
        self.url = url
        self.provider = HTTPProvider(url, request_kwargs={"timeout": timeout}, exception_retry_configuration=None)

    def call(self, method: str, params: list | None = None):
        return _result(self.provider.make_request(method, params or []))

    def batch(self, calls: list[tuple[str, list]]) -> list:
        if not calls:
            return []
        responses = self.provider.make_batch_request(calls)
        if not isinstance(responses, list):
            return [_result(responses)]  # a whole-batch error raises
        responses = sorted(responses, key=lambda r: r.get("id", 0))
        return [_result(r) for r in responses]

    # ------------------------------------------------------------ helpers

    def chain_id(self) -> int:
        return int(self.call("eth_chainId"), 16)

    def block_number(self) -> int:
        return int(self.call("eth_blockNumber"), 16)

    def headers(self, numbers: list[int]) -> dict[int, dict | None]:
        """Block headers (number, hash, parentHash, timestamp) by number, in one batch request."""
        results = self.batch([("eth_getBlockByNumber", [hex(n), False]) for n in numbers])
        out = {}
        for number, block in zip(numbers, results):
            out[number] = (
                None
                if block is None
                else {
                    "number": number,
                    "hash": block["hash"],
                    "parent_hash": block["parentHash"],
                    "timestamp": int(block["timestamp"], 16),
                }
            )
        return out

    def get_logs(self, addresses: list[str], from_block: int, to_block: int) -> list[dict]:
        return self.call(
            "eth_getLogs", [{"address": addresses, "fromBlock": hex(from_block), "toBlock": hex(to_block)}]
        )

    def balance(self, address: str, block: int) -> int:
        return int(self.call("eth_getBalance", [address, hex(block)]), 16)

    def eth_call(self, to: str, data: str, block: int | str = "latest") -> str:
        return self.call("eth_call", [{"to": to, "data": data}, block if isinstance(block, str) else hex(block)])
