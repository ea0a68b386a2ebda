// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ERC2771Context} from "@openzeppelin/contracts/metatx/ERC2771Context.sol";
import {Context} from "@openzeppelin/contracts/utils/Context.sol";
import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {IIdeaBoard} from "../interfaces/IIdeaBoard.sol";
import {IOdysseyStamps} from "../interfaces/IOdysseyStamps.sol";
import {OdysseyStamps} from "../stamps/OdysseyStamps.sol";
import {OdysseyShop} from "../shop/OdysseyShop.sol";

/**
 * @title IdeaBoard
 * @notice Odyssey's co-creation board, LEGO Ideas on-chain. A member submits an idea (title, metadata URI,
 * content hash); members support it, one support each, withdrawable while the idea is open. Taking part needs
 * points (votes): an author's now, a supporter's at the block before the idea's submission, so one collectible
 * passed between wallets cannot support an idea more than once. The idea climbs
 * staged thresholds, each to be reached before a deadline (LEGO: 100 supporters in 60 days, 1,000 within a year
 * more, 5,000 within six months more, then 10,000); missing one leaves it Expired. At the last stage it is
 * Qualified: any DAO proposal that calls {realise} for it can be linked to it ({linkProposal}), so a junk proposal
 * cannot keep an honest one out. When a proposal executes, the timelock calls {realise}: the author receives the
 * soulbound co-creator stamp and, if the proposal creates a stamp for sale, a share of that stamp's sales. Neither
 * can make the DAO's proposal fail: a stamp that cannot be issued then is owed and claimable later. A linked
 * proposal that fails leaves the idea Rejected.
 *
 * The stage rules, the author's share, the co-creator stamp and the points needed to take part are governable
 * (admin = the DAO's timelock). Stage rules are versioned: an idea keeps the rules it was submitted under.
 *
 * Powers: the board holds MINTER_ROLE on {OdysseyStamps}, used only to issue the co-creator stamp to authors, and
 * CREATOR_SHARE_ROLE on {OdysseyShop}, used only to give them their share; both from {realise} (and the stamp from
 * {claimCoCreatorStamp}, for an author it is owed to).
 */
contract IdeaBoard is IIdeaBoard, AccessControl, ERC2771Context {
    uint256 private constant _MAX_STAGES = 8;
    uint256 private constant _BPS = 10_000;
    /// @notice The longest title and URI, in bytes, a member can store (members write them; a relayer pays).
    uint256 public constant MAX_TEXT_BYTES = 200;
    /// @dev Gas the co-creator stamp's issue may use: enough for a first stamp, too little for an author contract
    /// to starve the DAO's proposal.
    uint256 private constant _ISSUE_GAS = 400_000;

    /// @notice The stamps contract: membership, points, and the stamps the board gives out.
    OdysseyStamps public immutable stamps;

    /// @notice The shop, where a realised idea's author gets a share of their stamp's sales.
    OdysseyShop public immutable shop;

    IGovernor private _governor;
    uint256 private _ideaCount;
    mapping(uint256 ideaId => Idea) private _ideas;
    mapping(uint256 ideaId => mapping(address supporter => bool)) private _supports;

    uint32 private _stagesVersion;
    // slither-disable-next-line uninitialized-state (filled via a storage pointer in _setStages, from the constructor)
    mapping(uint256 version => Stage[]) private _stages;

    uint16 private _creatorShareBps;
    uint256 private _coCreatorStampId;
    uint256 private _minPoints;

    /**
     * @param stamps_ the stamps contract
     * @param shop_ the shop (creator shares of sales)
     * @param governor_ the governor whose proposals realise ideas
     * @param admin holder of DEFAULT_ADMIN_ROLE (the DAO's timelock after hand-over)
     * @param trustedForwarder the ERC-2771 forwarder whose relayed calls carry the member as sender
     * @param supporters supporters needed at each stage (rising)
     * @param durations seconds to reach each stage, counted from reaching the one before (or from submission)
     * @param coCreatorStampId soulbound stamp type given to authors of realised ideas (0: none)
     * @param creatorShareBps authors' share of sales of their realised idea's stamp, in basis points
     * @param minPoints points a member needs to submit or support ideas
     */
    constructor(
        OdysseyStamps stamps_,
        OdysseyShop shop_,
        IGovernor governor_,
        address admin,
        address trustedForwarder,
        uint256[] memory supporters,
        uint256[] memory durations,
        uint256 coCreatorStampId,
        uint256 creatorShareBps,
        uint256 minPoints
    ) ERC2771Context(trustedForwarder) {
        if (address(stamps_) == address(0) || address(shop_) == address(0) || admin == address(0)) {
            revert IdeaZeroAddress();
        }
        stamps = stamps_;
        shop = shop_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _setGovernor(governor_);
        _setStages(supporters, durations);
        _setCoCreatorStamp(coCreatorStampId);
        _setCreatorShareBps(creatorShareBps);
        _setMinPoints(minPoints);
    }

    // ---------------------------------------------------------------- members

    /**
     * @notice Submit an idea (title and URI up to {MAX_TEXT_BYTES} each); it must reach the first stage before the
     * first deadline. The author needs the minimum points (votes) now; supporters, at the block before this one.
     */
    function submit(string calldata title, string calldata uri, bytes32 contentHash) external returns (uint256 ideaId) {
        address author = _msgSender();
        _checkParticipant(author, stamps.getVotes(author));
        uint48 snapshot = stamps.clock() - 1;
        if (bytes(title).length == 0) revert IdeaEmptyTitle();
        _checkLength(bytes(title).length);
        _checkLength(bytes(uri).length);
        ideaId = ++_ideaCount;
        uint32 version = _stagesVersion;
        uint64 deadline = uint64(block.timestamp) + _stages[version][0].duration;
        Idea storage entry = _ideas[ideaId];
        entry.author = author;
        entry.submittedAt = uint64(block.timestamp);
        entry.stagesVersion = version;
        entry.deadline = deadline;
        entry.snapshot = snapshot;
        entry.title = title;
        entry.uri = uri;
        entry.contentHash = contentHash;
        emit IdeaSubmitted(ideaId, author, title, uri, contentHash, version, deadline);
    }

    /**
     * @notice Support an open idea (once per member, with the minimum points at the block before its submission);
     * may move it to its next stage or qualify it.
     */
    function support(uint256 ideaId) external {
        address supporter = _msgSender();
        Idea storage entry = _ideaIn(ideaId, IdeaState.Open);
        _checkParticipant(supporter, stamps.getPastVotes(supporter, entry.snapshot));
        if (_supports[ideaId][supporter]) revert IdeaAlreadySupported(ideaId, supporter);
        _supports[ideaId][supporter] = true;
        uint256 supporters = ++entry.supporters;
        emit IdeaSupported(ideaId, supporter, supporters);

        Stage[] storage stages = _stages[entry.stagesVersion];
        uint256 stage = entry.stage;
        uint256 last = stages.length;
        while (stage < last && supporters >= stages[stage].supporters) {
            ++stage;
            uint64 deadline = stage < last ? uint64(block.timestamp) + stages[stage].duration : 0;
            entry.stage = uint8(stage);
            entry.deadline = deadline;
            emit IdeaStageReached(ideaId, stage, supporters, deadline);
        }
        if (stage == last) emit IdeaQualified(ideaId, supporters);
    }

    /// @notice Withdraw your support from an idea that is still open (stages reached are kept).
    function withdrawSupport(uint256 ideaId) external {
        address supporter = _msgSender();
        Idea storage entry = _ideaIn(ideaId, IdeaState.Open);
        if (!_supports[ideaId][supporter]) revert IdeaNotSupported(ideaId, supporter);
        _supports[ideaId][supporter] = false;
        uint256 supporters = --entry.supporters;
        emit IdeaSupportWithdrawn(ideaId, supporter, supporters);
    }

    /**
     * @notice Link a live governor proposal to a qualified idea, including one already proposed or rejected: the
     * idea shows the latest linked proposal, and a junk proposal linked first keeps no honest one out. Only the
     * proposal's proposer may link it, and its actions must include `realise(ideaId, ...)` on this board.
     */
    function linkProposal(
        uint256 ideaId,
        address[] calldata targets,
        uint256[] calldata values,
        bytes[] calldata calldatas,
        bytes32 descriptionHash
    ) external returns (uint256 proposalId) {
        IdeaState current = ideaState(ideaId);
        if (current != IdeaState.Qualified && current != IdeaState.Proposed && current != IdeaState.Rejected) {
            revert IdeaWrongState(ideaId, current);
        }
        proposalId = _governor.hashProposal(targets, values, calldatas, descriptionHash);
        IGovernor.ProposalState proposalState = _governor.state(proposalId); // reverts if unknown
        if (proposalState != IGovernor.ProposalState.Pending && proposalState != IGovernor.ProposalState.Active) {
            revert IdeaProposalNotLive(proposalId);
        }
        address proposer = _governor.proposalProposer(proposalId);
        if (_msgSender() != proposer) revert IdeaNotProposer(_msgSender(), proposer);
        if (!_realisesIdea(ideaId, targets, calldatas)) revert IdeaProposalDoesNotRealise(proposalId, ideaId);
        _ideas[ideaId].proposalId = proposalId;
        emit IdeaProposed(ideaId, proposalId, proposer);
    }

    // ---------------------------------------------------------------- governance

    /**
     * @notice Realise a qualified idea (called by the timelock when the DAO's proposal executes): the author
     * receives the co-creator stamp (once per author) and, if `saleStampId` is not 0, the creator share of that
     * stamp's sales. Neither can fail the proposal: a stamp that cannot be issued now is owed
     * ({CoCreatorStampOwed}), a share that cannot be set is reported ({CreatorShareFailed}).
     */
    function realise(uint256 ideaId, uint256 saleStampId) external onlyRole(DEFAULT_ADMIN_ROLE) {
        Idea storage entry = _existing(ideaId);
        if (entry.realised || entry.stage < _stages[entry.stagesVersion].length) {
            revert IdeaWrongState(ideaId, ideaState(ideaId));
        }
        entry.realised = true;
        address author = entry.author;
        uint256 coCreatorStampId = _coCreatorStampId;
        if (coCreatorStampId != 0 && stamps.balanceOf(author, coCreatorStampId) == 0) {
            try stamps.issue{gas: _ISSUE_GAS}(author, coCreatorStampId, 1, IOdysseyStamps.ClaimMethod.Airdrop, ideaId) {
                // issued
            } catch {
                entry.coCreatorStampOwed = true;
                emit CoCreatorStampOwed(ideaId, author, coCreatorStampId);
            }
        }
        uint256 shareBps = saleStampId != 0 ? _creatorShareBps : 0;
        if (shareBps != 0) {
            try shop.setCreatorShare(saleStampId, author, uint16(shareBps)) {
                // set
            } catch {
                shareBps = 0;
                emit CreatorShareFailed(ideaId, saleStampId);
            }
        }
        emit IdeaRealised(ideaId, author, coCreatorStampId, saleStampId, shareBps);
    }

    /// @notice Issue the co-creator stamp owed to the author of realised idea `ideaId`. Anyone may call.
    function claimCoCreatorStamp(uint256 ideaId) external {
        Idea storage entry = _existing(ideaId);
        if (!entry.coCreatorStampOwed) revert IdeaNoStampOwed(ideaId);
        entry.coCreatorStampOwed = false;
        address author = entry.author;
        uint256 stampId = _coCreatorStampId;
        // An author holds the co-creator stamp once, however many ideas: one received since needs no second.
        if (stamps.balanceOf(author, stampId) == 0) {
            stamps.issue(author, stampId, 1, IOdysseyStamps.ClaimMethod.Airdrop, ideaId);
        }
        emit CoCreatorStampClaimed(ideaId, author, stampId);
    }

    /// @notice Set the stage rules for ideas submitted from now on (supporters rising, durations in seconds).
    function setStages(
        uint256[] calldata supporters,
        uint256[] calldata durations
    ) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setStages(supporters, durations);
    }

    /// @notice Set the authors' share of sales of their realised idea's stamp (basis points).
    function setCreatorShareBps(uint256 shareBps) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setCreatorShareBps(shareBps);
    }

    /// @notice Set the stamp type given to authors of realised ideas (0: none).
    function setCoCreatorStamp(uint256 stampId) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setCoCreatorStamp(stampId);
    }

    /// @notice Set the points a member needs to submit or support ideas.
    function setMinPoints(uint256 minPoints) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setMinPoints(minPoints);
    }

    /// @notice Set the governor whose proposals can be linked to ideas.
    function setGovernor(IGovernor governor_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setGovernor(governor_);
    }

    // ---------------------------------------------------------------- views

    /// @notice Where idea `ideaId` stands now (None if it does not exist).
    function ideaState(uint256 ideaId) public view returns (IdeaState) {
        Idea storage entry = _ideas[ideaId];
        if (entry.author == address(0)) return IdeaState.None;
        if (entry.realised) return IdeaState.Realised;
        if (entry.stage < _stages[entry.stagesVersion].length) {
            return block.timestamp > entry.deadline ? IdeaState.Expired : IdeaState.Open;
        }
        if (entry.proposalId == 0) return IdeaState.Qualified;
        // slither-disable-next-line uninitialized-local (set by the try's success branch; the catch returns)
        IGovernor.ProposalState proposalState;
        try _governor.state(entry.proposalId) returns (IGovernor.ProposalState current) {
            proposalState = current;
        } catch {
            return IdeaState.Rejected; // the governor was replaced and does not know the linked proposal
        }
        if (
            proposalState == IGovernor.ProposalState.Defeated ||
            proposalState == IGovernor.ProposalState.Canceled ||
            proposalState == IGovernor.ProposalState.Expired ||
            proposalState == IGovernor.ProposalState.Executed // executed without realising it (another option won)
        ) return IdeaState.Rejected;
        return IdeaState.Proposed;
    }

    /// @notice Idea `ideaId` as stored.
    function idea(uint256 ideaId) external view returns (Idea memory) {
        return _ideas[ideaId];
    }

    /// @notice How many ideas were submitted (ids run from 1).
    function ideaCount() external view returns (uint256) {
        return _ideaCount;
    }

    /// @notice Whether `supporter` currently supports idea `ideaId`.
    function isSupporter(uint256 ideaId, address supporter) external view returns (bool) {
        return _supports[ideaId][supporter];
    }

    /// @notice The version of the stage rules new ideas run under.
    function stagesVersion() external view returns (uint256) {
        return _stagesVersion;
    }

    /// @notice The stage rules of version `version`.
    function stages(uint256 version) external view returns (Stage[] memory) {
        return _stages[version];
    }

    /// @notice Authors' share of sales of their realised idea's stamp (basis points).
    function creatorShareBps() external view returns (uint256) {
        return _creatorShareBps;
    }

    /// @notice The stamp type given to authors of realised ideas.
    function coCreatorStamp() external view returns (uint256) {
        return _coCreatorStampId;
    }

    /// @notice Points a member needs to submit or support ideas.
    function minPoints() external view returns (uint256) {
        return _minPoints;
    }

    /// @notice The governor whose proposals realise ideas.
    function governor() external view returns (address) {
        return address(_governor);
    }

    // ---------------------------------------------------------------- internals

    function _realisesIdea(
        uint256 ideaId,
        address[] calldata targets,
        bytes[] calldata calldatas
    ) private view returns (bool) {
        for (uint256 i = 0; i < targets.length; ++i) {
            bytes calldata data = calldatas[i];
            if (
                targets[i] == address(this) &&
                data.length == 68 &&
                bytes4(data[:4]) == this.realise.selector &&
                uint256(bytes32(data[4:36])) == ideaId
            ) return true;
        }
        return false;
    }

    /// @dev A member with at least the minimum points (`points`: the votes that count).
    function _checkParticipant(address account, uint256 points) private view {
        if (!stamps.isMember(account)) revert IdeaNotMember(account);
        if (points < _minPoints) revert IdeaNotEnoughPoints(account, points, _minPoints);
    }

    function _checkLength(uint256 length) private pure {
        if (length > MAX_TEXT_BYTES) revert IdeaTooLong(length, MAX_TEXT_BYTES);
    }

    function _existing(uint256 ideaId) private view returns (Idea storage entry) {
        entry = _ideas[ideaId];
        if (entry.author == address(0)) revert IdeaUnknown(ideaId);
    }

    function _ideaIn(uint256 ideaId, IdeaState expected) private view returns (Idea storage entry) {
        entry = _existing(ideaId);
        IdeaState current = ideaState(ideaId);
        if (current != expected) revert IdeaWrongState(ideaId, current);
    }

    function _setStages(uint256[] memory supporters, uint256[] memory durations) private {
        uint256 length = supporters.length;
        if (length == 0 || length > _MAX_STAGES || durations.length != length) revert IdeaInvalidStages();
        uint32 version = ++_stagesVersion;
        Stage[] storage stored = _stages[version];
        // slither-disable-next-line uninitialized-local (0 on purpose: the first stage needs 1 supporter or more)
        uint256 previous;
        for (uint256 i = 0; i < length; ++i) {
            if (supporters[i] <= previous || supporters[i] > type(uint32).max) revert IdeaInvalidStages();
            if (durations[i] == 0 || durations[i] > type(uint64).max / 2) revert IdeaInvalidStages();
            stored.push(Stage(uint32(supporters[i]), uint64(durations[i])));
            previous = supporters[i];
        }
        emit StagesSet(version, supporters, durations);
    }

    function _setCreatorShareBps(uint256 shareBps) private {
        if (shareBps > _BPS) revert IdeaInvalidBps(shareBps);
        _creatorShareBps = uint16(shareBps);
        emit CreatorShareBpsSet(shareBps);
    }

    function _setCoCreatorStamp(uint256 stampId) private {
        _coCreatorStampId = stampId;
        emit CoCreatorStampSet(stampId);
    }

    function _setMinPoints(uint256 minPoints_) private {
        _minPoints = minPoints_;
        emit MinPointsSet(minPoints_);
    }

    function _setGovernor(IGovernor governor_) private {
        if (address(governor_) == address(0)) revert IdeaZeroAddress();
        _governor = governor_;
        emit GovernorSet(address(governor_));
    }

    function _msgSender() internal view override(Context, ERC2771Context) returns (address) {
        return ERC2771Context._msgSender();
    }

    function _msgData() internal view override(Context, ERC2771Context) returns (bytes calldata) {
        return ERC2771Context._msgData();
    }

    function _contextSuffixLength() internal view override(Context, ERC2771Context) returns (uint256) {
        return ERC2771Context._contextSuffixLength();
    }
}
