"""Odyssey's public signing protocol (EIP-712), shared by ops scripts, the relay, the CLI and tests.

A claim voucher is typed data `Claim(address member,uint256 stampId,uint256 nonce,uint256 deadline)` in the
domain the stamps contract reports through ERC-5267 `eip712Domain()` (name "OdysseyStamps", version "1").
Members also sign OZ 5.0.2's ERC-2771 `ForwardRequest` (domain "OdysseyForwarder") for gasless calls and the
Governor's `Ballot`/`ExtendedBallot` (domain of the governor) for gasless votes; their types are here too.

A multiple-choice proposal's description carries its options (GovernorCountingMultipleChoice): the proposal id,
and the `descriptionHash` that queues and executes it, are over {multiple_choice_description}.
"""
import base64
import json
import re
from dataclasses import asdict, dataclass

from eth_abi import encode as abi_encode
from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_utils import keccak, to_checksum_address

CLAIM_TYPES = {
    "Claim": [
        {"name": "member", "type": "address"},
        {"name": "stampId", "type": "uint256"},
        {"name": "nonce", "type": "uint256"},
        {"name": "deadline", "type": "uint256"},
    ]
}


FORWARD_REQUEST_TYPES = {
    "ForwardRequest": [
        {"name": "from", "type": "address"},
        {"name": "to", "type": "address"},
        {"name": "value", "type": "uint256"},
        {"name": "gas", "type": "uint256"},
        {"name": "nonce", "type": "uint256"},
        {"name": "deadline", "type": "uint48"},
        {"name": "data", "type": "bytes"},
    ]
}

BALLOT_TYPES = {
    "Ballot": [
        {"name": "proposalId", "type": "uint256"},
        {"name": "support", "type": "uint8"},
        {"name": "voter", "type": "address"},
        {"name": "nonce", "type": "uint256"},
    ]
}

EXTENDED_BALLOT_TYPES = {
    "ExtendedBallot": [
        {"name": "proposalId", "type": "uint256"},
        {"name": "support", "type": "uint8"},
        {"name": "voter", "type": "address"},
        {"name": "nonce", "type": "uint256"},
        {"name": "reason", "type": "string"},
        {"name": "params", "type": "bytes"},
    ]
}


@dataclass(frozen=True)
class Voucher:
    """A signed claim voucher: everything `OdysseyStamps.claim` takes."""

    member: str
    stampId: int
    nonce: int
    deadline: int
    signature: str

    def as_dict(self) -> dict:
        return asdict(self)

    def claim_args(self) -> tuple:
        return (self.member, self.stampId, self.nonce, self.deadline, self.signature)


def domain_from_eip712(fields: tuple | list) -> dict:
    """The EIP-712 domain from the tuple `eip712Domain()` returns (ERC-5267)."""
    _flags, name, version, chain_id, verifying_contract, _salt, _extensions = fields
    return {
        "name": name,
        "version": version,
        "chainId": int(chain_id),
        "verifyingContract": to_checksum_address(verifying_contract),
    }


def sign_voucher(private_key, domain: dict, member: str, stamp_id: int, nonce: int, deadline: int) -> Voucher:
    """Sign a Claim voucher for `member` with an issuer's key."""
    message = {
        "member": to_checksum_address(member),
        "stampId": int(stamp_id),
        "nonce": int(nonce),
        "deadline": int(deadline),
    }
    signable = encode_typed_data(domain_data=domain, message_types=CLAIM_TYPES, message_data=message)
    signed = Account.sign_message(signable, private_key)
    return Voucher(
        member=message["member"],
        stampId=message["stampId"],
        nonce=message["nonce"],
        deadline=message["deadline"],
        signature="0x" + bytes(signed.signature).hex(),
    )


def recover_voucher_signer(domain: dict, voucher: Voucher) -> str:
    """The address that signed `voucher` in `domain`."""
    message = {k: getattr(voucher, k) for k in ("member", "stampId", "nonce", "deadline")}
    signable = encode_typed_data(domain_data=domain, message_types=CLAIM_TYPES, message_data=message)
    return Account.recover_message(signable, signature=voucher.signature)


def voucher_link(base_url: str, voucher: Voucher) -> str:
    """A claim link for the member web page: the voucher rides in the URL fragment (never sent to servers)."""
    payload = json.dumps(voucher.as_dict(), separators=(",", ":")).encode()
    return f"{base_url.rstrip('/')}/#claim={base64.urlsafe_b64encode(payload).decode().rstrip('=')}"


def parse_voucher_link(link: str) -> Voucher:
    """The voucher in a claim link made by {voucher_link}; ValueError if the link carries none."""
    _, sep, fragment = link.partition("#claim=")
    if not sep:
        raise ValueError("not a claim link: no '#claim=' part")
    try:
        data = json.loads(base64.urlsafe_b64decode(fragment + "=" * (-len(fragment) % 4)))
        return Voucher(**data)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"claim link is damaged: {exc}") from None


_OPTIONS_TAG = re.compile(r"\n\n#options=0x[0-9a-f]{64}\Z")


def multiple_choice_description(description: str, labels: list[str], option_ends: list[int], approval: bool) -> str:
    """The description a multiple-choice proposal is created with, as `multipleChoiceDescription` computes it:
    `description` + "\\n\\n#options=0x" + keccak256(abi.encode(labels, optionEnds, approval)) in hex."""
    digest = keccak(abi_encode(["string[]", "uint256[]", "bool"], [list(labels), [int(e) for e in option_ends], approval]))
    return f"{description}\n\n#options=0x{digest.hex()}"


def without_options_tag(description: str) -> str:
    """A proposal's description as its author wrote it: a multiple-choice options tag removed."""
    return _OPTIONS_TAG.sub("", description)
