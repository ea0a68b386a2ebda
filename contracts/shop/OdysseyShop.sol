// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ERC2771Context} from "@openzeppelin/contracts/metatx/ERC2771Context.sol";
import {Context} from "@openzeppelin/contracts/utils/Context.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {IOdysseyShop} from "../interfaces/IOdysseyShop.sol";
import {IOdysseyStamps} from "../interfaces/IOdysseyStamps.sol";
import {OdysseyStamps} from "../stamps/OdysseyStamps.sol";

/**
 * @title OdysseyShop
 * @notice Limited editions of Odyssey's stamps, sold at a fixed price with an optional per-wallet cap. Stamps
 * are issued through {OdysseyStamps-issue} (this shop holds MINTER_ROLE there), so every sale respects the
 * journey's window, the stamp's supply, the pause and the DAO's issuance budget. Proceeds belong to the DAO's
 * treasury (the stamps contract's `treasury()`); a realised idea's author is owed a share of their stamp's sales.
 *
 * Kept apart from {OdysseyStamps} so the stamps contract stays under the EIP-170 size limit.
 *
 * A per-wallet cap limits what one address buys; someone with several wallets can buy in each of them. Wallet
 * caps spread a sale, they do not identify people.
 */
contract OdysseyShop is IOdysseyShop, AccessControl, ERC2771Context {
    bytes32 public constant SHOP_MANAGER_ROLE = keccak256("SHOP_MANAGER_ROLE");
    bytes32 public constant CREATOR_SHARE_ROLE = keccak256("CREATOR_SHARE_ROLE");

    uint256 private constant _BPS = 10_000;

    struct CreatorShare {
        address creator;
        uint16 bps;
    }

    /// @notice The stamps contract the shop issues on.
    OdysseyStamps public immutable stamps;

    mapping(uint256 stampId => Listing) private _listings;
    mapping(uint256 stampId => mapping(address buyer => uint256)) private _purchased;
    mapping(uint256 stampId => CreatorShare) private _creatorShares;
    mapping(address creator => uint256) private _creatorEarnings;
    uint256 private _creatorEarningsOwed;

    /**
     * @param stamps_ the stamps contract (which must grant this shop MINTER_ROLE)
     * @param admin holder of every role until the DAO's timelock takes over
     * @param trustedForwarder the ERC-2771 forwarder (co-creators withdraw without gas)
     */
    constructor(OdysseyStamps stamps_, address admin, address trustedForwarder) ERC2771Context(trustedForwarder) {
        if (address(stamps_) == address(0) || admin == address(0)) revert ShopZeroAddress();
        stamps = stamps_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(SHOP_MANAGER_ROLE, admin);
        _grantRole(CREATOR_SHARE_ROLE, admin);
    }

    /// @notice Put stamp `stampId` on sale at `price` wei each (0 takes it off sale), `walletCap` per wallet (0: none).
    function setListing(uint256 stampId, uint96 price, uint16 walletCap) external onlyRole(SHOP_MANAGER_ROLE) {
        _existingStamp(stampId);
        _listings[stampId] = Listing(price, walletCap);
        emit ListingSet(stampId, price, walletCap);
    }

    /// @notice The price and per-wallet cap of stamp `stampId`.
    function listing(uint256 stampId) external view returns (Listing memory) {
        return _listings[stampId];
    }

    /// @notice How many stamps of `stampId` `buyer` has bought (what the wallet cap counts).
    function purchased(uint256 stampId, address buyer) external view returns (uint256) {
        return _purchased[stampId][buyer];
    }

    /// @notice Buy `quantity` stamps of a limited edition at exactly its price; proceeds are the treasury's.
    function purchase(uint256 stampId, uint256 quantity) external payable {
        if (quantity == 0) revert ShopZeroQuantity();
        address buyer = _msgSender();
        Listing memory item = _listings[stampId];
        if (item.price == 0) revert ShopNotForSale(stampId);
        uint256 cost = uint256(item.price) * quantity;
        if (msg.value != cost) revert ShopWrongPayment(cost, msg.value);
        uint256 bought = _purchased[stampId][buyer] + quantity;
        if (item.walletCap != 0 && bought > item.walletCap) {
            revert ShopWalletCapExceeded(buyer, stampId, item.walletCap);
        }
        _purchased[stampId][buyer] = bought;

        CreatorShare memory share = _creatorShares[stampId];
        uint256 creatorCut = (cost * share.bps) / _BPS;
        if (creatorCut != 0) {
            _creatorEarnings[share.creator] += creatorCut;
            _creatorEarningsOwed += creatorCut;
        }
        stamps.issue(buyer, stampId, quantity, IOdysseyStamps.ClaimMethod.Purchase, 0);
        emit StampPurchased(buyer, stampId, quantity, cost, creatorCut);
    }

    /// @notice Send the sale proceeds held here (less co-creators' earnings) to the treasury. Anyone may call.
    function withdrawProceeds() external {
        uint256 amount = proceeds();
        // slither-disable-next-line incorrect-equality (ETH forced in only raises amount, sent to the treasury)
        if (amount == 0) revert ShopNothingToWithdraw();
        address treasury = stamps.treasury();
        emit ProceedsWithdrawn(treasury, amount);
        Address.sendValue(payable(treasury), amount);
    }

    /// @notice Sale proceeds held for the treasury.
    function proceeds() public view returns (uint256) {
        return address(this).balance - _creatorEarningsOwed;
    }

    /// @notice Withdraw the caller's co-creator earnings.
    function withdrawCreatorEarnings() external {
        address creator = _msgSender();
        uint256 amount = _creatorEarnings[creator];
        if (amount == 0) revert ShopNothingToWithdraw();
        _creatorEarnings[creator] = 0;
        _creatorEarningsOwed -= amount;
        emit CreatorEarningsWithdrawn(creator, amount);
        Address.sendValue(payable(creator), amount);
    }

    /// @notice Co-creator earnings owed to `creator`.
    function creatorEarnings(address creator) external view returns (uint256) {
        return _creatorEarnings[creator];
    }

    /// @notice Give `creator` a share (basis points) of future sales of `stampId` (a realised idea's author).
    function setCreatorShare(
        uint256 stampId,
        address creator,
        uint16 shareBps
    ) external onlyRole(CREATOR_SHARE_ROLE) {
        _existingStamp(stampId);
        if (shareBps > _BPS) revert ShopInvalidBps(shareBps);
        if (creator == address(0) && shareBps != 0) revert ShopZeroAddress();
        _creatorShares[stampId] = CreatorShare(creator, shareBps);
        emit CreatorShareSet(stampId, creator, shareBps);
    }

    /// @notice The co-creator of `stampId` and their share of its sales in basis points.
    function creatorShare(uint256 stampId) external view returns (address creator, uint256 shareBps) {
        CreatorShare memory share = _creatorShares[stampId];
        return (share.creator, share.bps);
    }

    function _existingStamp(uint256 stampId) private view {
        if (stamps.stampType(stampId).journeyId == 0) revert ShopUnknownStamp(stampId);
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
