import pytest

from scripts.airdrop import airdrop
from scripts.lib.common import ScriptError


def test_airdrop_in_batches_reaches_every_member(stamps, journey, members, ops):
    issued, holding = airdrop(stamps, [str(m) for m in members], 101, 2, ops)
    assert (issued, holding) == (len(members), 0)
    assert all(stamps.balanceOf(m, 101) == 1 for m in members)


def test_interrupted_airdrop_rerun_gives_nobody_the_stamp_twice(stamps, journey, members, ops):
    everyone = [str(m) for m in members]
    airdrop(stamps, everyone[:2], 101, 10, ops)  # the run that was interrupted after its first batch
    issued, holding = airdrop(stamps, everyone, 101, 10, ops)
    assert (issued, holding) == (len(members) - 2, 2)
    assert [stamps.balanceOf(m, 101) for m in members] == [1] * len(members)
    assert stamps.stampType(101)[3] == len(members)


def test_airdrop_beyond_supply_stops_before_sending(stamps, journey, members, ops):
    with pytest.raises(ScriptError, match="stamp 102 has 3 left of 3; 5 members still need it"):
        airdrop(stamps, [str(m) for m in members], 102, 10, ops)
    assert stamps.stampType(102)[3] == 0
