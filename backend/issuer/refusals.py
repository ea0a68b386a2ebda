"""Every refusal of the issuer service, named by a stable machine-readable code: clients (the member page, the CLI)
recognise a refusal by its `code` in the error body and word it themselves, in the member's language; the body's
`detail` stays one English line for people reading logs and curl output. docs/activities.md lists the codes."""

# code -> (HTTP status, when), in the order of a member's path: signing in, the stamp, its journey, the activity, a
# partner's receipt, a kiosk, the limits, the service itself.
REFUSALS: dict[str, tuple[int, str]] = {
    "not_signed_in": (401, "no session token, an unknown one, or one signed out"),
    "session_expired": (401, "the session is over: sign in again"),
    "siwe_malformed": (401, "the sign-in message is not an EIP-4361 message"),
    "siwe_wrong_domain": (401, "the sign-in message names another site"),
    "siwe_wrong_chain": (401, "the sign-in message names another chain"),
    "siwe_wrong_statement": (401, "the sign-in message does not say this site's statement"),
    "siwe_from_future": (401, "the sign-in message was issued in the future (the device's clock)"),
    "siwe_expired": (401, "the sign-in message's expiration time has passed"),
    "siwe_not_yet_valid": (401, "the sign-in message's not-before time has not come"),
    "siwe_wrong_signer": (401, "the signature is not the message's address's"),
    "siwe_nonce_used": (401, "the sign-in message's nonce expired or was used already"),
    "no_such_stamp": (404, "there is no such stamp"),
    "not_earned_this_way": (404, "the stamp is not earned by this activity"),
    "journey_not_started": (409, "the stamp's journey has not opened yet"),
    "journey_ended": (409, "the stamp's journey has closed"),
    "stamp_held": (409, "the member holds the stamp already"),
    "stamps_missing": (409, "a completion's required stamps are not all held (the detail names them)"),
    "unknown_question": (422, "a quiz answer names a question the quiz does not ask"),
    "unanswered_question": (422, "a quiz question is not answered"),
    "unknown_choice": (422, "a quiz answer is not one of its question's choices"),
    "wrong_code": (422, "the code word or rotating code is not right"),
    "unknown_partner": (401, "a receipt names a partner the issuer does not know"),
    "stale_timestamp": (401, "a receipt's Odyssey-Timestamp is malformed or too far from the issuer's clock"),
    "bad_signature": (401, "a receipt's Odyssey-Signature does not match"),
    "partner_not_assigned": (403, "the partner does not issue this stamp"),
    "replayed": (409, "a receipt's Idempotency-Key was delivered before"),
    "unknown_member_code": (422, "no member has the receipt's member code"),
    "kiosk_token_invalid": (401, "no kiosk token, or one unknown or switched off"),
    "not_rotating_code": (404, "the kiosk's stamp is earned by a code word, not a rotating code"),
    "too_many_requests": (429, "too many requests from one client IP (Retry-After)"),
    "quiz_tries_used": (429, "no quiz tries left today for this member and stamp (Retry-After)"),
    "code_tries_used": (429, "too many codes tried for this member and stamp (Retry-After)"),
    "kiosk_too_often": (429, "a kiosk asks too often (Retry-After)"),
    "issuer_not_set_up": (503, "the issuer service is not set up (its key, role or deployment)"),
    "activity_not_set_up": (503, "the activity's secret is missing from the issuer's secrets"),
    "node_unreachable": (503, "the chain node cannot be reached"),
}


class Refusal(Exception):
    """What a member, partner or kiosk asked is refused: a code of REFUSALS (its HTTP status), one English line saying
    why, and the body field it concerns (a 422's)."""

    def __init__(self, code: str, message: str, *, field: str | None = None, headers: dict | None = None):
        super().__init__(message)
        self.status = REFUSALS[code][0]
        self.code, self.message, self.field, self.headers = code, message, field, headers

