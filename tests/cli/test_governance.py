"""Votes, proposals and ideas from the CLI on the real deployment (OdysseyGovernor, IdeaBoard): ballots signed by
the member and relayed (castVoteBySig), ideas as forwarded requests; the relayer pays, the member's ETH is unchanged."""
import itertools
import json

import pytest
from eth_abi import decode
from eth_account import Account
from eth_utils import keccak

from backend.chain.protocol import APPROVAL_VOTE
from tests.cli.conftest import PASSWORD, STAMPS, make_cli, write_wallet
from tests.support.governance import PROPOSER, give_proposer_points, propose
from tests.support.web import RELAYER, costs_relayer_nothing, fund, gasless_for, send, voucher_for

STAMP = STAMPS[-1]
DESIGNS = ["Maple design", "Pumpkin design", "Neither"]
_descriptions = itertools.count(1)


@pytest.fixture(scope="module")
def governor(c):
    return c["OdysseyGovernor"]


@pytest.fixture(scope="module")
def board(c):
    return c["IdeaBoard"]


@pytest.fixture(scope="module")
def member_keys(w3, c, tmp_path_factory):
    """Three members with 20 points each, their keystores written once for the module."""
    stamps, folder = c["OdysseyStamps"], tmp_path_factory.mktemp("members")
    give_proposer_points(w3, stamps, STAMP)
    keys = []
    for n in range(3):
        member = Account.create()
        send(w3, stamps.functions.claim(*voucher_for(stamps, member.address, STAMP).claim_args()), PROPOSER)
        path = folder / f"member{n}.json"
        keys.append((write_wallet(path, member), path))
    return keys


@pytest.fixture
def members(chain, deployments_file, api_url, member_keys, monkeypatch, capsys):
    """CLI runners for the three members: alice, bob, carol."""
    monkeypatch.setenv("ODYSSEY_PASSWORD", PASSWORD)
    runners = []
    for address, path in member_keys:
        run = make_cli(chain, deployments_file, api_url, path, capsys)
        run.address = address
        runners.append(run)
    return runners


def _description(title: str) -> str:
    return f"{title} (#{next(_descriptions)})\nDetails follow."


@pytest.fixture
def proposal(w3, c, governor, members):
    """An Active ordinary proposal."""
    return propose(w3, governor, c["OdysseyStamps"], _description("Free refills for members"))


@pytest.fixture
def choice(w3, c, governor, members):
    """An Active multiple-choice proposal (one option each), single-choice."""
    return propose(w3, governor, c["OdysseyStamps"], _description("Which autumn design?"), DESIGNS)


@pytest.fixture
def approval(w3, c, governor, members):
    """An Active multiple-choice proposal that allows approval votes."""
    return propose(w3, governor, c["OdysseyStamps"], _description("Which designs do you like?"), DESIGNS, approval=True)


def last_call(w3, contract):
    """The function and arguments of the latest block's last transaction, decoded with `contract`'s ABI."""
    tx = w3.eth.get_transaction(w3.eth.get_block("latest")["transactions"][-1])
    fn, params = contract.decode_function_input(tx["input"])
    return tx, fn.fn_name, params


# ---------------------------------------------------------------- For / Against / Abstain


def test_vote_for_with_a_reason_is_gasless_and_counted(w3, governor, proposal, members):
    alice = members[0]
    with gasless_for(w3, alice.address):
        code, out, err = alice("vote", str(proposal), "for", "--reason", "yes please")

    assert code == 0, err
    assert out.strip() == f"voted For on proposal {proposal} with 20 votes"
    assert governor.functions.hasVoted(proposal, alice.address).call()
    assert governor.functions.proposalVotes(proposal).call() == [0, 20, 0]
    tx, fn, params = last_call(w3, governor)
    assert tx["from"] == RELAYER.address
    assert fn == "castVoteWithReasonAndParamsBySig" and params["reason"] == "yes please" and params["voter"] == alice.address


def test_vote_without_a_reason_uses_cast_vote_by_sig(w3, governor, proposal, members):
    bob = members[1]
    code, out, err = bob("vote", str(proposal), "against", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["relayed"] is True and result["support"] == 0 and result["weight"] == 20
    fn, _params = governor.decode_function_input(w3.eth.get_transaction(result["txHash"])["input"])
    assert fn.fn_name == "castVoteBySig"
    assert governor.functions.proposalVotes(proposal).call() == [20, 0, 0]


def test_vote_with_own_gas(w3, governor, proposal, members):
    carol = members[2]
    fund(w3, carol.address)
    relayer_nonce = w3.eth.get_transaction_count(RELAYER.address)

    code, out, err = carol("vote", str(proposal), "abstain", "--pay-gas", "--json")

    assert code == 0, err
    assert w3.eth.get_transaction(json.loads(out)["txHash"])["from"] == carol.address
    assert w3.eth.get_transaction_count(RELAYER.address) == relayer_nonce
    assert governor.functions.proposalVotes(proposal).call() == [0, 0, 20]


def test_voting_twice_is_refused_and_costs_nothing(w3, proposal, members):
    alice = members[0]
    assert alice("vote", str(proposal), "for")[0] == 0
    with costs_relayer_nothing(w3):
        code, out, err = alice("vote", str(proposal), "against")
    assert code == 1 and out == ""
    assert err == f"error: you already voted on proposal {proposal}\n"


def test_bad_choice_and_unknown_proposal_are_one_clear_line(proposal, members):
    alice = members[0]
    code, _, err = alice("vote", str(proposal), "maybe")
    assert code == 1 and err == "error: vote for, against or abstain, not 'maybe'\n"
    code, _, err = alice("vote", "12345", "for")
    assert code == 1 and err.startswith("error: there is no proposal 12345 (GovernorNonexistentProposal(proposalId=12345))")
    code, _, err = alice("vote", "abc", "for")
    assert code == 1 and err.startswith("error: proposal 'abc' is not a proposal id")


def test_proposals_lists_state_and_tallies(governor, proposal, members, synced):
    alice = members[0]
    assert alice("vote", str(proposal), "for")[0] == 0
    block = synced()
    code, out, err = alice("proposals", "--json")
    assert code == 0, err
    result = json.loads(out)
    entry = {p["proposalId"]: p for p in result["proposals"]}[str(proposal)]
    assert result["block"] == block
    assert entry["state"] == "Active" and entry["votes"] == {"for": 20, "against": 0, "abstain": 0}
    assert entry["proposer"] == PROPOSER.address and entry["title"].startswith("Free refills for members (#")
    assert (entry["voteStart"], entry["voteEnd"]) == (governor.functions.proposalSnapshot(proposal).call(), governor.functions.proposalDeadline(proposal).call())
    code, out, _ = alice("proposals")
    assert f"{proposal}  [Active]  {entry['title']}\n    for 20 · against 0 · abstain 0" in out
    assert out.endswith(f"(records up to block {block})\n")
    code, out, _ = alice("proposals", "--state", "active", "--json")
    assert str(proposal) in {p["proposalId"] for p in json.loads(out)["proposals"]}
    code, out, _ = alice("proposals", "--state", "executed", "--json")
    assert str(proposal) not in {p["proposalId"] for p in json.loads(out)["proposals"]}


# ---------------------------------------------------------------- multiple choice


def test_multiple_choice_vote_by_option_number_is_a_gasless_cast_vote_by_sig(w3, governor, choice, members):
    alice = members[0]
    with gasless_for(w3, alice.address):
        code, out, err = alice("vote", str(choice), "1")
    assert code == 0, err
    assert out.strip() == f"voted Pumpkin design on proposal {choice} with 20 votes"
    assert governor.functions.optionVotes(choice).call() == [0, 20, 0]
    _tx, fn, params = last_call(w3, governor)
    assert fn == "castVoteBySig" and params["support"] == 1 and params["voter"] == alice.address


def test_multiple_choice_vote_by_label_ignores_case(w3, governor, choice, members):
    bob = members[1]
    with gasless_for(w3, bob.address):
        code, out, err = bob("vote", str(choice), "maple DESIGN", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["support"] == 0 and result["choice"] == "Maple design" and result["weight"] == 20
    assert governor.functions.optionVotes(choice).call() == [20, 0, 0]


def test_approval_vote_puts_the_full_weight_on_each_option(w3, governor, approval, members):
    alice, bob, _carol = members
    with gasless_for(w3, alice.address):
        code, out, err = alice("vote", str(approval), "0+2", "--reason", "either is fine")
    assert code == 0, err
    assert out.strip() == f"voted Maple design, Neither on proposal {approval} with 20 votes"
    _tx, fn, params = last_call(w3, governor)
    assert fn == "castVoteWithReasonAndParamsBySig" and params["support"] == APPROVAL_VOTE
    assert decode(["uint256"], params["params"]) == (0b101,) and params["reason"] == "either is fine"
    code, _, err = bob("vote", str(approval), "Pumpkin design,neither")  # labels, comma-joined
    assert code == 0, err
    assert governor.functions.optionVotes(approval).call() == [20, 20, 40]
    assert governor.functions.proposalVotes(approval).call() == [0, 40, 0]  # quorum counts each voter once


def test_approval_vote_on_a_single_choice_proposal_is_refused_before_sending(w3, choice, members):
    alice = members[0]
    with costs_relayer_nothing(w3):
        code, out, err = alice("vote", str(choice), "0+1")
    assert code == 1 and out == ""
    assert err == "error: this proposal takes one option; approval votes (several options) are not allowed\n"


def test_unknown_option_lists_the_options(w3, choice, members):
    alice = members[0]
    with costs_relayer_nothing(w3):
        for bad in ("3", "for", "Apple design"):
            code, _, err = alice("vote", str(choice), bad)
            assert code == 1
            assert err == f"error: {bad!r} is not an option of this proposal: 0 (Maple design), 1 (Pumpkin design), 2 (Neither)\n"


def test_proposals_shows_option_labels_and_tallies(choice, members, synced):
    alice, bob, carol = members
    assert alice("vote", str(choice), "Neither")[0] == 0
    assert bob("vote", str(choice), "2")[0] == 0
    assert carol("vote", str(choice), "0")[0] == 0
    synced()
    code, out, err = alice("proposals", "--json")
    assert code == 0, err
    entry = {p["proposalId"]: p for p in json.loads(out)["proposals"]}[str(choice)]
    assert "votes" not in entry
    assert entry["options"] == [
        {"option": 0, "label": "Maple design", "votes": 20},
        {"option": 1, "label": "Pumpkin design", "votes": 0},
        {"option": 2, "label": "Neither", "votes": 40},
    ]
    code, out, _ = alice("proposals")
    assert f"{choice}  [Active]  {entry['title']}\n    0: Maple design — 20\n    1: Pumpkin design — 0\n    2: Neither — 40\n" in out


# ---------------------------------------------------------------- ideas


def test_idea_submit_is_gasless_and_records_the_content_hash(w3, board, members, tmp_path):
    alice = members[0]
    content = tmp_path / "idea.md"
    content.write_text("A stamp for every tree planted.")
    with gasless_for(w3, alice.address):
        code, out, err = alice("idea", "submit", "Tree stamps", "--uri", "ipfs://trees", "--content-file", str(content), "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["relayed"] is True and result["status"] == "mined"
    idea = board.functions.idea(result["ideaId"]).call()
    assert idea[0] == alice.address  # the forwarder passed the member on as the sender, not the relayer
    assert idea[10:13] == ("Tree stamps", "ipfs://trees", keccak(content.read_bytes()))
    assert board.functions.ideaState(result["ideaId"]).call() == 1  # Open
    code, out, _ = alice("idea", "submit", "Bench stamps")
    assert code == 0 and out.strip() == f"submitted the idea 'Bench stamps' as idea #{result['ideaId'] + 1}"


def test_idea_support_is_gasless_and_counted_once(w3, board, members):
    alice, bob, _carol = members
    code, out, err = alice("idea", "submit", "Refill cups", "--json")
    assert code == 0, err
    idea_id = json.loads(out)["ideaId"]
    with gasless_for(w3, bob.address):
        code, out, err = bob("idea", "support", str(idea_id))
    assert code == 0, err
    assert out.strip() == f"you support idea #{idea_id}"
    assert board.functions.isSupporter(idea_id, bob.address).call()
    assert board.functions.idea(idea_id).call()[5] == 1  # supporters
    with costs_relayer_nothing(w3):
        code, out, err = bob("idea", "support", str(idea_id))
    assert code == 1 and out == ""
    assert err == f"error: you already support this idea (IdeaAlreadySupported(ideaId={idea_id}, supporter={bob.address}))\n"


def test_idea_errors_are_one_clear_line_and_cost_nothing(w3, members, cli):
    alice = members[0]
    with costs_relayer_nothing(w3):
        code, _, err = alice("idea", "support", "999")
        assert code == 1 and err == "error: there is no idea 999 (IdeaUnknown(ideaId=999))\n"
        code, _, err = alice("idea", "submit", "  ")
        assert code == 1 and err == "error: an idea needs a title\n"
        stranger = write_wallet(cli.keystore, Account.create())  # a wallet with no stamps
        code, _, err = cli("idea", "submit", "My idea")
        assert code == 1
        assert err == f"error: only members can do this: join first (`odyssey join`) (IdeaNotMember(account={stranger}))\n"
