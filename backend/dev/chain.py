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
from pathlib import Path

from web3 import Web3
from web3.exceptions import ContractLogicError
from web3.logs import DISCARD

from backend.chain.deployment import Deployment, read_deployment
from backend.chain.protocol import APPROVAL_VOTE, domain_from_eip712, sign_voucher
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
DEPLOYER, ISSUER, OPS, RELAYER = (LOCAL_ROLES[role] for role in ("deployer", "issuer", "ops", "relayer"))
MEMBERS = list(range(FIRST_MEMBER, 10))


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

    def send(self, index: int, fn, value: int = 0, gas: int | None = None, wait: bool = True):
        """Sign and send `fn` (a contract function call) from account `index`; None if it would revert.

        Governance calls depend on the block number: they are checked by the gas estimation, which Ganache runs in
        the next block as the transaction will (its eth_call runs in the latest). Other calls are checked with one
        eth_call and sent with TX_GAS."""
        account = local_account(index)
        if gas is None and fn.address not in self._governance:
            try:
                fn.call({"from": account.address, "value": value})
            except ContractLogicError:
                return None
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
        # stampId, journeyId, name, points, soulbound, maxSupply
        self.send(OPS, s.createStampType(1, 1, "Origins Quiz", 10, True, 0))
        self.send(OPS, s.createStampType(2, 1, "Tasting Notes", 25, True, 0))
        self.send(OPS, s.createStampType(3, 2, "Holiday Cup", 40, False, 40))
        self.send(OPS, s.createStampType(4, 2, "Snowflake", 5, False, 0))
        self.send(OPS, self.shop.functions.setListing(3, 10**16, 3))  # price, per-wallet cap
        self.send(OPS, self.benefits.functions.createBenefit(1, 5, "ipfs://benefit/1"))

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
        """Account `member_index` enters, paying the price; None when the drop refuses it."""
        price = self.drops.functions.drop(drop_id).call()[0][2]
        return self.send(member_index, self.drops.functions.enter(drop_id), value=price)

    def draw_drop(self, index: int, drop_id: int):
        """Mine past the seed block (`send` checks the call in the latest block), then account `index` draws."""
        self.mine(self.drops.functions.drop(drop_id).call()[3] + 1 - self.head())
        return self.send(index, self.drops.functions.draw(drop_id))

    def settle_drop(self, index: int, drop_id: int, member_index: int):
        """Account `index` claims `member_index`'s win or refunds its deposit, whichever the drop takes; None if neither."""
        member = self.address(member_index)
        return (self.send(index, self.drops.functions.claim(drop_id, member))
                or self.send(index, self.drops.functions.refund(drop_id, member)))

    def random_drops_workload(self, rng: random.Random) -> None:
        """Three drops of stamp 4 of random supply: a paid one for level 1, a free one for holders of the quiz stamp,
        both entered by random members, drawn, then some entries settled and the proceeds sent; a third (random
        rules) still taking entries."""
        rules = [(10**15, 1, 0), (0, 0, 1), (rng.choice([0, 10**15]), 1, rng.choice([0, 1]))]  # price, level, stamp
        for drop_id, (price, min_level, required) in enumerate(rules, start=1):
            self.open_drop(drop_id, supply=rng.randint(1, 3), price=price, min_level=min_level, required_stamp=required,
                           window=60 if drop_id < 3 else 10**6)
        for member in MEMBERS:
            for drop_id in (1, 2, 3):
                if rng.random() < 0.8:
                    self.enter_drop(member, drop_id)
        for drop_id in (1, 2):
            self.draw_drop(rng.choice(MEMBERS), drop_id)
            for member in MEMBERS:
                if rng.random() < 0.6:
                    self.settle_drop(rng.choice([RELAYER, member]), drop_id, member)
        self.send(rng.choice(MEMBERS), self.drops.functions.withdrawProceeds())

    def random_action(self, rng: random.Random):
        kind = rng.choice(["claim", "claim", "airdrop", "purchase", "transfer", "delegate", "redeem", "redeem",
                           "refresh", "withdraw", "join"])
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
        if kind == "refresh":
            return self.refresh_benefit(stock=rng.randint(1, 5))
        if kind == "withdraw":
            return self.send(m, self.shop.functions.withdrawProceeds())
        if kind == "join":
            return self.send(m, self.stamps.functions.join())

    def random_governance_action(self, rng: random.Random):
        """A random proposal (ordinary or multiple choice), vote, idea, support or withdrawal by a member, or
        blocks passing; None when the contracts would refuse it (no points, already voted, not open...)."""
        kind = rng.choice(["propose", "propose", "vote", "vote", "vote", "vote", "submit", "support", "support",
                           "withdraw", "mine"])
        m = rng.choice(MEMBERS)
        g, board = self.governor.functions, self.board.functions
        proposals = self._random_proposals
        ideas = board.ideaCount().call()
        if kind == "propose":
            count = rng.randint(2, 4) if rng.random() < 0.6 else 0
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
            pid = rng.choice(proposals)
            if g.isMultipleChoice(pid).call():
                ends, approval = g.proposalOptions(pid).call()
                if approval and rng.random() < 0.5:
                    bitmap = rng.randint(1, 2 ** len(ends) - 1)
                    fn = g.castVoteWithReasonAndParams(pid, APPROVAL_VOTE, "", bitmap.to_bytes(32, "big"))
                    return self.send(m, fn)
                return self.send(m, g.castVote(pid, rng.randrange(len(ends))))
            return self.send(m, g.castVoteWithReason(pid, rng.randrange(3), "random"))
        if kind == "submit":
            title = f"Idea {rng.random()}"
            return self.send(m, board.submit(title, "ipfs://idea", Web3.keccak(text=title)))
        if kind == "support" and ideas:
            return self.send(m, board.support(rng.randint(1, ideas)))
        if kind == "withdraw" and ideas:
            return self.send(m, board.withdrawSupport(rng.randint(1, ideas)))
        if kind == "mine":
            self.mine(rng.randint(1, 8))
            return True
        return None

    def random_workload(self, rng: random.Random, steps: int) -> int:
        done = 0
        for _ in range(steps):
            done += self.random_action(rng) is not None
        return done
