// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Governor} from "@openzeppelin/contracts/governance/Governor.sol";
import {GovernorSettings} from "@openzeppelin/contracts/governance/extensions/GovernorSettings.sol";
import {GovernorVotes} from "@openzeppelin/contracts/governance/extensions/GovernorVotes.sol";
import {GovernorVotesQuorumFraction} from "@openzeppelin/contracts/governance/extensions/GovernorVotesQuorumFraction.sol";
import {GovernorTimelockControl} from "@openzeppelin/contracts/governance/extensions/GovernorTimelockControl.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {GovernorCountingMultipleChoice} from "./GovernorCountingMultipleChoice.sol";
import {IOdysseyGovernor} from "../interfaces/IOdysseyGovernor.sol";

/**
 * @title OdysseyGovernor
 * @notice The Odyssey DAO: members vote with the points of their stamps (OZ {Votes} on {OdysseyStamps},
 * block-number clock), proposals run through the {OdysseyTimelock}, which owns the system and holds the treasury.
 *
 * OZ's Governor wiring (Settings, Votes, QuorumFraction, TimelockControl) with its interface and events
 * untouched, so Tally-style tools work; the counting module adds multiple-choice proposals whose winning option's
 * actions alone are queued and executed (see {GovernorCountingMultipleChoice}).
 */
contract OdysseyGovernor is
    Governor,
    GovernorSettings,
    GovernorCountingMultipleChoice,
    GovernorVotes,
    GovernorVotesQuorumFraction,
    GovernorTimelockControl
{
    uint48 private _queuePeriod;

    /**
     * @param points the stamps contract, whose points are the voting units
     * @param timelock_ the timelock that executes proposals and holds the treasury
     * @param votingDelay_ blocks between a proposal and its snapshot (voting opens after it)
     * @param votingPeriod_ blocks a vote stays open
     * @param proposalThreshold_ points a proposer needs (at the previous block)
     * @param quorumPercent share of all points, in percent, that must vote (For + Abstain, or any option)
     * @param queuePeriod_ blocks after the deadline within which a succeeded proposal must be queued (0: no limit)
     */
    constructor(
        IVotes points,
        TimelockController timelock_,
        uint48 votingDelay_,
        uint32 votingPeriod_,
        uint256 proposalThreshold_,
        uint256 quorumPercent,
        uint48 queuePeriod_
    )
        Governor("OdysseyGovernor")
        GovernorSettings(votingDelay_, votingPeriod_, proposalThreshold_)
        GovernorVotes(points)
        GovernorVotesQuorumFraction(quorumPercent)
        GovernorTimelockControl(timelock_)
    {
        _setQueuePeriod(queuePeriod_);
    }

    /**
     * @notice The proposal's state, as OZ computes it, plus expiry: a Succeeded proposal that nobody queued
     * within {queuePeriod} blocks after its deadline is Expired and can no longer be queued.
     */
    function state(uint256 proposalId) public view override(Governor, GovernorTimelockControl) returns (ProposalState) {
        ProposalState current = super.state(proposalId);
        if (current != ProposalState.Succeeded) return current;
        uint256 period = _queuePeriod;
        if (period != 0 && clock() > proposalDeadline(proposalId) + period) return ProposalState.Expired;
        return current;
    }

    /// @inheritdoc IOdysseyGovernor
    function queuePeriod() external view returns (uint256) {
        return _queuePeriod;
    }

    /// @inheritdoc IOdysseyGovernor
    function setQueuePeriod(uint48 newQueuePeriod) external onlyGovernance {
        _setQueuePeriod(newQueuePeriod);
    }

    /// @inheritdoc GovernorCountingMultipleChoice
    function propose(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        string memory description
    ) public override(Governor, GovernorCountingMultipleChoice) returns (uint256) {
        return super.propose(targets, values, calldatas, description);
    }

    /// @inheritdoc Governor
    function proposalNeedsQueuing(
        uint256 proposalId
    ) public view override(Governor, GovernorTimelockControl) returns (bool) {
        return super.proposalNeedsQueuing(proposalId);
    }

    /// @inheritdoc Governor
    function proposalThreshold() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.proposalThreshold();
    }

    /// @dev Queues only the winning option's actions of a multiple-choice proposal (all actions otherwise).
    function _queueOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint48) {
        (targets, values, calldatas) = _winningActions(proposalId, targets, values, calldatas);
        return super._queueOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    /// @dev Executes (through the timelock) only the winning option's actions of a multiple-choice proposal.
    function _executeOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) {
        (targets, values, calldatas) = _winningActions(proposalId, targets, values, calldatas);
        super._executeOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _cancel(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint256) {
        return super._cancel(targets, values, calldatas, descriptionHash);
    }

    function _executor() internal view override(Governor, GovernorTimelockControl) returns (address) {
        return super._executor();
    }

    function _setQueuePeriod(uint48 newQueuePeriod) private {
        emit QueuePeriodSet(_queuePeriod, newQueuePeriod);
        _queuePeriod = newQueuePeriod;
    }
}
