"""Canonical signatures of ABI entries, `name(type,...)`: what event topics, function selectors and error selectors
are the keccak256 of."""


def abi_type(param: dict) -> str:
    """A parameter's canonical type, tuples spelled out: `(address,uint256)[]`."""
    if param["type"].startswith("tuple"):
        return f"({','.join(abi_type(c) for c in param['components'])}){param['type'][5:]}"
    return param["type"]


def abi_signature(entry: dict) -> str:
    """An event's, function's or error's signature: `Transfer(address,address,uint256)`."""
    return f"{entry['name']}({','.join(abi_type(i) for i in entry['inputs'])})"
