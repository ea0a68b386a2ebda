// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/**
 * @title OdysseyTimelock
 * @notice OZ's TimelockController under Odyssey's name: it executes the DAO's proposals after a delay, holds
 * admin of the system's contracts, and is the **treasury** (stamp sale proceeds and ERC-2981 royalties land here;
 * spending them takes a proposal). The governor is its proposer and canceller; anyone may execute.
 */
contract OdysseyTimelock is TimelockController {
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
}
