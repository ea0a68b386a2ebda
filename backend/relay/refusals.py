"""Every refusal of the relay, named by a stable machine-readable code, as the issuer names its own
(backend/issuer/refusals.py): clients (the member page, the CLI) recognise a refusal by its `code` and word it in the
member's language; `detail` stays one English line for logs and curl. docs/relay.md lists the codes."""

# code -> (HTTP status, when), in the order the relay checks (backend/relay/service.py).
REFUSALS: dict[str, tuple[int, str]] = {
    "too_many_requests": (429, "too many requests (or status requests) from one client IP (Retry-After)"),
    "relay_not_set_up": (503, "the relay cannot start: its key, deployment or node"),
    "contract_not_relayed": (403, "`to` is not a contract the relayer calls"),
    "function_not_relayed": (403, "the function is not relayed, or not by this route"),
    "data_too_short": (422, "`data` is too short to name a function"),
    "data_too_long": (422, "`data` is longer than the relayer takes"),
    "arguments_malformed": (422, "`data`'s arguments do not decode as the function's"),
    "argument_too_long": (422, "a string argument is longer than the relayer pays for"),
    "value_not_zero": (422, "a ForwardRequest carries ether"),
    "over_gas_cap": (422, "the request's gas, or the call's estimate, is over the function's cap"),
    "request_expired": (422, "the request's deadline has passed"),
    "deadline_too_close": (422, "the deadline leaves too little time for the transaction to be mined"),
    "nonce_used": (409, "the ForwardRequest's nonce was used already (a replay)"),
    "nonce_not_due": (409, "the ForwardRequest's nonce is ahead of the member's next one"),
    "wrong_signer": (422, "the signature does not recover to `from` (tampered, or signed for another domain)"),
    "target_not_trusting": (422, "the forwarder refuses the request (the target does not trust it)"),
    "request_pending": (409, "a relayed transaction of the member's is still pending"),
    "member_rate_limited": (429, "too many relayed requests for the member (Retry-After)"),
    "member_gas_used": (429, "the member has used its relayed gas for now (Retry-After)"),
    "would_revert": (422, "the simulation reverts (the detail: the contract's decoded error)"),
    "relayer_out_of_funds": (503, "the relayer cannot pay for the transaction"),
    "node_refused": (502, "the node refused the signed transaction"),
    "node_unreachable": (503, "the chain node cannot be reached"),
    "unknown_transaction": (404, "the node does not know the transaction"),
    "not_relayed_transaction": (404, "the transaction was not sent by this relayer"),
}
