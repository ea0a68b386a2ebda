"""Build a stamp's allowlist from a CSV, publish its Merkle root and write every member's proof.

    brownie run scripts/allowlist.py main members.csv 101 [out.json] --network odyssey-local

Entry i of the CSV is `(uint256 i, address member)` in an OpenZeppelin StandardMerkleTree. The proofs file
(default allowlist-<stampId>.json) is what members, the web page or the relayer need to claim with
`claimAllowlisted(member, stampId, index, proof)`. Publishing the same list again sends nothing.
"""
import json
from pathlib import Path

from brownie import web3

from backend.chain.merkle import allowlist_tree
from scripts.lib.common import ScriptError, account_for, members_and_stamp, run_main


def publish_allowlist(stamps, members: list[str], stamp_id: int, sender) -> dict:
    """Publish the root unless the chain has it already; returns the proofs document."""
    tree = allowlist_tree(members)
    if bytes(stamps.allowlistRoot(stamp_id)) != tree.root:
        stamps.setAllowlistRoot(stamp_id, tree.root, {"from": sender})
        print(f"published allowlist root {tree.root_hex} for stamp {stamp_id} ({len(members)} members)")
    else:
        print(f"stamp {stamp_id} already has this allowlist ({tree.root_hex})")
    return {
        "chainId": web3.eth.chain_id,
        "stamps": stamps.address,
        "stampId": stamp_id,
        "root": tree.root_hex,
        "entries": [{"index": i, "member": m, "proof": tree.proof_hex(i)} for i, m in enumerate(members)],
    }


def main(csv_path: str = "", stamp_id: str = "", out: str = "") -> dict:
    def body():
        members, stamp, stamps = members_and_stamp(csv_path, stamp_id, "allowlist.py main <members.csv> <stampId> [out.json]")
        ops = account_for("ops")
        if not stamps.hasRole(stamps.JOURNEY_MANAGER_ROLE(), ops):
            raise ScriptError(f"{ops} does not hold JOURNEY_MANAGER_ROLE: it cannot publish allowlists")
        document = publish_allowlist(stamps, members, stamp, ops)
        path = Path(out or f"allowlist-{stamp}.json")
        path.write_text(json.dumps(document, indent=2) + "\n")
        print(f"proofs for {len(members)} members: {path}")
        return document

    return run_main(body)
