"""scripts/drops.py: open drops from YAML files (checked before anything is sent, safe to re-run), draw them, and
report their state and winners."""
import brownie
import pytest
from brownie import chain

from backend.chain.protocol import BLOCKHASH_WINDOW, SEED_DELAY, DropState
from scripts import drops as drops_script
from scripts.lib.common import ScriptError
from scripts.drops import apply_drop_file, draw_drop, drop_status, load_drop_file
from scripts.journeys import apply_journey_file, load_journey_file

SAMPLES = ["drops/holiday-cup.yaml", "drops/siren-collection.yaml"]
HOLIDAY_CUP, SIREN, QUIZ = 302, 301, 101


@pytest.fixture(scope="module")
def fair_drops(stamps, shop, drops, journey, ops, members):
    """The sample journeys' drop stamps, and members 0-3 holding the soulbound quiz stamp (level 1)."""
    apply_journey_file(stamps, shop, load_journey_file("journeys/fair-drops.yaml"), ops)
    stamps.airdrop(QUIZ, members[:4], {"from": ops})
    chain.mine()
    return drops


def spec_with(tmp_path, **changes):
    """The Holiday Cup sample with `changes` to its fields."""
    text = open("drops/holiday-cup.yaml").read()
    for field, value in changes.items():
        if f"\n  {field}:" in text:
            start = text.index(f"\n  {field}:") + 1
            end = text.index("\n", start)
            text = text[:start] + f"  {field}: {value}" + text[end:]
        else:
            text += f"  {field}: {value}\n"
    path = tmp_path / "drop.yaml"
    path.write_text(text)
    return load_drop_file(path)


@pytest.mark.parametrize("path", SAMPLES)
def test_sample_drop_files_are_valid(path):
    assert load_drop_file(path).supply >= 1


@pytest.mark.parametrize("path", SAMPLES)
def test_applying_a_sample_opens_its_drop(fair_drops, stamps, ops, path):
    spec = load_drop_file(path)
    changes = apply_drop_file(fair_drops, stamps, spec, ops)
    assert changes[-1].startswith(f"opened drop {spec.id}: {spec.supply} of stamp {spec.stamp}")
    rules, _, entries, seed_block, _ = fair_drops.drop(spec.id)
    opens, closes = rules[4], rules[5]
    assert tuple(rules) == (spec.stamp, spec.required_stamp, spec.price, spec.supply, opens, closes, spec.min_level)
    assert closes - opens + 1 == spec.entry_blocks
    assert seed_block == closes + SEED_DELAY


def test_reapplying_a_drop_file_changes_nothing(fair_drops, stamps, ops):
    spec = load_drop_file("drops/siren-collection.yaml")
    apply_drop_file(fair_drops, stamps, spec, ops)
    chain.mine(5)
    height = chain.height
    assert apply_drop_file(fair_drops, stamps, spec, ops) == []
    assert chain.height == height


def test_changed_rules_update_the_drop_until_someone_enters(fair_drops, stamps, ops, members, tmp_path):
    apply_drop_file(fair_drops, stamps, load_drop_file("drops/holiday-cup.yaml"), ops)
    changes = apply_drop_file(fair_drops, stamps, spec_with(tmp_path, supply=3), ops)
    assert changes[0].startswith("updated drop 1: 3 of stamp 302")
    fair_drops.enter(1, {"from": members[0]})
    height = chain.height
    with pytest.raises(ScriptError, match="drop 1 has 1 entries .*: its rules are fixed"):
        apply_drop_file(fair_drops, stamps, spec_with(tmp_path, supply=4), ops)
    assert chain.height == height
    assert fair_drops.drop(1)[0][3] == 3


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"stamp": 999}, "unknown stamp 999"),
        ({"required_stamp": 102}, "required_stamp 102 is collectible"),
        ({"min_level": 9}, "min_level 9 does not exist: there are 5 levels"),
        ({"supply": 1001}, "stamp 302 has 1000 left to issue, fewer than the supply 1001"),
    ],
)
def test_rules_the_contract_would_refuse_stop_before_sending(fair_drops, stamps, ops, tmp_path, changes, message):
    height = chain.height
    with pytest.raises(ScriptError, match=message):
        apply_drop_file(fair_drops, stamps, spec_with(tmp_path, **changes), ops)
    assert chain.height == height


def test_a_drop_beyond_the_issuance_budget_opens_with_a_note(fair_drops, stamps, ops, deployer, tmp_path):
    stamps.setIssuanceBounds(1000, 0, 15, 7 * 86400, {"from": deployer})  # one Holiday Cup's points a week
    changes = apply_drop_file(fair_drops, stamps, spec_with(tmp_path, supply=2), ops)
    assert changes[0] == ("note: the winners' 20 points exceed the 15 the DAO's issuance budget has left now; "
                          "claims beyond it wait for the budget to refill")
    assert changes[1].startswith("opened drop 1")


@pytest.mark.parametrize(
    "text, message",
    [
        ("drop: [\n", "not valid YAML (line 2)"),
        ("drop: {id: 1, stamp: 302, supply: 2, entry_blocks: 5}\n", "drop: Value error, give min_level and/or required_stamp"),
        ("drop: {id: 1, stamp: 302, supply: 0, entry_blocks: 5, min_level: 1}\n", "drop.supply"),
        ("drop: {id: 1, stamp: 302, supply: 2, entry_blocks: 5, min_level: 1, price: lots}\n", "not an amount"),
        ("drop: {id: 1, stamp: 302, supply: 2, min_level: 1}\n", "drop.entry_blocks: Field required"),
        ("drop: {id: 1, stamp: 302, supply: 2, entry_blocks: 5, min_level: 1, colour: red}\n",
         "drop.colour: Extra inputs are not permitted"),
    ],
)
def test_bad_drop_file_stops_with_one_line_error(tmp_path, text, message):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(ScriptError) as error:
        load_drop_file(path)
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_draw_waits_for_the_seed_block_then_draws_once(fair_drops, stamps, ops, members):
    apply_drop_file(fair_drops, stamps, load_drop_file("drops/holiday-cup.yaml"), ops)
    for member in members[:4]:
        fair_drops.enter(1, {"from": member})
    seed_block = fair_drops.drop(1)[3]
    with pytest.raises(ScriptError, match=f"drop 1 draws from block {seed_block}'s hash: wait until block {seed_block + 1}"):
        draw_drop(fair_drops, 1, ops)
    chain.mine(seed_block - chain.height)
    assert draw_drop(fair_drops, 1, ops).startswith("drew drop 1: seed 0x")
    assert fair_drops.dropState(1) == DropState.DRAWN
    assert draw_drop(fair_drops, 1, ops).startswith("drop 1 is drawn already: seed 0x")


def test_draw_moves_an_expired_seed_block(fair_drops, stamps, ops):
    apply_drop_file(fair_drops, stamps, load_drop_file("drops/holiday-cup.yaml"), ops)
    seed_block = fair_drops.drop(1)[3]
    chain.mine(seed_block + BLOCKHASH_WINDOW - chain.height)
    message = draw_drop(fair_drops, 1, ops)
    moved = fair_drops.drop(1)[3]
    assert moved == chain.height + SEED_DELAY
    assert message.startswith(f"nobody drew drop 1 while block {seed_block}'s hash was readable: it now draws from block {moved}")


def test_status_lists_the_winners_the_contract_agrees_on(fair_drops, stamps, ops, members):
    since = chain.height
    apply_drop_file(fair_drops, stamps, load_drop_file("drops/holiday-cup.yaml"), ops)
    for member in members[:4]:
        fair_drops.enter(1, {"from": member})
    assert drop_status(fair_drops, 1, since)[1].endswith("open at block %d; 4 entries for 2 stamps" % chain.height)
    chain.mine(fair_drops.drop(1)[3] - chain.height)
    draw_drop(fair_drops, 1, ops)
    winners = [m for m in members[:4] if fair_drops.isWinner(1, fair_drops.entry(1, m)[0])]
    fair_drops.claim(1, winners[0], {"from": ops})
    lines = drop_status(fair_drops, 1, since)
    assert lines[2].endswith(f"winners: {winners[0]}, {winners[1]}")
    assert lines[3] == "  1 of 2 wins claimed, 0 deposits refunded"


def test_status_of_an_unknown_drop_is_a_one_line_error(fair_drops):
    with pytest.raises(ScriptError, match="unknown drop 9: no such drop"):
        drop_status(fair_drops, 9, 0)


def test_commands_without_their_argument_stop_with_usage(capsys):
    with pytest.raises(SystemExit):
        drops_script.main()
    with pytest.raises(SystemExit):
        drops_script.draw()
    assert capsys.readouterr().err.splitlines() == [
        "error: name at least one drop file, e.g. drops/siren-collection.yaml",
        "error: usage: draw <dropId>",
    ]


def test_opening_the_same_drop_id_from_two_files_is_refused_before_sending(tmp_path, capsys):
    height = chain.height
    with pytest.raises(SystemExit):
        drops_script.main("drops/holiday-cup.yaml", "drops/holiday-cup.yaml")
    assert "drop ids repeated across the files: [1]" in capsys.readouterr().err
    assert chain.height == height
    assert brownie.network.is_connected()
