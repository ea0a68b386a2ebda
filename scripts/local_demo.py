"""Bring the local chain to a ready demo state: deploy (or re-use), load journeys/, make a sample claim, seed
the DAO (members with points, a qualified idea, a live proposal), open the sample drops (drops/*.yaml) with the free
one oversubscribed, create the sample benefits (benefits/*.yaml gives their names), and print a claim link for the
web page.

    brownie run scripts/local_demo.py --network odyssey-local      (what `make run` does)

Only for the local chain: the sample member is Ganache account 4 and the relayer account 3 pays for the
claim, as the backend's relay would. Every step is skipped when already done.
"""
import time

from brownie import accounts

from backend.chain.protocol import DropState, EntryStatus, domain_from_eip712, sign_voucher, voucher_link
from backend.dev.keys import local_account
from backend.settings import ROOT
from scripts import benefits, dao_demo, deploy, drops, journeys, status
from scripts.lib.common import account_for, contract, is_local, run_main, signing_key, step
from scripts.lib.governance import actor

SAMPLE_MEMBER = 4
SAMPLE_STAMP = 401  # First Sip (journeys/welcome.yaml): Coffee Origins stays for the member to play
LINK_STAMP = 402
PAGE_URL = "http://127.0.0.1:8000"
FREE_DROP = 1  # drops/holiday-cup.yaml: 2 cups for members at level 1 or above
# The sample benefits (benefits/member-perks.yaml names them): (level needed, stock, uri), created by ops in this order.
SAMPLE_BENEFITS = [(1, 100, "ipfs://benefit/1"), (2, 20, "ipfs://benefit/2")]
# Founding members (dao_demo, level 1) who enter the free drop, so it is oversubscribed before the sample member
# (member1) enters it from the page.
DROP_ENTRANTS = ["member2", "member3", "member4"]


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


def sample_link(stamps) -> str:
    """A claim link for the web page: the sample member collects stamp 402 without paying gas."""
    member = local_account(SAMPLE_MEMBER)
    if stamps.balanceOf(member.address, LINK_STAMP):
        return ""
    domain = domain_from_eip712(stamps.eip712Domain())
    voucher = sign_voucher(signing_key("issuer"), domain, member.address, LINK_STAMP, time.time_ns(), int(time.time()) + 30 * 86400)
    return voucher_link(PAGE_URL, voucher)


def sample_benefits(benefits_contract) -> int:
    """Ops create the sample benefits the chain does not have yet (ids follow creation order); how many exist."""
    for min_level, stock, uri in SAMPLE_BENEFITS[benefits_contract.benefitCount():]:
        benefits_contract.createBenefit(min_level, stock, uri, {"from": account_for("ops")})
    return benefits_contract.benefitCount()


def sample_entries(drop_contract) -> int:
    """DROP_ENTRANTS enter the free drop while it is open (each once); how many entered it."""
    for name in DROP_ENTRANTS:
        member = actor(name)
        if drop_contract.dropState(FREE_DROP) != DropState.OPEN:
            break
        if drop_contract.entry(FREE_DROP, member)[1] == EntryStatus.NONE:
            drop_contract.enter(FREE_DROP, {"from": member})
    return drop_contract.drop(FREE_DROP)[2]


def main() -> str:
    if not is_local():
        raise SystemExit("error: local_demo is for the local chain only")
    deployment = deploy.main()
    step(f"contracts deployed on chain {deployment['chainId']} from block {deployment['startBlock']}")
    files = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "journeys").glob("*.yaml"))
    changes = journeys.main(*files)
    step(f"journeys: {len(files)} files applied ({len(changes)} changes)")
    created = run_main(lambda: sample_benefits(contract("OdysseyBenefits")))
    benefit_files = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "benefits").glob("*.yaml"))
    step(f"benefits: {created} on the chain; {len(benefit_files)} files of their texts applied "
         f"({len(benefits.main(*benefit_files))} changes)")

    stamps = contract("OdysseyStamps")
    member = run_main(lambda: sample_claim(stamps))
    status.main(member)
    step(f"sample member {member}: {stamps.balanceOf(member, SAMPLE_STAMP)} × stamp {SAMPLE_STAMP}, "
         f"{stamps.pointsOf(member)} points, level {stamps.levelOf(member)}")
    dao = dao_demo.main()
    step(f"DAO seeded: {len(dao['proposals'])} proposal(s), {dao['ideas']} idea(s)")
    drop_files = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "drops").glob("*.yaml"))
    opened = drops.main(*drop_files)
    drop_contract = contract("OdysseyDrops")
    entries = run_main(lambda: sample_entries(drop_contract))
    supply = drop_contract.drop(FREE_DROP)[0][3]
    step(f"drops: {len(drop_files)} files applied ({len(opened)} changes); drop {FREE_DROP} has {entries} entries for "
         f"{supply} stamps, state {DropState(drop_contract.dropState(FREE_DROP)).label}")
    link = run_main(lambda: sample_link(stamps))
    key = "0x" + bytes(local_account(SAMPLE_MEMBER).key).hex()
    step(f"sample member: Ganache account {SAMPLE_MEMBER}, {member} (public dev key {key})")
    if link:
        step(f"sample claim link (stamp {LINK_STAMP}, free through the relay):\n  {link}")
    return member
