// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Governor} from "@openzeppelin/contracts/governance/Governor.sol";
import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {IOdysseyGovernor} from "../interfaces/IOdysseyGovernor.sol";

/**
 * @dev Counting module replacing OZ's GovernorCountingSimple: ordinary proposals count exactly as it does
 * (Bravo support 0 Against, 1 For, 2 Abstain; quorum counts For + Abstain; For must beat Against), and
 * multiple-choice proposals created with {proposeMultipleChoice} count votes per option:
 *
 * - single choice: `castVote(proposalId, option)` puts the voter's full weight on option `option` (0-based);
 * - approval (if the proposal allows it): `castVoteWithReasonAndParams(proposalId, APPROVAL_VOTE, reason,
 *   abi.encode(uint256 bitmap))` puts the voter's full weight on every option whose bit is set;
 * - quorum counts the weight of every voter once, whatever they chose;
 * - the proposal succeeds when quorum is reached and one option has strictly more votes than every other:
 *   a tie for first place (or no votes) is Defeated, and so is a proposal that misses quorum.
 *
 * {_winningActions} gives the winning option's slice of the actions, which the governor queues and executes.
 *
 * The options are part of the proposal id: a multiple-choice proposal's description ends with an options tag,
 * `\n\n#options=0x<keccak256(abi.encode(labels, optionEnds, approval))>` ({multipleChoiceDescription}), and a
 * plain {propose} may not end with one. So nobody can take an honest multiple-choice proposal's id first with the
 * labels swapped, or as a plain proposal whose For would run every option.
 */
abstract contract GovernorCountingMultipleChoice is Governor, IOdysseyGovernor {
    /// @notice The `support` value of an approval vote (the approved options are in the params bitmap).
    uint8 public constant APPROVAL_VOTE = 255;

    uint256 private constant _MIN_OPTIONS = 2;
    uint256 private constant _MAX_OPTIONS = 10;
    /// @dev "#options=0x" followed by 64 hex digits ends a multiple-choice proposal's description.
    bytes11 private constant _OPTIONS_MARKER = "#options=0x";
    uint256 private constant _OPTIONS_SUFFIX_LENGTH = 75;

    struct ProposalVote {
        uint256 againstVotes;
        uint256 forVotes;
        uint256 abstainVotes;
        mapping(address voter => bool) hasVoted;
    }

    struct MultipleChoice {
        uint16[] optionEnds;
        bool approval;
        mapping(uint256 option => uint256) votes;
    }

    mapping(uint256 proposalId => ProposalVote) private _proposalVotes;
    mapping(uint256 proposalId => MultipleChoice) private _multipleChoices;

    /// @inheritdoc IGovernor
    // solhint-disable-next-line func-name-mixedcase
    function COUNTING_MODE() public pure virtual override returns (string memory) {
        return "support=bravo&quorum=for,abstain";
    }

    /// @inheritdoc IGovernor
    function hasVoted(uint256 proposalId, address account) public view virtual override returns (bool) {
        return _proposalVotes[proposalId].hasVoted[account];
    }

    /**
     * @notice Tallies as GovernorCountingSimple reports them. For a multiple-choice proposal, `forVotes` is the
     * weight of everyone who voted (what counts toward quorum) and the others are 0; see {optionVotes}.
     */
    function proposalVotes(
        uint256 proposalId
    ) public view virtual returns (uint256 againstVotes, uint256 forVotes, uint256 abstainVotes) {
        ProposalVote storage proposalVote = _proposalVotes[proposalId];
        return (proposalVote.againstVotes, proposalVote.forVotes, proposalVote.abstainVotes);
    }

    /// @dev See {IGovernor-propose}; refuses a description ending with a multiple-choice options tag.
    function propose(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        string memory description
    ) public virtual override returns (uint256) {
        if (_hasOptionsTag(description)) revert GovernorOptionsTagReserved();
        return super.propose(targets, values, calldatas, description);
    }

    /// @inheritdoc IOdysseyGovernor
    function multipleChoiceDescription(
        string memory description,
        string[] memory labels,
        uint256[] memory optionEnds,
        bool approval
    ) public pure virtual returns (string memory) {
        bytes32 options = keccak256(abi.encode(labels, optionEnds, approval));
        return string.concat(description, "\n\n#options=", Strings.toHexString(uint256(options), 32));
    }

    /// @inheritdoc IOdysseyGovernor
    function proposeMultipleChoice(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        string[] memory labels,
        uint256[] memory optionEnds,
        bool approval,
        string memory description
    ) public virtual returns (uint256 proposalId) {
        uint256 options = optionEnds.length;
        if (options < _MIN_OPTIONS || options > _MAX_OPTIONS || labels.length != options) {
            revert GovernorInvalidOptionCount(options, labels.length);
        }
        // slither-disable-next-line uninitialized-local (0 on purpose: option ends ascend from action 0)
        uint256 previous;
        for (uint256 i = 0; i < options; ++i) {
            uint256 end = optionEnds[i];
            if (end < previous || (i == options - 1 && end != targets.length)) {
                revert GovernorInvalidOptionEnds(i, end);
            }
            previous = end;
        }
        // {Governor-propose}'s checks, on the description as the proposer wrote it (a `#proposer=` suffix included)
        address proposer = _msgSender();
        if (!_isValidDescriptionForProposer(proposer, description)) revert GovernorRestrictedProposer(proposer);
        uint256 proposerVotes = getVotes(proposer, clock() - 1);
        uint256 votesThreshold = proposalThreshold();
        if (proposerVotes < votesThreshold) {
            revert GovernorInsufficientProposerVotes(proposer, proposerVotes, votesThreshold);
        }
        string memory tagged = multipleChoiceDescription(description, labels, optionEnds, approval);
        proposalId = _propose(targets, values, calldatas, tagged, proposer);

        MultipleChoice storage mc = _multipleChoices[proposalId];
        for (uint256 i = 0; i < options; ++i) {
            mc.optionEnds.push(uint16(optionEnds[i]));
        }
        mc.approval = approval;
        emit MultipleChoiceProposalCreated(proposalId, labels, optionEnds, approval);
    }

    /// @inheritdoc IOdysseyGovernor
    function isMultipleChoice(uint256 proposalId) public view virtual returns (bool) {
        return _multipleChoices[proposalId].optionEnds.length != 0;
    }

    /// @inheritdoc IOdysseyGovernor
    function optionVotes(uint256 proposalId) public view virtual returns (uint256[] memory votes) {
        MultipleChoice storage mc = _multipleChoices[proposalId];
        votes = new uint256[](mc.optionEnds.length);
        for (uint256 i = 0; i < votes.length; ++i) {
            votes[i] = mc.votes[i];
        }
    }

    /// @inheritdoc IOdysseyGovernor
    function proposalOptions(
        uint256 proposalId
    ) public view virtual returns (uint256[] memory optionEnds, bool approval) {
        MultipleChoice storage mc = _multipleChoices[proposalId];
        optionEnds = new uint256[](mc.optionEnds.length);
        for (uint256 i = 0; i < optionEnds.length; ++i) {
            optionEnds[i] = mc.optionEnds[i];
        }
        approval = mc.approval;
    }

    /// @inheritdoc IOdysseyGovernor
    function winningOption(uint256 proposalId) public view virtual returns (bool decided, uint256 option) {
        MultipleChoice storage mc = _multipleChoices[proposalId];
        uint256 options = mc.optionEnds.length;
        // slither-disable-next-line uninitialized-local (0 on purpose: an option leads only with votes)
        uint256 best;
        for (uint256 i = 0; i < options; ++i) {
            uint256 votes = mc.votes[i];
            if (votes > best) {
                (best, option, decided) = (votes, i, true);
            } else if (votes == best) {
                decided = false;
            }
        }
    }

    /// @dev See {Governor-_quorumReached}: For + Abstain, or every voter's weight once for multiple choice.
    function _quorumReached(uint256 proposalId) internal view virtual override returns (bool) {
        ProposalVote storage proposalVote = _proposalVotes[proposalId];
        return quorum(proposalSnapshot(proposalId)) <= proposalVote.forVotes + proposalVote.abstainVotes;
    }

    /// @dev See {Governor-_voteSucceeded}: For beats Against, or one option leads alone for multiple choice.
    function _voteSucceeded(uint256 proposalId) internal view virtual override returns (bool) {
        if (isMultipleChoice(proposalId)) {
            (bool decided, ) = winningOption(proposalId);
            return decided;
        }
        ProposalVote storage proposalVote = _proposalVotes[proposalId];
        return proposalVote.forVotes > proposalVote.againstVotes;
    }

    /// @dev See {Governor-_countVote}. Ordinary proposals ignore `params`, as GovernorCountingSimple does.
    function _countVote(
        uint256 proposalId,
        address account,
        uint8 support,
        uint256 weight,
        bytes memory params
    ) internal virtual override {
        ProposalVote storage proposalVote = _proposalVotes[proposalId];
        if (proposalVote.hasVoted[account]) revert GovernorAlreadyCastVote(account);
        proposalVote.hasVoted[account] = true;

        MultipleChoice storage mc = _multipleChoices[proposalId];
        uint256 options = mc.optionEnds.length;
        if (options != 0) {
            proposalVote.forVotes += weight;
            if (params.length == 0) {
                if (support >= options) revert GovernorInvalidVoteType();
                mc.votes[support] += weight;
                return;
            }
            if (!mc.approval) revert GovernorApprovalNotAllowed(proposalId);
            if (support != APPROVAL_VOTE) revert GovernorInvalidVoteType();
            if (params.length != 32) revert GovernorInvalidApprovals(proposalId);
            uint256 approvals = abi.decode(params, (uint256));
            if (approvals == 0 || approvals >> options != 0) revert GovernorInvalidApprovals(proposalId);
            for (uint256 i = 0; i < options; ++i) {
                if (approvals & (1 << i) != 0) mc.votes[i] += weight;
            }
        } else if (support == uint8(0)) {
            proposalVote.againstVotes += weight;
        } else if (support == uint8(1)) {
            proposalVote.forVotes += weight;
        } else if (support == uint8(2)) {
            proposalVote.abstainVotes += weight;
        } else {
            revert GovernorInvalidVoteType();
        }
    }

    function _hasOptionsTag(string memory description) private pure returns (bool) {
        uint256 length = bytes(description).length;
        if (length < _OPTIONS_SUFFIX_LENGTH) return false;
        bytes11 marker;
        assembly ("memory-safe") {
            // the marker's first byte is at (description + 32) + (length - 75)
            marker := mload(add(description, sub(length, 43)))
        }
        return marker == _OPTIONS_MARKER;
    }

    /**
     * @dev The actions to queue and execute for `proposalId`: all of them for an ordinary proposal, the winning
     * option's slice for a multiple-choice one (called only once the proposal succeeded, so a winner exists).
     */
    function _winningActions(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas
    ) internal view virtual returns (address[] memory, uint256[] memory, bytes[] memory) {
        MultipleChoice storage mc = _multipleChoices[proposalId];
        if (mc.optionEnds.length == 0) return (targets, values, calldatas);
        (, uint256 option) = winningOption(proposalId);
        uint256 start = option == 0 ? 0 : mc.optionEnds[option - 1];
        uint256 length = mc.optionEnds[option] - start;
        address[] memory t = new address[](length);
        uint256[] memory v = new uint256[](length);
        bytes[] memory c = new bytes[](length);
        for (uint256 i = 0; i < length; ++i) {
            (t[i], v[i], c[i]) = (targets[start + i], values[start + i], calldatas[start + i]);
        }
        return (t, v, c);
    }
}
