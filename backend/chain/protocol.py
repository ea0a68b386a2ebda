"""What the contracts and the Python side both know, written once: enum orders, markers, role names and the EIP-712
types members and issuers sign. Scripts, the indexer, the API, the relay, the CLI and the tests import them from here;
tests/contracts/test_protocol.py checks each against the compiled contracts, so a change on one side fails loudly.

A claim voucher is typed data `Claim(address member,uint256 stampId,uint256 nonce,uint256 deadline)` in the domain
the stamps contract reports through ERC-5267 `eip712Domain()` (name "OdysseyStamps", version "1"). Members also sign
OZ 5.0.2's ERC-2771 `ForwardRequest` (domain "OdysseyForwarder") for gasless calls and the Governor's
`Ballot`/`ExtendedBallot` (domain of the governor) for gasless votes.

A multiple-choice proposal's description carries its options (GovernorCountingMultipleChoice): the proposal id,
and the `descriptionHash` that queues and executes it, are over {multiple_choice_description}.
"""
import base64
import json
import re
from dataclasses import asdict, dataclass
from enum import IntEnum

from eth_abi import encode as abi_encode
from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_utils import keccak, to_checksum_address


class SolidityEnum(IntEnum):
    """A Solidity enum: members in declaration order, each worth its index; `label` is how the API and the CLI
    name it."""

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def labels(cls) -> tuple[str, ...]:
        return tuple(member.label for member in cls)


class ClaimMethod(SolidityEnum):
    """IOdysseyStamps.ClaimMethod: how a stamp reached its holder (`StampClaimed.method`)."""

    VOUCHER = 0
    ALLOWLIST = 1
    AIRDROP = 2
    PURCHASE = 3
    DROP = 4


class ProposalState(SolidityEnum):
    """OZ IGovernor.ProposalState: what `state(proposalId)` returns."""

    PENDING = 0
    ACTIVE = 1
    CANCELED = 2
    DEFEATED = 3
    SUCCEEDED = 4
    QUEUED = 5
    EXPIRED = 6
    EXECUTED = 7


class IdeaState(SolidityEnum):
    """IIdeaBoard.IdeaState: what `ideaState(ideaId)` returns (None: no such idea)."""

    NONE = 0
    OPEN = 1
    EXPIRED = 2
    QUALIFIED = 3
    PROPOSED = 4
    REJECTED = 5
    REALISED = 6


IDEA_STAGES = IdeaState.labels()[1:]  # the states an idea that exists can be in


class DropState(SolidityEnum):
    """IOdysseyDrops.DropState: what `dropState(dropId)` returns at a block (None: no such drop)."""

    NONE = 0
    UPCOMING = 1
    OPEN = 2
    CLOSED = 3  # entries closed, the seed block not mined yet
    DRAWABLE = 4
    SEED_EXPIRED = 5  # the seed block's hash is no longer readable: move the seed block
    DRAWN = 6


DROP_STATES = DropState.labels()[1:]  # the states a drop that exists can be in


class EntryStatus(SolidityEnum):
    """IOdysseyDrops.EntryStatus: where a member's entry in a drop stands (`entry(dropId, member).status`)."""

    NONE = 0
    ENTERED = 1
    CLAIMED = 2
    REFUNDED = 3


class VoteType(SolidityEnum):
    """The support values of a vote on an ordinary proposal (OZ GovernorCountingSimple.VoteType, "support=bravo")."""

    AGAINST = 0
    FOR = 1
    ABSTAIN = 2


# GovernorCountingMultipleChoice.APPROVAL_VOTE: the support value of an approval vote, whose params are
# abi.encode(uint256 bitmap) of the options it approves.
APPROVAL_VOTE = 255
# OdysseyBenefits.UNLIMITED: the stock of a benefit that never runs out.
UNLIMITED_STOCK = 2**32 - 1
# IdeaBoard.MAX_TEXT_BYTES: the longest title or URI the board takes, in UTF-8 bytes.
IDEA_MAX_TEXT_BYTES = 200

# OdysseyDrops.SEED_DELAY: blocks from a drop's last entry block to the block whose hash seeds its draw; also how far
# ahead a moved seed block lies.
SEED_DELAY = 64
# OdysseyDrops._BLOCKHASH_WINDOW (the EVM's): a drop is drawn in blocks seedBlock + 1 .. seedBlock + 256.
BLOCKHASH_WINDOW = 256
# OdysseyDrops._FEISTEL_ROUNDS and _MIN_HALF_BITS: the draw's Feistel network (backend/chain/drops.py).
FEISTEL_ROUNDS = 4
MIN_HALF_BITS = 2

# Every role of the system's contracts, by contract (AccessControl ids: keccak256 of the name, 0 for the admin).
ROLES = {
    "OdysseyStamps": ("JOURNEY_MANAGER_ROLE", "ISSUER_ROLE", "PAUSER_ROLE", "MINTER_ROLE", "DEFAULT_ADMIN_ROLE"),
    "OdysseyShop": ("SHOP_MANAGER_ROLE", "CREATOR_SHARE_ROLE", "DEFAULT_ADMIN_ROLE"),
    "OdysseyDrops": ("DROP_MANAGER_ROLE", "DEFAULT_ADMIN_ROLE"),
    "OdysseyBenefits": ("BENEFIT_MANAGER_ROLE", "DEFAULT_ADMIN_ROLE"),
    "IdeaBoard": ("DEFAULT_ADMIN_ROLE",),
    "OdysseyTimelock": ("PROPOSER_ROLE", "CANCELLER_ROLE", "EXECUTOR_ROLE", "DEFAULT_ADMIN_ROLE"),
}


def role_id(name: str) -> bytes:
    """The bytes32 id of AccessControl role `name`."""
    return bytes(32) if name == "DEFAULT_ADMIN_ROLE" else keccak(text=name)


def _fields(*pairs: str) -> list[dict]:
    return [{"name": name, "type": kind} for kind, name in (pair.split() for pair in pairs)]


CLAIM_TYPES = {"Claim": _fields("address member", "uint256 stampId", "uint256 nonce", "uint256 deadline")}
FORWARD_REQUEST_TYPES = {
    "ForwardRequest": _fields(
        "address from", "address to", "uint256 value", "uint256 gas", "uint256 nonce", "uint48 deadline", "bytes data"
    )
}
BALLOT_TYPES = {"Ballot": _fields("uint256 proposalId", "uint8 support", "address voter", "uint256 nonce")}
EXTENDED_BALLOT_TYPES = {"ExtendedBallot": BALLOT_TYPES["Ballot"] + _fields("string reason", "bytes params")}


def type_string(types: dict) -> str:
    """The EIP-712 encoding of a one-struct type, `Name(type name,...)`: what its typehash is the keccak256 of."""
    (name, fields), = types.items()
    return f"{name}({','.join(field['type'] + ' ' + field['name'] for field in fields)})"


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


def proposal_title(description: str) -> str:
    """A proposal's title: the first line of its description, without Markdown heading marks (at most 200
    characters; empty for an empty description)."""
    first = description.strip().splitlines()[0] if description.strip() else ""
    return first.lstrip("#").strip()[:200]
