// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @dev Errors of {OdysseyTimelock} beyond OZ's {TimelockController}.
interface IOdysseyTimelock {
    /// @dev A guardian may not cancel operation `id`: it does nothing but remove guardians.
    error TimelockGuardianRemovalNotCancellable(bytes32 id);
}
