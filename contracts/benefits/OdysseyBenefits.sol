// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ERC2771Context} from "@openzeppelin/contracts/metatx/ERC2771Context.sol";
import {Context} from "@openzeppelin/contracts/utils/Context.sol";
import {IOdysseyBenefits} from "../interfaces/IOdysseyBenefits.sol";
import {OdysseyStamps} from "../stamps/OdysseyStamps.sol";

/**
 * @title OdysseyBenefits
 * @notice Benefits members unlock with their level (a discount, an event seat, early access). Each member
 * redeems a benefit once; stock is on-chain. Kept apart from {OdysseyStamps} so the stamps contract stays under
 * the EIP-170 size limit; it reads levels from it.
 *
 * A level counts the points that voted for the member at the benefit's snapshot block, as a proposal counts
 * votes: a collectible passed from wallet to wallet after the snapshot qualifies none of them again, so each
 * point serves one redemption per snapshot. Points a member delegated count for their delegate. Ops move the
 * snapshot forward (any update does) to admit members who reached the level since.
 */
contract OdysseyBenefits is IOdysseyBenefits, AccessControl, ERC2771Context {
    bytes32 public constant BENEFIT_MANAGER_ROLE = keccak256("BENEFIT_MANAGER_ROLE");

    /// @notice Stock value meaning "no limit".
    uint32 public constant UNLIMITED = type(uint32).max;

    OdysseyStamps public immutable stamps;

    uint256 private _benefitCount;
    mapping(uint256 benefitId => Benefit) private _benefits;
    mapping(uint256 benefitId => mapping(address member => bool)) private _redeemed;

    constructor(OdysseyStamps stamps_, address admin, address trustedForwarder) ERC2771Context(trustedForwarder) {
        stamps = stamps_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(BENEFIT_MANAGER_ROLE, admin);
    }

    /// @notice Create a benefit for members at `minLevel` or above, with `stock` redemptions.
    function createBenefit(
        uint32 minLevel,
        uint32 stock,
        string calldata uri
    ) external onlyRole(BENEFIT_MANAGER_ROLE) returns (uint256 benefitId) {
        benefitId = ++_benefitCount;
        uint48 snapshot = _snapshot();
        _benefits[benefitId] = Benefit(minLevel, stock, 0, true, snapshot, uri);
        emit BenefitConfigured(benefitId, minLevel, stock, true, uri, snapshot);
    }

    /// @notice Change a benefit's level, remaining stock, switch or metadata; levels are measured anew at the
    /// block before this update.
    function updateBenefit(
        uint256 benefitId,
        uint32 minLevel,
        uint32 stock,
        bool active,
        string calldata uri
    ) external onlyRole(BENEFIT_MANAGER_ROLE) {
        Benefit storage benefit = _existing(benefitId);
        benefit.minLevel = minLevel;
        benefit.stock = stock;
        benefit.active = active;
        benefit.uri = uri;
        uint48 snapshot = _snapshot();
        benefit.snapshot = snapshot;
        emit BenefitConfigured(benefitId, minLevel, stock, active, uri, snapshot);
    }

    /// @notice Redeem benefit `benefitId` for the caller (directly or through the forwarder).
    function redeem(uint256 benefitId) external {
        address member = _msgSender();
        Benefit storage benefit = _existing(benefitId);
        if (!benefit.active) revert BenefitInactive(benefitId);
        if (!stamps.isMember(member)) revert BenefitNotMember(member);
        uint256 level = stamps.levelForPoints(stamps.getPastVotes(member, benefit.snapshot));
        if (level < benefit.minLevel) revert BenefitLevelTooLow(member, level, benefit.minLevel);
        if (_redeemed[benefitId][member]) revert BenefitAlreadyRedeemed(benefitId, member);
        if (benefit.stock == 0) revert BenefitOutOfStock(benefitId);
        if (benefit.stock != UNLIMITED) benefit.stock--;
        benefit.redeemed++;
        _redeemed[benefitId][member] = true;
        emit BenefitRedeemed(benefitId, member, benefit.stock);
    }

    /// @notice Benefit `benefitId`.
    function benefit(uint256 benefitId) external view returns (Benefit memory) {
        return _benefits[benefitId];
    }

    /// @notice How many benefits exist (ids 1..count).
    function benefitCount() external view returns (uint256) {
        return _benefitCount;
    }

    /// @notice Whether `member` redeemed `benefitId`.
    function redeemed(uint256 benefitId, address member) external view returns (bool) {
        return _redeemed[benefitId][member];
    }

    /// @dev The block before this one, on the stamps contract's clock (block numbers).
    function _snapshot() private view returns (uint48) {
        return stamps.clock() - 1;
    }

    function _existing(uint256 benefitId) private view returns (Benefit storage benefit_) {
        benefit_ = _benefits[benefitId];
        if (benefitId == 0 || benefitId > _benefitCount) revert BenefitUnknown(benefitId);
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
