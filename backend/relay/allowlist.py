"""What the relayer pays for, as data: (contract name in deployments/<chainId>.json, function signature).

Two kinds of calls:

- FORWARDED: the member signs an ERC-2771 ForwardRequest; the relayer calls the forwarder's `execute`, and the
  target sees the member as sender. The target must trust the forwarder (ERC2771Context).
- DIRECT: functions that authenticate their caller themselves from a signature in their arguments (claim
  vouchers signed by an issuer, `castVoteBySig` signed by the voter); the relayer calls the target itself.
  `member` names the argument that says whose request it is (for the per-member rate limit).

An entry whose contract is not in the deployments file (e.g. the governor before governance is deployed) is
skipped; an entry whose function is not in that contract's ABI is an error at start-up. Adding a function the
relayer pays for is one line here.
"""
FORWARDED: dict[str, list[str]] = {
    "OdysseyStamps": ["join()", "delegate(address)"],
    "OdysseyBenefits": ["redeem(uint256)"],
    "IdeaBoard": ["submit(string,string,bytes32)", "support(uint256)", "withdrawSupport(uint256)"],
}

DIRECT: dict[str, dict[str, str]] = {
    "OdysseyStamps": {"claim(address,uint256,uint256,uint256,bytes)": "member"},
    # OZ 5.0 Governor: votes signed by the voter (EIP-712 Ballot / ExtendedBallot in the governor's domain).
    "OdysseyGovernor": {
        "castVoteBySig(uint256,uint8,address,bytes)": "voter",
        "castVoteWithReasonAndParamsBySig(uint256,uint8,address,string,bytes,bytes)": "voter",
    },
}
