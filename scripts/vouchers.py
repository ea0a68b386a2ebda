"""Sign Claim vouchers for a CSV of members with the issuer's key.

    brownie run scripts/vouchers.py main members.csv 101 [out.json] [valid_days] [link_base] --network odyssey-local

Writes one voucher per member (member, stampId, nonce, deadline, signature, link) to `out.json` (default
vouchers-<stampId>.json) and prints each member's claim link for the web page. Nothing is sent to the chain:
members (or the relayer) submit the vouchers. A batch's nonces are consecutive from a base of unix milliseconds
and 20 random bits, so batches do not collide and one batch's nonces share the contract's nonce-bitmap words
(a claim then updates a used word instead of filling a new one).
"""
import json
import secrets
import time
from pathlib import Path

from eth_account import Account

from backend.chain.protocol import domain_from_eip712, sign_voucher, voucher_link
from scripts.lib.common import ScriptError, members_and_stamp, parse_int, run_main, signing_key

DEFAULT_VALID_DAYS = 30
DEFAULT_LINK_BASE = "http://127.0.0.1:8000"
BATCH_SIZE_LIMIT = 1 << 20


def issue_vouchers(stamps, members: list[str], stamp_id: int, valid_days: int, key, link_base: str) -> list[dict]:
    issuer = Account.from_key(key).address
    if not stamps.hasRole(stamps.ISSUER_ROLE(), issuer):
        raise ScriptError(f"{issuer} does not hold ISSUER_ROLE on {stamps.address}: its vouchers would be refused")
    if len(members) >= BATCH_SIZE_LIMIT:
        raise ScriptError(f"at most {BATCH_SIZE_LIMIT - 1} members per batch")
    domain = domain_from_eip712(stamps.eip712Domain())
    deadline = int(time.time()) + valid_days * 86400
    base_nonce = (int(time.time() * 1000) << 40) | (secrets.randbits(20) << 20)
    vouchers = []
    for row, member in enumerate(members):
        voucher = sign_voucher(key, domain, member, stamp_id, base_nonce + row, deadline)
        vouchers.append({**voucher.as_dict(), "link": voucher_link(link_base, voucher)})
    return vouchers


def main(csv_path: str = "", stamp_id: str = "", out: str = "", valid_days: str = "", link_base: str = "") -> list[dict]:
    def body():
        usage = "vouchers.py main <members.csv> <stampId> [out.json] [valid_days] [link_base]"
        members, stamp, stamps = members_and_stamp(csv_path, stamp_id, usage)
        days = parse_int(valid_days or DEFAULT_VALID_DAYS, "valid_days")
        if days <= 0:
            raise ScriptError("valid_days must be at least 1")
        vouchers = issue_vouchers(stamps, members, stamp, days, signing_key("issuer"), link_base or DEFAULT_LINK_BASE)
        path = Path(out or f"vouchers-{stamp}.json")
        path.write_text(json.dumps(vouchers, indent=2) + "\n")
        print(f"signed {len(vouchers)} vouchers for stamp {stamp}, valid {days} days: {path}")
        for voucher in vouchers:
            print(f"  {voucher['member']}  {voucher['link']}")
        return vouchers

    return run_main(body)
