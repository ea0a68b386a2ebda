// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @dev ERC-5192 (minimal soulbound tokens): `locked` tells wallets and marketplaces that a token cannot move.
interface IERC5192 {
    /// @dev Emitted when the locking status of a token is set to locked.
    event Locked(uint256 tokenId);

    /// @dev Emitted when the locking status of a token is set to unlocked.
    event Unlocked(uint256 tokenId);

    /// @notice Whether token `tokenId` is soulbound.
    function locked(uint256 tokenId) external view returns (bool);
}
