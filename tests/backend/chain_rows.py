"""The mirror's rows against the chain's own logs, row by row.

Every history table (claims, transfers, sales, treasury flows, redemptions, delegations, votes) must hold exactly one
row per event the contracts emitted, with each argument in its column; idea supporters must be who the board says
supports each idea; journeys, stamp types and the DAO's settings must be what the contracts' views answer. The logs
are read with `eth_getLogs` and decoded by web3.py's contract events, not by the indexer's decoder
(backend/indexer/watch.py), and the expected rows are built here, not by its handlers: a handler that is consistently
wrong (a reordered enum, a dropped row, a swapped column) fails this, where comparing two mirrors would not. For the
same reason a claim's method is named from the Solidity declaration of the enum, not from backend/chain/protocol.py.
"""
import re
from functools import cache

from eth_utils import to_checksum_address
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from backend.db import models
from backend.dev.chain import Chain
from backend.settings import ROOT


def _solidity_enum(path: str, name: str) -> list[str]:
    """The members of enum `name` declared in the Solidity source `path`, in order, lower case (the API's labels)."""
    found = re.search(rf"enum {name} \{{([^}}]*)\}}", (ROOT / path).read_text())
    assert found, f"{path} declares no enum {name}"
    return [member.strip().lower() for member in found.group(1).split(",")]


CLAIM_METHODS = _solidity_enum("contracts/interfaces/IOdysseyStamps.sol", "ClaimMethod")


def _address(value: str | None) -> str | None:
    return to_checksum_address(value) if value else value


def _hex(value: bytes) -> str:
    return "0x" + bytes(value).hex()


class _Logs:
    """The chain's logs of one deployment up to `block`, decoded by web3.py, and block timestamps."""

    def __init__(self, chain: Chain, block: int):
        self.chain, self.block = chain, block
        self.timestamp = cache(lambda number: chain.w3.eth.get_block(number)["timestamp"])

    def __call__(self, contract, event: str) -> list:
        logs = getattr(contract.events, event)().get_logs(from_block=self.chain.deployment.start_block, to_block=self.block)
        return sorted(logs, key=lambda e: (e.blockNumber, e.logIndex))

    def key(self, e) -> tuple:
        """Where an event is: (tx hash, log index, block, block time)."""
        return e.transactionHash.to_0x_hex(), e.logIndex, e.blockNumber, self.timestamp(e.blockNumber)


def _rows(session: Session, columns: list) -> set[tuple]:
    return {tuple(row) for row in session.execute(select(*columns)).all()}


def assert_rows_match_chain(database_url: str, chain: Chain, block: int) -> dict[str, int]:
    """Compare the mirror in `database_url`, caught up to `block`, with the chain's logs and views at `block`.
    Returns the rows compared per table (so a caller can check its workload reached them)."""
    logs, s = _Logs(chain, block), chain.stamps
    engine = create_engine(database_url)
    compared = {}
    try:
        with Session(engine) as session:
            def same(table: str, columns: list, expected: set[tuple]) -> None:
                stored = {tuple(_address(v) if isinstance(v, str) and v.startswith("0x") and len(v) == 42 else v for v in r)
                          for r in _rows(session, columns)}
                missing, extra = sorted(expected - stored), sorted(stored - expected)
                assert not missing and not extra, f"{table}: missing {missing[:3]}, unexpected {extra[:3]}"
                compared[table] = len(expected)

            C = models.Claim
            same("claims", [C.tx_hash, C.log_index, C.block_number, C.timestamp, C.member, C.stamp_id, C.method,
                            C.quantity, C.ref], {
                (*logs.key(e), e.args.member, str(e.args.stampId), CLAIM_METHODS[e.args.method], e.args.quantity,
                 str(e.args.ref))
                for e in logs(s, "StampClaimed")})

            T = models.Transfer
            transfers = {(*logs.key(e), 0, e.args.operator, e.args["from"], e.args.to, str(e.args.id), e.args.value)
                         for e in logs(s, "TransferSingle")}
            transfers |= {(*logs.key(e), position, e.args.operator, e.args["from"], e.args.to, str(i), v)
                          for e in logs(s, "TransferBatch")
                          for position, (i, v) in enumerate(zip(e.args.ids, e.args.values))}
            same("transfers", [T.tx_hash, T.log_index, T.block_number, T.timestamp, T.position, T.operator,
                               T.from_address, T.to_address, T.stamp_id, T.value], transfers)
            compared["transfers in batches"] = sum(row[4] > 0 for row in transfers)  # rows after a batch's first

            S = models.Sale
            same("sales", [S.tx_hash, S.log_index, S.block_number, S.timestamp, S.buyer, S.stamp_id, S.quantity, S.paid,
                           S.creator_share], {
                (*logs.key(e), e.args.buyer, str(e.args.stampId), e.args.quantity, str(e.args.paid),
                 str(e.args.creatorShare))
                for e in logs(chain.shop, "StampPurchased")})

            F = models.TreasuryFlow
            flows = {(*logs.key(e)[:3], "proceeds", e.args.treasury, str(e.args.amount))
                     for e in logs(chain.shop, "ProceedsWithdrawn")}
            flows |= {(*logs.key(e)[:3], "creator", e.args.creator, str(e.args.amount))
                      for e in logs(chain.shop, "CreatorEarningsWithdrawn")}
            same("treasury_flows", [F.tx_hash, F.log_index, F.block_number, F.kind, F.to_address, F.amount], flows)

            R = models.Redemption
            same("redemptions", [R.tx_hash, R.log_index, R.block_number, R.timestamp, R.benefit_id, R.member,
                                 R.stock_left], {
                (*logs.key(e), e.args.benefitId, e.args.member, e.args.stockLeft)
                for e in logs(chain.benefits, "BenefitRedeemed")})

            D = models.Delegation
            same("delegations", [D.tx_hash, D.log_index, D.block_number, D.delegator, D.from_delegate, D.to_delegate], {
                (*logs.key(e)[:3], e.args.delegator, e.args.fromDelegate, e.args.toDelegate)
                for e in logs(s, "DelegateChanged")})

            V = models.Vote
            votes = {(*logs.key(e), str(e.args.proposalId), e.args.voter, e.args.support, e.args.weight, e.args.reason,
                      None) for e in logs(chain.governor, "VoteCast")}
            votes |= {(*logs.key(e), str(e.args.proposalId), e.args.voter, e.args.support, e.args.weight,
                       e.args.reason, _hex(e.args.params)) for e in logs(chain.governor, "VoteCastWithParams")}
            same("votes", [V.tx_hash, V.log_index, V.block_number, V.timestamp, V.proposal_id, V.voter, V.support,
                           V.weight, V.reason, V.params], votes)

            # Current supporters: the support events replayed in order, each confirmed by the board's own view.
            supporters: dict[tuple, int] = {}
            changes = logs(chain.board, "IdeaSupported") + logs(chain.board, "IdeaSupportWithdrawn")
            for e in sorted(changes, key=lambda e: (e.blockNumber, e.logIndex)):
                key = (str(e.args.ideaId), e.args.supporter)
                if e.event == "IdeaSupported":
                    supporters[key] = e.blockNumber
                else:
                    del supporters[key]
            for idea_id, supporter in supporters:
                assert chain.board.functions.isSupporter(int(idea_id), supporter).call(block_identifier=block)
            I = models.IdeaSupporter
            same("idea_supporters", [I.idea_id, I.supporter, I.block_number],
                 {(*key, number) for key, number in supporters.items()})

            journeys = {}
            for e in logs(s, "JourneyConfigured"):
                journeys[e.args.journeyId] = e.blockNumber
            J = models.Journey
            same("journeys", [J.id, J.name, J.uri, J.start, J.end, J.configured_block], {
                (journey_id, *s.functions.journey(journey_id).call(block_identifier=block), configured)
                for journey_id, configured in journeys.items()})

            stamp_types = {}
            for e in logs(s, "StampTypeConfigured"):
                stamp_types[e.args.stampId] = e.blockNumber
            expected = set()
            for stamp_id, configured in stamp_types.items():
                at = {"block_identifier": block}
                journey_id, points, max_supply, minted, soulbound = s.functions.stampType(stamp_id).call(**at)
                price, wallet_cap = chain.shop.functions.listing(stamp_id).call(**at)
                creator, share = chain.shop.functions.creatorShare(stamp_id).call(**at)
                root = s.functions.allowlistRoot(stamp_id).call(**at)
                expected.add((str(stamp_id), journey_id, s.functions.stampName(stamp_id).call(**at), points, max_supply,
                              minted, soulbound, str(price), wallet_cap, _hex(root) if any(root) else None,
                              creator if share else None, share, configured))
            ST = models.StampType
            same("stamp_types", [ST.id, ST.journey_id, ST.name, ST.points, ST.max_supply, ST.minted, ST.soulbound,
                                 ST.price, ST.wallet_cap, ST.allowlist_root, ST.creator, ST.creator_share_bps,
                                 ST.configured_block], expected)

            config = {row.key: row.value["v"] for row in session.execute(select(models.Config)).scalars()}
            at = {"block_identifier": block}
            assert config.get("level_thresholds", []) == s.functions.levelThresholds().call(**at)
            assert _address(config["treasury"]) == s.functions.treasury().call(**at)
            assert config.get("royalty_bps", 0) == s.functions.royaltyInfo(1, 10_000).call(**at)[1]
            assert config.get("paused", False) == s.functions.paused().call(**at)
    finally:
        engine.dispose()
    return compared
