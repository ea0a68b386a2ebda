// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/**
 * @dev Types, events and errors of {IdeaBoard}, Odyssey's co-creation board (LEGO Ideas on-chain). Every state
 * change emits an event carrying what an indexer needs; time-driven states (Expired, Rejected) are read from
 * {IdeaBoard-ideaState}, which an indexer re-evaluates as blocks pass.
 */
interface IIdeaBoard {
    /**
     * @dev Where an idea stands.
     * - Open: gathering support; stage `stage` must be reached before `deadline`.
     * - Expired: the deadline of its stage passed before enough members supported it.
     * - Qualified: it reached the last stage; a proposal may now be created from it.
     * - Proposed: a governor proposal that realises it is linked and still live.
     * - Rejected: the linked proposal was defeated, canceled or expired.
     * - Realised: the linked proposal executed; the author got the co-creator stamp.
     */
    enum IdeaState {
        None,
        Open,
        Expired,
        Qualified,
        Proposed,
        Rejected,
        Realised
    }

    /// @dev One stage: `supporters` members must support the idea within `duration` seconds of reaching the stage before.
    struct Stage {
        uint32 supporters;
        uint64 duration;
    }

    /**
     * @dev An idea as stored. `stage` counts the stages reached; `deadline` is that of the next stage (0 when
     * qualified). Who may support it is measured at block `snapshot`, the block before its submission;
     * `coCreatorStampOwed` marks a realised idea whose author's stamp could not be issued then (see
     * {IdeaBoard-claimCoCreatorStamp}).
     */
    struct Idea {
        address author;
        uint64 submittedAt;
        uint32 stagesVersion;
        uint8 stage;
        uint64 deadline;
        uint32 supporters;
        bool realised;
        uint48 snapshot;
        bool coCreatorStampOwed;
        uint256 proposalId;
        string title;
        string uri;
        bytes32 contentHash;
    }

    /**
     * @dev Emitted when a member submits an idea; `stagesVersion` names the stage rules it runs under and
     * `deadline` is when its first stage must be reached.
     */
    event IdeaSubmitted(
        uint256 indexed ideaId,
        address indexed author,
        string title,
        string uri,
        bytes32 contentHash,
        uint256 stagesVersion,
        uint256 deadline
    );

    /// @dev Emitted when `supporter` supports an idea; `supporters` is the new count.
    event IdeaSupported(uint256 indexed ideaId, address indexed supporter, uint256 supporters);

    /// @dev Emitted when `supporter` withdraws their support; `supporters` is the new count.
    event IdeaSupportWithdrawn(uint256 indexed ideaId, address indexed supporter, uint256 supporters);

    /// @dev Emitted when an idea reaches stage `stage` (1-based); `deadline` is that of the next stage, 0 if none.
    event IdeaStageReached(uint256 indexed ideaId, uint256 stage, uint256 supporters, uint256 deadline);

    /// @dev Emitted when an idea reaches the last stage.
    event IdeaQualified(uint256 indexed ideaId, uint256 supporters);

    /// @dev Emitted when a governor proposal that realises an idea is linked to it.
    event IdeaProposed(uint256 indexed ideaId, uint256 indexed proposalId, address indexed proposer);

    /**
     * @dev Emitted when the DAO realises an idea: the author received co-creator stamp `coCreatorStampId` and,
     * if `saleStampId` is not 0, `shareBps` of that stamp's future sales.
     */
    event IdeaRealised(
        uint256 indexed ideaId,
        address indexed author,
        uint256 coCreatorStampId,
        uint256 saleStampId,
        uint256 shareBps
    );

    /**
     * @dev Emitted when an idea is realised but its author's co-creator stamp could not be issued (issuance paused
     * or over budget, or an author contract that refuses ERC-1155 stamps); anyone may claim it for them later.
     */
    event CoCreatorStampOwed(uint256 indexed ideaId, address indexed author, uint256 stampId);

    /// @dev Emitted when a co-creator stamp owed to the author of a realised idea is settled by {IdeaBoard-claimCoCreatorStamp}.
    event CoCreatorStampClaimed(uint256 indexed ideaId, address indexed author, uint256 stampId);

    /**
     * @dev Emitted when the author's share of the realised idea's sale stamp could not be set on the shop (the
     * stamp does not exist, for example); {IdeaRealised} then reports a share of 0, and the DAO can set it on the
     * shop directly.
     */
    event CreatorShareFailed(uint256 indexed ideaId, uint256 saleStampId);

    /// @dev Emitted when the stage rules change; ideas submitted from now on run under `version`.
    event StagesSet(uint256 indexed version, uint256[] supporters, uint256[] durations);

    /// @dev Emitted when the author's share of sales of a realised idea's stamp changes (basis points).
    event CreatorShareBpsSet(uint256 shareBps);

    /// @dev Emitted when the stamp type given to authors of realised ideas changes.
    event CoCreatorStampSet(uint256 stampId);

    /// @dev Emitted when the points a member needs to submit or support ideas change.
    event MinPointsSet(uint256 minPoints);

    /// @dev Emitted when the governor whose proposals realise ideas changes.
    event GovernorSet(address indexed governor);

    /// @dev No idea has id `ideaId`.
    error IdeaUnknown(uint256 ideaId);

    /// @dev The idea is not in a state that allows this (`state`).
    error IdeaWrongState(uint256 ideaId, IdeaState state);

    /// @dev `account` is not a member of Odyssey.
    error IdeaNotMember(address account);

    /// @dev `account` had `points` at the snapshot block, below the `minPoints` needed to submit or support ideas.
    error IdeaNotEnoughPoints(address account, uint256 points, uint256 minPoints);

    /// @dev `supporter` already supports the idea.
    error IdeaAlreadySupported(uint256 ideaId, address supporter);

    /// @dev `supporter` does not support the idea.
    error IdeaNotSupported(uint256 ideaId, address supporter);

    /// @dev An idea needs a title.
    error IdeaEmptyTitle();

    /// @dev The idea's title or URI is `length` bytes, over the board's limit of `max`.
    error IdeaTooLong(uint256 length, uint256 max);

    /// @dev The idea's co-creator stamp is not owed to its author.
    error IdeaNoStampOwed(uint256 ideaId);

    /// @dev Stage rules need 1 to 8 stages, rising supporter counts and non-zero durations.
    error IdeaInvalidStages();

    /// @dev A share above 100% (10,000 bps).
    error IdeaInvalidBps(uint256 bps);

    /// @dev Only `proposer`, who created the proposal, may link it.
    error IdeaNotProposer(address caller, address proposer);

    /// @dev The proposal is not live (Pending or Active) or does not exist.
    error IdeaProposalNotLive(uint256 proposalId);

    /// @dev The proposal's actions do not call {IdeaBoard-realise} for this idea.
    error IdeaProposalDoesNotRealise(uint256 proposalId, uint256 ideaId);

    /// @dev The zero address where a contract is needed.
    error IdeaZeroAddress();
}
