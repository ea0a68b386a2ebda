"""The relay and the real governance contracts of the deployment: ballots signed by members for OdysseyGovernor
(castVoteBySig, also for multiple-choice proposals) and idea board requests through the forwarder."""
import itertools

import pytest
from eth_abi import encode
from eth_account import Account

from backend.chain.protocol import APPROVAL_VOTE
from backend.cli.chain import signed_ballot
from tests.relay.conftest import STAMPS, relay_client, relay_settings, wait_status
from tests.support.governance import give_proposer_points, propose, without_governance
from tests.support.web import RELAYER, costs_relayer_nothing, forward_request, gasless_for, voucher_for

STAMP = STAMPS[-1]
DESIGNS = ["Maple design", "Pumpkin design", "Neither"]
_descriptions = itertools.count(1)


@pytest.fixture(scope="module")
def voters(w3, c, client):
    """Two members with 20 points each (claimed through the relay, so they never had ETH) and a proposer."""
    stamps = c["OdysseyStamps"]
    give_proposer_points(w3, stamps, STAMP)
    members = [Account.create() for _ in range(2)]
    for member in members:
        response = client.post("/relay/claim", json=voucher_for(stamps, member.address, STAMP).as_dict())
        assert wait_status(client, response.json()["txHash"])["status"] == "mined"
    return members


def _propose(w3, c, labels=None, approval=False) -> int:
    return propose(w3, c["OdysseyGovernor"], c["OdysseyStamps"], f"Relay proposal #{next(_descriptions)}", labels, approval)


def relay_ballot(client, governor, voter, proposal_id, support, reason="", params=b""):
    function, args = signed_ballot(governor, voter, proposal_id, support, reason, params)
    return client.post("/relay/call", json={"to": governor.address, "data": governor.encode_abi(function, args=args)})


def test_info_lists_the_governance_functions(client):
    functions = {(e["contract"], e["function"], e["mode"]) for e in client.get("/relay").json()["allowlist"]}
    assert ("OdysseyGovernor", "castVoteBySig(uint256,uint8,address,bytes)", "direct") in functions
    assert ("OdysseyGovernor", "castVoteWithReasonAndParamsBySig(uint256,uint8,address,string,bytes,bytes)", "direct") in functions
    assert ("IdeaBoard", "submit(string,string,bytes32)", "forward") in functions
    assert ("IdeaBoard", "support(uint256)", "forward") in functions
    assert not any(contract == "OdysseyTimelock" for contract, _f, _m in functions)


def test_a_deployment_without_governance_relays_the_rest(chain, deployments_file, tmp_path, w3, c):
    with relay_client(relay_settings(chain, without_governance(deployments_file, tmp_path), tmp_path / "relay.db")) as client:
        contracts = {e["contract"] for e in client.get("/relay").json()["allowlist"]}
        assert contracts == {"OdysseyStamps", "OdysseyBenefits", "OdysseyDrops"}  # governance and the board skipped
        stamps = c["OdysseyStamps"]
        request = forward_request(w3, c["OdysseyForwarder"], Account.create(), stamps.address, stamps.encode_abi("join", args=[]))
        assert client.post("/relay", json=request).status_code == 202


def test_relayed_cast_vote_by_sig_votes_for_an_option_of_a_multiple_choice_proposal(client, w3, c, voters):
    governor, (alice, _bob) = c["OdysseyGovernor"], voters
    proposal_id = _propose(w3, c, DESIGNS)

    with gasless_for(w3, alice.address):
        response = relay_ballot(client, governor, alice, proposal_id, 2)

    assert response.status_code == 202, response.text
    assert wait_status(client, response.json()["txHash"])["status"] == "mined"
    assert w3.eth.get_transaction(response.json()["txHash"])["from"] == RELAYER.address
    assert governor.functions.optionVotes(proposal_id).call() == [0, 0, 20]
    assert governor.functions.hasVoted(proposal_id, alice.address).call()


def test_relayed_approval_ballot_counts_on_every_chosen_option(client, w3, c, voters):
    governor, (alice, bob) = c["OdysseyGovernor"], voters
    proposal_id = _propose(w3, c, DESIGNS, approval=True)
    both = encode(["uint256"], [0b011])

    response = relay_ballot(client, governor, alice, proposal_id, APPROVAL_VOTE, "both are lovely", both)
    assert response.status_code == 202, response.text
    assert relay_ballot(client, governor, bob, proposal_id, 1).status_code == 202

    assert governor.functions.optionVotes(proposal_id).call() == [20, 40, 0]


def test_ballot_for_an_option_the_proposal_lacks_is_refused_with_the_governors_error(client, w3, c, voters):
    governor, (alice, _bob) = c["OdysseyGovernor"], voters
    proposal_id = _propose(w3, c, DESIGNS)
    with costs_relayer_nothing(w3):
        missing = relay_ballot(client, governor, alice, proposal_id, 3)
        approval = relay_ballot(client, governor, alice, proposal_id, APPROVAL_VOTE, "", encode(["uint256"], [0b11]))
    assert missing.status_code == 422 and missing.json()["message"] == "GovernorInvalidVoteType()"
    assert approval.status_code == 422 and approval.json()["message"] == f"GovernorApprovalNotAllowed(proposalId={proposal_id})"


def test_replayed_ballot_is_refused_with_the_governors_error(client, w3, c, voters):
    governor, (alice, _bob) = c["OdysseyGovernor"], voters
    proposal_id = _propose(w3, c)
    function, args = signed_ballot(governor, alice, proposal_id, 1)
    body = {"to": governor.address, "data": governor.encode_abi(function, args=args)}
    assert client.post("/relay/call", json=body).status_code == 202
    assert governor.functions.proposalVotes(proposal_id).call() == [0, 20, 0]
    with costs_relayer_nothing(w3):
        response = client.post("/relay/call", json=body)
    assert response.status_code == 422 and response.json()["message"].startswith("GovernorInvalidSignature(voter=")


def test_forged_ballot_and_plain_cast_vote_are_refused(client, w3, c, voters):
    governor, (_alice, bob) = c["OdysseyGovernor"], voters
    proposal_id = _propose(w3, c)
    _function, args = signed_ballot(governor, Account.create(), proposal_id, 1)
    args[2] = bob.address  # signed by someone else in bob's name
    with costs_relayer_nothing(w3):
        forged = client.post("/relay/call", json={"to": governor.address, "data": governor.encode_abi("castVoteBySig", args=args)})
        plain = client.post("/relay/call", json={"to": governor.address, "data": governor.encode_abi("castVote", args=[proposal_id, 1])})
    assert forged.status_code == 422 and forged.json()["message"] == f"GovernorInvalidSignature(voter={bob.address})"
    assert plain.status_code == 403


def test_relayed_idea_submit_and_support_act_for_the_signers(client, w3, c, voters):
    board, forwarder, (alice, bob) = c["IdeaBoard"], c["OdysseyForwarder"], voters
    data = board.encode_abi("submit", args=["Tree stamps", "ipfs://trees", b"\x00" * 32])

    with gasless_for(w3, alice.address):
        response = client.post("/relay", json=forward_request(w3, forwarder, alice, board.address, data))

    assert response.status_code == 202, response.text
    assert wait_status(client, response.json()["txHash"])["status"] == "mined"
    idea_id = board.functions.ideaCount().call()
    assert board.functions.idea(idea_id).call()[0] == alice.address
    data = board.encode_abi("support", args=[idea_id])
    assert client.post("/relay", json=forward_request(w3, forwarder, bob, board.address, data)).status_code == 202
    assert board.functions.isSupporter(idea_id, bob.address).call()
    with costs_relayer_nothing(w3):
        again = client.post("/relay", json=forward_request(w3, forwarder, bob, board.address, data))
    assert again.status_code == 422 and again.json()["code"] == "would_revert"
    assert again.json()["message"] == f"IdeaAlreadySupported(ideaId={idea_id}, supporter={bob.address})"
    assert w3.eth.get_balance(alice.address) == 0 and w3.eth.get_balance(bob.address) == 0


@pytest.mark.parametrize("contract, function, args", [
    ("OdysseyGovernor", "propose", [["0x000000000000000000000000000000000000dEaD"], [0], [b""], "Paid for by the relayer"]),
    ("OdysseyGovernor", "castVote", [1, 1]),
    ("OdysseyGovernor", "relay", ["0x000000000000000000000000000000000000dEaD", 0, b""]),
    ("IdeaBoard", "claimCoCreatorStamp", [1]),
    ("IdeaBoard", "setMinPoints", [0]),
])
def test_forwarded_governor_and_board_functions_off_the_allowlist_are_refused(client, w3, c, contract, function, args):
    target = c[contract]
    data = target.encode_abi(function, args=args)
    request = forward_request(w3, c["OdysseyForwarder"], Account.create(), target.address, data)
    with costs_relayer_nothing(w3):
        response = client.post("/relay", json=request)
    assert response.status_code == 403 and response.json()["code"] == "function_not_relayed"
    assert response.json()["message"] == f"data: function {data[:10]} of {contract} is not relayed"


@pytest.mark.parametrize("name", ["stranger", "OdysseyForwarder", "OdysseyTimelock", "OdysseyShop"])
def test_direct_call_to_a_contract_off_the_allowlist_is_refused(client, w3, c, name):
    stamps = c["OdysseyStamps"]
    target = Account.create().address if name == "stranger" else c[name].address
    data = stamps.encode_abi("claim", args=list(voucher_for(stamps, Account.create().address, STAMP).claim_args()))
    with costs_relayer_nothing(w3):
        response = client.post("/relay/call", json={"to": target, "data": data})
    assert response.status_code == 403 and response.json()["code"] == "contract_not_relayed"
    assert response.json()["message"] == f"to: {target} is not a contract the relayer calls"
