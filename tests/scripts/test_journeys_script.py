import brownie
import pytest

from scripts.common import ScriptError
from scripts.journeys import apply_journey_file, load_journey_file

SAMPLES = ["journeys/coffee-origins.yaml", "journeys/holiday-drop.yaml"]


@pytest.mark.parametrize("path", SAMPLES)
def test_sample_journey_files_are_valid(path):
    spec = load_journey_file(path)
    assert spec.stamps


def test_applying_a_journey_file_creates_journey_and_stamps(stamps, ops):
    spec = load_journey_file("journeys/holiday-drop.yaml")
    changes = apply_journey_file(stamps, spec, ops)
    assert changes[0] == "created journey 2 'Holiday Cup Collection'"
    assert stamps.journey(2)[0] == "Holiday Cup Collection"
    assert tuple(stamps.stampType(201)) == (2, 40, 1000, 0, 2, False, 10**16)
    assert stamps.stampName(202) == "Winter Cup Gold"


def test_reapplying_a_journey_file_changes_nothing(stamps, ops):
    spec = load_journey_file("journeys/coffee-origins.yaml")
    apply_journey_file(stamps, spec, ops)
    block = brownie.chain.height
    assert apply_journey_file(stamps, spec, ops) == []
    assert brownie.chain.height == block


def test_changed_fields_are_updated(stamps, ops, tmp_path):
    apply_journey_file(stamps, load_journey_file("journeys/holiday-drop.yaml"), ops)
    edited = tmp_path / "drop.yaml"
    edited.write_text(open("journeys/holiday-drop.yaml").read().replace("price: 0.05 ether", "price: 0.06 ether"))
    changes = apply_journey_file(stamps, load_journey_file(edited), ops)
    assert changes == ["updated stamp 202 'Winter Cup Gold'"]
    assert stamps.stampType(202)[6] == 6 * 10**16


def test_changing_points_of_an_existing_stamp_is_refused(stamps, ops, tmp_path):
    apply_journey_file(stamps, load_journey_file("journeys/coffee-origins.yaml"), ops)
    edited = tmp_path / "origins.yaml"
    edited.write_text(open("journeys/coffee-origins.yaml").read().replace("points: 10", "points: 11"))
    with pytest.raises(ScriptError, match="stamp 101 exists with points 10, the file says 11"):
        apply_journey_file(stamps, load_journey_file(edited), ops)


@pytest.mark.parametrize(
    "text, message",
    [
        ("journey: [\n", "not valid YAML (line 2)"),
        ("journey:\n  id: 1\n", "journey.name: Field required"),
        ("journey: {id: 1, name: A}\nstamps:\n  - {id: 5, name: b, points: -1}\n", "stamps.0.points"),
        ("journey: {id: 1, name: A, start: 200, end: 100}\n", "end is before start"),
        ("journey: {id: 1, name: A}\nstamps:\n  - {id: 5, name: b, points: 1, price: lots}\n", "not an amount"),
        ("journey: {id: 1, name: A}\nstamps:\n  - {id: 5, name: b, points: 1}\n  - {id: 5, name: c, points: 2}\n",
         "stamp ids repeated: [5]"),
        ("journey: {id: 1, name: A, colour: red}\n", "journey.colour: Extra inputs are not permitted"),
    ],
)
def test_bad_journey_file_stops_with_one_line_error(tmp_path, text, message):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(ScriptError) as error:
        load_journey_file(path)
    assert message in str(error.value)
    assert "\n" not in str(error.value)
