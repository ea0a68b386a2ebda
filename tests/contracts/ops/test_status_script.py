"""scripts/status.py run for real on the test chain: what it prints of the deployment named by the deployments file."""
import datetime
import json

import pytest
from brownie import web3

from backend.chain.deployment import VARIABLE
from scripts import status


@pytest.fixture
def deployed(stamps, shop, journey, tmp_path, monkeypatch):
    """A deployments file naming the fixtures' stamps and shop, as scripts/deploy.py writes one."""
    path = tmp_path / "1337.json"
    start = stamps.tx.block_number
    path.write_text(json.dumps({
        "chainId": 1337, "startBlock": start, "startBlockHash": web3.eth.get_block(start)["hash"].to_0x_hex(),
        "contracts": {name: {"address": c.address, "abi": c.abi} for name, c in (("OdysseyStamps", stamps), ("OdysseyShop", shop))},
    }))
    monkeypatch.setenv(VARIABLE, str(path))


def test_status_lists_the_journeys_and_a_members_stamps(stamps, treasury, members, ops, deployed, capsys):
    member = members[0]
    stamps.airdrop(101, [member], {"from": ops})
    joined = datetime.datetime.fromtimestamp(stamps.memberOf(member)[1], datetime.timezone.utc).strftime("%Y-%m-%d")
    capsys.readouterr()  # Brownie's report of the airdrop

    lines = status.main(str(member))

    assert lines == [
        f"Odyssey on chain 1337: stamps {stamps.address}",
        f"  1 members; treasury {treasury}; proceeds held 0 ETH; claims open",
        "journey 1 'Coffee Origins': always to open-ended",
        "  stamp 101 'Origins Quiz': 10 points, soulbound, minted 1/open",
        "  stamp 102 'Farm Visit': 25 points, collectible, minted 0/3",
        "  stamp 103 'Origins Limited Edition': 40 points, collectible, 0.01 ETH (cap 2), minted 0/5",
        f"member #1 {member}, since {joined}",
        "  level 1, 10 points; level 2 at 50 points; votes 10 (delegate: self)",
        "  stamp 101 'Origins Quiz' x1 (10 points)",
    ]
    assert capsys.readouterr().out == "\n".join(lines) + "\n"


def test_status_of_a_stranger_and_a_paused_system(stamps, deployer, members, deployed):
    stamps.pause({"from": deployer})
    lines = status.main(str(members[1]))
    assert lines[1].endswith("; claims PAUSED")
    assert lines[-1] == f"{members[1]} is not a member yet"


def test_status_refuses_a_bad_address_in_one_line(deployed, capsys):
    with pytest.raises(SystemExit) as stopped:
        status.main("0x1234")
    assert stopped.value.code == 1
    assert capsys.readouterr().err == "error: not an address: '0x1234'\n"


def test_status_without_a_deployments_file_says_so(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(VARIABLE, str(tmp_path / "none.json"))
    with pytest.raises(SystemExit):
        status.main()
    assert capsys.readouterr().err == f"error: deployments file {tmp_path / 'none.json'} is missing: deploy the contracts first\n"
