"""Gas of fair drops (OdysseyDrops): entering free (through the forwarder) and paid, the draw with few and many
entries, claiming a win and refunding a loss.

    brownie run scripts/gas_drops.py --network odyssey-test

`rows()` returns (operation, gas used, note) tuples for the overall gas report (scripts/gas_report.py). It deploys
a fresh system of its own on the connected local chain (nothing is written to deployments/). Every figure is a real
receipt's `gasUsed`; entries and claims are those of a member after the first, whose transaction finds the drop's
counters (entries, proceeds) already non-zero. Winners are members already, holding a soulbound stamp.
"""
from brownie import OdysseyDrops, OdysseyForwarder, OdysseyStamps, accounts, chain, web3

from backend.chain.protocol import domain_from_eip712
from backend.chain.forwarding import execute_args, sign_forward_request
from scripts.lib.common import ScriptError, is_local, run_main
from scripts.gas_governance import print_rows

QUIZ, EDITION = 1, 2  # the soulbound stamp that makes a member eligible (level 1), and the stamp dropped
PRICE = 10**16
FEW, MANY = 10, 200  # entries of the two drops whose draws are compared
WINDOW = FEW + MANY + 20  # blocks both drops take entries: every entry below fits


def _system():
    deployer, ops = accounts[0], accounts[2]
    tx = {"from": deployer}
    forwarder = OdysseyForwarder.deploy(tx)
    stamps = OdysseyStamps.deploy("ipfs://{id}", deployer, accounts[9], 500, forwarder, tx)
    stamps.setIssuanceBounds(100, 1_000, 10**9, 86400, tx)
    stamps.setLevelThresholds([10, 50], tx)
    stamps.grantRole(stamps.JOURNEY_MANAGER_ROLE(), ops, tx)
    drops = OdysseyDrops.deploy(stamps, deployer, forwarder, tx)
    stamps.grantRole(stamps.MINTER_ROLE(), drops, tx)
    drops.grantRole(drops.DROP_MANAGER_ROLE(), ops, tx)
    stamps.createJourney(1, "Gas", "", 0, 0, {"from": ops})
    stamps.createStampType(QUIZ, 1, "Quiz", 10, True, 0, {"from": ops})
    stamps.createStampType(EDITION, 1, "Edition", 30, False, 0, {"from": ops})
    return forwarder, stamps, drops, ops


def _members(stamps, ops, count: int) -> list:
    """`count` funded members holding the quiz stamp (10 points: level 1), with their keys."""
    members = [accounts.add(web3.keccak(text=f"gas drop member {i}")) for i in range(count)]
    for member in members:
        accounts[0].transfer(member, "1 ether")
    for start in range(0, count, 50):
        stamps.airdrop(QUIZ, members[start:start + 50], {"from": ops})
    chain.mine()
    return members


def _open(drops, ops, drop_id: int, price: int, supply: int, window: int) -> None:
    """A drop opening with the next transaction: level 1 for free drops, holding the quiz stamp for paid ones."""
    opens = chain.height + 1
    rules = (EDITION, QUIZ if price else 0, price, supply, opens, opens + window, 0 if price else 1)
    drops.openDrop(drop_id, rules, {"from": ops})


def _relayed_entry(forwarder, drops, member, drop_id: int):
    domain = domain_from_eip712(forwarder.eip712Domain())
    request = {
        "from": member.address, "to": drops.address, "value": 0, "gas": 200_000,
        "nonce": forwarder.nonces(member), "deadline": chain.time() + 3600, "data": drops.enter.encode_input(drop_id),
    }
    return forwarder.execute(execute_args(sign_forward_request(member.private_key, domain, request)), {"from": accounts[3]})


def _drawn(drops, drop_id: int):
    chain.mine(max(drops.drop(drop_id)[3] - chain.height, 0))
    return drops.draw(drop_id, {"from": accounts[3]})


def rows() -> list[tuple[str, int, str]]:
    """(operation, gas used, note) for entering, drawing, claiming and refunding."""
    if not is_local():
        raise ScriptError("the gas report deploys its own contracts: run it on a local chain")
    forwarder, stamps, drops, ops = _system()
    members = _members(stamps, ops, MANY)
    relayer = {"from": accounts[3]}
    measured = []

    _open(drops, ops, 1, 0, 2, WINDOW)  # free, by level: the draw of MANY entries
    _open(drops, ops, 2, PRICE, 2, WINDOW)  # paid, by holding the quiz stamp: the draw of FEW entries
    drops.enter(1, {"from": members[0]})
    tx = drops.enter(1, {"from": members[1]})
    measured.append(("Drop entry, free, sent by the member", tx.gas_used, "level checked on past votes; a later entrant"))
    tx = _relayed_entry(forwarder, drops, members[2], 1)
    measured.append(("Drop entry, free, through the forwarder", tx.gas_used,
                     "relayer pays, incl. the member's first forwarder nonce (a fresh slot)"))
    drops.enter(2, {"from": members[0], "value": PRICE})
    tx = drops.enter(2, {"from": members[1], "value": PRICE})
    measured.append(("Drop entry, paid (exact price into escrow)", tx.gas_used,
                     "holding a soulbound stamp checked; a later entrant"))
    for member in members[2:FEW]:
        drops.enter(2, {"from": member, "value": PRICE})
    for member in members[3:]:
        drops.enter(1, {"from": member})

    few, many = _drawn(drops, 2), _drawn(drops, 1)
    measured.append((f"Drop draw, {FEW} entries", few.gas_used, "anyone; reads the seed block's hash"))
    measured.append((f"Drop draw, {MANY} entries", many.gas_used, "the same work: entries are never read"))

    winners = [m for m in members[:MANY] if drops.isWinner(1, drops.entry(1, m)[0])]
    drops.claim(1, winners[0], relayer)
    tx = drops.claim(1, winners[1], relayer)
    measured.append(("Drop claim of a win (free drop)", tx.gas_used,
                     f"submitted by a relayer; one Feistel check over {MANY} positions; mints through issue"))
    paid = [m for m in members[:FEW] if drops.isWinner(2, drops.entry(2, m)[0])]
    drops.claim(2, paid[0], relayer)
    tx = drops.claim(2, paid[1], relayer)
    measured.append(("Drop claim of a win (paid drop)", tx.gas_used, "also books the price for the treasury"))
    loser = next(m for m in members[:FEW] if m not in paid)
    tx = drops.refund(2, loser, relayer)
    measured.append(("Drop refund of a loss (paid drop)", tx.gas_used, "submitted by a relayer; the full price back"))
    return measured


def main():
    return run_main(lambda: print_rows(rows()))
