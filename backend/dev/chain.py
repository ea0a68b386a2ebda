"""The local chain for the test suites outside Brownie's pytest plugin and for the benchmark.

`LocalChain` starts Ganache (the project's npm copy) on a suite's network (backend/dev/networks.py) and deploys with
the real deploy script (`scripts/deploy.py` through tools/brownie_run.py, Brownie's `run` that works in any folder)
through that network, writing the deployments file where it is told. `Chain` is an outside client of that chain
(web3.py and eth-account only): it reads the deployments file, signs with Ganache's deterministic keys
(backend/dev/keys.py) and drives the contracts as members, the issuer, ops and the DAO would.
"""
import os
import random
import subprocess
import sys
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

from web3 import Web3
from web3.exceptions import ContractLogicError
from web3.logs import DISCARD

from backend.chain.deployment import Deployment, read_deployment
from backend.chain.merkle import allowlist_tree
from backend.chain.protocol import APPROVAL_VOTE, ProposalState, domain_from_eip712, sign_voucher
from backend.chain.reverts import decode_revert
from backend.dev.ganache import ganache_command
from backend.dev.keys import FIRST_MEMBER, LOCAL_ROLES, local_account
from backend.dev.net import listening, wait_until_listening
from backend.dev.networks import Network
from backend.settings import LOCAL_CHAIN_ID, ROOT

BROWNIE_RUN = ROOT / "tools" / "brownie_run.py"


class LocalChain:
    """Ganache on `network`'s port; `deploy()` runs the deploy script against it through `network` and returns the
    deployments file."""

    def __init__(self, network: Network):
        self.network = network
        self.port = network.port
        self.url = network.url
        self.process: subprocess.Popen | None = None

    def start(self) -> "LocalChain":
        if listening(self.port):
            raise RuntimeError(f"port {self.port} is taken: stop what listens there before the tests")
        self.process = subprocess.Popen(
            ganache_command(self.port, quiet=True), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        wait_until_listening(self.port, self.process)
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def deploy(self, deployments_file: Path, profile: str = "local") -> Deployment:
        """Deploy with scripts/deploy.py under governance `profile` ("load": an issuance budget for random
        workloads), writing the deployments file `deployments_file`."""
        env = {
            **os.environ, "ODYSSEY_DEPLOYMENTS_FILE": str(deployments_file), "SOLCX_BINARY_PATH": str(ROOT / ".solcx"),
            "ODYSSEY_GOVERNANCE_PROFILE": profile,
        }
        result = subprocess.run(
            [sys.executable, str(BROWNIE_RUN), self.network.name, "deploy", "fresh"],
            cwd=ROOT, env=env, capture_output=True, text=True,
        )
        if result.returncode != 0:
            raise RuntimeError(f"deploy failed:\n{result.stdout}\n{result.stderr}")
        return read_deployment(deployments_file)


GWEI = 10**9
# Gas limit of a stamps or benefits transaction sent without one: ample for any of these calls (blocks hold 30M).
# A fixed limit spares Ganache's gas estimation, which runs the call several times (most of a random workload's time).
TX_GAS = 10_000_000
DEPLOYER, ISSUER, OPS, RELAYER, GUARDIAN = (LOCAL_ROLES[role] for role in ("deployer", "issuer", "ops", "relayer", "guardian"))
MEMBERS = list(range(FIRST_MEMBER, 10))
# What random workloads do, each entry as likely as the others: members' claims (voucher, allowlist), sales, transfers
# (single and batch), delegations, redemptions, withdrawals; ops' airdrops and updates; the DAO's settings, a pause.
RANDOM_ACTIONS = [
    "claim", "claim", "allowlist", "airdrop", "purchase", "purchase", "transfer", "transfer_batch", "transfer_batch",
    "delegate", "redeem", "redeem", "refresh", "withdraw", "creator_withdraw", "join", "journey", "stamp_type",
    "creator_share", "thresholds", "treasury", "royalty", "pause",
]
ALLOWLISTED_STAMP = 2  # the catalogue's stamp type that members may also claim by allowlist


class Reverted(Exception):
    """The contracts refused a transaction the test meant to land; the message is the decoded error."""


class Chain:
    def __init__(self, rpc_url: str, deployments_file: Path, fee_cap: int | None = None):
        """`fee_cap`: send EIP-1559 transactions paying up to this fee per gas (else a fixed 1 gwei gas price)."""
        self.w3 = Web3(Web3.HTTPProvider(rpc_url, request_kwargs={"timeout": 60}))
        self.fee_cap = fee_cap
        self.deployment = read_deployment(deployments_file)
        c = {name: self.w3.eth.contract(address=e.address, abi=e.abi) for name, e in self.deployment.contracts.items()}
        self.stamps, self.shop, self.benefits = c["OdysseyStamps"], c["OdysseyShop"], c["OdysseyBenefits"]
        self.drops = c["OdysseyDrops"]
        self.governor, self.timelock, self.board = c["OdysseyGovernor"], c["OdysseyTimelock"], c["IdeaBoard"]
        self._governance = {self.governor.address, self.timelock.address, self.board.address}
        self._nonces: dict[str, int] = {}
        self._domain = None
        self._voucher_nonce = random.randrange(1, 2**64)
        self._random_proposals: list[int] = []  # ids proposed by random_governance_action
        self._abis = [e.abi for e in self.deployment.contracts.values()]
        self._tolerant = 0
        self._dao_unlocked = False
        self._allowlist = allowlist_tree([self.address(m) for m in MEMBERS])

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
        """Mine `blocks` empty blocks in one request (Ganache's evm_mine option)."""
        if blocks > 0:
            self.rpc("evm_mine", [{"blocks": blocks}])

    @contextmanager
    def tolerating_reverts(self):
        """Inside, `send` answers None for a call the contracts refuse instead of raising Reverted: for random
        workloads, which try what may well be refused (and count what landed)."""
        self._tolerant += 1
        try:
            yield
        finally:
            self._tolerant -= 1

    def _refused(self, fn, exc: Exception):
        if self._tolerant:
            return None
        data = getattr(exc, "data", None)
        if isinstance(data, dict):  # Ganache's answer to a gas estimate: the revert data is its "result"
            data = data.get("result")
        reason = decode_revert(data, *self._abis) if isinstance(data, str) and data.startswith("0x") else str(exc)
        raise Reverted(f"{fn.fn_name} reverted: {reason}") from None

    def send(self, index: int, fn, value: int = 0, gas: int | None = None, wait: bool = True):
        """Sign and send `fn` (a contract function call) from account `index`. A call the contracts refuse raises
        Reverted with the decoded error (inside `tolerating_reverts`: returns None).

        Governance calls depend on the block number: they are checked by the gas estimation, which Ganache runs in
        the next block as the transaction will (its eth_call runs in the latest). Other calls are checked with one
        eth_call and sent with TX_GAS."""
        account = local_account(index)
        if gas is None and fn.address not in self._governance:
            try:
                fn.call({"from": account.address, "value": value})
            except ContractLogicError as exc:
                return self._refused(fn, exc)
            gas = TX_GAS
        nonce = self._nonces.get(account.address)
        if nonce is None:
            nonce = self.w3.eth.get_transaction_count(account.address, "pending")
        params = {"from": account.address, "nonce": nonce, "value": value, "chainId": LOCAL_CHAIN_ID}
        if self.fee_cap:  # blocks filled back to back raise the base fee past any fixed price
            params |= {"maxFeePerGas": self.fee_cap, "maxPriorityFeePerGas": GWEI}
        else:
            params["gasPrice"] = GWEI
        if gas:
            params["gas"] = gas
        try:
            tx = fn.build_transaction(params)
        except ContractLogicError as exc:
            return self._refused(fn, exc)
        signed = account.sign_transaction(tx)
        tx_hash = self.w3.eth.send_raw_transaction(signed.raw_transaction)
        self._nonces[account.address] = nonce + 1
        if wait:
            receipt = self.w3.eth.wait_for_transaction_receipt(tx_hash, timeout=120, poll_latency=0.01)
            assert receipt["status"] == 1, receipt
            return receipt
        return tx_hash

    def dao(self, fn):
        """Send `fn` as the DAO executes it: from its timelock, which holds every admin power after deployment, as
        Ganache lets a test send from any address (evm_addAccount, then eth_sendTransaction). Refused calls as in
        `send`."""
        timelock = self.timelock.address
        try:
            fn.call({"from": timelock})
        except ContractLogicError as exc:
            return self._refused(fn, exc)
        if not self._dao_unlocked:
            self.rpc("evm_addAccount", [timelock, ""])  # False when Ganache knows it already (after an evm_revert)
            assert self.rpc("personal_unlockAccount", [timelock, "", 0]) is True
            self._dao_unlocked = True
        balance = self.w3.eth.get_balance(timelock)
        if balance < TX_GAS * GWEI:  # its gas; the treasury's ether is the timelock's too, and stays
            self.rpc("evm_setAccountBalance", [timelock, hex(balance + TX_GAS * GWEI)])
        tx_hash = fn.transact({"from": timelock, "gas": TX_GAS, "gasPrice": GWEI})  # eth_sendTransaction
        receipt = self.w3.eth.wait_for_transaction_receipt(tx_hash, timeout=120, poll_latency=0.01)
        assert receipt["status"] == 1, receipt
        return receipt

    # ------------------------------------------------------------ domain actions

    def setup_catalogue(self) -> None:
        s = self.stamps.functions
        now = self.w3.eth.get_block("latest")["timestamp"]
        self.send(OPS, s.createJourney(1, "Coffee Origins", "ipfs://journey/1", 0, 0))
        self.send(OPS, s.createJourney(2, "Holiday Drop", "ipfs://journey/2", now - 10, now + 10**7))
        # stampId, journeyId, name, points, soulbound, maxSupply
        self.send(OPS, s.createStampType(1, 1, "Origins Quiz", 10, True, 0))
        self.send(OPS, s.createStampType(2, 1, "Tasting Notes", 25, True, 0))
        self.send(OPS, s.createStampType(3, 2, "Holiday Cup", 40, False, 40))
        self.send(OPS, s.createStampType(4, 2, "Snowflake", 5, False, 0))
        self.send(OPS, self.shop.functions.setListing(3, 10**16, 3))  # price, per-wallet cap
        self.send(OPS, self.benefits.functions.createBenefit(1, 5, "ipfs://benefit/1"))
        self.send(OPS, s.setAllowlistRoot(ALLOWLISTED_STAMP, self._allowlist.root))

    # ------------------------------------------------------------ governance (OdysseyGovernor, IdeaBoard)

    def sleep(self, seconds: int) -> None:
        """Move the chain's time on by `seconds` (a block is mined to carry it)."""
        self.rpc("evm_increaseTime", [seconds])
        self.mine()

    def _proposal_id(self, receipt) -> int:
        return self.governor.events.ProposalCreated().process_receipt(receipt, errors=DISCARD)[0].args.proposalId

    def propose(self, index: int, actions: list, description: str, labels: list[str] | None = None,
                option_ends: list[int] | None = None, approval: bool = False, mine_to_active: bool = True) -> int:
        """A proposal by account `index` with `actions` [(target, value, calldata)], ordinary or multiple choice
        (by default one action per option). Returns its id; mined past the snapshot (Active) unless told not to."""
        targets, values, calldatas = ([a[i] for a in actions] for i in range(3))
        g = self.governor.functions
        if labels:
            ends = option_ends or list(range(1, len(labels) + 1))
            fn = g.proposeMultipleChoice(targets, values, calldatas, labels, ends, approval, description)
        else:
            fn = g.propose(targets, values, calldatas, description)
        proposal_id = self._proposal_id(self.send(index, fn))
        if mine_to_active:
            self.mine(g.proposalSnapshot(proposal_id).call() - self.head() + 1)
        return proposal_id

    def vote(self, index: int, proposal_id: int, support: int, reason: str = ""):
        return self.send(index, self.governor.functions.castVoteWithReason(proposal_id, support, reason))

    def vote_approval(self, index: int, proposal_id: int, options: list[int]):
        bitmap = sum(1 << o for o in options)
        params = bitmap.to_bytes(32, "big")
        return self.send(index, self.governor.functions.castVoteWithReasonAndParams(proposal_id, APPROVAL_VOTE, "", params))

    def end_vote(self, proposal_id: int) -> None:
        self.mine(self.governor.functions.proposalDeadline(proposal_id).call() - self.head() + 1)

    def _operation(self, proposal_id: int):
        for event in self.governor.events.ProposalCreated().get_logs(from_block=0):
            if event.args.proposalId == proposal_id:
                a = event.args
                return list(a.targets), list(a.values), list(a.calldatas), Web3.keccak(text=a.description)
        raise KeyError(proposal_id)

    def queue(self, index: int, proposal_id: int):
        return self.send(index, self.governor.functions.queue(*self._operation(proposal_id)))

    def cancel(self, index: int, proposal_id: int):
        """The proposer cancels its proposal (OZ: only while Pending)."""
        return self.send(index, self.governor.functions.cancel(*self._operation(proposal_id)))

    def execute(self, index: int, proposal_id: int):
        self.sleep(self.timelock.functions.getMinDelay().call() + 1)
        return self.send(index, self.governor.functions.execute(*self._operation(proposal_id)))

    def submit_idea(self, index: int, title: str, uri: str = "ipfs://idea") -> int:
        receipt = self.send(index, self.board.functions.submit(title, uri, Web3.keccak(text=title)))
        return self.board.events.IdeaSubmitted().process_receipt(receipt, errors=DISCARD)[0].args.ideaId

    def support_idea(self, index: int, idea_id: int):
        return self.send(index, self.board.functions.support(idea_id))

    def withdraw_support(self, index: int, idea_id: int):
        return self.send(index, self.board.functions.withdrawSupport(idea_id))

    def propose_idea(self, index: int, idea_id: int, description: str, sale_stamp: int = 0) -> int:
        """An ordinary proposal by `index` realising idea `idea_id`, linked to it on the board."""
        action = (self.board.address, 0, self.board.encode_abi("realise", args=[idea_id, sale_stamp]))
        proposal_id = self.propose(index, [action], description)
        targets, values, calldatas, description_hash = self._operation(proposal_id)
        self.send(index, self.board.functions.linkProposal(idea_id, targets, values, calldatas, description_hash))
        return proposal_id

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
        price = self.shop.functions.listing(stamp_id).call()[0]
        return self.send(member_index, self.shop.functions.purchase(stamp_id, quantity), value=price * quantity)

    def transfer(self, from_index: int, to_index: int, stamp_id: int, amount: int):
        f = self.address(from_index)
        return self.send(from_index, self.stamps.functions.safeTransferFrom(f, self.address(to_index), stamp_id, amount, b""))

    def delegate(self, from_index: int, to_index: int):
        return self.send(from_index, self.stamps.functions.delegate(self.address(to_index)))

    def redeem(self, member_index: int, benefit_id: int = 1):
        return self.send(member_index, self.benefits.functions.redeem(benefit_id))

    def refresh_benefit(self, benefit_id: int = 1, stock: int = 5):
        """Ops update a benefit, which measures levels anew at the block before (its snapshot)."""
        return self.send(OPS, self.benefits.functions.updateBenefit(benefit_id, 1, stock, True, f"ipfs://benefit/{benefit_id}"))

    # ------------------------------------------------------------ drops (OdysseyDrops)

    def open_drop(self, drop_id: int, stamp_id: int = 4, supply: int = 2, price: int = 0, window: int = 60,
                  min_level: int = 1, required_stamp: int = 0, opens_in: int = 0):
        """Ops open drop `drop_id`, taking entries `opens_in` blocks after the opening transaction's block, for `window`
        blocks."""
        opens = self.head() + 1 + opens_in
        rules = (stamp_id, required_stamp, price, supply, opens, opens + window - 1, min_level)
        return self.send(OPS, self.drops.functions.openDrop(drop_id, rules))

    def enter_drop(self, member_index: int, drop_id: int):
        """Account `member_index` enters, paying the price."""
        price = self.drops.functions.drop(drop_id).call()[0][2]
        return self.send(member_index, self.drops.functions.enter(drop_id), value=price)

    def draw_drop(self, index: int, drop_id: int):
        """Mine past the seed block (`send` checks the call in the latest block), then account `index` draws."""
        self.mine(self.drops.functions.drop(drop_id).call()[3] + 1 - self.head())
        return self.send(index, self.drops.functions.draw(drop_id))

    def settle_drop(self, index: int, drop_id: int, member_index: int):
        """Account `index` claims `member_index`'s win or, when the drop refuses the claim, refunds its deposit."""
        member = self.address(member_index)
        with self.tolerating_reverts():
            claimed = self.send(index, self.drops.functions.claim(drop_id, member))
        return claimed or self.send(index, self.drops.functions.refund(drop_id, member))

    def random_drops_workload(self, rng: random.Random) -> Counter:
        """Three drops of stamp 4 of random supply: a paid one for level 1, a free one for holders of the quiz stamp,
        both entered by random members, drawn, then some entries settled and the proceeds sent; a third (random
        rules) still taking entries. Entries and settlements may be refused (a member below the level, a free drop's
        loser has nothing to refund): how many of each landed."""
        landed = Counter()
        rules = [(10**15, 1, 0), (0, 0, 1), (rng.choice([0, 10**15]), 1, rng.choice([0, 1]))]  # price, level, stamp
        for drop_id, (price, min_level, required) in enumerate(rules, start=1):
            self.open_drop(drop_id, supply=rng.randint(1, 3), price=price, min_level=min_level, required_stamp=required,
                           window=60 if drop_id < 3 else 10**6)
        for member in MEMBERS:
            for drop_id in (1, 2, 3):
                if rng.random() < 0.8:
                    with self.tolerating_reverts():
                        landed["enter"] += self.enter_drop(member, drop_id) is not None
        for drop_id in (1, 2):
            self.draw_drop(rng.choice(MEMBERS), drop_id)
            for member in MEMBERS:
                if rng.random() < 0.6:
                    with self.tolerating_reverts():
                        landed["settle"] += self.settle_drop(rng.choice([RELAYER, member]), drop_id, member) is not None
        with self.tolerating_reverts():
            landed["withdraw"] += self.send(rng.choice(MEMBERS), self.drops.functions.withdrawProceeds()) is not None
        return landed

    def claim_allowlisted(self, member_index: int, stamp_id: int = ALLOWLISTED_STAMP):
        """Claim by allowlist proof (the catalogue's allowlist: every member, entry i = MEMBERS[i])."""
        index = MEMBERS.index(member_index)
        fn = self.stamps.functions.claimAllowlisted(self.address(member_index), stamp_id, index, self._allowlist.proof(index))
        return self.send(RELAYER, fn)

    def transfer_batch(self, from_index: int, to_index: int, stamp_ids: list[int], amounts: list[int]):
        f = self.address(from_index)
        fn = self.stamps.functions.safeBatchTransferFrom(f, self.address(to_index), stamp_ids, amounts, b"")
        return self.send(from_index, fn)

    def random_action(self, rng: random.Random) -> str | None:
        """A random action of a member, ops or the DAO; its kind if it landed, None if the contracts refused it."""
        kind = rng.choice(RANDOM_ACTIONS)
        if kind != "pause" and self.stamps.functions.paused().call() and rng.random() < 0.5:
            kind = "pause"  # resume soon: while paused, most actions are refused
        with self.tolerating_reverts():
            landed = self._random_action(kind, rng.choice(MEMBERS), rng)
        return kind if landed is not None else None

    def _random_action(self, kind: str, m: int, rng: random.Random):
        s = self.stamps.functions
        if kind == "claim":
            return self.claim(m, rng.choice([1, 2]), relayed=rng.random() < 0.7)
        if kind == "allowlist":
            return self.claim_allowlisted(m)
        if kind == "airdrop":
            return self.airdrop(rng.choice([1, 2, 4]), [self.address(x) for x in rng.sample(MEMBERS, rng.randint(1, 4))])
        if kind == "purchase":
            return self.purchase(m, 3, rng.randint(1, 2))
        if kind in ("transfer", "transfer_batch"):
            if kind == "transfer_batch":  # mostly from a member holding both (OZ emits a batch of one id as TransferSingle)
                both = [x for x in MEMBERS if all(s.balanceOf(self.address(x), i).call() for i in (3, 4))]
                m = rng.choice(both) if both and rng.random() < 0.8 else m
            to = rng.choice([x for x in MEMBERS if x != m])
            held = [i for i in (3, 4) if s.balanceOf(self.address(m), i).call() > 0]
            if not held:
                return None
            if kind == "transfer":
                return self.transfer(m, to, rng.choice(held), 1)
            if len(held) == 1 and s.balanceOf(self.address(m), held[0]).call() > 1:
                held *= 2  # one id twice: still a batch (ERC-1155 allows repeated ids)
            return self.transfer_batch(m, to, held, [1] * len(held))
        if kind == "delegate":
            return self.delegate(m, rng.choice(MEMBERS))
        if kind == "redeem":  # mostly a member who may redeem: level high enough at the snapshot, not yet redeemed
            min_level, _stock, _redeemed, _active, snapshot, _uri = self.benefits.functions.benefit(1).call()
            fitting = [x for x in MEMBERS if not self.benefits.functions.redeemed(1, self.address(x)).call()
                       and s.levelForPoints(s.getPastVotes(self.address(x), snapshot).call()).call() >= min_level]
            return self.redeem(rng.choice(fitting) if fitting and rng.random() < 0.8 else m)
        if kind == "refresh":
            return self.refresh_benefit(stock=rng.randint(1, 5))
        if kind == "withdraw":
            return self.send(m, self.shop.functions.withdrawProceeds())
        if kind == "creator_withdraw":
            return self.send(m, self.shop.functions.withdrawCreatorEarnings())
        if kind == "join":
            return self.send(m, s.join())
        if kind == "journey":
            journey_id = rng.choice([1, 2])
            _name, _uri, start, end = s.journey(journey_id).call()
            return self.send(OPS, s.updateJourney(journey_id, f"Journey {rng.random()}", f"ipfs://{rng.random()}", start, end))
        if kind == "stamp_type":
            stamp_id = rng.choice([1, 2, 3, 4])
            _journey, _points, max_supply, minted, _soulbound = s.stampType(stamp_id).call()
            cap = max(minted, max_supply + rng.randint(-2, 5)) if max_supply else 0  # an open edition stays open
            return self.send(OPS, s.updateStampType(stamp_id, f"Stamp {rng.random()}", cap))
        if kind == "creator_share":
            return self.dao(self.shop.functions.setCreatorShare(3, self.address(m), rng.choice([0, 500, 2500])))
        if kind == "thresholds":
            return self.dao(s.setLevelThresholds(sorted(rng.sample(range(5, 150, 5), rng.randint(0, 4)))))
        if kind == "treasury":
            return self.dao(s.setTreasury(rng.choice([self.timelock.address, self.address(m)])))
        if kind == "royalty":
            return self.dao(s.setRoyalty(rng.choice([0, 250, 500, 1000])))
        if kind == "pause":
            return self.dao(s.unpause()) if s.paused().call() else self.send(GUARDIAN, s.pause())
        raise ValueError(f"unknown action {kind!r}")

    def random_governance_action(self, rng: random.Random) -> str | None:
        """A random proposal (ordinary or multiple choice), vote, queueing, execution, idea, support or withdrawal by a
        member, or blocks passing; its kind if it landed, None if the contracts refused it (no points, already
        voted, not open...)."""
        kind = rng.choice(["propose", "propose", "vote", "vote", "vote", "vote", "queue", "execute", "submit",
                           "support", "support", "withdraw", "mine"])
        with self.tolerating_reverts():
            landed = self._random_governance_action(kind, rng.choice(MEMBERS), rng)
        return kind if landed is not None else None

    def _random_governance_action(self, kind: str, m: int, rng: random.Random):
        g, board = self.governor.functions, self.board.functions
        proposals = self._random_proposals
        ideas = board.ideaCount().call()
        if kind == "propose":
            # mostly a member with the votes to propose; else the random one, likely refused
            threshold = g.proposalThreshold().call()
            able = [x for x in MEMBERS if self.stamps.functions.getVotes(self.address(x)).call() >= threshold]
            m = rng.choice(able) if able and rng.random() < 0.8 else m
            count = rng.randint(2, 4) if rng.random() < 0.5 else 0
            action = (self.stamps.address, 0, self.stamps.encode_abi("memberCount", args=[]))
            description = f"Random proposal {rng.random()}"
            if count:
                labels = [f"Option {i}" for i in range(count)]
                fn = g.proposeMultipleChoice([action[0]] * count, [0] * count, [action[2]] * count, labels,
                                             list(range(1, count + 1)), rng.random() < 0.5, description)
            else:
                fn = g.propose([action[0]], [0], [action[2]], description)
            receipt = self.send(m, fn)
            if receipt is not None:
                proposals.append(self._proposal_id(receipt))
            return receipt
        if kind == "vote" and proposals:
            # mostly a proposal open to this member's vote (a random one: refused, as they often are)
            open_ = [p for p in proposals if self._state(p) == ProposalState.ACTIVE and not g.hasVoted(p, self.address(m)).call()]
            pid = rng.choice(open_ if open_ and rng.random() < 0.8 else proposals)
            if g.isMultipleChoice(pid).call():
                ends, approval = g.proposalOptions(pid).call()
                if approval and rng.random() < 0.5:
                    bitmap = rng.randint(1, 2 ** len(ends) - 1)
                    fn = g.castVoteWithReasonAndParams(pid, APPROVAL_VOTE, "", bitmap.to_bytes(32, "big"))
                    return self.send(m, fn)
                return self.send(m, g.castVote(pid, rng.randrange(len(ends))))
            return self.send(m, g.castVoteWithReason(pid, rng.randrange(3), "random"))
        if kind in ("queue", "execute") and proposals:
            wanted = ProposalState.SUCCEEDED if kind == "queue" else ProposalState.QUEUED
            ready = [p for p in proposals if self._state(p) == wanted]
            if not ready:
                return None
            return (self.queue if kind == "queue" else self.execute)(m, rng.choice(ready))
        if kind == "submit":
            title = f"Idea {rng.random()}"
            return self.send(m, board.submit(title, "ipfs://idea", Web3.keccak(text=title)))
        if kind in ("support", "withdraw") and ideas:
            # mostly an idea this member can support (or withdraw from); else any, most likely refused
            supports = kind == "support"
            fitting = [i for i in range(1, ideas + 1) if board.isSupporter(i, self.address(m)).call() != supports]
            idea_id = rng.choice(fitting) if fitting and rng.random() < 0.8 else rng.randint(1, ideas)
            return self.send(m, board.support(idea_id) if supports else board.withdrawSupport(idea_id))
        if kind == "mine":
            self.mine(rng.randint(1, 8))
            return True
        return None

    def random_workload(self, rng: random.Random, steps: int, governance: float = 0.0) -> Counter:
        """`steps` random actions, a `governance` share of them governance ones: how many of each kind landed."""
        landed = Counter()
        for _ in range(steps):
            kind = self.random_governance_action(rng) if rng.random() < governance else self.random_action(rng)
            if kind is not None:
                landed[kind] += 1
        return landed

    def _state(self, proposal_id: int) -> ProposalState | None:
        """The governor's state of a proposal; None if it has none (proposed on a branch an evm_revert dropped)."""
        try:
            return ProposalState(self.governor.functions.state(proposal_id).call())
        except ContractLogicError:
            return None
