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
    /**
     * @param points the stamps contract, whose points are the voting units
     * @param timelock_ the timelock that executes proposals and holds the treasury
     * @param votingDelay_ blocks between a proposal and its snapshot (voting opens after it)
     * @param votingPeriod_ blocks a vote stays open
     * @param proposalThreshold_ points a proposer needs (at the previous block)
     * @param quorumPercent share of all points, in percent, that must vote (For + Abstain, or any option)
     */
    constructor(
        IVotes points,
        TimelockController timelock_,
        uint48 votingDelay_,
        uint32 votingPeriod_,
        uint256 proposalThreshold_,
        uint256 quorumPercent
    )
        Governor("OdysseyGovernor")
        GovernorSettings(votingDelay_, votingPeriod_, proposalThreshold_)
        GovernorVotes(points)
        GovernorVotesQuorumFraction(quorumPercent)
        GovernorTimelockControl(timelock_)
    {}

    /// @inheritdoc Governor
    function state(uint256 proposalId) public view override(Governor, GovernorTimelockControl) returns (ProposalState) {
        return super.state(proposalId);
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
}
