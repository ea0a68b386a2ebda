"""The ERC-2771 ForwardRequest members sign (OZ 5.0.2 `ERC2771Forwarder`, domain "OdysseyForwarder", "1").

    ForwardRequest(address from,address to,uint256 value,uint256 gas,uint256 nonce,uint48 deadline,bytes data)

`nonce` is the forwarder's `nonces(from)`; `execute` takes the same fields without the nonce, plus the signature.
A request is JSON with these keys (numbers as integers or decimal strings, bytes as 0x-hex).
"""
from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_utils import to_checksum_address

from backend.chain.protocol import FORWARD_REQUEST_TYPES

FIELDS = ("from", "to", "value", "gas", "nonce", "deadline", "data")


def _message(request: dict) -> dict:
    data = request["data"]
    return {
        "from": to_checksum_address(request["from"]),
        "to": to_checksum_address(request["to"]),
        "value": int(request["value"]),
        "gas": int(request["gas"]),
        "nonce": int(request["nonce"]),
        "deadline": int(request["deadline"]),
        "data": bytes.fromhex(data[2:]) if isinstance(data, str) else bytes(data),
    }


def sign_forward_request(private_key, domain: dict, request: dict) -> dict:
    """`request` (the ForwardRequest fields) signed with `private_key`: a JSON-ready dict for `POST /relay`."""
    message = _message(request)
    signable = encode_typed_data(domain_data=domain, message_types=FORWARD_REQUEST_TYPES, message_data=message)
    signed = Account.sign_message(signable, private_key)
    return {
        **{k: message[k] for k in ("from", "to", "value", "gas", "nonce", "deadline")},
        "data": "0x" + message["data"].hex(),
        "signature": "0x" + bytes(signed.signature).hex(),
    }


def recover_forward_request_signer(domain: dict, request: dict) -> str | None:
    """The address that signed `request` in `domain`; None for a signature that recovers to nothing."""
    signable = encode_typed_data(domain_data=domain, message_types=FORWARD_REQUEST_TYPES, message_data=_message(request))
    try:
        return Account.recover_message(signable, signature=request["signature"])
    except Exception:  # malformed or non-canonical signature (eth-keys raises several types)
        return None


def execute_args(request: dict) -> tuple:
    """The `ForwardRequestData` tuple `execute`/`verify` take: (from, to, value, gas, deadline, data, signature)."""
    message = _message(request)
    sig = request["signature"]
    return (
        message["from"], message["to"], message["value"], message["gas"], message["deadline"], message["data"],
        bytes.fromhex(sig[2:]) if isinstance(sig, str) else bytes(sig),
    )
