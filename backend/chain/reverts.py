"""Readable reverts: turn a contract's custom-error data into `OdysseyVoucherUsed(nonce=7)`."""
from eth_abi import decode
from eth_utils import function_signature_to_4byte_selector, to_checksum_address

from backend.chain.abi import abi_signature, abi_type


def error_selectors(*abis: list[dict]) -> dict[bytes, dict]:
    """Selector -> error ABI entry, over the given contract ABIs."""
    return {
        function_signature_to_4byte_selector(abi_signature(entry)): entry
        for abi in abis
        for entry in abi
        if entry.get("type") == "error"
    }


def decode_revert(data: str | bytes, *abis: list[dict]) -> str:
    """`Name(arg=value, ...)` for custom-error revert `data`, `Error(message)` for a revert string, else hex."""
    raw = bytes.fromhex(data[2:] if data.startswith("0x") else data) if isinstance(data, str) else bytes(data)
    if len(raw) < 4:
        return "reverted without a reason"
    selector, payload = raw[:4], raw[4:]
    if selector == bytes.fromhex("08c379a0"):
        return f"Error({decode(['string'], payload)[0]})"
    entry = error_selectors(*abis).get(selector)
    if entry is None:
        return f"reverted with unknown error 0x{raw.hex()}"
    values = decode([abi_type(i) for i in entry["inputs"]], payload)
    args = ", ".join(f"{i['name'] or f'arg{n}'}={_show(v, i['type'])}" for n, (i, v) in enumerate(zip(entry["inputs"], values)))
    return f"{entry['name']}({args})"


def _show(value, type_: str = "") -> str:
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if type_ == "address":
        return to_checksum_address(value)
    return str(value)
