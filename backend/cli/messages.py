"""Plain-language messages for the contracts' errors, in the member's language, keeping the precise error in
parentheses."""
import re

from backend.cli.language import N_, _, moment, word

_CALL = re.compile(r"^(\w+)\((.*)\)$")


class _Arguments(dict):
    """The error's arguments by name; one the revert did not carry reads `?` (`the member` for a member)."""

    def __missing__(self, name: str) -> str:
        return _("the member") if name == "member" else "?"


def _args(text: str) -> _Arguments:
    found = _Arguments(part.split("=", 1) for part in text.split(", ") if "=" in part)
    if "deadline" in found:
        try:
            found["deadline"] = moment(int(found["deadline"]))
        except (ValueError, OverflowError):
            pass
    return found


MESSAGES = {
    "OdysseyVoucherUsed": N_("this voucher was already claimed (or revoked)"),
    "OdysseyVoucherExpired": N_("this voucher expired on {deadline}"),
    "OdysseyInvalidIssuer": N_("this voucher was not signed by an Odyssey issuer (damaged, or for another chain)"),
    "OdysseyAlreadyMember": N_("you are already a member"),
    "OdysseyAlreadyHolds": N_("{member} already holds stamp {stampId}"),
    "OdysseyOutsideWindow": N_("journey {journeyId} is not open for claims now"),
    "OdysseySoldOut": N_("stamp {stampId} is sold out"),
    "OdysseyUnknownStamp": N_("there is no stamp {stampId}"),
    "EnforcedPause": N_("Odyssey is paused for maintenance; try again later"),
    "BenefitLevelTooLow": N_("this benefit needs level {minLevel} when it was set (you were level {level} then)"),
    "BenefitNotMember": N_("benefits are for members: join first (`odyssey join`)"),
    "OdysseyIssuanceBudgetExceeded": N_("Odyssey has issued all the points the DAO allows for now; try again later"),
    "BenefitAlreadyRedeemed": N_("you already redeemed this benefit"),
    "BenefitOutOfStock": N_("this benefit is out of stock"),
    "GovernorAlreadyCastVote": N_("you already voted on this proposal"),
    "GovernorNonexistentProposal": N_("there is no proposal {proposalId}"),
    "GovernorUnexpectedProposalState": N_("the proposal is not open for voting"),
    "GovernorInvalidVoteType": N_("that is not a valid choice for this proposal"),
    "GovernorInsufficientProposerVotes": N_("not enough points to propose: you have {votes}, it takes {threshold}"),
    "IdeaNotMember": N_("only members can do this: join first (`odyssey join`)"),
    "IdeaNotEnoughPoints": N_("not enough points: you had {points} when it counted, it takes {minPoints}"),
    "IdeaTooLong": N_("too long: {length} bytes, at most {max}"),
    "IdeaAlreadySupported": N_("you already support this idea"),
    "IdeaUnknown": N_("there is no idea {ideaId}"),
    "IdeaWrongState": N_("this idea is no longer open for support"),
    "IdeaEmptyTitle": N_("an idea needs a title"),
    "ShopNotForSale": N_("stamp {stampId} is not for sale"),
    "ShopWrongPayment": N_("the price changed: it is now {expected} wei"),
    "ShopWalletCapExceeded": N_("that is more than one wallet may buy ({walletCap})"),
    "DropUnknown": N_("there is no drop {dropId}"),
    "DropOutsideEntryWindow": N_("drop {dropId} is not taking entries now"),
    "DropAlreadyEntered": N_("you already entered drop {dropId}"),
    "DropLevelTooLow": N_("your level when entries opened is too low for this drop"),
    "DropRequiredStampMissing": N_("this drop is for holders of stamp {stampId}"),
    "DropWrongPayment": N_("the entry costs {expected} wei"),
    "DropSeedBlockNotReached": N_("the draw can happen after block {seedBlock}"),
    "DropSeedBlockExpired": N_("nobody drew in time: move the seed block first (odyssey drop <drop> move)"),
    "DropSeedBlockNotExpired": N_("the seed block can still be drawn: draw instead"),
    "DropAlreadyDrawn": N_("drop {dropId} is drawn already"),
    "DropNotDrawn": N_("drop {dropId} is not drawn yet"),
    "DropNotEntered": N_("you did not enter drop {dropId}"),
    "DropNotWinner": N_("this entry did not win"),
    "DropWon": N_("this entry won: claim the stamp instead"),
    "DropAlreadyClaimed": N_("this win was claimed already"),
    "DropAlreadyRefunded": N_("this deposit was refunded already"),
    "DropNothingToRefund": N_("a free drop has no deposit to refund"),
}


def friendly(reason: str) -> str:
    """`OdysseyVoucherUsed(nonce=7)` → `this voucher was already claimed (or revoked) (OdysseyVoucherUsed(nonce=7))`."""
    match = _CALL.match(reason.strip())
    if match and match.group(1) in MESSAGES:
        said = word(MESSAGES, match.group(1)).format_map(_args(match.group(2)))
        return _("{message} ({error})").format(message=said, error=reason)
    return reason
