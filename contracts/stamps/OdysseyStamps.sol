// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {ERC1155} from "@openzeppelin/contracts/token/ERC1155/ERC1155.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {Votes} from "@openzeppelin/contracts/governance/utils/Votes.sol";
import {ERC2981} from "@openzeppelin/contracts/token/common/ERC2981.sol";
import {ERC2771Context} from "@openzeppelin/contracts/metatx/ERC2771Context.sol";
import {Context} from "@openzeppelin/contracts/utils/Context.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IERC5267} from "@openzeppelin/contracts/interfaces/IERC5267.sol";
import {IERC5192} from "../interfaces/IERC5192.sol";
import {IOdysseyStamps} from "../interfaces/IOdysseyStamps.sol";

/**
 * @title OdysseyStamps
 * @notice Journey stamps of the Odyssey membership: an ERC-1155 collection whose stamps carry points. Points
 * give levels and are the voting units of the DAO (OZ {Votes}, block-number clock): every holder's points count
 * as their own votes until they delegate, with no extra step.
 *
 * Members claim stamps with an issuer-signed EIP-712 voucher, an allowlist proof, or receive them by airdrop;
 * modules the DAO grants MINTER_ROLE issue them too (the shop's sales, the idea board's co-creator stamp).
 * Nothing here can take a stamp, points or membership away from a member: there is no burn, no revocation and
 * no expiry; soulbound stamps cannot move at all.
 *
 * The DAO bounds what operational keys can mint (see {IssuanceBounds}): no stamp type above `maxStampPoints`,
 * and every minted point, by any path, draws from a rolling budget. A stolen ops, issuer or module key therefore
 * cannot mint its way to a majority of the votes faster than the budget allows, and a guardian (PAUSER_ROLE) can
 * stop issuance meanwhile; only the DAO resumes it.
 *
 * Meta-transactions from the trusted ERC-2771 forwarder let a relayer pay the gas of calls the member signed
 * (`join`, `delegate`, ...); claims can be submitted by anyone anyway.
 */
contract OdysseyStamps is IOdysseyStamps, IERC5192, ERC1155, ERC2981, AccessControl, Pausable, Votes, ERC2771Context {
    using SafeCast for uint256;

    bytes32 public constant JOURNEY_MANAGER_ROLE = keccak256("JOURNEY_MANAGER_ROLE");
    bytes32 public constant ISSUER_ROLE = keccak256("ISSUER_ROLE");
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");

    /// @notice EIP-712 type of an issuer's claim voucher. A public protocol: do not change.
    bytes32 public constant CLAIM_TYPEHASH =
        keccak256("Claim(address member,uint256 stampId,uint256 nonce,uint256 deadline)");

    uint256 private constant _MAX_LEVELS = 32;
    uint96 private constant _BPS = 10_000;

    /// @dev One slot per member: number (from 1), join time, whether they ever chose a delegate, and points.
    struct Member {
        uint32 number;
        uint48 since;
        bool delegated;
        uint128 points;
    }

    mapping(address account => Member) private _members;
    uint32 private _memberCount;

    mapping(uint256 journeyId => Journey) private _journeys;
    mapping(uint256 stampId => StampType) private _stampTypes;
    mapping(uint256 stampId => string) private _stampNames;

    mapping(uint256 word => uint256 bits) private _usedVoucherNonces;

    mapping(uint256 stampId => bytes32 root) private _allowlistRoots;
    mapping(uint256 stampId => mapping(bytes32 root => mapping(uint256 word => uint256 bits))) private _allowlistClaimed;

    uint256[] private _levelThresholds;

    address private _treasury;
    IssuanceBounds private _issuance;

    /**
     * @param uri_ metadata URI template with ERC-1155 `{id}` substitution
     * @param admin holder of every role until the DAO's timelock takes over (no issuance bounds are set: nothing
     * can be minted until the admin sets them)
     * @param treasury_ receiver of sale proceeds and royalties
     * @param royaltyBps ERC-2981 royalty on collectible resales, to the treasury
     * @param trustedForwarder the ERC-2771 forwarder whose relayed calls carry the member as sender
     */
    constructor(
        string memory uri_,
        address admin,
        address treasury_,
        uint96 royaltyBps,
        address trustedForwarder
    ) ERC1155(uri_) EIP712("OdysseyStamps", "1") ERC2771Context(trustedForwarder) {
        if (admin == address(0) || treasury_ == address(0)) revert OdysseyZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(JOURNEY_MANAGER_ROLE, admin);
        _grantRole(ISSUER_ROLE, admin);
        _grantRole(PAUSER_ROLE, admin);
        _treasury = treasury_;
        _setRoyalty(royaltyBps);
    }

    // ---------------------------------------------------------------- membership

    /// @notice Become a member: records a member number and the time. Membership cannot be revoked.
    function join() external {
        address account = _msgSender();
        if (_members[account].number != 0) revert OdysseyAlreadyMember(account);
        _join(account);
    }

    /// @notice Whether `account` is a member.
    function isMember(address account) public view returns (bool) {
        return _members[account].number != 0;
    }

    /// @notice A member's number (from 1), join time and points; zeros for a non-member.
    function memberOf(address account) external view returns (uint256 number, uint256 since, uint256 points) {
        Member storage member = _members[account];
        return (member.number, member.since, member.points);
    }

    /// @notice How many members have joined.
    function memberCount() external view returns (uint256) {
        return _memberCount;
    }

    /// @notice Σ points × balance over every stamp `account` holds.
    function pointsOf(address account) public view returns (uint256) {
        return _members[account].points;
    }

    /// @notice The level of `account`: how many thresholds its points reach.
    function levelOf(address account) external view returns (uint256) {
        return levelForPoints(_members[account].points);
    }

    /// @notice The level `points` give: how many thresholds they reach.
    function levelForPoints(uint256 points) public view returns (uint256 level) {
        uint256 length = _levelThresholds.length;
        while (level < length && points >= _levelThresholds[level]) level++;
    }

    /// @notice The ascending points thresholds of levels 1, 2, ...
    function levelThresholds() external view returns (uint256[] memory) {
        return _levelThresholds;
    }

    // ---------------------------------------------------------------- journeys and stamp types

    /// @notice Create journey `journeyId` (ids chosen by ops, so files and proposals can name them ahead).
    function createJourney(
        uint256 journeyId,
        string calldata name,
        string calldata uri_,
        uint64 start,
        uint64 end
    ) external onlyRole(JOURNEY_MANAGER_ROLE) {
        if (journeyId == 0 || journeyId > type(uint32).max) revert OdysseyInvalidId(journeyId);
        if (_journeyExists(journeyId)) revert OdysseyJourneyExists(journeyId);
        _setJourney(journeyId, name, uri_, start, end);
    }

    /// @notice Change a journey's name, metadata URI or claim window.
    function updateJourney(
        uint256 journeyId,
        string calldata name,
        string calldata uri_,
        uint64 start,
        uint64 end
    ) external onlyRole(JOURNEY_MANAGER_ROLE) {
        if (!_journeyExists(journeyId)) revert OdysseyUnknownJourney(journeyId);
        _setJourney(journeyId, name, uri_, start, end);
    }

    /// @notice Journey `journeyId` (an empty name means none).
    function journey(uint256 journeyId) external view returns (Journey memory) {
        return _journeys[journeyId];
    }

    /**
     * @notice Create stamp type `stampId` in a journey. Its points (at most the DAO's `maxStampPoints`) and
     * soulbound flag are fixed forever, so a member's points never change behind their back.
     */
    function createStampType(
        uint256 stampId,
        uint256 journeyId,
        string calldata name,
        uint32 points,
        bool soulbound,
        uint32 maxSupply
    ) external onlyRole(JOURNEY_MANAGER_ROLE) {
        if (stampId == 0) revert OdysseyInvalidId(stampId);
        if (_stampTypes[stampId].journeyId != 0) revert OdysseyStampExists(stampId);
        if (!_journeyExists(journeyId)) revert OdysseyUnknownJourney(journeyId);
        uint256 cap = _issuance.maxStampPoints;
        if (points > cap) revert OdysseyPointsAboveCap(points, cap);
        _stampTypes[stampId] = StampType({
            journeyId: uint32(journeyId),
            points: points,
            maxSupply: maxSupply,
            minted: 0,
            soulbound: soulbound
        });
        _stampNames[stampId] = name;
        if (soulbound) emit Locked(stampId);
        _emitStampType(stampId);
    }

    /// @notice Change a stamp type's name or supply cap (not below minted).
    function updateStampType(
        uint256 stampId,
        string calldata name,
        uint32 maxSupply
    ) external onlyRole(JOURNEY_MANAGER_ROLE) {
        StampType storage stamp = _existingStamp(stampId);
        if (maxSupply != 0 && maxSupply < stamp.minted) {
            revert OdysseySupplyBelowMinted(stampId, maxSupply, stamp.minted);
        }
        stamp.maxSupply = maxSupply;
        _stampNames[stampId] = name;
        _emitStampType(stampId);
    }

    /// @notice Stamp type `stampId` (journeyId 0 means none).
    function stampType(uint256 stampId) external view returns (StampType memory) {
        return _stampTypes[stampId];
    }

    /// @notice The name of stamp type `stampId`.
    function stampName(uint256 stampId) external view returns (string memory) {
        return _stampNames[stampId];
    }

    /// @notice ERC-5192: whether stamps of type `tokenId` are soulbound.
    function locked(uint256 tokenId) external view returns (bool) {
        return _existingStamp(tokenId).soulbound;
    }

    // ---------------------------------------------------------------- claims

    /**
     * @notice Claim stamp `stampId` for `member` with a voucher signed by an issuer. Anyone may submit it (a
     * relayer pays the gas); the stamp always goes to `member`. A member's first stamp makes them a member.
     */
    function claim(
        address member,
        uint256 stampId,
        uint256 nonce,
        uint256 deadline,
        bytes calldata signature
    ) external whenNotPaused {
        if (block.timestamp > deadline) revert OdysseyVoucherExpired(deadline);
        bytes32 digest = _hashTypedDataV4(keccak256(abi.encode(CLAIM_TYPEHASH, member, stampId, nonce, deadline)));
        address signer = ECDSA.recover(digest, signature);
        if (!hasRole(ISSUER_ROLE, signer)) revert OdysseyInvalidIssuer(signer);
        _useVoucherNonce(nonce);
        _issueEarned(member, stampId, ClaimMethod.Voucher, nonce);
    }

    /// @notice Cancel voucher `nonce` before anyone uses it.
    function revokeVoucher(uint256 nonce) external onlyRole(ISSUER_ROLE) {
        _useVoucherNonce(nonce);
        emit VoucherRevoked(nonce);
    }

    /// @notice Whether voucher `nonce` was used or revoked.
    function voucherUsed(uint256 nonce) public view returns (bool) {
        return _usedVoucherNonces[nonce >> 8] & (1 << (nonce & 0xff)) != 0;
    }

    /**
     * @notice Claim stamp `stampId` for `member`, listed at `index` on the stamp's allowlist. The leaf is
     * OZ StandardMerkleTree's `keccak256(bytes.concat(keccak256(abi.encode(index, member))))`; entries are
     * marked claimed per stamp type, so one list published for two stamps is claimed once for each.
     */
    function claimAllowlisted(
        address member,
        uint256 stampId,
        uint256 index,
        bytes32[] calldata proof
    ) external whenNotPaused {
        bytes32 root = _allowlistRoots[stampId];
        if (root == bytes32(0)) revert OdysseyNoAllowlist(stampId);
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(index, member))));
        if (!MerkleProof.verifyCalldata(proof, root, leaf)) revert OdysseyInvalidProof(member, stampId, index);
        mapping(uint256 word => uint256 bits) storage claimed = _allowlistClaimed[stampId][root];
        uint256 bit = 1 << (index & 0xff);
        uint256 bits = claimed[index >> 8];
        if (bits & bit != 0) revert OdysseyAllowlistClaimed(stampId, index);
        claimed[index >> 8] = bits | bit;
        _issueEarned(member, stampId, ClaimMethod.Allowlist, index);
    }

    /// @notice Publish (or replace) the allowlist Merkle root of stamp type `stampId`.
    function setAllowlistRoot(uint256 stampId, bytes32 root) external onlyRole(JOURNEY_MANAGER_ROLE) {
        _existingStamp(stampId);
        _allowlistRoots[stampId] = root;
        emit AllowlistRootSet(stampId, root);
    }

    /// @notice The allowlist root of stamp type `stampId`.
    function allowlistRoot(uint256 stampId) external view returns (bytes32) {
        return _allowlistRoots[stampId];
    }

    /// @notice Whether entry `index` of the current allowlist of `stampId` was claimed.
    function allowlistClaimed(uint256 stampId, uint256 index) external view returns (bool) {
        return _allowlistClaimed[stampId][_allowlistRoots[stampId]][index >> 8] & (1 << (index & 0xff)) != 0;
    }

    /**
     * @notice Give stamp `stampId` to each of `members`, skipping (not reverting on) those who hold it already.
     * Airdrops are ops' call and ignore the journey window; they respect supply, pause and the issuance budget.
     * @return issued how many members received the stamp
     */
    function airdrop(
        uint256 stampId,
        address[] calldata members
    ) external onlyRole(JOURNEY_MANAGER_ROLE) whenNotPaused returns (uint256 issued) {
        StampType storage stamp = _existingStamp(stampId);
        for (uint256 i = 0; i < members.length; ++i) {
            address member = members[i];
            if (balanceOf(member, stampId) != 0) {
                emit AirdropSkipped(member, stampId);
                continue;
            }
            _issue(stamp, member, stampId, 1, ClaimMethod.Airdrop, 0);
            unchecked {
                ++issued;
            }
        }
    }

    /**
     * @notice Issue `quantity` stamps of `stampId` to `to` for a module the DAO trusts (MINTER_ROLE: the shop,
     * the idea board): inside the journey's window, within supply, pause and the issuance budget. The module
     * decides who may receive what; `method` and `ref` are recorded in {StampClaimed}.
     */
    function issue(
        address to,
        uint256 stampId,
        uint256 quantity,
        ClaimMethod method,
        uint256 ref
    ) external onlyRole(MINTER_ROLE) whenNotPaused {
        if (quantity == 0) revert OdysseyZeroQuantity();
        StampType storage stamp = _existingStamp(stampId);
        _checkWindow(stamp.journeyId);
        _issue(stamp, to, stampId, quantity, method, ref);
    }

    // ---------------------------------------------------------------- admin

    /// @notice Set the level thresholds: strictly ascending points, at most 32 levels.
    function setLevelThresholds(uint256[] calldata thresholds) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (thresholds.length > _MAX_LEVELS) revert OdysseyInvalidThresholds();
        for (uint256 i = 1; i < thresholds.length; ++i) {
            if (thresholds[i] <= thresholds[i - 1]) revert OdysseyInvalidThresholds();
        }
        _levelThresholds = thresholds;
        emit LevelThresholdsSet(thresholds);
    }

    /// @notice Move the treasury (receiver of proceeds and royalties).
    function setTreasury(address newTreasury) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (newTreasury == address(0)) revert OdysseyZeroAddress();
        emit TreasuryChanged(_treasury, newTreasury);
        _treasury = newTreasury;
        (, uint256 royalty) = royaltyInfo(0, _BPS);
        _setDefaultRoyalty(newTreasury, uint96(royalty));
    }

    /// @notice The treasury.
    function treasury() external view returns (address) {
        return _treasury;
    }

    /// @notice Set the ERC-2981 royalty on resales of collectible stamps, paid to the treasury.
    function setRoyalty(uint96 royaltyBps) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setRoyalty(royaltyBps);
    }

    /// @notice Set the metadata URI template (ERC-1155 `{id}` substitution).
    function setURI(string calldata newUri) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setURI(newUri);
        emit BaseURIChanged(newUri);
    }

    /**
     * @notice Set the DAO's issuance bounds: the most points a stamp type may carry, and the budget every minted
     * point draws from — `max(budgetFloor, budgetBps of all points)`, refilling over `budgetPeriod` seconds. The
     * budget keeps what it had accrued (up to the new size); the very first bounds start it full.
     */
    function setIssuanceBounds(
        uint32 maxStampPoints,
        uint16 budgetBps,
        uint48 budgetFloor,
        uint32 budgetPeriod
    ) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (budgetBps > _BPS || budgetPeriod == 0) revert OdysseyInvalidIssuanceBounds();
        IssuanceBounds memory bounds = _issuance;
        bool first = bounds.budgetPeriod == 0;
        uint256 accrued = _issuanceAvailable(bounds);
        bounds.maxStampPoints = maxStampPoints;
        bounds.budgetBps = budgetBps;
        bounds.budgetFloor = budgetFloor;
        bounds.budgetPeriod = budgetPeriod;
        uint256 capacity = _issuanceCapacity(bounds);
        bounds.available = (first ? capacity : Math.min(accrued, capacity)).toUint80();
        if (block.timestamp > bounds.updatedAt) bounds.updatedAt = uint48(block.timestamp);
        _issuance = bounds;
        emit IssuanceBoundsSet(maxStampPoints, budgetBps, budgetFloor, budgetPeriod);
    }

    /// @notice The DAO's issuance bounds, with the budget as stored at its last use (see {issuanceAvailable}).
    function issuanceBounds() external view returns (IssuanceBounds memory) {
        return _issuance;
    }

    /// @notice Points that can be minted now before the issuance budget runs out.
    function issuanceAvailable() external view returns (uint256) {
        return _issuanceAvailable(_issuance);
    }

    /// @notice Stop claims, airdrops and every module's issues, sales included (transfers and membership are
    /// never paused). The guardian and the DAO hold PAUSER_ROLE; only the DAO resumes.
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @notice Resume issuance: the DAO's call alone, so a guardian can stop an attack but never reopen a door.
    function unpause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _unpause();
    }

    // ---------------------------------------------------------------- votes

    /**
     * @notice The delegate of `account`: itself until it chooses another (implicit self-delegation, so points
     * vote with no extra step).
     */
    function delegates(address account) public view override returns (address) {
        // address(0) never delegates: answering without its (cold) member slot saves 2,100 gas on every mint.
        if (account == address(0)) return account;
        return _members[account].delegated ? super.delegates(account) : account;
    }

    /// @inheritdoc ERC1155
    function supportsInterface(
        bytes4 interfaceId
    ) public view override(ERC1155, ERC2981, AccessControl) returns (bool) {
        return
            interfaceId == type(IERC5192).interfaceId ||
            interfaceId == type(IERC5267).interfaceId ||
            super.supportsInterface(interfaceId);
    }

    // ---------------------------------------------------------------- internals

    /**
     * @dev The one token hook: soulbound check, the issuance budget on every mint, membership on a first real
     * receipt (a zero-value transfer joins nobody), points and voting units.
     */
    function _update(
        address from,
        address to,
        uint256[] memory ids,
        uint256[] memory values
    ) internal override {
        super._update(from, to, ids, values);
        // slither-disable-next-line uninitialized-local (a sum: starts at 0 on purpose)
        uint256 points;
        // slither-disable-next-line uninitialized-local (a flag: starts false on purpose)
        bool received;
        for (uint256 i = 0; i < ids.length; ++i) {
            StampType storage stamp = _stampTypes[ids[i]];
            if (stamp.soulbound && from != address(0)) revert OdysseySoulbound(ids[i]);
            points += uint256(stamp.points) * values[i];
            if (values[i] != 0) received = true;
        }
        if (from == address(0)) {
            _drawIssuance(points);
        } else {
            _members[from].points -= uint128(points);
        }
        if (to != address(0)) {
            Member storage member = _members[to];
            if (member.number == 0 && received) _join(to);
            member.points += points.toUint128();
        }
        _transferVotingUnits(from, to, points);
    }

    function _drawIssuance(uint256 points) private {
        IssuanceBounds storage stored = _issuance;
        IssuanceBounds memory bounds = stored;
        uint256 available = _issuanceAvailable(bounds);
        if (points > available) revert OdysseyIssuanceBudgetExceeded(points, available);
        // Only the two fields that change are written (a whole struct would be written field by field).
        stored.available = (available - points).toUint80();
        if (block.timestamp > bounds.updatedAt) stored.updatedAt = uint48(block.timestamp);
    }

    /**
     * @dev The budget now: what was left at `updatedAt` plus a linear refill, never above the budget's size. A
     * block stamped before `updatedAt` (a dev chain that mined ahead of its clock) refills nothing.
     */
    function _issuanceAvailable(IssuanceBounds memory bounds) private view returns (uint256) {
        // slither-disable-next-line incorrect-equality (a setting, not a balance: 0 = bounds never set)
        if (bounds.budgetPeriod == 0) return 0;
        uint256 capacity = _issuanceCapacity(bounds);
        uint256 elapsed = block.timestamp > bounds.updatedAt ? block.timestamp - bounds.updatedAt : 0;
        return Math.min(bounds.available + (capacity * elapsed) / bounds.budgetPeriod, capacity);
    }

    function _issuanceCapacity(IssuanceBounds memory bounds) private view returns (uint256) {
        return Math.max(bounds.budgetFloor, (_getTotalSupply() * bounds.budgetBps) / _BPS);
    }

    function _join(address account) private {
        uint32 number = ++_memberCount;
        Member storage member = _members[account];
        member.number = number;
        member.since = uint48(block.timestamp);
        emit MemberJoined(account, number, block.timestamp);
        if (!member.delegated) emit DelegateChanged(account, address(0), account);
    }

    /// @dev Records that `account` chose a delegate, after {Votes} moved its votes from the implicit one.
    function _delegate(address account, address delegatee) internal override {
        super._delegate(account, delegatee);
        _members[account].delegated = true;
    }

    function _getVotingUnits(address account) internal view override returns (uint256) {
        return _members[account].points;
    }

    function _issueEarned(address member, uint256 stampId, ClaimMethod method, uint256 ref) private {
        StampType storage stamp = _existingStamp(stampId);
        _checkWindow(stamp.journeyId);
        if (balanceOf(member, stampId) != 0) revert OdysseyAlreadyHolds(member, stampId);
        _issue(stamp, member, stampId, 1, method, ref);
    }

    /// @dev The one issue path: supply, the mint (which draws on the issuance budget), the record.
    function _issue(
        StampType storage stamp,
        address to,
        uint256 stampId,
        uint256 quantity,
        ClaimMethod method,
        uint256 ref
    ) private {
        uint256 minted = stamp.minted + quantity;
        if (stamp.maxSupply != 0 && minted > stamp.maxSupply) revert OdysseySoldOut(stampId, stamp.maxSupply);
        stamp.minted = minted.toUint32();
        _mint(to, stampId, quantity, "");
        emit StampClaimed(to, stampId, method, quantity, ref);
    }

    function _useVoucherNonce(uint256 nonce) private {
        uint256 bit = 1 << (nonce & 0xff);
        uint256 bits = _usedVoucherNonces[nonce >> 8];
        if (bits & bit != 0) revert OdysseyVoucherUsed(nonce);
        _usedVoucherNonces[nonce >> 8] = bits | bit;
    }

    function _checkWindow(uint32 journeyId) private view {
        Journey storage j = _journeys[journeyId];
        uint64 start = j.start;
        uint64 end = j.end;
        if (block.timestamp < start || (end != 0 && block.timestamp > end)) {
            revert OdysseyOutsideWindow(journeyId, start, end);
        }
    }

    function _existingStamp(uint256 stampId) private view returns (StampType storage stamp) {
        stamp = _stampTypes[stampId];
        if (stamp.journeyId == 0) revert OdysseyUnknownStamp(stampId);
    }

    function _journeyExists(uint256 journeyId) private view returns (bool) {
        return bytes(_journeys[journeyId].name).length != 0;
    }

    function _setJourney(uint256 journeyId, string calldata name, string calldata uri_, uint64 start, uint64 end) private {
        if (bytes(name).length == 0) revert OdysseyInvalidId(journeyId);
        if (end != 0 && end < start) revert OdysseyInvalidWindow(start, end);
        _journeys[journeyId] = Journey(name, uri_, start, end);
        emit JourneyConfigured(journeyId, name, uri_, start, end);
    }

    function _emitStampType(uint256 stampId) private {
        StampType memory stamp = _stampTypes[stampId];
        emit StampTypeConfigured(
            stampId,
            stamp.journeyId,
            _stampNames[stampId],
            stamp.points,
            stamp.maxSupply,
            stamp.soulbound
        );
    }

    function _setRoyalty(uint96 royaltyBps) private {
        if (royaltyBps > _BPS) revert OdysseyInvalidBps(royaltyBps);
        _setDefaultRoyalty(_treasury, royaltyBps);
        emit RoyaltySet(royaltyBps);
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
