"""Ops' side of activities: journey files' earn rules (one-line errors, re-loading changes nothing, the secrets they
name must exist) and kiosk tokens (scripts/kiosk.py)."""
import pytest

from backend.issuer.rules import save_rules
from backend.issuer.vault import Vault
from backend.settings import Settings
from scripts import kiosk
from scripts.journeys import check_secrets, load_journey_file
from scripts.lib.common import ScriptError
from tests.support.issuer import SAMPLE_SECRETS

QUIZ_STAMP = "  - id: 5\n    name: Q\n    points: 1\n    earn:\n      kind: quiz\n      answers: q\n      pass_mark: {mark}\n" \
             "      questions:\n{questions}"
QUESTION = "        - {{id: {id}, text: Which, choices: {{a: A, b: B}}}}\n"


def journey_file(tmp_path, stamps: str):
    path = tmp_path / "j.yaml"
    path.write_text("journey: {id: 1, name: A}\nstamps:\n" + stamps)
    return path


@pytest.mark.parametrize("stamps, message", [
    (QUIZ_STAMP.format(mark=1, questions=QUESTION.format(id="q1") * 2), "question ids repeated: ['q1']"),
    (QUIZ_STAMP.format(mark=3, questions=QUESTION.format(id="q1") + QUESTION.format(id="q2")),
     "pass_mark 3 is above the 2 questions"),
    ("  - {id: 5, name: C, points: 1, earn: {kind: completion, requires: [5]}}\n", "cannot require itself"),
    ("  - {id: 5, name: C, points: 1, earn: {kind: code}}\n", "either a secret `word` or `rotating`"),
    ("  - {id: 5, name: C, points: 1, earn: {kind: raffle}}\n", "earn"),
    ("  - {id: 5, name: C, points: 1, earn: {kind: sale}}\n", "sale needs a price"),
])
def test_a_bad_earn_rule_stops_with_one_line_error(tmp_path, stamps, message):
    with pytest.raises(ScriptError) as error:
        load_journey_file(journey_file(tmp_path, stamps))
    assert message in str(error.value) and "\n" not in str(error.value)


def test_a_secret_the_file_names_must_exist(tmp_path):
    vault = Vault.from_settings(Settings(issuer_secrets_file=SAMPLE_SECRETS))
    receipt = journey_file(tmp_path, "  - {id: 5, name: R, points: 1, earn: {kind: receipt, partner: unknown-cafe}}\n")
    with pytest.raises(ScriptError, match="stamp 5: no partner secret 'unknown-cafe' in the issuer's secrets"):
        check_secrets(receipt, load_journey_file(receipt), vault)
    sample = load_journey_file("journeys/coffee-origins.yaml")
    check_secrets("journeys/coffee-origins.yaml", sample, vault)  # make run's sample secrets fit the sample file


def test_reloading_earn_rules_changes_nothing(tmp_path):
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'rules.db'}")
    spec = load_journey_file("journeys/coffee-origins.yaml")
    rules = {s.id: s.earn for s in spec.stamps}
    assert save_rules(settings, 1, rules) == [f"stamp {i} is earned by {rules[i].kind}" for i in rules]
    assert save_rules(settings, 1, rules) == []


def test_kiosk_tokens_are_issued_only_for_a_rotating_code_and_revoked_by_name(tmp_path, capsys):
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'k.db'}", public_url="http://shop.example")
    spec = load_journey_file("journeys/coffee-origins.yaml")
    save_rules(settings, 1, {s.id: s.earn for s in spec.stamps})
    out = kiosk.main(["issue", "102", "--name", "farm door"], settings)
    assert "http://shop.example/kiosk.html#token=" in out
    for argv, words in ((["issue", "101"], "earned by quiz, not a rotating code"), (["issue", "999"], "unknown stamp"),
                        (["issue", "x"], "whole number"), (["revoke", "nobody"], "no live kiosk")):
        with pytest.raises(SystemExit) as error:
            kiosk.main(argv, settings)
        assert str(error.value).startswith("error: ") and words in str(error.value) and "\n" not in str(error.value)
    assert "revoked kiosk 1" in kiosk.main(["revoke", "farm door"], settings)
    assert "revoked" in kiosk.main(["list"], settings)
