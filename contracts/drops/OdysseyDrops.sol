// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ERC2771Context} from "@openzeppelin/contracts/metatx/ERC2771Context.sol";
import {Context} from "@openzeppelin/contracts/utils/Context.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IOdysseyDrops} from "../interfaces/IOdysseyDrops.sol";
import {IOdysseyStamps} from "../interfaces/IOdysseyStamps.sol";
import {OdysseyStamps} from "../stamps/OdysseyStamps.sol";

/**
 * @title OdysseyDrops
 * @notice Fair drops: when more members want an edition than there are stamps, every eligible member gets one
 * entry and the same chance, and anyone can check the draw.
 *
 * Ops (DROP_MANAGER_ROLE, granted by the DAO) open a drop of `supply` stamps of a stamp type, free or at a price,
 * with an entry window in blocks and sybil-resistant eligibility: a level on the votes held at the block before
 * entries open (a collectible passed between wallets qualifies one of them), and/or holding a soulbound stamp.
 * Members enter once each, gasless through the ERC-2771 forwarder when the drop is free; paid entries escrow the
 * exact price here. Nothing changes a drop's rules after its first entry.
 *
 * The draw's seed is the hash of block `closesAt + SEED_DELAY`, fixed before the first entry, mixed with the
 * drop's id. Anyone draws once that block exists, while its hash is readable (256 blocks); if nobody did, anyone
 * moves the seed block to a new future block. The seed keys a permutation of the entry positions (a Feistel
 * network with cycle-walking, then a rotation): an entry wins when its image is below `supply`, so exactly
 * min(supply, entries) entries win, each with the same chance, and checking one costs the same however many
 * entered. `backend/drops.py` computes the same winners off-chain.
 *
 * Winners claim their stamp through {OdysseyStamps-issue} (this contract holds MINTER_ROLE there), which applies
 * the journey window, supply, pause and the DAO's issuance budget; anyone may submit a claim or a refund, the
 * stamp or the deposit always goes to the entrant. Losers of a paid drop get their deposit back in full, and so
 * does a winner once the stamp can no longer be issued (sold out, or its journey ended). A claimed entry's price
 * is the treasury's, and goes nowhere else.
 */
contract OdysseyDrops is IOdysseyDrops, AccessControl, ERC2771Context {
    using SafeCast for uint256;

    bytes32 public constant DROP_MANAGER_ROLE = keccak256("DROP_MANAGER_ROLE");

    /// @notice Blocks from the last block taking entries to the block whose hash seeds the draw; also how far
    /// ahead a moved seed block lies. More than one epoch of proposer lookahead (32 slots) on Ethereum, so no
    /// validator knows, when the seed block is fixed, whether it will propose it.
    uint256 public constant SEED_DELAY = 64;

    /// @dev How many past blocks' hashes the EVM can read.
    uint256 private constant _BLOCKHASH_WINDOW = 256;
    uint256 private constant _FEISTEL_ROUNDS = 4;
    uint256 private constant _MIN_HALF_BITS = 2;

    /// @notice The stamps contract drops issue on.
    OdysseyStamps public immutable stamps;

    mapping(uint256 dropId => Drop) private _drops;
    mapping(uint256 dropId => mapping(address member => Entry)) private _entries;
    uint256 private _proceeds;

    /**
     * @param stamps_ the stamps contract (which must grant this contract MINTER_ROLE)
     * @param admin holder of every role until the DAO's timelock takes over
     * @param trustedForwarder the ERC-2771 forwarder (members enter free drops without gas)
     */
    constructor(OdysseyStamps stamps_, address admin, address trustedForwarder) ERC2771Context(trustedForwarder) {
        if (address(stamps_) == address(0) || admin == address(0)) revert DropZeroAddress();
        stamps = stamps_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(DROP_MANAGER_ROLE, admin);
    }

    // ---------------------------------------------------------------- ops

    /// @notice Open drop `dropId` (ids chosen by ops, so files can name them ahead) with `rules`.
    function openDrop(uint256 dropId, DropRules calldata rules) external onlyRole(DROP_MANAGER_ROLE) {
        if (dropId == 0) revert DropInvalidId(dropId);
        if (_exists(_drops[dropId])) revert DropExists(dropId);
        _setRules(dropId, rules);
    }

    /// @notice Change a drop's rules, until its first entry.
    function updateDrop(uint256 dropId, DropRules calldata rules) external onlyRole(DROP_MANAGER_ROLE) {
        Drop storage drop_ = _existing(dropId);
        if (drop_.entries != 0 || drop_.seed != 0) revert DropRulesFixed(dropId, drop_.entries);
        _setRules(dropId, rules);
    }

    // ---------------------------------------------------------------- members

    /**
     * @notice Enter drop `dropId` as the caller (directly, or through the forwarder for a gasless entry), paying
     * exactly its price into escrow.
     */
    function enter(uint256 dropId) external payable {
        address member = _msgSender();
        Drop storage drop_ = _existing(dropId);
        DropRules storage rules = drop_.rules;
        uint256 opensAt = rules.opensAt;
        uint256 closesAt = rules.closesAt;
        if (block.number < opensAt || block.number > closesAt) {
            revert DropOutsideEntryWindow(dropId, opensAt, closesAt);
        }
        Entry storage entry_ = _entries[dropId][member];
        if (entry_.status != EntryStatus.None) revert DropAlreadyEntered(dropId, member);
        _checkEligible(drop_, dropId, member);
        if (msg.value != rules.price) revert DropWrongPayment(rules.price, msg.value);
        uint32 position = drop_.entries;
        drop_.entries = position + 1;
        entry_.position = position;
        entry_.status = EntryStatus.Entered;
        emit DropEntered(dropId, member, position, msg.value);
    }

    /// @notice Draw drop `dropId` from the hash of its seed block. Anyone may call, once, while that hash is readable.
    function draw(uint256 dropId) external {
        Drop storage drop_ = _existing(dropId);
        if (drop_.seed != 0) revert DropAlreadyDrawn(dropId);
        uint256 seedBlock = drop_.seedBlock;
        if (block.number <= seedBlock) revert DropSeedBlockNotReached(dropId, seedBlock);
        bytes32 blockHash = blockhash(seedBlock);
        if (blockHash == 0) revert DropSeedBlockExpired(dropId, seedBlock);
        bytes32 seed = keccak256(abi.encode(blockHash, dropId));
        drop_.seed = seed;
        uint256 entries = drop_.entries;
        emit DropDrawn(dropId, seedBlock, blockHash, seed, entries, Math.min(entries, drop_.rules.supply));
    }

    /**
     * @notice Move the draw of drop `dropId` to the hash of a block `SEED_DELAY` blocks ahead, once nobody drew
     * while its seed block's hash was readable. Anyone may call; nobody can know the new block's hash.
     */
    function moveSeedBlock(uint256 dropId) external {
        Drop storage drop_ = _existing(dropId);
        if (drop_.seed != 0) revert DropAlreadyDrawn(dropId);
        uint256 previous = drop_.seedBlock;
        if (block.number <= previous + _BLOCKHASH_WINDOW) revert DropSeedBlockNotExpired(dropId, previous);
        uint256 seedBlock = block.number + SEED_DELAY;
        drop_.seedBlock = seedBlock.toUint48();
        emit DropSeedBlockMoved(dropId, previous, seedBlock);
    }

    /// @notice Issue `member`'s won stamp. Anyone may submit it (a relayer pays the gas); the stamp goes to `member`.
    function claim(uint256 dropId, address member) external {
        Drop storage drop_ = _drawn(dropId);
        Entry storage entry_ = _openEntry(dropId, member);
        if (!_wins(drop_, entry_.position)) revert DropNotWinner(dropId, member);
        entry_.status = EntryStatus.Claimed;
        uint256 price = drop_.rules.price;
        if (price != 0) _proceeds += price;
        emit DropClaimed(dropId, member, entry_.position);
        stamps.issue(member, drop_.rules.stampId, 1, IOdysseyStamps.ClaimMethod.Drop, dropId);
    }

    /**
     * @notice Return `member`'s deposit: a losing entry's, or a winning one's once the stamp cannot be issued any
     * more (sold out, or its journey ended). Anyone may submit it; the deposit goes to `member`.
     */
    function refund(uint256 dropId, address member) external {
        Drop storage drop_ = _drawn(dropId);
        Entry storage entry_ = _openEntry(dropId, member);
        uint256 amount = drop_.rules.price;
        if (amount == 0) revert DropNothingToRefund(dropId);
        if (_wins(drop_, entry_.position) && _issuable(drop_.rules.stampId)) revert DropWon(dropId, member);
        entry_.status = EntryStatus.Refunded;
        emit DropRefunded(dropId, member, entry_.position, amount);
        Address.sendValue(payable(member), amount);
    }

    /// @notice Send the prices of claimed entries to the treasury (`stamps.treasury()`). Anyone may call.
    function withdrawProceeds() external {
        uint256 amount = _proceeds;
        if (amount == 0) revert DropNothingToWithdraw();
        _proceeds = 0;
        address treasury = stamps.treasury();
        emit ProceedsWithdrawn(treasury, amount);
        Address.sendValue(payable(treasury), amount);
    }

    // ---------------------------------------------------------------- views

    /// @notice Drop `dropId` (a zero `rules.stampId` means none).
    function drop(uint256 dropId) external view returns (Drop memory) {
        return _drops[dropId];
    }

    /// @notice Where drop `dropId` stands at the current block.
    function dropState(uint256 dropId) external view returns (DropState) {
        Drop storage drop_ = _drops[dropId];
        if (!_exists(drop_)) return DropState.None;
        if (drop_.seed != 0) return DropState.Drawn;
        if (block.number < drop_.rules.opensAt) return DropState.Upcoming;
        if (block.number <= drop_.rules.closesAt) return DropState.Open;
        if (block.number <= drop_.seedBlock) return DropState.Closed;
        if (block.number <= drop_.seedBlock + _BLOCKHASH_WINDOW) return DropState.Drawable;
        return DropState.SeedExpired;
    }

    /// @notice `member`'s entry in drop `dropId` (status None: not entered).
    function entry(uint256 dropId, address member) external view returns (Entry memory) {
        return _entries[dropId][member];
    }

    /// @notice Whether the entry at `position` won drop `dropId` (false for a position nobody holds).
    function isWinner(uint256 dropId, uint256 position) external view returns (bool) {
        return _wins(_drawn(dropId), position);
    }

    /// @notice Prices of claimed entries held for the treasury.
    function proceeds() external view returns (uint256) {
        return _proceeds;
    }

    /**
     * @notice Where `position` lands in the permutation of `entries` positions keyed by `seed`: the entry wins
     * when the result is below the drop's supply. Public so anyone can check a draw with a call.
     */
    function permute(bytes32 seed, uint256 position, uint256 entries) public pure returns (uint256) {
        if (position >= entries) revert DropInvalidPosition(position, entries);
        uint256 offset = uint256(keccak256(abi.encode(seed))) % entries;
        return (_feistelWalk(seed, position, entries) + offset) % entries;
    }

    // ---------------------------------------------------------------- internals

    function _setRules(uint256 dropId, DropRules calldata rules) private {
        IOdysseyStamps.StampType memory stamp = stamps.stampType(rules.stampId);
        if (stamp.journeyId == 0) revert DropUnknownStamp(rules.stampId);
        if (rules.supply == 0) revert DropZeroSupply();
        if (stamp.maxSupply != 0 && rules.supply > stamp.maxSupply - stamp.minted) {
            revert DropSupplyUnavailable(rules.stampId, rules.supply, stamp.maxSupply - stamp.minted);
        }
        if (rules.opensAt < block.number || rules.closesAt < rules.opensAt) {
            revert DropInvalidWindow(rules.opensAt, rules.closesAt);
        }
        if (rules.requiredStamp != 0) {
            IOdysseyStamps.StampType memory required = stamps.stampType(rules.requiredStamp);
            if (required.journeyId == 0) revert DropUnknownStamp(rules.requiredStamp);
            if (!required.soulbound) revert DropStampNotSoulbound(rules.requiredStamp);
        } else if (rules.minLevel == 0) {
            revert DropNoEligibility();
        }
        uint256 minPoints = _minPoints(rules.minLevel);
        uint256 seedBlock = rules.closesAt + SEED_DELAY;

        Drop storage drop_ = _drops[dropId];
        drop_.rules = rules;
        drop_.minPoints = minPoints.toUint128();
        drop_.seedBlock = seedBlock.toUint48();
        emit DropConfigured(
            dropId,
            rules.stampId,
            rules.supply,
            rules.price,
            rules.opensAt,
            rules.closesAt,
            rules.minLevel,
            minPoints,
            rules.requiredStamp,
            seedBlock
        );
    }

    /// @dev The points level `minLevel` needs under today's thresholds (0 for level 0).
    function _minPoints(uint256 minLevel) private view returns (uint256) {
        if (minLevel == 0) return 0;
        uint256[] memory thresholds = stamps.levelThresholds();
        if (minLevel > thresholds.length) revert DropInvalidLevel(minLevel, thresholds.length);
        return thresholds[minLevel - 1];
    }

    function _checkEligible(Drop storage drop_, uint256 dropId, address member) private view {
        DropRules storage rules = drop_.rules;
        if (rules.minLevel != 0) {
            uint256 points = stamps.getPastVotes(member, rules.opensAt - 1);
            if (points < drop_.minPoints) revert DropLevelTooLow(dropId, member, points, drop_.minPoints);
        }
        uint256 required = rules.requiredStamp;
        if (required != 0 && stamps.balanceOf(member, required) == 0) {
            revert DropRequiredStampMissing(dropId, member, required);
        }
    }

    function _wins(Drop storage drop_, uint256 position) private view returns (bool) {
        uint256 entries = drop_.entries;
        if (position >= entries) return false;
        uint256 supply = drop_.rules.supply;
        return entries <= supply || permute(drop_.seed, position, entries) < supply;
    }

    /**
     * @dev A balanced Feistel network over `2 * half` bits (the fewest holding every position, at least
     * `2 * _MIN_HALF_BITS`), applied again until the value is a position: a permutation of `0..entries-1`. The
     * domain is under four times `entries` (above the minimum), so fewer than four passes are expected.
     */
    function _feistelWalk(bytes32 seed, uint256 value, uint256 entries) private pure returns (uint256) {
        uint256 half = entries > 1 ? (Math.log2(entries - 1) + 2) / 2 : 0;
        if (half < _MIN_HALF_BITS) half = _MIN_HALF_BITS;
        uint256 mask = (1 << half) - 1;
        do {
            uint256 left = value >> half;
            uint256 right = value & mask;
            for (uint256 round = 0; round < _FEISTEL_ROUNDS; ++round) {
                (left, right) = (right, left ^ (uint256(keccak256(abi.encode(seed, round, right))) & mask));
            }
            value = (left << half) | right;
        } while (value >= entries);
        return value;
    }

    /// @dev Whether the stamps contract may still issue `stampId`: supply left and its journey not ended.
    function _issuable(uint256 stampId) private view returns (bool) {
        IOdysseyStamps.StampType memory stamp = stamps.stampType(stampId);
        if (stamp.maxSupply != 0 && stamp.minted >= stamp.maxSupply) return false;
        uint64 end = stamps.journey(stamp.journeyId).end;
        return end == 0 || block.timestamp <= end;
    }

    function _openEntry(uint256 dropId, address member) private view returns (Entry storage entry_) {
        entry_ = _entries[dropId][member];
        EntryStatus status = entry_.status;
        if (status == EntryStatus.None) revert DropNotEntered(dropId, member);
        if (status == EntryStatus.Claimed) revert DropAlreadyClaimed(dropId, member);
        if (status == EntryStatus.Refunded) revert DropAlreadyRefunded(dropId, member);
    }

    function _drawn(uint256 dropId) private view returns (Drop storage drop_) {
        drop_ = _existing(dropId);
        if (drop_.seed == 0) revert DropNotDrawn(dropId);
    }

    function _existing(uint256 dropId) private view returns (Drop storage drop_) {
        drop_ = _drops[dropId];
        if (!_exists(drop_)) revert DropUnknown(dropId);
    }

    function _exists(Drop storage drop_) private view returns (bool) {
        return drop_.rules.stampId != 0;
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
