"""Give a stamp to a CSV of members, in batches, with a progress bar.

    brownie run scripts/airdrop.py main members.csv 101 [batch_size] --network odyssey-local

Members who already hold the stamp are left out before sending and skipped by the contract anyway, so an
interrupted run, run again, finishes the job and gives nobody the stamp twice.
"""
from tqdm import tqdm

from scripts.lib.common import ScriptError, account_for, existing_stamp, members_and_stamp, parse_int, run_main

DEFAULT_BATCH_SIZE = 100


def airdrop(stamps, members: list[str], stamp_id: int, batch_size: int, sender) -> tuple[int, int]:
    """Returns (issued, already holding)."""
    pending = [m for m in members if stamps.balanceOf(m, stamp_id) == 0]
    holding = len(members) - len(pending)
    _, _, max_supply, minted, *_ = existing_stamp(stamps, stamp_id)
    if max_supply and minted + len(pending) > max_supply:
        raise ScriptError(
            f"stamp {stamp_id} has {max_supply - minted} left of {max_supply}; {len(pending)} members still need it"
        )
    issued = 0
    with tqdm(total=len(pending), unit="member", desc=f"airdrop stamp {stamp_id}") as progress:
        for start in range(0, len(pending), batch_size):
            batch = pending[start : start + batch_size]
            tx = stamps.airdrop.transact(stamp_id, batch, {"from": sender}, silent=True)
            # Count the events: tx.return_value makes Brownie trace the whole transaction, minutes for a big batch.
            issued += len(tx.events["StampClaimed"]) if "StampClaimed" in tx.events else 0
            progress.update(len(batch))
    return issued, holding


def main(csv_path: str = "", stamp_id: str = "", batch_size: str = "") -> int:
    def body():
        members, stamp, stamps = members_and_stamp(csv_path, stamp_id, "airdrop.py main <members.csv> <stampId> [batch_size]")
        size = parse_int(batch_size or DEFAULT_BATCH_SIZE, "batch_size")
        if not 1 <= size <= 500:
            raise ScriptError("batch_size must be between 1 and 500")
        ops = account_for("ops")
        if not stamps.hasRole(stamps.JOURNEY_MANAGER_ROLE(), ops):
            raise ScriptError(f"{ops} does not hold JOURNEY_MANAGER_ROLE: it cannot airdrop")
        issued, holding = airdrop(stamps, members, stamp, size, ops)
        print(f"stamp {stamp}: issued to {issued} members, {holding} already held it")
        return issued

    return run_main(body)
