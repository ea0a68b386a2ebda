"""Bring the local chain to a ready demo state: deploy (or re-use), load journeys/, make a sample claim.

    brownie run scripts/local_demo.py --network odyssey-local      (what `make run` does)

Only for the local chain: the sample member is Ganache account 4 and the relayer account 3 pays for the
claim, as the backend's relay would.
"""
import time
from pathlib import Path

from brownie import accounts

from backend.protocol import domain_from_eip712, sign_voucher
from scripts import deploy, journeys, status
from scripts.common import ROOT, ScriptError, account_for, contract, is_local, run_main, signing_key

SAMPLE_MEMBER = 4
SAMPLE_STAMP = 101


def sample_claim(stamps) -> str:
    member = accounts[SAMPLE_MEMBER]
    if stamps.balanceOf(member, SAMPLE_STAMP):
        print(f"sample member {member} already holds stamp {SAMPLE_STAMP}")
        return member.address
    domain = domain_from_eip712(stamps.eip712Domain())
    voucher = sign_voucher(signing_key("issuer"), domain, member.address, SAMPLE_STAMP, time.time_ns(), int(time.time()) + 3600)
    stamps.claim(*voucher.claim_args(), {"from": account_for("relayer")})
    print(f"sample member {member} claimed stamp {SAMPLE_STAMP} with a voucher; the relayer paid the gas")
    return member.address


def main() -> str:
    if not is_local():
        raise SystemExit("error: local_demo is for the local chain only")
    deploy.main()
    journeys.main(*sorted(str(p.relative_to(ROOT)) for p in (ROOT / "journeys").glob("*.yaml")))

    def claim():
        return sample_claim(contract("OdysseyStamps"))

    member = run_main(claim)
    status.main(member)
    return member
