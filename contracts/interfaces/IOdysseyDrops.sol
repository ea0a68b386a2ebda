// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/**
 * @dev Types, events and errors of {OdysseyDrops}: oversubscribed editions drawn by a verifiable lottery. Every
 * state change emits an event that carries all an indexer needs, and every refusal has its own error.
 */
interface IOdysseyDrops {
    /**
     * @dev What ops set when opening a drop (fixed from its first entry). Entries are taken in blocks
     * `opensAt..closesAt` (inclusive, block numbers: the stamps contract's clock). An entrant needs level
     * `minLevel` (0 = any) on the votes they held at block `opensAt - 1`, and a stamp of the soulbound type
     * `requiredStamp` (0 = none); at least one of the two is required. `price` wei per entry (0 = free).
     */
    struct DropRules {
        uint256 stampId;
        uint256 requiredStamp;
        uint96 price;
        uint32 supply;
        uint48 opensAt;
        uint48 closesAt;
        uint8 minLevel;
    }

    /**
     * @dev A drop: its rules, the points `minLevel` needed when the drop was opened (so a later change of the
     * level thresholds does not change who may enter), how many entered, the block whose hash seeds the draw,
     * and the seed (zero until drawn).
     */
    struct Drop {
        DropRules rules;
        uint128 minPoints;
        uint32 entries;
        uint48 seedBlock;
        bytes32 seed;
    }

    /// @dev Where a drop stands at the current block.
    enum DropState {
        None,
        Upcoming,
        Open,
        Closed, // entries closed, the seed block not mined yet
        Drawable,
        SeedExpired, // the seed block's hash is no longer readable: move the seed block
        Drawn
    }

    /// @dev Where an entry stands.
    enum EntryStatus {
        None,
        Entered,
        Claimed,
        Refunded
    }

    /// @dev A member's entry: its position in entry order (from 0) and its status.
    struct Entry {
        uint32 position;
        EntryStatus status;
    }

    /// @dev Emitted when a drop is opened or its rules changed (before any entry); carries every field.
    event DropConfigured(
        uint256 indexed dropId,
        uint256 indexed stampId,
        uint256 supply,
        uint256 price,
        uint256 opensAt,
        uint256 closesAt,
        uint256 minLevel,
        uint256 minPoints,
        uint256 requiredStamp,
        uint256 seedBlock
    );

    /// @dev Emitted when `member` enters, at `position` (from 0, in entry order), paying `paid` wei into escrow.
    event DropEntered(uint256 indexed dropId, address indexed member, uint256 position, uint256 paid);

    /// @dev Emitted when nobody drew while the seed block's hash was readable and the draw moved to a new block.
    event DropSeedBlockMoved(uint256 indexed dropId, uint256 previousSeedBlock, uint256 seedBlock);

    /// @dev Emitted by the draw: `seed = keccak256(abi.encode(blockHash, dropId))`, `blockHash` that of `seedBlock`.
    event DropDrawn(
        uint256 indexed dropId,
        uint256 seedBlock,
        bytes32 blockHash,
        bytes32 seed,
        uint256 entries,
        uint256 winners
    );

    /// @dev Emitted when the winning entry at `position` receives its stamp.
    event DropClaimed(uint256 indexed dropId, address indexed member, uint256 position);

    /// @dev Emitted when the entry at `position` gets its deposit of `amount` wei back.
    event DropRefunded(uint256 indexed dropId, address indexed member, uint256 position, uint256 amount);

    /// @dev Emitted when the proceeds of claimed paid entries are sent to the treasury.
    event ProceedsWithdrawn(address indexed treasury, uint256 amount);

    /// @dev Drop ids start at 1.
    error DropInvalidId(uint256 dropId);

    /// @dev No drop has id `dropId`.
    error DropUnknown(uint256 dropId);

    /// @dev A drop with id `dropId` exists already.
    error DropExists(uint256 dropId);

    /// @dev No stamp type has id `stampId` on the stamps contract.
    error DropUnknownStamp(uint256 stampId);

    /// @dev The stamp an entrant must hold is collectible (it could pass from wallet to wallet); use a soulbound one.
    error DropStampNotSoulbound(uint256 stampId);

    /// @dev A drop of no stamps.
    error DropZeroSupply();

    /// @dev The stamp type has `available` stamps left to issue, fewer than the drop's `supply`.
    error DropSupplyUnavailable(uint256 stampId, uint256 supply, uint256 available);

    /// @dev An entry window starting before the current block or ending before it starts.
    error DropInvalidWindow(uint256 opensAt, uint256 closesAt);

    /// @dev A minimum level above the `levels` the stamps contract defines.
    error DropInvalidLevel(uint256 minLevel, uint256 levels);

    /// @dev Rules with neither a minimum level nor a required stamp: any fresh wallet could enter.
    error DropNoEligibility();

    /// @dev The drop's rules are fixed: someone entered (`entries`) or it was drawn.
    error DropRulesFixed(uint256 dropId, uint256 entries);

    /// @dev The drop takes entries in blocks `opensAt..closesAt` only.
    error DropOutsideEntryWindow(uint256 dropId, uint256 opensAt, uint256 closesAt);

    /// @dev `member` entered this drop already.
    error DropAlreadyEntered(uint256 dropId, address member);

    /// @dev `member` had `points` votes at the block before entries opened, below the `minPoints` of the drop's level.
    error DropLevelTooLow(uint256 dropId, address member, uint256 points, uint256 minPoints);

    /// @dev `member` does not hold the stamp `stampId` the drop requires.
    error DropRequiredStampMissing(uint256 dropId, address member, uint256 stampId);

    /// @dev Entries must pay exactly `expected` wei.
    error DropWrongPayment(uint256 expected, uint256 paid);

    /// @dev The seed block is not mined yet: the draw can happen from block `seedBlock + 1`.
    error DropSeedBlockNotReached(uint256 dropId, uint256 seedBlock);

    /// @dev The seed block's hash is no longer readable (256 blocks passed): move the seed block.
    error DropSeedBlockExpired(uint256 dropId, uint256 seedBlock);

    /// @dev The seed block can still be (or will be) drawn from: it can be moved only once its hash has expired.
    error DropSeedBlockNotExpired(uint256 dropId, uint256 seedBlock);

    /// @dev The drop was drawn already.
    error DropAlreadyDrawn(uint256 dropId);

    /// @dev The drop is not drawn yet.
    error DropNotDrawn(uint256 dropId);

    /// @dev `member` did not enter this drop.
    error DropNotEntered(uint256 dropId, address member);

    /// @dev `member`'s entry did not win.
    error DropNotWinner(uint256 dropId, address member);

    /// @dev `member` won: the stamp is theirs to claim (a win is refunded only once the stamp cannot be issued).
    error DropWon(uint256 dropId, address member);

    /// @dev `member` claimed their stamp already.
    error DropAlreadyClaimed(uint256 dropId, address member);

    /// @dev `member` was refunded already.
    error DropAlreadyRefunded(uint256 dropId, address member);

    /// @dev The drop is free: entries hold no deposit.
    error DropNothingToRefund(uint256 dropId);

    /// @dev No proceeds to send to the treasury.
    error DropNothingToWithdraw();

    /// @dev A position outside the `entries` of a drop.
    error DropInvalidPosition(uint256 position, uint256 entries);

    /// @dev The zero address where an account is needed.
    error DropZeroAddress();
}
