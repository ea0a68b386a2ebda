// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {IOdysseyTimelock} from "../interfaces/IOdysseyTimelock.sol";

/**
 * @title OdysseyTimelock
 * @notice OZ's TimelockController under Odyssey's name: it executes the DAO's proposals after a delay, holds
 * admin of the system's contracts, and is the **treasury** (stamp sale proceeds and ERC-2981 royalties land here;
 * spending them takes a proposal). The governor is its proposer and canceller; anyone may execute.
 *
 * A **guardian** is an account the DAO grants CANCELLER_ROLE without PROPOSER_ROLE: it can cancel a queued
 * operation during its delay (an attack that got through a vote), and nothing else here. It cannot cancel an
 * operation that does nothing but remove guardians — every call a zero-value `revokeRole(role, account)` with
 * `account` a guardian when it was scheduled — so it can never keep the DAO from removing it. An operation that
 * bundles its removal with anything else stays cancellable, so an attacker cannot shield a payload that way.
 */
contract OdysseyTimelock is IOdysseyTimelock, TimelockController {
    mapping(bytes32 id => bool) private _guardianRemovals;

    /**
     * @param minDelay seconds between queueing and execution
     * @param proposers accounts granted the proposer and canceller roles (the governor, once deployed)
     * @param executors accounts granted the executor role (`address(0)`: anyone)
     * @param admin optional admin for the initial set-up, to be renounced (`address(0)`: none)
     */
    constructor(
        uint256 minDelay,
        address[] memory proposers,
        address[] memory executors,
        address admin
    ) TimelockController(minDelay, proposers, executors, admin) {}

    /// @notice Whether operation `id` only removes guardians (so no guardian may cancel it).
    function isGuardianRemoval(bytes32 id) external view returns (bool) {
        return _guardianRemovals[id];
    }

    /// @inheritdoc TimelockController
    function schedule(
        address target,
        uint256 value,
        bytes calldata data,
        bytes32 predecessor,
        bytes32 salt,
        uint256 delay
    ) public override {
        super.schedule(target, value, data, predecessor, salt, delay);
        if (_removesGuardian(value, data)) _guardianRemovals[hashOperation(target, value, data, predecessor, salt)] = true;
    }

    /// @inheritdoc TimelockController
    function scheduleBatch(
        address[] calldata targets,
        uint256[] calldata values,
        bytes[] calldata payloads,
        bytes32 predecessor,
        bytes32 salt,
        uint256 delay
    ) public override {
        super.scheduleBatch(targets, values, payloads, predecessor, salt, delay);
        for (uint256 i = 0; i < targets.length; ++i) {
            if (!_removesGuardian(values[i], payloads[i])) return;
        }
        if (targets.length != 0) _guardianRemovals[hashOperationBatch(targets, values, payloads, predecessor, salt)] = true;
    }

    /// @dev See {TimelockController-cancel}; a guardian may not cancel its own removal.
    function cancel(bytes32 id) public override {
        if (_guardianRemovals[id] && !hasRole(PROPOSER_ROLE, _msgSender())) {
            revert TimelockGuardianRemovalNotCancellable(id);
        }
        super.cancel(id);
    }

    /// @dev A zero-value `revokeRole(role, account)` call (on any contract) whose `account` is a guardian here.
    function _removesGuardian(uint256 value, bytes calldata data) private view returns (bool) {
        if (value != 0 || data.length != 68 || bytes4(data[:4]) != IAccessControl.revokeRole.selector) return false;
        uint256 word = uint256(bytes32(data[36:68]));
        if (word >> 160 != 0) return false; // not a well-formed address: the call would revert
        address account = address(uint160(word));
        return hasRole(CANCELLER_ROLE, account) && !hasRole(PROPOSER_ROLE, account);
    }
}
