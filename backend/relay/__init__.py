"""Gasless relaying: members sign, the relayer pays.

- `forwarding`: the ERC-2771 ForwardRequest (EIP-712) members sign, shared with the CLI and tests;
- `allowlist`: which (contract, function) the relayer pays for, as data;
- `limits`: the rate limits, and each member's transaction in flight and gas budget, kept in the database (shared
  by every API process);
- `service`: checks, simulation and sending (`Relay`);
- `router`: the FastAPI routes (`POST /relay`, `POST /relay/call`, `POST /relay/claim`, `GET /relay/{tx}`), with
  the per-IP limits and the JSON check.
"""
