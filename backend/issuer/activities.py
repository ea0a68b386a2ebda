"""The checks of the activities a member plays, pure functions of the earn rule, the secret and what the member gave:
a quiz's score, a code word, a rotating code (RFC 6238, pyotp) and what a kiosk shows (its QR code: segno)."""
import hmac
import math
import unicodedata

import pyotp
import segno

from backend.issuer.earn import Code, Quiz
from backend.issuer.refusals import Refusal


def check_quiz_answers(quiz: Quiz, given: dict[str, str]) -> None:
    """422 for an unanswered or unknown question or choice in `given` (question id -> choice id): the member fixes the
    form, and it counts as no attempt."""
    questions = {q.id: q for q in quiz.questions}
    unknown = sorted(set(given) - set(questions))
    if unknown:
        raise Refusal("unknown_question", f"no such question: {', '.join(unknown)}", field="answers")
    missing = [q for q in questions if q not in given]
    if missing:
        raise Refusal("unanswered_question", f"answer every question (missing: {', '.join(missing)})", field="answers")
    for question_id, choice in given.items():
        if choice not in questions[question_id].choices:
            raise Refusal("unknown_choice", f"{choice!r} is not a choice of question {question_id}", field="answers")


def quiz_score(quiz: Quiz, answers_key: dict[str, str], given: dict[str, str]) -> int:
    """How many of the (checked) answers are right."""
    return sum(hmac.compare_digest(given[q.id], answers_key[q.id]) for q in quiz.questions)


def _normalised(word: str) -> bytes:
    return " ".join(unicodedata.normalize("NFKC", word).casefold().split()).encode()


def totp(seed: str, code: Code) -> pyotp.TOTP:
    return pyotp.TOTP(seed, digits=code.rotating.digits, interval=code.rotating.period)


def code_matches(code: Code, secret: str, given: str, now: float) -> bool:
    """A secret word, ignoring case and spacing; or a rotating code of the current period or either neighbour (a
    member typing across a change of code)."""
    if code.word is not None:
        return hmac.compare_digest(_normalised(given), _normalised(secret))
    digits = "".join(given.split())
    return digits.isdigit() and totp(secret, code).verify(digits, for_time=int(now), valid_window=1)


def kiosk_view(code: Code, seed: str, now: float, link_base: str, stamp_id: int) -> dict:
    """What a kiosk shows now: the code, when it changes, and a QR code (SVG) of the member page's link that fills it
    in (`<page>/#stamp=<id>&code=<code>`)."""
    period = code.rotating.period
    current = totp(seed, code).at(int(now))
    changes_at = (math.floor(now / period) + 1) * period
    link = f"{link_base.rstrip('/')}/#stamp={stamp_id}&code={current}"
    qr = segno.make(link, error="m").svg_inline(scale=8, border=2, dark="#1d2327", light="#ffffff")
    return {"code": current, "changesAt": changes_at, "period": period, "link": link, "qrSvg": qr}
