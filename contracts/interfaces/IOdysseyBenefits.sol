// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @dev Events and errors of {OdysseyBenefits}: perks a member unlocks by level and redeems once.
interface IOdysseyBenefits {
    /**
     * @dev A benefit: the level it needs, measured on the points that voted for the member at block `snapshot`
     * (set to the block before each create or update, as a proposal's snapshot is), stock left
     * (type(uint32).max = unlimited) and whether redeemable.
     */
    struct Benefit {
        uint32 minLevel;
        uint32 stock;
        uint32 redeemed;
        bool active;
        uint48 snapshot;
        string uri;
    }

    /// @dev Emitted when a benefit is created or updated; carries every field.
    event BenefitConfigured(
        uint256 indexed benefitId,
        uint256 minLevel,
        uint256 stock,
        bool active,
        string uri,
        uint256 snapshot
    );

    /// @dev Emitted when `member` redeems benefit `benefitId`; `stockLeft` after it.
    event BenefitRedeemed(uint256 indexed benefitId, address indexed member, uint256 stockLeft);

    /// @dev No benefit has id `benefitId`.
    error BenefitUnknown(uint256 benefitId);

    /// @dev The benefit is switched off.
    error BenefitInactive(uint256 benefitId);

    /// @dev `member` was below the benefit's level at its snapshot block.
    error BenefitLevelTooLow(address member, uint256 level, uint256 minLevel);

    /// @dev `account` is not a member of Odyssey.
    error BenefitNotMember(address account);

    /// @dev No stock left.
    error BenefitOutOfStock(uint256 benefitId);

    /// @dev `member` has redeemed this benefit already.
    error BenefitAlreadyRedeemed(uint256 benefitId, address member);
}
