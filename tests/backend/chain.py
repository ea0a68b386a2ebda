"""An outside client of the chain for the backend tests and the benchmark: web3.py + eth-account only.

Reads deployments/<chainId>.json, signs with Ganache's deterministic keys (backend.devkeys) and drives the
contracts as members, the issuer and ops would.
"""
import json
import random
import time
from pathlib import Path

from web3 import Web3
from web3.exceptions import ContractLogicError

from backend.devkeys import local_account
from backend.protocol import domain_from_eip712, sign_voucher

GWEI = 10**9
DEPLOYER, ISSUER, OPS, RELAYER = 0, 1, 2, 3
MEMBERS = list(range(4, 10))


class Chain:
    def __init__(self, rpc_url: str, deployments_file: Path):
        self.w3 = Web3(Web3.HTTPProvider(rpc_url, request_kwargs={"timeout": 60}))
        self.deployment = json.loads(Path(deployments_file).read_text())
        c = self.deployment["contracts"]
        self.stamps = self.w3.eth.contract(address=c["OdysseyStamps"]["address"], abi=c["OdysseyStamps"]["abi"])
        self.benefits = self.w3.eth.contract(address=c["OdysseyBenefits"]["address"], abi=c["OdysseyBenefits"]["abi"])
        self._nonces: dict[str, int] = {}
        self._domain = None
        self._voucher_nonce = random.randrange(1, 2**64)

    def account(self, index: int):
        return local_account(index)

    def address(self, index: int) -> str:
        return local_account(index).address

    def rpc(self, method: str, params=None):
        response = self.w3.provider.make_request(method, params or [])
        if "error" in response:
            raise RuntimeError(response["error"])
        return response["result"]

    def head(self) -> int:
        return self.w3.eth.block_number

    def snapshot(self) -> str:
        return self.rpc("evm_snapshot")

    def revert(self, snapshot_id: str) -> None:
        assert self.rpc("evm_revert", [snapshot_id]) is True
        self._nonces.clear()

    def mine(self, blocks: int = 1) -> None:
        for _ in range(blocks):
            self.rpc("evm_mine")

    def send(self, index: int, fn, value: int = 0, gas: int | None = None, wait: bool = True):
        """Sign and send `fn` (a contract function call) from account `index`; None if it would revert."""
        account = local_account(index)
        nonce = self._nonces.get(account.address)
        if nonce is None:
            nonce = self.w3.eth.get_transaction_count(account.address, "pending")
        params = {"from": account.address, "nonce": nonce, "gasPrice": GWEI, "value": value, "chainId": 1337}
        if gas:
            params["gas"] = gas
        try:
            tx = fn.build_transaction(params)
        except ContractLogicError:
            return None
        signed = account.sign_transaction(tx)
        tx_hash = self.w3.eth.send_raw_transaction(signed.raw_transaction)
        self._nonces[account.address] = nonce + 1
        if wait:
            receipt = self.w3.eth.wait_for_transaction_receipt(tx_hash, timeout=120, poll_latency=0.01)
            assert receipt["status"] == 1, receipt
            return receipt
        return tx_hash

    # ------------------------------------------------------------ domain actions

    def setup_catalogue(self) -> None:
        s = self.stamps.functions
        now = self.w3.eth.get_block("latest")["timestamp"]
        self.send(OPS, s.createJourney(1, "Coffee Origins", "ipfs://journey/1", 0, 0))
        self.send(OPS, s.createJourney(2, "Holiday Drop", "ipfs://journey/2", now - 10, now + 10**7))
        # stampId, journeyId, name, points, soulbound, maxSupply, price, walletCap
        self.send(OPS, s.createStampType(1, 1, "Origins Quiz", 10, True, 0, 0, 0))
        self.send(OPS, s.createStampType(2, 1, "Tasting Notes", 25, True, 0, 0, 0))
        self.send(OPS, s.createStampType(3, 2, "Holiday Cup", 40, False, 40, 10**16, 3))
        self.send(OPS, s.createStampType(4, 2, "Snowflake", 5, False, 0, 0, 0))
        self.send(OPS, self.benefits.functions.createBenefit(1, 5, "ipfs://benefit/1"))

    @property
    def domain(self) -> dict:
        if self._domain is None:
            self._domain = domain_from_eip712(self.stamps.functions.eip712Domain().call())
        return self._domain

    def claim(self, member_index: int, stamp_id: int, relayed: bool = True):
        self._voucher_nonce += 1
        voucher = sign_voucher(
            local_account(ISSUER).key, self.domain, self.address(member_index), stamp_id, self._voucher_nonce,
            2**40,
        )
        sender = RELAYER if relayed else member_index
        return self.send(sender, self.stamps.functions.claim(*voucher.claim_args()))

    def airdrop(self, stamp_id: int, addresses: list[str], gas: int | None = None, wait: bool = True):
        return self.send(OPS, self.stamps.functions.airdrop(stamp_id, addresses), gas=gas, wait=wait)

    def purchase(self, member_index: int, stamp_id: int, quantity: int):
        price = self.stamps.functions.stampType(stamp_id).call()[6]
        return self.send(member_index, self.stamps.functions.purchase(stamp_id, quantity), value=price * quantity)

    def transfer(self, from_index: int, to_index: int, stamp_id: int, amount: int):
        f = self.address(from_index)
        return self.send(from_index, self.stamps.functions.safeTransferFrom(f, self.address(to_index), stamp_id, amount, b""))

    def delegate(self, from_index: int, to_index: int):
        return self.send(from_index, self.stamps.functions.delegate(self.address(to_index)))

    def redeem(self, member_index: int, benefit_id: int = 1):
        return self.send(member_index, self.benefits.functions.redeem(benefit_id))

    def random_action(self, rng: random.Random):
        kind = rng.choice(["claim", "claim", "airdrop", "purchase", "transfer", "delegate", "redeem", "withdraw", "join"])
        m = rng.choice(MEMBERS)
        if kind == "claim":
            return self.claim(m, rng.choice([1, 2]), relayed=rng.random() < 0.7)
        if kind == "airdrop":
            return self.airdrop(rng.choice([1, 2, 4]), [self.address(x) for x in rng.sample(MEMBERS, rng.randint(1, 4))])
        if kind == "purchase":
            return self.purchase(m, 3, rng.randint(1, 2))
        if kind == "transfer":
            to = rng.choice([x for x in MEMBERS if x != m])
            stamp = rng.choice([3, 4])
            if self.stamps.functions.balanceOf(self.address(m), stamp).call() == 0:
                return None
            return self.transfer(m, to, stamp, 1)
        if kind == "delegate":
            return self.delegate(m, rng.choice(MEMBERS))
        if kind == "redeem":
            return self.redeem(m)
        if kind == "withdraw":
            return self.send(m, self.stamps.functions.withdrawProceeds())
        if kind == "join":
            return self.send(m, self.stamps.functions.join())

    def random_workload(self, rng: random.Random, steps: int) -> int:
        done = 0
        for _ in range(steps):
            done += self.random_action(rng) is not None
        return done


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listening on port {port}")
