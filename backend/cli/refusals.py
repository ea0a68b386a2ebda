"""The issuer's and the relay's refusals a member can meet, by their stable codes (backend/issuer/refusals.py,
backend/relay/refusals.py), in the member's language. A code not here (a partner's, a kiosk's, an operator's
configuration) shows the server's own English line: it names what an operator needs to fix."""
import time

from backend.cli.errors import response_detail
from backend.cli.language import N_, current_locale, relative, word
from backend.i18n import DEFAULT_LOCALE

# {when}: how long the server asks to wait (Retry-After), relative: `in 3 minutes` / `3分钟后`.
ISSUER = {
    "wrong_code": N_("code: that code is not right: check it and try again"),  # the field first, as the issuer says it
    "stamp_held": N_("you already have this stamp"),
    "journey_not_started": N_("this journey has not opened yet"),
    "journey_ended": N_("this journey has closed"),
    "stamps_missing": N_("collect the journey's other stamps first (`odyssey journeys` shows them)"),
    "unanswered_question": N_("answer every question of the quiz"),
    "unknown_choice": N_("an answer is not one of its question's choices"),
    "unknown_question": N_("an answer names a question the quiz does not ask"),
    "activity_not_set_up": N_("this activity is not set up yet: please tell the staff"),
    "quiz_tries_used": N_("no quiz tries left for this stamp: try again {when}"),
    "code_tries_used": N_("too many codes tried for this stamp: try again {when}"),
    "too_many_requests": N_("too many requests from this computer: try again {when}"),
    "siwe_from_future": N_("the sign-in was refused: check your computer's clock"),
    "siwe_not_yet_valid": N_("the sign-in was refused: check your computer's clock"),
    "node_unreachable": N_("the issuer cannot reach the network right now: try again later"),
}

# {member}: the member's address; {seconds}: how long the relay asks to wait (Retry-After).
RELAY = {
    "request_pending": N_("your last relayed transaction is still pending: send again once it is mined"),
    "member_rate_limited": N_("too many relayed requests for {member}: try again in {seconds} s"),
    "member_gas_used": N_("{member} has used its relayed gas for now: try again in {seconds} s"),
    "too_many_requests": N_("too many requests from this computer: try again in {seconds} s"),
    "nonce_used": N_("another transaction of yours went first: run the command again"),
    "nonce_not_due": N_("another transaction of yours is not mined yet: run the command again in a moment"),
    "request_expired": N_("the request expired before the relay got it: check your computer's clock and run the command again"),
    "relayer_out_of_funds": N_("the relayer is out of funds: try later, or send with your own gas (--pay-gas)"),
    "node_unreachable": N_("the relay cannot reach the network right now: try later, or send with your own gas (--pay-gas)"),
    "relay_not_set_up": N_("the relay is not available right now: try later, or send with your own gas (--pay-gas)"),
}


def refusal_line(response, table: dict, member: str | None = None) -> str:
    """The refusal in `response` in the member's words when `table` knows its code, else the server's English line.
    In English the server's line is the member's: it names what the code only sorts (the stamps missing, the date a
    journey opens)."""
    try:
        code = response.json().get("code")
    except (ValueError, AttributeError):
        code = None
    if code not in table or current_locale() == DEFAULT_LOCALE:
        return response_detail(response)
    wait = int(response.headers.get("Retry-After") or 0)
    return word(table, code).format(member=member, seconds=wait, when=relative(time.time() + wait))
