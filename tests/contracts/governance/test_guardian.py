"""The guardian: it can stop an attack — pause issuance and sales, cancel a queued operation during its delay —
and nothing else; only the DAO unpauses, and the guardian cannot keep the DAO from removing it."""
import brownie
import pytest

from backend.chain.protocol import ClaimMethod, ProposalState
from stamp_helpers import err, unauthorized

from .conftest import OperationState, encode_actions, unexpected_operation_state, unexpected_state


def _queued(passed, ops, actions, description):
    """A passed, queued proposal and its timelock operation id."""
    proposal = passed(actions, description)
    tx = proposal.queue(ops)
    assert proposal.state == ProposalState.QUEUED
    return proposal, tx.events["CallScheduled"][0]["id"]


def _removal(stamps, timelock, guardian):
    return [
        (stamps, "revokeRole", (stamps.PAUSER_ROLE(), guardian)),
        (timelock, "revokeRole", (timelock.CANCELLER_ROLE(), guardian)),
    ]


def test_guardian_pauses_claims_airdrops_and_sales(stamps, shop, dao, guardian, journey, voters, voucher, relayer, ops):
    tx = stamps.pause({"from": guardian})
    assert tx.events["Paused"] == {"account": guardian}
    with brownie.reverts(err("EnforcedPause")):
        stamps.claim(*voucher(voters[0], 101, 1).claim_args(), {"from": relayer})
    with brownie.reverts(err("EnforcedPause")):
        stamps.airdrop(101, [voters[0]], {"from": ops})
    with brownie.reverts(err("EnforcedPause")):
        shop.purchase(103, 1, {"from": voters[0], "value": 10**16})
    assert stamps.balanceOf(voters[0], 101) == 0 and stamps.balanceOf(voters[0], 103) == 0


def test_guardian_cannot_unpause_and_the_dao_can(stamps, dao, guardian, enact):
    stamps.pause({"from": guardian})
    with brownie.reverts(unauthorized(guardian, "DEFAULT_ADMIN_ROLE")):
        stamps.unpause({"from": guardian})
    enact([(stamps, "unpause", ())], "# Resume issuance\n\nThe incident is over.")
    assert not stamps.paused()


def test_guardian_cancels_a_queued_attack_during_its_delay(timelock, dao, guardian, passed, ops, accounts, deployer):
    deployer.transfer(timelock, "1 ether")
    proposal, operation = _queued(passed, ops, [(accounts[8], 10**18)], "# Send the treasury away")
    tx = timelock.cancel(operation, {"from": guardian})
    assert tx.events["Cancelled"] == {"id": operation}
    assert proposal.state == ProposalState.CANCELED
    proposal.wait_timelock()
    with brownie.reverts(unexpected_state(proposal.id, ProposalState.CANCELED, ProposalState.SUCCEEDED, ProposalState.QUEUED)):
        proposal.execute(ops)
    assert timelock.balance() == 10**18


def test_guardian_can_cancel_only_what_is_queued(timelock, dao, guardian):
    unknown = bytes.fromhex("12" * 32)
    with brownie.reverts(unexpected_operation_state(unknown, OperationState.WAITING, OperationState.READY)):
        timelock.cancel(unknown, {"from": guardian})


def test_guardian_cannot_cancel_its_own_removal(stamps, timelock, dao, guardian, passed, ops):
    proposal, operation = _queued(passed, ops, _removal(stamps, timelock, guardian), "# Remove the guardian")
    assert timelock.isGuardianRemoval(operation)
    with brownie.reverts(err("TimelockGuardianRemovalNotCancellable", operation)):
        timelock.cancel(operation, {"from": guardian})
    proposal.wait_timelock()
    proposal.execute(ops)
    assert proposal.state == ProposalState.EXECUTED
    assert not stamps.hasRole(stamps.PAUSER_ROLE(), guardian)
    assert not timelock.hasRole(timelock.CANCELLER_ROLE(), guardian)


def test_a_removal_bundled_with_anything_else_stays_cancellable(stamps, timelock, dao, guardian, passed, ops, accounts):
    # Otherwise an attacker would shield a payload from the guardian by adding the guardian's removal to it.
    actions = _removal(stamps, timelock, guardian) + [(accounts[8], 0)]
    _, operation = _queued(passed, ops, actions, "# Remove the guardian, and something else")
    assert not timelock.isGuardianRemoval(operation)
    timelock.cancel(operation, {"from": guardian})
    assert not timelock.isOperation(operation)


def test_revoking_someone_who_is_no_guardian_is_not_shielded(stamps, timelock, dao, passed, ops):
    # Revoking the ops key's role is an ordinary decision: a guardian may hold it for review like any other.
    _, operation = _queued(passed, ops, [(stamps, "revokeRole", (stamps.JOURNEY_MANAGER_ROLE(), ops))], "# Retire ops")
    assert not timelock.isGuardianRemoval(operation)


@pytest.mark.parametrize("attempt", [
    "airdrop", "issue", "create_journey", "set_bounds", "grant_admin", "grant_minter", "set_thresholds", "set_treasury",
    "schedule", "execute_unready", "set_listing", "create_benefit", "board_settings",
])
def test_guardian_cannot_mint_move_funds_or_change_rules(stamps, shop, benefits, board, timelock, dao, guardian, journey, attempt):
    """Each power the guardian lacks, tried: every call is refused for want of a role."""
    tx = {"from": guardian}
    calls = {
        "airdrop": (lambda: stamps.airdrop(101, [guardian], tx), "JOURNEY_MANAGER_ROLE"),
        "issue": (lambda: stamps.issue(guardian, 101, 1, ClaimMethod.AIRDROP, 0, tx), "MINTER_ROLE"),
        "create_journey": (lambda: stamps.createJourney(99, "Mine", "", 0, 0, tx), "JOURNEY_MANAGER_ROLE"),
        "set_bounds": (lambda: stamps.setIssuanceBounds(2**32 - 1, 10_000, 2**48 - 1, 1, tx), "DEFAULT_ADMIN_ROLE"),
        "grant_admin": (lambda: stamps.grantRole(stamps.DEFAULT_ADMIN_ROLE(), guardian, tx), "DEFAULT_ADMIN_ROLE"),
        "grant_minter": (lambda: stamps.grantRole(stamps.MINTER_ROLE(), guardian, tx), "DEFAULT_ADMIN_ROLE"),
        "set_thresholds": (lambda: stamps.setLevelThresholds([1], tx), "DEFAULT_ADMIN_ROLE"),
        "set_treasury": (lambda: stamps.setTreasury(guardian, tx), "DEFAULT_ADMIN_ROLE"),
        "schedule": (lambda: timelock.schedule(guardian, 10**18, "0x", "0x" + "00" * 32, "0x" + "00" * 32, 3600, tx), "PROPOSER_ROLE"),
        "set_listing": (lambda: shop.setListing(103, 1, 0, tx), "SHOP_MANAGER_ROLE"),
        "create_benefit": (lambda: benefits.createBenefit(0, 1, "", tx), "BENEFIT_MANAGER_ROLE"),
        "board_settings": (lambda: board.setMinPoints(0, tx), "DEFAULT_ADMIN_ROLE"),
    }
    if attempt == "execute_unready":
        zero = "0x" + "00" * 32
        never_scheduled = timelock.hashOperation(guardian, 10**18, "0x", zero, zero)
        with brownie.reverts(unexpected_operation_state(never_scheduled, OperationState.READY)):
            timelock.execute(guardian, 10**18, "0x", zero, zero, tx)
        return
    call, role = calls[attempt]
    with brownie.reverts(unauthorized(guardian, role)):
        call()


def test_the_dao_grants_and_removes_guardians(stamps, timelock, dao, guardian, enact, accounts):
    newcomer = accounts[8]
    enact(
        [(stamps, "grantRole", (stamps.PAUSER_ROLE(), newcomer)), (timelock, "grantRole", (timelock.CANCELLER_ROLE(), newcomer))],
        "# A second guardian",
    )
    assert stamps.hasRole(stamps.PAUSER_ROLE(), newcomer) and timelock.hasRole(timelock.CANCELLER_ROLE(), newcomer)
    enact(_removal(stamps, timelock, guardian), "# Retire the first guardian")
    assert not stamps.hasRole(stamps.PAUSER_ROLE(), guardian)
    assert not timelock.hasRole(timelock.CANCELLER_ROLE(), guardian)


def test_operation_id_matches_the_governors_salt(timelock, dao, passed, ops, accounts):
    # The guardian's monitoring computes the timelock operation of a queued proposal the way the governor does.
    proposal, operation = _queued(passed, ops, [(accounts[8], 0)], "# Salted")
    salt = (int(dao.address, 16) << 96) ^ int.from_bytes(bytes(proposal.description_hash), "big")
    targets, values, calldatas = encode_actions([(accounts[8], 0)])
    assert timelock.hashOperationBatch(targets, values, calldatas, "0x" + "00" * 32, salt.to_bytes(32, "big")) == operation
