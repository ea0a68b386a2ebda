"""The governance scripts on a deployment made by scripts/deploy.py: YAML proposals encoded and proposed, votes,
queue and execute with local time travel, and one-line errors for bad input."""
from pathlib import Path

import pytest

from backend.chain.deployment import VARIABLE
from scripts import dao_demo, dao_status
from scripts import deploy as deploy_script
from scripts import execute, propose, queue, vote
from scripts.lib.common import ScriptError
from scripts.lib.governance import dao, find_proposal
from scripts.lib.proposal_files import parse_proposal

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def deployed(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(VARIABLE, str(tmp_path_factory.mktemp("deployments") / "1337.json"))
        deploy_script.deploy()
        dao_demo.seed()  # founders' points, a qualified idea 1, the autumn proposal (number 1)
        yield dao()


def write(tmp_path, text: str) -> str:
    path = tmp_path / "proposal.yaml"
    path.write_text(text)
    return str(path)


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "proposals").glob("*.yaml")))
def test_sample_proposal_files_encode(deployed, name):
    proposal = propose._propose(str(ROOT / "proposals" / name), send=False)
    assert proposal.targets and len(proposal.targets) == len(proposal.values) == len(proposal.calldatas)


def test_demo_seed_leaves_a_live_proposal_and_a_qualified_idea(deployed):
    assert deployed["governor"].state(find_proposal(deployed, "1")["id"]) in (0, 1)  # Pending or Active
    assert deployed["board"].ideaState(1) == 3


def test_yaml_proposal_runs_its_lifecycle_through_the_scripts(deployed):
    stamps = deployed["stamps"]
    vote._vote("1", "for", "member1", "", advance=True)
    vote._vote("1", "against", "member2", "too early in the year", advance=False)
    vote._vote("1", "for", "member3", "", advance=False)
    queue._queue("1", None, advance=True)
    execute._execute("1", None, advance=True)
    assert stamps.journey(40)[0] == "Autumn Harvest"
    assert tuple(deployed["shop"].listing(4002)) == (10**16, 2)


def test_multiple_choice_yaml_executes_the_winning_option(deployed):
    stamps = deployed["stamps"]
    created = propose._propose(str(ROOT / "proposals" / "stamp-design-choice.yaml"), "member2")
    ref = str(created["number"])
    vote._vote(ref, "Northern Lights Mug", "member1", "", advance=True)
    vote._vote(ref, "1", "member2", "", advance=False)
    vote._vote(ref, "snowy roastery", "member3", "", advance=False)
    queue._queue(ref, None, advance=True)
    execute._execute(ref, None, advance=True)
    assert stamps.journey(42)[0] == "Winter: Northern Lights"
    assert stamps.journey(41)[0] == ""


def test_idea_proposal_is_linked_and_realises_the_idea(deployed):
    board = deployed["board"]
    created = propose._propose(str(ROOT / "proposals" / "realise-idea-1.yaml"), "member1")
    assert board.ideaState(1) == 4 and board.idea(1)["proposalId"] == created["id"]
    for member in ("member1", "member2", "member3"):
        vote._vote(str(created["number"]), "for", member, "", advance=True)
    queue._queue("latest", None, advance=True)
    execute._execute("latest", None, advance=True)
    assert board.ideaState(1) == 6
    assert tuple(deployed["shop"].creatorShare(4301))[1] == 100


def test_proposing_the_same_file_twice_does_not_propose_again(deployed):
    path = str(ROOT / "proposals" / "stamp-design-choice.yaml")
    first = propose._propose(path, "member2")
    again = propose._propose(path, "member2")
    assert again["id"] == first["id"]


def test_proposer_below_threshold_gets_one_line_error(deployed, tmp_path):
    path = write(tmp_path, "title: Mine\nactions:\n  - set_level_thresholds: [1, 2]\n")
    with pytest.raises(ScriptError, match="proposing needs 10"):
        propose._propose(path, "deployer")


def test_vote_on_pending_proposal_explains_advance(deployed, tmp_path):
    path = write(tmp_path, "title: Soon\nactions:\n  - set_level_thresholds: [1, 2]\n")
    propose._propose(path, "member1")
    with pytest.raises(ScriptError, match="Pending, not open for votes"):
        vote._vote("latest", "for", "member2", "", advance=False)


def test_execute_before_delay_names_the_time(deployed, tmp_path):
    path = write(tmp_path, "title: Wait\nactions:\n  - set_level_thresholds: [1, 2, 3]\n")
    propose._propose(path, "member1")
    vote._vote("latest", "for", "member1", "", advance=True)
    queue._queue("latest", None, advance=True)
    with pytest.raises(ScriptError, match="is executable at"):
        execute._execute("latest", None, advance=False)


def test_dao_status_lists_proposals_and_ideas(deployed, capsys):
    result = dao_status._status()
    out = capsys.readouterr().out
    assert result["ideas"] == 1 and "Autumn Harvest journey" in out and "Latte art journey" in out


@pytest.mark.parametrize(
    "text, message",
    [
        ("title: x\nactions: [\n", "not valid YAML"),
        ("- just a list\n", "expected a mapping"),
        ("actions:\n  - set_level_thresholds: [1]\n", "'title' is required"),
        ("title: x\n", "give either 'actions'"),
        ("title: x\nactions: []\n", "'actions' is empty"),
        ("title: x\nactions:\n  - brew_coffee: {}\n", "unknown action 'brew_coffee'"),
        ("title: x\nactions:\n  - create_journey: {id: 3}\n", "missing 'name'"),
        ("title: x\nactions:\n  - create_journey: {id: 3, name: a, colour: red}\n", "unknown field"),
        ("title: x\nactions:\n  - create_journey: {id: 3, name: a, start: tomorrow}\n", "not a date"),
        ("title: x\nactions:\n  - create_stamp_type: {id: 1, journey: 1, name: a, points: -5}\n", "points must be between"),
        ("title: x\nactions:\n  - set_level_thresholds: [5, 3]\n", "rise strictly"),
        ("title: x\nactions:\n  - spend_treasury: {to: nowhere, eth: 1}\n", "is not an address"),
        ("title: x\nactions:\n  - spend_treasury: {to: '0x66aB6D9362d4F35596279692F0251Db635165871'}\n", "missing 'eth'"),
        ("title: x\nactions:\n  - grant_role: {contract: stamps, role: KING_ROLE, account: '0x66aB6D9362d4F35596279692F0251Db635165871'}\n", "no role 'KING_ROLE'"),
        ("title: x\noptions:\n  - label: only\n    actions: []\n", "2 to 10 options"),
        ("title: x\noptions:\n  - label: a\n    actions: []\n  - label: b\n    actions: []\n", "no option has an action"),
        ("title: x\napproval: yes please\noptions:\n  - label: a\n    actions: []\n  - label: b\n    actions: []\n", "'approval' must be true or false"),
    ],
)
def test_bad_proposal_file_stops_with_one_line_error_naming_the_problem(deployed, tmp_path, text, message):
    with pytest.raises(ScriptError) as error:
        propose._propose(write(tmp_path, text), send=False)
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_missing_proposal_file_is_named(deployed):
    with pytest.raises(ScriptError, match="no such file"):
        propose._propose("proposals/does-not-exist.yaml", send=False)


def test_multiple_choice_file_encodes_options_and_ends(deployed):
    proposal = parse_proposal(
        {
            "title": "Pick",
            "approval": True,
            "options": [
                {"label": "A", "actions": [{"set_level_thresholds": [1, 2]}]},
                {"label": "B", "actions": []},
                {"label": "C", "actions": [{"spend_treasury": {"to": "0x66aB6D9362d4F35596279692F0251Db635165871", "wei": 5}},
                                           {"idea_creator_share": {"bps": 200}}]},
            ],
        },
        deployed,
    )
    assert proposal.labels == ["A", "B", "C"] and proposal.ends == [1, 1, 3] and proposal.approval
    assert proposal.values == [0, 5, 0]
    assert proposal.description == "# Pick\n"


def test_gas_rows_cover_every_governance_operation_and_the_baseline():
    from scripts import gas_governance

    table = gas_governance.rows()
    operations = {operation for operation, _, _ in table}
    for step in ("propose", "castVote", "castVoteBySig", "queue", "execute"):
        assert f"{step} (Odyssey)" in operations and f"{step} (OZ baseline)" in operations
    assert {"idea submit", "idea support", "proposeMultipleChoice (Odyssey)"} <= operations
    assert all(isinstance(gas, int) and 21_000 < gas < 1_000_000 for _, gas, _ in table)
