// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IdeaBoard} from "../governance/IdeaBoard.sol";
import {OdysseyStamps} from "../stamps/OdysseyStamps.sol";

/**
 * @dev Test only: a member that is a contract refusing every ERC-1155 stamp sent to it (it has no
 * `onERC1155Received`), as a hostile or careless author's contract wallet would. It joins and submits an idea.
 */
contract RejectingAuthor {
    function join(OdysseyStamps stamps) external {
        stamps.join();
    }

    function submit(IdeaBoard board, string calldata title) external returns (uint256) {
        return board.submit(title, "", bytes32(0));
    }
}
