// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/**
 * @dev Events and errors of {OdysseyShop}: limited editions sold at a fixed price, per-wallet caps, proceeds for
 * the DAO's treasury and co-creators' shares of the sales of their realised idea's stamp.
 */
interface IOdysseyShop {
    /// @dev What a stamp type sells for: wei per stamp (0 = not for sale) and purchases per wallet (0 = no cap).
    struct Listing {
        uint96 price;
        uint16 walletCap;
    }

    /// @dev Emitted when a stamp type's price or per-wallet cap is set.
    event ListingSet(uint256 indexed stampId, uint256 price, uint256 walletCap);

    /// @dev Emitted on a sale: `paid` wei, of which `creatorShare` is owed to the stamp's co-creator.
    event StampPurchased(
        address indexed buyer,
        uint256 indexed stampId,
        uint256 quantity,
        uint256 paid,
        uint256 creatorShare
    );

    /// @dev Emitted when sale proceeds are sent to the treasury.
    event ProceedsWithdrawn(address indexed treasury, uint256 amount);

    /// @dev Emitted when a co-creator withdraws their share of sales.
    event CreatorEarningsWithdrawn(address indexed creator, uint256 amount);

    /// @dev Emitted when a stamp type's co-creator and share of its sales (basis points) are set.
    event CreatorShareSet(uint256 indexed stampId, address indexed creator, uint256 shareBps);

    /// @dev No stamp type has id `stampId` on the stamps contract.
    error ShopUnknownStamp(uint256 stampId);

    /// @dev The stamp type has no price.
    error ShopNotForSale(uint256 stampId);

    /// @dev Purchases must pay exactly `expected` wei.
    error ShopWrongPayment(uint256 expected, uint256 paid);

    /// @dev The purchase would take `buyer` past the stamp's per-wallet cap.
    error ShopWalletCapExceeded(address buyer, uint256 stampId, uint256 walletCap);

    /// @dev Quantities are at least 1.
    error ShopZeroQuantity();

    /// @dev Nothing to withdraw.
    error ShopNothingToWithdraw();

    /// @dev A share above 100% (10,000 bps).
    error ShopInvalidBps(uint256 bps);

    /// @dev The zero address where an account is needed.
    error ShopZeroAddress();
}
