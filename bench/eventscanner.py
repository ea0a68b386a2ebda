"""web3.py's EventScanner recipe (docs "Example code: scan all events"), reduced to its working parts:
per event type eth_getLogs with a topic filter, decoding with web3's `get_event_data`, a block timestamp per
event block (cached), chunk size reset to the minimum when events are found and doubled when not, state kept in
a dict. It is the baseline the issue names ("≥ 10× the recipe")."""
import time

from web3 import Web3
from web3._utils.events import get_event_data
from web3._utils.filters import construct_event_filter_params


class EventScanner:
    def __init__(self, w3: Web3, contracts: list, min_chunk: int = 10, max_chunk: int = 10_000):
        self.w3 = w3
        self.contracts = contracts
        self.min_chunk, self.max_chunk = min_chunk, max_chunk
        self.state: dict = {}
        self._timestamps: dict[int, int] = {}

    def _timestamp(self, block: int) -> int:
        if block not in self._timestamps:
            self._timestamps[block] = self.w3.eth.get_block(block)["timestamp"]
        return self._timestamps[block]

    def _scan_chunk(self, start: int, end: int) -> int:
        found = 0
        for contract in self.contracts:
            for event_abi in (a for a in contract.abi if a["type"] == "event"):
                _, params = construct_event_filter_params(
                    event_abi, self.w3.codec, contract_address=contract.address, from_block=start, to_block=end
                )
                for log in self.w3.eth.get_logs(params):
                    event = get_event_data(self.w3.codec, event_abi, log)
                    key = (log["transactionHash"].hex(), log["logIndex"])
                    self.state[key] = (event["event"], dict(event["args"]), self._timestamp(log["blockNumber"]))
                    found += 1
        return found

    def scan(self, start: int, end: int, max_events: int | None = None) -> tuple[int, float, int]:
        """Returns (events, seconds, last block scanned)."""
        chunk, current, total = self.min_chunk, start, 0
        began = time.perf_counter()
        while current <= end:
            last = min(end, current + chunk - 1)
            found = self._scan_chunk(current, last)
            total += found
            chunk = self.min_chunk if found else min(self.max_chunk, chunk * 2)
            current = last + 1
            if max_events and total >= max_events:
                break
        return total, time.perf_counter() - began, current - 1
