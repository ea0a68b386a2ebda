"""The security review's on-chain attacks, replayed by an outside client (web3.py and eth-account only) against
the DAO that `make run` seeds: the real deploy (local profile), the sample journeys, the sample claim, the
founding members, an idea, a live proposal and the sample drops (scripts/local_demo.py). Every attack is refused.

Each test starts from the seeded chain (a Ganache snapshot): the attacks do not add up.
"""
import time

import pytest
from eth_account import Account
from web3 import Web3
from web3.exceptions import ContractCustomError

from backend.chain.merkle import allowlist_tree
from backend.chain.protocol import DropState, domain_from_eip712, multiple_choice_description, sign_voucher
from backend.chain.reverts import decode_revert
from backend.dev.keys import FIRST_MEMBER, LOCAL_ROLES, local_account
from tests.support.web import GAS_PRICE, contracts, fund

ISSUER, OPS, GUARDIAN = (local_account(LOCAL_ROLES[role]) for role in ("issuer", "ops", "guardian"))
FOUNDERS = [local_account(FIRST_MEMBER + i) for i in range(5)]  # member1..member5 of the demo
ATTACK_JOURNEY = 666


@pytest.fixture
def c(seeded, w3, deployment):
    """The seeded system's contracts, the chain put back to the seeded state after the test."""
    snapshot = w3.provider.make_request("evm_snapshot", [])["result"]
    yield contracts(w3, deployment)
    assert w3.provider.make_request("evm_revert", [snapshot])["result"] is True


class Refused(Exception):
    """The chain refused a call; the message is the decoded custom error."""


def send(w3, fn, signer, value=0):
    """Sign and send `fn` as `signer`, checked first with a call; a refusal raises `Refused` with the decoded custom
    error, whichever Odyssey contract raised it."""
    try:
        fn.call({"from": signer.address, "value": value})
    except ContractCustomError as error:
        raise Refused(decode_revert(error.data, *ODYSSEY_ABIS)) from None
    tx = fn.build_transaction({
        "from": signer.address, "nonce": w3.eth.get_transaction_count(signer.address), "gasPrice": GAS_PRICE,
        "value": value,
    })
    tx["gas"] = tx["gas"] * 6 // 5  # a margin over the estimate, as wallets give
    receipt = w3.eth.wait_for_transaction_receipt(w3.eth.send_raw_transaction(signer.sign_transaction(tx).raw_transaction))
    assert receipt.status == 1
    return receipt


ODYSSEY_ABIS: list[list] = []


@pytest.fixture(autouse=True)
def odyssey_abis(deployment):
    ODYSSEY_ABIS[:] = [entry["abi"] for entry in deployment["contracts"].values()]


def refused(w3, fn, signer, value=0) -> str:
    with pytest.raises(Refused) as error:
        send(w3, fn, signer, value)
    return str(error.value)


def fresh_account(w3):
    account = Account.create()
    fund(w3, account.address, 10**18)
    return account


def mine(w3, blocks=1):
    w3.provider.make_request("evm_mine", [{"blocks": blocks}])


# ---------------------------------------------------------------- t1: operational keys against the members


def test_stolen_ops_and_issuer_keys_cannot_outvote_the_founders(w3, c):
    stamps, governor, timelock = c["OdysseyStamps"], c["OdysseyGovernor"], c["OdysseyTimelock"]
    attacker = fresh_account(w3)
    buyer, shop = fresh_account(w3), c["OdysseyShop"]  # a sale puts ETH in the treasury the attacker is after
    send(w3, shop.functions.purchase(202, 1), buyer, value=shop.functions.listing(202).call()[0])
    send(w3, shop.functions.withdrawProceeds(), buyer)
    cap = stamps.functions.issuanceBounds().call()[0]
    send(w3, stamps.functions.createJourney(ATTACK_JOURNEY, "x", "u", 0, 0), OPS)
    assert refused(w3, stamps.functions.createStampType(66601, ATTACK_JOURNEY, "x", 2**32 - 1, False, 0), OPS) == (
        f"OdysseyPointsAboveCap(points={2**32 - 1}, maxStampPoints={cap})"
    )

    # Ops airdrop max-point stamps, then the issuer signs vouchers, until the budget refuses both.
    domain = domain_from_eip712(stamps.functions.eip712Domain().call())
    stamp_id, refusals = 66_600, []
    for points, path in ((cap, "airdrop"), (cap // 2, "airdrop"), (10, "voucher"), (5, "voucher"), (1, "voucher")):
        for _ in range(5):
            stamp_id += 1
            send(w3, stamps.functions.createStampType(stamp_id, ATTACK_JOURNEY, "x", points, False, 0), OPS)
            if path == "airdrop":
                fn, signer = stamps.functions.airdrop(stamp_id, [attacker.address]), OPS
            else:
                voucher = sign_voucher(ISSUER.key, domain, attacker.address, stamp_id, 6_660_000 + stamp_id, int(time.time()) + 600)
                fn, signer = stamps.functions.claim(*voucher.claim_args()), attacker
            try:
                send(w3, fn, signer)
            except Refused as error:
                refusals.append(str(error))
                break
    assert refusals and all(r.startswith("OdysseyIssuanceBudgetExceeded(") for r in refusals)
    gained = stamps.functions.pointsOf(attacker.address).call()
    honest = sum(stamps.functions.getVotes(f.address).call() for f in FOUNDERS)
    assert gained < honest

    # The takeover proposal: admin of the stamps contract and the treasury, voted For by the attacker alone.
    treasury_before = w3.eth.get_balance(timelock.address)
    assert treasury_before > 0
    targets = [stamps.address, attacker.address]
    values = [0, treasury_before]
    admin = stamps.functions.DEFAULT_ADMIN_ROLE().call()
    calldatas = [stamps.encode_abi("grantRole", args=[admin, attacker.address]), b""]
    description = "# Routine maintenance"
    mine(w3)
    send(w3, governor.functions.propose(targets, values, calldatas, description), attacker)
    proposal_id = governor.functions.hashProposal(targets, values, calldatas, Web3.keccak(text=description)).call()
    mine(w3, governor.functions.proposalSnapshot(proposal_id).call() - w3.eth.block_number + 1)
    send(w3, governor.functions.castVote(proposal_id, 1), attacker)
    for founder in FOUNDERS:
        send(w3, governor.functions.castVote(proposal_id, 0), founder)
    mine(w3, governor.functions.proposalDeadline(proposal_id).call() - w3.eth.block_number + 1)
    against, for_votes, _ = governor.functions.proposalVotes(proposal_id).call()
    assert (for_votes, against) == (gained, honest)
    assert governor.functions.state(proposal_id).call() == 3  # Defeated
    assert refused(w3, governor.functions.queue(targets, values, calldatas, Web3.keccak(text=description)), attacker).startswith(
        "GovernorUnexpectedProposalState("
    )
    assert not stamps.functions.hasRole(admin, attacker.address).call()
    assert w3.eth.get_balance(timelock.address) == treasury_before


def test_the_guardian_pauses_issuance_and_only_the_dao_resumes_it(w3, c):
    stamps = c["OdysseyStamps"]
    fund(w3, GUARDIAN.address)
    send(w3, stamps.functions.pause(), GUARDIAN)
    assert refused(w3, stamps.functions.airdrop(80001, [Account.create().address]), OPS) == "EnforcedPause()"
    admin = stamps.functions.DEFAULT_ADMIN_ROLE().call()
    assert refused(w3, stamps.functions.unpause(), GUARDIAN) == (
        f"AccessControlUnauthorizedAccount(account={GUARDIAN.address}, neededRole=0x{bytes(admin).hex()})"
    )


# ---------------------------------------------------------------- t2: multiple-choice hijack


def test_a_multiple_choice_proposal_cannot_be_hijacked(w3, c):
    governor = c["OdysseyGovernor"]
    honest, attacker = FOUNDERS[0], FOUNDERS[1]
    targets = [FOUNDERS[2].address, FOUNDERS[3].address]
    values, calldatas = [0, 0], [b"", b""]
    labels, ends, description = ["Grant to Alice", "Grant to Bob"], [1, 2], "# Community grant: who gets it?"
    swapped = send(w3, governor.functions.proposeMultipleChoice(targets, values, calldatas, labels[::-1], ends, False, description), attacker)
    assert swapped.status == 1
    tagged = multiple_choice_description(description, labels, ends, False)
    assert refused(w3, governor.functions.propose(targets, values, calldatas, tagged), attacker) == "GovernorOptionsTagReserved()"
    send(w3, governor.functions.proposeMultipleChoice(targets, values, calldatas, labels, ends, False, description), honest)
    proposal_id = governor.functions.hashProposal(targets, values, calldatas, Web3.keccak(text=tagged)).call()
    assert governor.functions.proposalProposer(proposal_id).call() == honest.address
    assert governor.functions.isMultipleChoice(proposal_id).call()
    assert [e.args.labels for e in governor.events.MultipleChoiceProposalCreated().get_logs(from_block=swapped.blockNumber)] == [
        labels[::-1], labels,
    ]


# ---------------------------------------------------------------- t3: points counted once, allowlists, joins


def test_one_collectible_redeems_a_benefit_once(w3, c):
    stamps, shop, benefits = c["OdysseyStamps"], c["OdysseyShop"], c["OdysseyBenefits"]
    wallets = [fresh_account(w3) for _ in range(3)]
    price, _ = shop.functions.listing(201).call()  # Winter Cup No. 1: 40 points
    send(w3, shop.functions.purchase(201, 2), wallets[0], value=2 * price)  # 80 points: level 2
    for wallet in wallets[1:]:
        send(w3, stamps.functions.join(), wallet)
    send(w3, benefits.functions.createBenefit(2, 3, "ipfs://vip-seat"), OPS)
    benefit_id = benefits.functions.benefitCount().call()
    send(w3, benefits.functions.redeem(benefit_id), wallets[0])
    for giver, taker in zip(wallets, wallets[1:]):
        send(w3, stamps.functions.safeTransferFrom(giver.address, taker.address, 201, 2, b""), giver)
        assert stamps.functions.levelOf(taker.address).call() == 2
        assert refused(w3, benefits.functions.redeem(benefit_id), taker) == (
            f"BenefitLevelTooLow(member={taker.address}, level=0, minLevel=2)"
        )
    assert benefits.functions.benefit(benefit_id).call()[2] == 1


def test_one_collectible_supports_an_idea_once(w3, c):
    stamps, shop, board = c["OdysseyStamps"], c["OdysseyShop"], c["IdeaBoard"]
    wallets = [fresh_account(w3) for _ in range(3)]
    price, _ = shop.functions.listing(201).call()
    send(w3, shop.functions.purchase(201, 1), wallets[0], value=price)
    mine(w3)
    send(w3, board.functions.submit("Cold brew", "ipfs://x", b"\x00" * 32), wallets[0])
    idea_id = board.functions.ideaCount().call()
    send(w3, board.functions.support(idea_id), wallets[0])
    for giver, taker in zip(wallets, wallets[1:]):
        send(w3, stamps.functions.safeTransferFrom(giver.address, taker.address, 201, 1, b""), giver)
        assert refused(w3, board.functions.support(idea_id), taker).startswith("IdeaNotEnoughPoints(")
    assert board.functions.idea(idea_id).call()[5] == 1


def test_one_allowlist_for_two_stamps_is_claimed_once_for_each(w3, c):
    stamps = c["OdysseyStamps"]
    members = [fresh_account(w3) for _ in range(2)]
    tree = allowlist_tree([m.address for m in members])
    for stamp_id in (102, 103):  # Farm Visit, Roaster's Apprentice
        send(w3, stamps.functions.setAllowlistRoot(stamp_id, tree.root), OPS)
    send(w3, stamps.functions.claimAllowlisted(members[0].address, 102, 0, tree.proof(0)), members[0])
    assert not stamps.functions.allowlistClaimed(103, 0).call()
    send(w3, stamps.functions.claimAllowlisted(members[0].address, 103, 0, tree.proof(0)), members[0])
    assert stamps.functions.balanceOf(members[0].address, 103).call() == 1


def test_a_zero_value_transfer_makes_nobody_a_member(w3, c):
    stamps = c["OdysseyStamps"]
    victim = Account.create().address
    count = stamps.functions.memberCount().call()
    send(w3, stamps.functions.safeTransferFrom(FOUNDERS[0].address, victim, 123456789, 0, b""), FOUNDERS[0])
    assert not stamps.functions.isMember(victim).call()
    assert stamps.functions.memberCount().call() == count


# ---------------------------------------------------------------- t5: what members write is bounded


def test_a_thousand_byte_idea_title_is_refused(w3, c):
    board = c["IdeaBoard"]
    assert refused(w3, board.functions.submit("x" * 1000, "ipfs://x", b"\x00" * 32), FOUNDERS[0]) == (
        "IdeaTooLong(length=1000, max=200)"
    )


def test_a_bot_gains_nothing_against_the_oversubscribed_demo_drop(w3, c):
    """The free Holiday Cup drop `make run` opens, with more entries than cups: a fresh wallet, points bought after
    entries opened, a second entry, an early draw and ops changing the rules are all refused."""
    drops, shop, drop_id = c["OdysseyDrops"], c["OdysseyShop"], 1
    rules, min_points, entries, seed_block, _seed = drops.functions.drop(drop_id).call()
    assert entries > rules[3] and drops.functions.dropState(drop_id).call() == DropState.OPEN
    bot = fresh_account(w3)
    assert refused(w3, drops.functions.enter(drop_id), bot) == (
        f"DropLevelTooLow(dropId={drop_id}, member={bot.address}, points=0, minPoints={min_points})")
    price, _ = shop.functions.listing(201).call()
    send(w3, shop.functions.purchase(201, 2), bot, value=2 * price)  # 80 points, but after the measured block
    assert refused(w3, drops.functions.enter(drop_id), bot).startswith(f"DropLevelTooLow(dropId={drop_id}, ")
    entrant = FOUNDERS[1]  # member2 entered in the demo
    assert refused(w3, drops.functions.enter(drop_id), entrant) == (
        f"DropAlreadyEntered(dropId={drop_id}, member={entrant.address})")
    assert refused(w3, drops.functions.draw(drop_id), bot) == (
        f"DropSeedBlockNotReached(dropId={drop_id}, seedBlock={seed_block})")
    assert refused(w3, drops.functions.updateDrop(drop_id, rules), OPS) == (
        f"DropRulesFixed(dropId={drop_id}, entries={entries})")
