// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {ERC2771Forwarder} from "@openzeppelin/contracts/metatx/ERC2771Forwarder.sol";

/**
 * @title OdysseyForwarder
 * @notice OpenZeppelin's ERC-2771 forwarder under Odyssey's EIP-712 name: members sign a ForwardRequest and a
 * relayer pays the gas. The stamps, benefits and ideas contracts trust it to carry the member as sender.
 */
contract OdysseyForwarder is ERC2771Forwarder {
    constructor() ERC2771Forwarder("OdysseyForwarder") {}
}
