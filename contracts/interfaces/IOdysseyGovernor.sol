// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/**
 * @dev Multiple-choice extension of the Odyssey governor: events, errors and functions added on top of OZ's
 * {IGovernor}, which stays untouched (ordinary proposals keep the For/Against/Abstain path).
 *
 * A multiple-choice proposal carries the concatenated actions of all its options; option `i` owns the actions
 * `[optionEnds[i-1], optionEnds[i])` (option 0 starts at 0). The proposal id is OZ's usual
 * `hashProposal(targets, values, calldatas, descriptionHash)` over the full list, where the description carries
 * the options ({multipleChoiceDescription}); only the winning option's slice is queued in and executed by the
 * timelock.
 */
interface IOdysseyGovernor {
    /**
     * @dev Emitted right after OZ's {IGovernor-ProposalCreated} when the proposal is multiple-choice: the option
     * labels, the end (exclusive) of each option's slice of the action list, and whether approval votes are allowed.
     */
    event MultipleChoiceProposalCreated(uint256 indexed proposalId, string[] labels, uint256[] optionEnds, bool approval);

    /// @dev Emitted when the queue period changes: blocks after the deadline within which a succeeded proposal
    /// must be queued before it is Expired (0: never expires).
    event QueuePeriodSet(uint256 oldQueuePeriod, uint256 newQueuePeriod);

    /// @dev A multiple-choice proposal needs 2 to 10 options, one label each.
    error GovernorInvalidOptionCount(uint256 options, uint256 labels);

    /// @dev Option slices must not decrease and the last must end at the number of actions.
    error GovernorInvalidOptionEnds(uint256 option, uint256 end);

    /// @dev The approval set is empty, names an option the proposal does not have, or is not one abi-encoded uint256.
    error GovernorInvalidApprovals(uint256 proposalId);

    /// @dev Approval votes (params) on a proposal that is single-choice.
    error GovernorApprovalNotAllowed(uint256 proposalId);

    /// @dev A plain proposal's description may not end with a multiple-choice options tag.
    error GovernorOptionsTagReserved();

    /**
     * @notice Create a multiple-choice proposal: the full action list plus where each option's slice ends. Same
     * threshold and front-running protection (`#proposer=` suffix) as {IGovernor-propose}. The proposal is created
     * with {multipleChoiceDescription}: its id, and the `descriptionHash` to queue and execute it, bind the options.
     */
    function proposeMultipleChoice(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        string[] memory labels,
        uint256[] memory optionEnds,
        bool approval,
        string memory description
    ) external returns (uint256 proposalId);

    /**
     * @notice The description a multiple-choice proposal is created with: `description` followed by
     * `\n\n#options=0x` and the 64 hex digits of `keccak256(abi.encode(labels, optionEnds, approval))`.
     */
    function multipleChoiceDescription(
        string memory description,
        string[] memory labels,
        uint256[] memory optionEnds,
        bool approval
    ) external pure returns (string memory);

    /// @notice Blocks after its deadline within which a succeeded proposal must be queued (0: no limit).
    function queuePeriod() external view returns (uint256);

    /// @notice Set the queue period (only through governance).
    function setQueuePeriod(uint48 newQueuePeriod) external;

    /// @notice Whether `proposalId` is a multiple-choice proposal.
    function isMultipleChoice(uint256 proposalId) external view returns (bool);

    /// @notice The votes of each option of a multiple-choice proposal (empty for an ordinary one).
    function optionVotes(uint256 proposalId) external view returns (uint256[] memory votes);

    /// @notice Option ends (exclusive) and whether approval voting is allowed, for a multiple-choice proposal.
    function proposalOptions(uint256 proposalId) external view returns (uint256[] memory optionEnds, bool approval);

    /**
     * @notice The leading option of a multiple-choice proposal and whether it leads alone with votes (`decided`):
     * a tie for first place, or no votes at all, is undecided (`option` is then the lowest-numbered tied option).
     */
    function winningOption(uint256 proposalId) external view returns (bool decided, uint256 option);
}
