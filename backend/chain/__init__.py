"""Chain-facing pieces the backend, the CLI, the scripts and the tests share:

- `protocol`: what the contracts and Python both know (enums, markers, roles, EIP-712 types, vouchers, claim links);
- `deployment`: the one loader of deployments/<chainId>.json, with the deployment's identity;
- `forwarding`: the ERC-2771 ForwardRequest members sign for gasless calls;
- `views`: the contracts' view functions (levels, proposal and idea states) computed from mirrored state;
- `reverts`: custom-error revert data made readable;
- `merkle`: OpenZeppelin StandardMerkleTree allowlists.
"""
