// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/**
 * @dev Types, events and errors of {OdysseyStamps}: membership, journeys, stamp types, claims, points, levels
 * and the DAO's issuance bounds. Every state change emits an event that carries all an indexer needs to mirror it.
 */
interface IOdysseyStamps {
    /// @dev How a stamp reached its holder; recorded in {StampClaimed}.
    enum ClaimMethod {
        Voucher,
        Allowlist,
        Airdrop,
        Purchase,
        Drop
    }

    /// @dev A journey groups stamp types under one theme and one claim window (`end` 0 = open-ended).
    struct Journey {
        string name;
        string uri;
        uint64 start;
        uint64 end;
    }

    /// @dev A stamp type, packed into one storage slot. `journeyId` 0 means the type does not exist.
    struct StampType {
        uint32 journeyId;
        uint32 points;
        uint32 maxSupply; // 0 = open edition
        uint32 minted;
        bool soulbound;
    }

    /**
     * @dev The DAO's bound on what any operational key can mint, with the budget's state, in one storage slot.
     * A stamp type is worth at most `maxStampPoints`. Every minted point, whatever the path (voucher, allowlist,
     * airdrop, module), draws from a budget of `max(budgetFloor, budgetBps of all points)` that refills linearly
     * over `budgetPeriod` seconds: a stolen operational key adds at most one budget at once, and one more per
     * period after that.
     */
    struct IssuanceBounds {
        uint32 maxStampPoints;
        uint16 budgetBps;
        uint48 budgetFloor;
        uint32 budgetPeriod;
        uint80 available; // points left in the budget at `updatedAt`
        uint48 updatedAt;
    }

    /// @dev Emitted when `member` becomes a member, explicitly or with their first stamp.
    event MemberJoined(address indexed member, uint256 number, uint256 since);

    /// @dev Emitted when a journey is created or updated; carries every field.
    event JourneyConfigured(uint256 indexed journeyId, string name, string uri, uint64 start, uint64 end);

    /// @dev Emitted when a stamp type is created or updated; carries every field.
    event StampTypeConfigured(
        uint256 indexed stampId,
        uint256 indexed journeyId,
        string name,
        uint256 points,
        uint256 maxSupply,
        bool soulbound
    );

    /// @dev Emitted for every issue of stamps, whatever the method. `ref` is the voucher nonce, the allowlist
    /// index, or what the issuing module records (the idea of a co-creator stamp, for example).
    event StampClaimed(
        address indexed member,
        uint256 indexed stampId,
        ClaimMethod indexed method,
        uint256 quantity,
        uint256 ref
    );

    /// @dev Emitted by an airdrop for a recipient who already holds the stamp and is skipped.
    event AirdropSkipped(address indexed member, uint256 indexed stampId);

    /// @dev Emitted when an issuer cancels a voucher nonce before it is used.
    event VoucherRevoked(uint256 indexed nonce);

    /// @dev Emitted when ops publish (or replace) the allowlist Merkle root of a stamp type.
    event AllowlistRootSet(uint256 indexed stampId, bytes32 root);

    /// @dev Emitted when the level thresholds change (ascending points; level n needs `thresholds[n-1]`).
    event LevelThresholdsSet(uint256[] thresholds);

    /// @dev Emitted when the DAO sets the issuance bounds (see {IssuanceBounds}).
    event IssuanceBoundsSet(uint256 maxStampPoints, uint256 budgetBps, uint256 budgetFloor, uint256 budgetPeriod);

    /// @dev Emitted when the treasury (receiver of proceeds and royalties) changes.
    event TreasuryChanged(address indexed previousTreasury, address indexed newTreasury);

    /// @dev Emitted when the royalty rate (basis points, to the treasury) changes.
    event RoyaltySet(uint256 royaltyBps);

    /// @dev Emitted when the metadata URI template (with ERC-1155 `{id}`) changes.
    event BaseURIChanged(string uri);

    /// @dev `account` is already a member.
    error OdysseyAlreadyMember(address account);

    /// @dev No journey has id `journeyId`.
    error OdysseyUnknownJourney(uint256 journeyId);

    /// @dev A journey with id `journeyId` exists already.
    error OdysseyJourneyExists(uint256 journeyId);

    /// @dev No stamp type has id `stampId`.
    error OdysseyUnknownStamp(uint256 stampId);

    /// @dev A stamp type with id `stampId` exists already.
    error OdysseyStampExists(uint256 stampId);

    /// @dev Ids start at 1 and journey ids fit 32 bits.
    error OdysseyInvalidId(uint256 id);

    /// @dev A window whose end is before its start.
    error OdysseyInvalidWindow(uint64 start, uint64 end);

    /// @dev A supply cap below what has already been minted.
    error OdysseySupplyBelowMinted(uint256 stampId, uint256 maxSupply, uint256 minted);

    /// @dev The voucher nonce was used or revoked.
    error OdysseyVoucherUsed(uint256 nonce);

    /// @dev The voucher's deadline has passed.
    error OdysseyVoucherExpired(uint256 deadline);

    /// @dev The voucher was not signed by an issuer (or was signed for another chain or contract).
    error OdysseyInvalidIssuer(address signer);

    /// @dev The stamp's journey is not open for claims now.
    error OdysseyOutsideWindow(uint256 journeyId, uint64 start, uint64 end);

    /// @dev The stamp type has no supply left.
    error OdysseySoldOut(uint256 stampId, uint256 maxSupply);

    /// @dev `member` already holds the (one-per-member) stamp.
    error OdysseyAlreadyHolds(address member, uint256 stampId);

    /// @dev No allowlist is published for the stamp type.
    error OdysseyNoAllowlist(uint256 stampId);

    /// @dev The proof does not show `member` on the stamp's allowlist at `index`.
    error OdysseyInvalidProof(address member, uint256 stampId, uint256 index);

    /// @dev The allowlist entry `index` was already claimed.
    error OdysseyAllowlistClaimed(uint256 stampId, uint256 index);

    /// @dev A stamp type worth `points` is above the DAO's cap on the points of a stamp type.
    error OdysseyPointsAboveCap(uint256 points, uint256 maxStampPoints);

    /// @dev Minting `points` would overdraw the DAO's issuance budget, which has `available` points left now.
    error OdysseyIssuanceBudgetExceeded(uint256 points, uint256 available);

    /// @dev Issuance bounds with a share above 100% (10,000 bps) or a period of zero.
    error OdysseyInvalidIssuanceBounds();

    /// @dev Quantities are at least 1.
    error OdysseyZeroQuantity();

    /// @dev The stamp type is soulbound and cannot move.
    error OdysseySoulbound(uint256 stampId);

    /// @dev Level thresholds must rise strictly, and are at most 32.
    error OdysseyInvalidThresholds();

    /// @dev A royalty above 100% (10,000 bps).
    error OdysseyInvalidBps(uint256 bps);

    /// @dev The zero address where an account is needed.
    error OdysseyZeroAddress();
}
