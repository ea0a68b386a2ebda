import brownie
import pytest

from scripts.journeys import apply_journey_file, load_journey_file
from scripts.lib.common import ScriptError

SAMPLES = ["journeys/coffee-origins.yaml", "journeys/holiday-drop.yaml", "journeys/fair-drops.yaml", "journeys/welcome.yaml"]


@pytest.mark.parametrize("path", SAMPLES)
def test_sample_journey_files_are_valid(path):
    spec = load_journey_file(path)
    assert spec.stamps


def test_applying_a_journey_file_creates_journey_and_stamps(stamps, shop, ops):
    spec = load_journey_file("journeys/holiday-drop.yaml")
    changes = apply_journey_file(stamps, shop, spec, ops)
    assert changes[0] == "created journey 2 'Holiday Cup Collection'"
    assert stamps.journey(2)[0] == "Holiday Cup Collection"
    assert tuple(stamps.stampType(201)) == (2, 40, 1000, 0, False)
    assert tuple(shop.listing(201)) == (10**16, 2)
    assert "listed stamp 201 at 10000000000000000 wei, 2 per-wallet cap" in changes
    assert stamps.stampName(202) == "Winter Cup Gold"


def test_reapplying_a_journey_file_changes_nothing(stamps, shop, ops):
    spec = load_journey_file("journeys/coffee-origins.yaml")
    apply_journey_file(stamps, shop, spec, ops)
    block = brownie.chain.height
    assert apply_journey_file(stamps, shop, spec, ops) == []
    assert brownie.chain.height == block


def test_changed_price_relists_the_stamp(stamps, shop, ops, tmp_path):
    apply_journey_file(stamps, shop, load_journey_file("journeys/holiday-drop.yaml"), ops)
    edited = tmp_path / "drop.yaml"
    edited.write_text(open("journeys/holiday-drop.yaml").read().replace("price: 0.05 ether", "price: 0.06 ether"))
    changes = apply_journey_file(stamps, shop, load_journey_file(edited), ops)
    assert changes == ["listed stamp 202 at 60000000000000000 wei, 1 per-wallet cap"]
    assert shop.listing(202)[0] == 6 * 10**16


def test_renamed_stamp_is_updated(stamps, shop, ops, tmp_path):
    apply_journey_file(stamps, shop, load_journey_file("journeys/holiday-drop.yaml"), ops)
    edited = tmp_path / "drop.yaml"
    edited.write_text(open("journeys/holiday-drop.yaml").read().replace("Winter Cup Gold", "Winter Cup Platinum"))
    assert apply_journey_file(stamps, shop, load_journey_file(edited), ops) == ["updated stamp 202 'Winter Cup Platinum'"]
    assert stamps.stampName(202) == "Winter Cup Platinum"


def test_points_above_the_daos_cap_are_refused_before_sending(stamps, shop, ops, tmp_path):
    cap = stamps.issuanceBounds()[0]
    path = tmp_path / "big.yaml"
    path.write_text(f"journey: {{id: 9, name: Big}}\nstamps:\n  - {{id: 901, name: Whale, points: {cap + 1}}}\n")
    block = brownie.chain.height
    with pytest.raises(ScriptError, match=f"stamp 901: {cap + 1} points is above the DAO's cap of {cap} points"):
        apply_journey_file(stamps, shop, load_journey_file(path), ops)
    assert brownie.chain.height == block


def test_changing_points_of_an_existing_stamp_is_refused(stamps, shop, ops, tmp_path):
    apply_journey_file(stamps, shop, load_journey_file("journeys/coffee-origins.yaml"), ops)
    edited = tmp_path / "origins.yaml"
    edited.write_text(open("journeys/coffee-origins.yaml").read().replace("points: 10", "points: 11"))
    with pytest.raises(ScriptError, match="stamp 101 exists with points 10, the file says 11"):
        apply_journey_file(stamps, shop, load_journey_file(edited), ops)


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


def test_a_completion_requiring_an_unknown_stamp_is_refused_before_sending(stamps, shop, ops, tmp_path):
    path = tmp_path / "done.yaml"
    path.write_text("journey: {id: 9, name: Done}\nstamps:\n"
                    "  - {id: 901, name: All, points: 5, earn: {kind: completion, requires: [902, 99999]}}\n"
                    "  - {id: 902, name: One, points: 5}\n")
    block = brownie.chain.height
    with pytest.raises(ScriptError, match="stamp 901: its completion requires stamp 99999, an unknown stamp"):
        apply_journey_file(stamps, shop, load_journey_file(path), ops)
    assert brownie.chain.height == block
