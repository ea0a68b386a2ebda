"""What the relayer pays for, as data: (contract name in deployments/<chainId>.json, function signature).

Two kinds of calls:

- FORWARDED: the member signs an ERC-2771 ForwardRequest; the relayer calls the forwarder's `execute`, and the
  target sees the member as sender. The target must trust the forwarder (ERC2771Context).
- DIRECT: functions that authenticate their caller themselves from a signature in their arguments (claim
  vouchers signed by an issuer, `castVoteBySig` signed by the voter); the relayer calls the target itself.
  `member` names the argument that says whose request it is (for the per-member limits), `deadline` the one a
  transaction must be mined before, if any.

An entry whose contract is not in the deployments file (e.g. the governor in a file written before governance) is
skipped; an entry whose function is not in that contract's ABI is an error at start-up. Adding a function the
relayer pays for is one line here.

Drops: a free entry, a draw and a missed draw's move are the member's own calls (forwarded); a winner's claim and a
refund name the entrant and pay out only to them, so anyone may send them (direct). A paid entry carries ether: it is
the member's own transaction, never relayed (the relayer sends no value, and the drop refuses an entry without it).
"""
from backend.chain.protocol import IDEA_MAX_TEXT_BYTES

FORWARDED: dict[str, list[str]] = {
    "OdysseyStamps": ["join()", "delegate(address)"],
    "OdysseyBenefits": ["redeem(uint256)"],
    "IdeaBoard": ["submit(string,string,bytes32)", "support(uint256)", "withdrawSupport(uint256)"],
    "OdysseyDrops": ["enter(uint256)", "draw(uint256)", "moveSeedBlock(uint256)"],
}

DIRECT: dict[str, dict[str, dict[str, str]]] = {
    "OdysseyStamps": {"claim(address,uint256,uint256,uint256,bytes)": {"member": "member", "deadline": "deadline"}},
    # OZ 5.0 Governor: votes signed by the voter (EIP-712 Ballot / ExtendedBallot in the governor's domain).
    "OdysseyGovernor": {
        "castVoteBySig(uint256,uint8,address,bytes)": {"member": "voter"},
        "castVoteWithReasonAndParamsBySig(uint256,uint8,address,string,bytes,bytes)": {"member": "voter"},
    },
    # Anyone may submit these for an entrant: the stamp, or the deposit, goes to `member` only.
    "OdysseyDrops": {"claim(uint256,address)": {"member": "member"}, "refund(uint256,address)": {"member": "member"}},
}

# The most gas the relayer pays for one call of these (a forward request's `gas`, a direct call's estimate), below
# the per-request cap: what a drop's calls cost is fixed by the contract except where the member's own code runs (an
# entrant that is a contract: its onERC1155Received on a claim, its receive() on a refund), which could otherwise
# burn up to the cap at the relayer's expense. Measured by scripts/gas_drops.py (docs/drops.md): a forwarded free entry
# used 106,670 gas, a draw 53,136, a claim 167,228, a refund 50,519.
GAS_LIMITS: dict[tuple[str, str], int] = {
    ("OdysseyDrops", "enter(uint256)"): 150_000,
    ("OdysseyDrops", "draw(uint256)"): 150_000,
    ("OdysseyDrops", "moveSeedBlock(uint256)"): 150_000,
    ("OdysseyDrops", "claim(uint256,address)"): 300_000,
    ("OdysseyDrops", "refund(uint256,address)"): 100_000,
}

# The longest string argument the relayer pays for, in UTF-8 bytes, by (contract, argument name); any other string
# argument: STRING_BYTES. Strings cost gas by the byte, most where a contract stores them: through the forwarder on
# Ganache, an idea with an 11-byte title used 246,947 gas, with a 200-byte one 389,854, with a 1,000-byte one 964,237;
# a vote's reason is only logged (1,000 bytes added about 11,000 gas).
STRING_BYTES = 256
STRING_LIMITS: dict[tuple[str, str], int] = {
    ("IdeaBoard", "title"): IDEA_MAX_TEXT_BYTES,  # the board refuses more itself
    ("IdeaBoard", "uri"): IDEA_MAX_TEXT_BYTES,
    ("OdysseyGovernor", "reason"): 1000,
}
