"""scripts/local_demo.py, as `make run` runs it: what it says it seeded is what the chain holds, its claim link is a
voucher the relay will take, and a second run (make run on a chain it already seeded) sends nothing."""
import re
import time

from backend.chain.protocol import DropState, domain_from_eip712, parse_voucher_link, recover_voucher_signer
from backend.dev.keys import FIRST_MEMBER, LOCAL_ROLES, local_account
from scripts.lib.common import STEP
from tests.support.web import contracts

SAMPLE_MEMBER = local_account(FIRST_MEMBER).address  # Ganache account 4


def steps(output: str) -> list[str]:
    return [line.removeprefix(STEP) for line in output.splitlines() if line.startswith(STEP)]


def test_what_local_demo_says_it_seeded_is_on_the_chain(seeded, w3, deployment):
    c = contracts(w3, deployment)
    stamps, drops, board = c["OdysseyStamps"], c["OdysseyDrops"], c["IdeaBoard"]
    said = steps(seeded.output)
    assert said[0] == f"contracts deployed on chain {w3.eth.chain_id} from block {deployment['startBlock']}"

    # Before the DAO's founding stamps: the sample member holds the sample stamp and its points only.
    member = re.fullmatch(r"sample member (0x[0-9a-fA-F]{40}): (\d+) × stamp 401, (\d+) points, level (\d+)", said[3])
    assert member is not None, said[3]
    assert member[1] == SAMPLE_MEMBER and int(member[2]) == stamps.functions.balanceOf(SAMPLE_MEMBER, 401).call() == 1
    assert int(member[3]) == stamps.functions.stampType(401).call()[1]  # points
    assert said[4] == f"DAO seeded: 1 proposal(s), {board.functions.ideaCount().call()} idea(s)"

    drop = drops.functions.drop(1).call()
    state = DropState(drops.functions.dropState(1).call()).label
    assert said[5] == f"drops: 2 files applied (4 changes); drop 1 has {drop[2]} entries for {drop[0][3]} stamps, state {state}"
    assert drop[2] > drop[0][3] and state == "open"  # oversubscribed, for the sample member to enter from the page

    assert said[6] == f"sample member: Ganache account {FIRST_MEMBER}, {SAMPLE_MEMBER} " \
                      f"(public dev key {local_account(FIRST_MEMBER).key.to_0x_hex()})"
    assert said[7] == "sample claim link (stamp 402, free through the relay):"
    voucher = parse_voucher_link(said[8].strip())
    domain = domain_from_eip712(stamps.functions.eip712Domain().call())
    assert (voucher.member, voucher.stampId) == (SAMPLE_MEMBER, 402)
    assert recover_voucher_signer(domain, voucher) == local_account(LOCAL_ROLES["issuer"]).address
    assert voucher.deadline > time.time() + 29 * 86400
    assert stamps.functions.balanceOf(SAMPLE_MEMBER, 402).call() == 0  # the link is still to be used


def test_local_demo_run_again_sends_nothing(seeded, w3):
    snapshot = w3.provider.make_request("evm_snapshot", [])["result"]
    try:
        block = w3.eth.block_number
        status, output = seeded.run_again()
        assert status == 0, output
        assert w3.eth.block_number == block  # not one transaction
        assert "Transaction sent" not in output
        said = steps(output)
        assert "journeys: 4 files applied (0 changes)" in said
        assert "benefits: 2 on the chain; 1 files of their texts applied (0 changes)" in said
        assert f"sample member {SAMPLE_MEMBER} already holds stamp 401" in output.splitlines()
    finally:
        assert w3.provider.make_request("evm_revert", [snapshot])["result"] is True
