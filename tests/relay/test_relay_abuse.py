"""The relayer pays only for what it should: a request resubmitted while its first transaction is pending, a deadline
that leaves no time to be mined, over-long strings, a member's gas beyond its budget — all refused before anything
is sent. The status route explains only the relayer's own transactions, and is rate-limited."""
import re
import time
from contextlib import contextmanager

import pytest
from eth_account import Account
from sqlalchemy import select

from backend.cli.chain import signed_ballot
from backend.db.models import RelayGas
from backend.dev.keys import local_account
from backend.relay.limits import MemberLedger
from backend.relay.service import DROPPED_AFTER_SECONDS
from tests.relay.conftest import (
    STAMPS, assert_waits_for_the_window_to_end, fresh_member, join_request, relay_client, relay_settings, wait_status,
)
from tests.support.governance import give_proposer_points, propose
from tests.support.web import OPS, RELAYER, costs_relayer_nothing, forward_request, send, voucher_for

_stamp_ids = iter(reversed(STAMPS[:-1]))  # test_relay.py takes them from the front; STAMPS[-1] is the governance tests'


def refusal(response, status: int, code: str, field: str | None = None) -> str:
    """The one-line message of a refusal, after checking its status, its code and, for 422, the validation-error shape."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == code, body
    if status == 422:
        assert [error["loc"] for error in body["detail"]] == [["body", field] if field else ["body"]], body
    return body["message"]


@contextmanager
def miner_stopped(w3):
    """Ganache mines nothing while the block runs: what the relayer sends stays pending. Mined on leaving."""
    assert w3.provider.make_request("miner_stop", [])["result"] is True
    try:
        yield
    finally:
        w3.provider.make_request("miner_start", [])


def sent_as(w3, signer, call, gas: int) -> str:
    """`call` sent by `signer` itself with `gas`, not estimated and not checked (it may fail): its hash."""
    tx = call.build_transaction({"from": signer.address, "nonce": w3.eth.get_transaction_count(signer.address, "pending"),
                                 "gas": gas, "gasPrice": 10**9})
    return "0x" + bytes(w3.eth.send_raw_transaction(signer.sign_transaction(tx).raw_transaction)).hex()


def gas_counted(settings, member: str) -> int:
    """The gas the relay's ledger counts against `member` in its budget window."""
    with MemberLedger(settings).connect() as connection:
        return connection.execute(select(RelayGas.gas).where(RelayGas.member == member)).scalar_one()


def mined(w3, tx_hash: str):
    return w3.eth.wait_for_transaction_receipt(tx_hash, timeout=30, poll_latency=0.05)


# ---------------------------------------------------------------- in flight


def test_a_request_resubmitted_while_its_first_transaction_is_pending_is_refused(client, w3, c):
    stamps, member = c["OdysseyStamps"], fresh_member()
    request = join_request(w3, c, member)
    sent_before = w3.eth.get_transaction_count(RELAYER.address, "pending")

    with miner_stopped(w3):
        first = client.post("/relay", json=request)
        assert first.status_code == 202, first.text
        tx_hash = first.json()["txHash"]
        with costs_relayer_nothing(w3):
            again = client.post("/relay", json=request)
            claim = client.post("/relay/claim", json=voucher_for(stamps, member.address, next(_stamp_ids)).as_dict())
            # Refused as pending before it is simulated (the simulation would find the voucher expired).
            expired = client.post("/relay/claim", json=voucher_for(stamps, member.address, next(_stamp_ids), valid_for=-60).as_dict())
        assert refusal(again, 409, "request_pending") == f"{member.address} has a relayed transaction pending ({tx_hash}): send again once it is mined"
        assert refusal(claim, 409, "request_pending").startswith(f"{member.address} has a relayed transaction pending")
        assert refusal(expired, 409, "request_pending").startswith(f"{member.address} has a relayed transaction pending")

    assert mined(w3, tx_hash).status == 1
    assert w3.eth.get_transaction_count(RELAYER.address) == sent_before + 1  # one transaction, paid once
    assert stamps.functions.isMember(member.address).call()
    data = stamps.encode_abi("delegate", args=[member.address])  # once mined, the member's next request goes
    assert client.post("/relay", json=forward_request(w3, c["OdysseyForwarder"], member, stamps.address, data)).status_code == 202


def test_a_voucher_resubmitted_while_its_claim_is_pending_is_refused(client, w3, c):
    stamps, member = c["OdysseyStamps"], fresh_member()
    voucher = voucher_for(stamps, member.address, next(_stamp_ids)).as_dict()
    with miner_stopped(w3):
        first = client.post("/relay/claim", json=voucher)
        assert first.status_code == 202, first.text
        with costs_relayer_nothing(w3):
            again = client.post("/relay/claim", json=voucher)
        assert refusal(again, 409, "request_pending").startswith(f"{member.address} has a relayed transaction pending ({first.json()['txHash']})")
    assert mined(w3, first.json()["txHash"]).status == 1


def test_a_deadline_too_close_to_be_mined_in_time_is_refused(client, w3, c):
    stamps = c["OdysseyStamps"]
    soon = int(time.time()) + 20  # the default margin is 60 s
    with costs_relayer_nothing(w3):
        forwarded = client.post("/relay", json=join_request(w3, c, fresh_member(), deadline=soon))
        voucher = voucher_for(stamps, fresh_member().address, next(_stamp_ids), valid_for=20)
        claim = client.post("/relay/claim", json=voucher.as_dict())
        raw = client.post("/relay/call", json={"to": stamps.address, "data": stamps.encode_abi("claim", args=list(voucher.claim_args()))})
    assert refusal(forwarded, 422, "deadline_too_close", "deadline").startswith(f"deadline: {soon} leaves less than the 60 s a transaction may wait")
    assert refusal(claim, 422, "deadline_too_close", "deadline").startswith(f"deadline: {voucher.deadline} leaves less than the 60 s")
    # The same voucher as a raw call: its deadline is inside the calldata.
    assert refusal(raw, 422, "deadline_too_close", "data").startswith(f"data: {voucher.deadline} leaves less than the 60 s")


def test_a_transaction_the_node_never_saw_holds_its_member_until_it_counts_as_dropped(chain, deployments_file, w3, c, tmp_path):
    """A send the node lost (it went away mid-send): the member's slot is held while the transaction may still show up,
    then freed, with its whole gas reservation, once DROPPED_AFTER_SECONDS pass without the node knowing it."""
    settings = relay_settings(chain, deployments_file, tmp_path / "relay.db", relay_gas_per_member=10**6)
    recent, old = fresh_member(), fresh_member()
    lost_recently, lost_long_ago = "0x" + "5a" * 32, "0x" + "5b" * 32
    with relay_client(settings) as client:
        MemberLedger(settings).reserve(recent.address, lost_recently, 10**6)
        MemberLedger(settings, clock=lambda: time.time() - DROPPED_AFTER_SECONDS - 1).reserve(old.address, lost_long_ago, 10**6)
        with costs_relayer_nothing(w3):
            held = client.post("/relay", json=join_request(w3, c, recent))
        assert refusal(held, 409, "request_pending").startswith(f"{recent.address} has a relayed transaction pending ({lost_recently})")
        freed = client.post("/relay", json=join_request(w3, c, old))
        assert freed.status_code == 202, freed.text
    assert MemberLedger(settings).in_flight(old.address).tx_hash == freed.json()["txHash"]
    # the lost one's reservation given back whole
    assert gas_counted(settings, old.address) == w3.eth.get_transaction(freed.json()["txHash"])["gas"]
    assert mined(w3, freed.json()["txHash"]).status == 1


def test_a_transaction_the_node_refuses_costs_the_member_nothing(chain, deployments_file, w3, c, tmp_path):
    """A relayer whose gas price the node will not take (set below the base fee): 502 with the node's own words, and
    the member's slot, request and gas given back, so the member's next request, to a relay that works, goes."""
    database, member = tmp_path / "relay.db", fresh_member()
    underpriced = relay_settings(chain, deployments_file, database, relay_gas_price=1, relay_per_address=1)
    with relay_client(underpriced) as client, costs_relayer_nothing(w3):
        response = client.post("/relay", json=join_request(w3, c, member))
    assert re.fullmatch(r"the node refused the transaction: VM Exception while processing transaction: Transaction's "
                        r"maxFeePerGas \(1\) is less than the block's baseFeePerGas \(\d+\) \(vm hf=shanghai -> block -> tx\)",
                        refusal(response, 502, "node_refused"))
    assert MemberLedger(underpriced).in_flight(member.address) is None
    assert gas_counted(underpriced, member.address) == 0
    with relay_client(relay_settings(chain, deployments_file, database, relay_per_address=1)) as client:
        assert client.post("/relay", json=join_request(w3, c, member)).status_code == 202  # its one request a window


# ---------------------------------------------------------------- what one request may cost


@pytest.fixture(scope="module")
def author(client, w3, c):
    """A member with points enough to submit ideas (a relayed claim) and a proposal to vote on."""
    member = Account.create()
    response = client.post("/relay/claim", json=voucher_for(c["OdysseyStamps"], member.address, next(_stamp_ids)).as_dict())
    assert wait_status(client, response.json()["txHash"])["status"] == "mined"
    give_proposer_points(w3, c["OdysseyStamps"], STAMPS[-1])
    return member


def test_over_long_strings_are_refused_before_simulating(client, w3, c, author):
    board, governor = c["IdeaBoard"], c["OdysseyGovernor"]
    long_title = board.encode_abi("submit", args=["x" * 1000, "ipfs://idea", b"\0" * 32])
    proposal_id = propose(w3, governor, c["OdysseyStamps"], "Long reasons")
    function, args = signed_ballot(governor, author, proposal_id, 1, "r" * 1001)
    with costs_relayer_nothing(w3):
        idea = client.post("/relay", json=forward_request(w3, c["OdysseyForwarder"], author, board.address, long_title, gas=1_000_000))
        vote = client.post("/relay/call", json={"to": governor.address, "data": governor.encode_abi(function, args=args)})
    assert refusal(idea, 422, "argument_too_long", "data") == "data: title is 1000 bytes; the relayer pays for at most 200"
    assert refusal(vote, 422, "argument_too_long", "data") == "data: reason is 1001 bytes; the relayer pays for at most 1000"


def test_each_members_gas_is_budgeted_by_the_gas_its_transactions_used(chain, deployments_file, w3, c, tmp_path):
    """Three apps on one database (as three API processes): the budget they share counts the gas each mined
    transaction used, and the gas limit of the one about to be sent."""
    stamps, forwarder, member = c["OdysseyStamps"], c["OdysseyForwarder"], fresh_member()
    database = tmp_path / "relay.db"

    def delegate_to(delegatee):
        return forward_request(w3, forwarder, member, stamps.address, stamps.encode_abi("delegate", args=[delegatee]))

    with relay_client(relay_settings(chain, deployments_file, database, relay_gas_per_member=10**9)) as generous:
        joined = generous.post("/relay", json=join_request(w3, c, member)).json()["txHash"]
        delegated = generous.post("/relay", json=delegate_to(fresh_member().address)).json()["txHash"]
    used = mined(w3, joined).gasUsed + mined(w3, delegated).gasUsed
    limit = w3.eth.get_transaction(delegated)["gas"]  # what the relayer sends the next delegation with
    request = delegate_to(member.address)

    tight_settings = relay_settings(chain, deployments_file, database, relay_gas_per_member=used + limit - 1)
    with relay_client(tight_settings) as tight:
        with costs_relayer_nothing(w3):
            sent = time.time()
            response = tight.post("/relay", json=request)
            answered = time.time()
    assert refusal(response, 429, "member_gas_used").startswith(f"{member.address} has used its relayed gas for now: try again in ")
    assert_waits_for_the_window_to_end(response, tight_settings.relay_gas_window_seconds, sent, answered)
    with relay_client(relay_settings(chain, deployments_file, database, relay_gas_per_member=used + limit)) as fair:
        assert fair.post("/relay", json=request).status_code == 202


# ---------------------------------------------------------------- status


def test_status_never_replays_someone_elses_failed_transaction(client, w3, c):
    """A member's own claim of a used voucher, sent with 5,000,000 gas and failed: not the relayer's to explain."""
    stamps, member = c["OdysseyStamps"], local_account(5)
    voucher = voucher_for(stamps, member.address, next(_stamp_ids))
    send(w3, stamps.functions.claim(*voucher.claim_args()), member)
    tx_hash = sent_as(w3, member, stamps.functions.claim(*voucher.claim_args()), 5_000_000)
    assert mined(w3, tx_hash).status == 0

    response = client.get(f"/relay/{tx_hash}")

    assert refusal(response, 404, "not_relayed_transaction") == f"{tx_hash} is not a transaction this relayer sent"


def test_status_of_a_transaction_that_ran_out_of_gas_says_so_without_running_it_again(client, w3, c):
    """A transaction of the relayer's that used all its gas: out of gas, as its receipt says (replaying it with the
    same limit would only say so less clearly)."""
    stamps, member = c["OdysseyStamps"], fresh_member()
    voucher = voucher_for(stamps, member.address, next(_stamp_ids))
    tx_hash = sent_as(w3, RELAYER, stamps.functions.claim(*voucher.claim_args()), 40_000)
    receipt = mined(w3, tx_hash)
    assert (receipt.status, receipt.gasUsed) == (0, 40_000)

    body = client.get(f"/relay/{tx_hash}").json()

    assert (body["status"], body["error"], body["gasUsed"]) == ("failed", "ran out of gas (limit 40000)", 40_000)


def test_status_of_a_transaction_that_failed_on_the_state_before_its_block_gives_that_reason(client, w3, c):
    """A transaction of the relayer's claiming with a voucher already used: replayed on the state before its block,
    it fails as it did."""
    stamps, member = c["OdysseyStamps"], fresh_member()
    voucher = voucher_for(stamps, member.address, next(_stamp_ids))
    assert wait_status(client, client.post("/relay/claim", json=voucher.as_dict()).json()["txHash"])["status"] == "mined"
    tx_hash = sent_as(w3, RELAYER, stamps.functions.claim(*voucher.claim_args()), 1_000_000)
    assert mined(w3, tx_hash).status == 0

    body = client.get(f"/relay/{tx_hash}").json()

    assert (body["status"], body["error"]) == ("failed", f"OdysseyVoucherUsed(nonce={voucher.nonce})")


def test_status_of_a_relayed_transaction_that_failed_gives_the_contracts_reason(client, w3, c):
    """Two members redeem the last unit of a benefit in one block: the simulations both pass, the second reverts, and
    its reason is decoded from the inner call (the forwarder's own error would say only FailedInnerCall)."""
    benefits, members = c["OdysseyBenefits"], (fresh_member(), fresh_member())
    for member in members:  # benefits are for members
        mined(w3, client.post("/relay", json=join_request(w3, c, member)).json()["txHash"])
    send(w3, benefits.functions.createBenefit(0, 1, "ipfs://last-one"), OPS)
    benefit_id = benefits.functions.benefitCount().call()
    data = benefits.encode_abi("redeem", args=[benefit_id])
    with miner_stopped(w3):
        hashes = [client.post("/relay", json=forward_request(w3, c["OdysseyForwarder"], member, benefits.address, data)).json()["txHash"]
                  for member in members]
    assert [mined(w3, h).status for h in hashes] == [1, 0]
    # Restocked before anyone asks: the reason is the state the transaction met, not today's.
    send(w3, benefits.functions.updateBenefit(benefit_id, 0, 5, True, "ipfs://last-one"), OPS)
    body = client.get(f"/relay/{hashes[1]}").json()
    assert body["status"] == "failed" and body["error"] == f"BenefitOutOfStock(benefitId={benefit_id})"


def test_status_route_is_rate_limited_per_ip(chain, deployments_file, c, tmp_path):
    settings = relay_settings(chain, deployments_file, tmp_path / "relay.db", relay_status_per_ip=2)
    with relay_client(settings) as client:
        unknown = "0x" + "ab" * 32
        assert [client.get(f"/relay/{unknown}").status_code for _ in range(2)] == [404, 404]
        response = client.get(f"/relay/{unknown}")
    assert refusal(response, 429, "too_many_requests").startswith("too many status requests from testclient: try again in ")
    assert int(response.headers["retry-after"]) >= 1
