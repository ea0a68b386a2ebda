"""Votes by signature through the relay, and the proposals list, against OpenZeppelin's standard Governor
(the test-only TestGovernor, deployed here under the name OdysseyGovernor until deploy ships governance)."""
import json

import pytest
from eth_account import Account

from backend.devkeys import local_account
from backend.protocol import voucher_link
from tests.cli.conftest import STAMPS, make_cli, serve_relay
from tests.support.governor import deploy_governor
from tests.support.web import RELAYER, costs_relayer_nothing, send, voucher_for

DEPLOYER = local_account(0)
STAMP = STAMPS[-1]


@pytest.fixture(scope="module")
def gov_deployments(w3, c, deployment, tmp_path_factory):
    path = tmp_path_factory.mktemp("gov") / "1337.json"
    return path, deploy_governor(w3, DEPLOYER, c["OdysseyStamps"].address, deployment, path)


@pytest.fixture(scope="module")
def governor(w3, gov_deployments):
    entry = gov_deployments[1]["contracts"]["OdysseyGovernor"]
    return w3.eth.contract(address=entry["address"], abi=entry["abi"])


@pytest.fixture(scope="module")
def gov_relay(chain, gov_deployments):
    with serve_relay(chain, gov_deployments[0]) as url:
        yield url


@pytest.fixture
def member_cli(chain, gov_deployments, gov_relay, tmp_path_factory, monkeypatch, capsys):
    """A CLI runner for a fresh member with a wallet (use before the proposal so the points count)."""
    monkeypatch.setenv("ODYSSEY_PASSWORD", "pw")

    def new_member():
        run = make_cli(chain, gov_deployments[0], gov_relay, tmp_path_factory.mktemp("m") / "keystore.json", capsys)
        code, out, _ = run("wallet", "new", "--json")
        assert code == 0
        run.address = json.loads(out)["address"]
        return run

    return new_member


def _propose(w3, governor, stamps, description):
    targets, values, calldatas = [stamps.address], [0], [stamps.encode_abi("memberCount", args=[])]
    receipt = send(w3, governor.functions.propose(targets, values, calldatas, description), DEPLOYER)
    proposal_id = governor.events.ProposalCreated().process_receipt(receipt)[0].args.proposalId
    for _ in range(2):  # past the voting delay
        w3.provider.make_request("evm_mine", [])
    assert governor.functions.state(proposal_id).call() == 1  # Active
    return proposal_id


@pytest.fixture
def proposal(w3, c, governor, member_cli):
    """Three members with 20 points each, then an active proposal."""
    members = []
    for _ in range(3):
        run = member_cli()
        voucher = voucher_for(c["OdysseyStamps"], run.address, STAMP)
        code, _, err = run("claim", voucher_link("http://x", voucher))
        assert code == 0, err
        members.append(run)
    proposal_id = _propose(w3, governor, c["OdysseyStamps"], f"Free refills for members {members[0].address}\nDetails follow.")
    return proposal_id, members


def test_vote_for_with_a_reason_is_gasless_and_counted(w3, governor, proposal):
    proposal_id, (alice, *_rest) = proposal
    relayer_nonce = w3.eth.get_transaction_count(RELAYER.address)

    code, out, err = alice("vote", str(proposal_id), "for", "--reason", "yes please")

    assert code == 0, err
    assert out.strip() == f"voted For on proposal {proposal_id} with 20 votes"
    assert governor.functions.hasVoted(proposal_id, alice.address).call()
    assert governor.functions.proposalVotes(proposal_id).call() == [0, 20, 0]
    assert w3.eth.get_balance(alice.address) == 0
    assert w3.eth.get_transaction_count(RELAYER.address) == relayer_nonce + 1
    tx = w3.eth.get_transaction(w3.eth.get_block("latest")["transactions"][-1])
    _fn, params = governor.decode_function_input(tx["input"])
    assert _fn.fn_name == "castVoteWithReasonAndParamsBySig" and params["reason"] == "yes please"


def test_vote_without_a_reason_uses_cast_vote_by_sig(w3, governor, proposal):
    proposal_id, (_alice, bob, _carol) = proposal
    code, out, err = bob("vote", str(proposal_id), "against", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["relayed"] is True and result["support"] == 0 and result["weight"] == 20
    _fn, _params = governor.decode_function_input(w3.eth.get_transaction(result["txHash"])["input"])
    assert _fn.fn_name == "castVoteBySig"
    assert governor.functions.proposalVotes(proposal_id).call() == [20, 0, 0]


def test_vote_with_own_gas(w3, governor, proposal):
    proposal_id, (_alice, _bob, carol) = proposal
    funder = local_account(0)
    tx = {"to": carol.address, "value": 10**17, "gas": 21000, "gasPrice": 10**9, "nonce": w3.eth.get_transaction_count(funder.address), "chainId": 1337}
    w3.eth.wait_for_transaction_receipt(w3.eth.send_raw_transaction(funder.sign_transaction(tx).raw_transaction))
    code, out, err = carol("vote", str(proposal_id), "abstain", "--pay-gas", "--json")
    assert code == 0, err
    assert w3.eth.get_transaction(json.loads(out)["txHash"])["from"] == carol.address
    assert governor.functions.proposalVotes(proposal_id).call() == [0, 0, 20]


def test_voting_twice_is_refused_and_costs_nothing(w3, governor, proposal):
    proposal_id, (alice, *_rest) = proposal
    assert alice("vote", str(proposal_id), "for")[0] == 0
    with costs_relayer_nothing(w3):
        code, out, err = alice("vote", str(proposal_id), "against")
    assert code == 1 and out == ""
    assert err == f"error: you already voted on proposal {proposal_id}\n"


def test_bad_choice_and_unknown_proposal_are_one_clear_line(proposal):
    proposal_id, (alice, *_rest) = proposal
    code, _, err = alice("vote", str(proposal_id), "maybe")
    assert code == 1 and err == "error: vote for, against or abstain, not 'maybe'\n"
    code, _, err = alice("vote", "12345", "for")
    assert code == 1 and err.startswith("error: there is no proposal 12345 (GovernorNonexistentProposal(proposalId=12345))")
    code, _, err = alice("vote", "abc", "for")
    assert code == 1 and err.startswith("error: proposal 'abc' is not a proposal id")


def test_proposals_lists_state_and_tallies(proposal):
    proposal_id, (alice, *_rest) = proposal
    assert alice("vote", str(proposal_id), "for")[0] == 0
    code, out, err = alice("proposals", "--json")
    assert code == 0, err
    listed = {p["proposalId"]: p for p in json.loads(out)["proposals"]}
    entry = listed[str(proposal_id)]
    assert entry["state"] == "Active" and entry["votes"] == {"for": 20, "against": 0, "abstain": 0}
    assert entry["title"] == f"Free refills for members {alice.address}"
    code, out, _ = alice("proposals")
    assert f"{proposal_id}  [Active]  Free refills for members {alice.address}\n    for 20 · against 0 · abstain 0" in out


def test_relay_refuses_a_tampered_ballot_with_the_governors_error(w3, governor, proposal, gov_relay):
    import httpx

    from backend.cli.chain import BALLOT_TYPES
    from backend.protocol import domain_from_eip712
    from eth_account.messages import encode_typed_data

    proposal_id, (alice, bob, _carol) = proposal
    voter = Account.create()
    domain = domain_from_eip712(governor.functions.eip712Domain().call())
    message = {"proposalId": proposal_id, "support": 1, "voter": voter.address, "nonce": 0}
    signature = voter.sign_message(encode_typed_data(domain_data=domain, message_types=BALLOT_TYPES, message_data=message)).signature
    forged = governor.encode_abi("castVoteBySig", args=[proposal_id, 1, bob.address, bytes(signature)])  # bob did not sign
    with costs_relayer_nothing(w3):
        response = httpx.post(f"{gov_relay}/relay/call", json={"to": governor.address, "data": forged})
    assert response.status_code == 422
    assert response.json() == {"detail": f"GovernorInvalidSignature(voter={bob.address})"}
    with costs_relayer_nothing(w3):
        other = httpx.post(f"{gov_relay}/relay/call", json={"to": governor.address, "data": governor.encode_abi("castVote", args=[proposal_id, 1])})
    assert other.status_code == 403
