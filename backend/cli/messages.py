"""Plain-language messages for the contracts' errors, keeping the precise error in parentheses."""
import datetime
import re

_CALL = re.compile(r"^(\w+)\((.*)\)$")


def _args(text: str) -> dict:
    return dict(part.split("=", 1) for part in text.split(", ") if "=" in part)


def _when(timestamp: str) -> str:
    try:
        return datetime.datetime.fromtimestamp(int(timestamp), datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    except (ValueError, OverflowError):
        return timestamp


MESSAGES = {
    "OdysseyVoucherUsed": lambda a: "this voucher was already claimed (or revoked)",
    "OdysseyVoucherExpired": lambda a: f"this voucher expired on {_when(a.get('deadline', '?'))}",
    "OdysseyInvalidIssuer": lambda a: "this voucher was not signed by an Odyssey issuer (damaged, or for another chain)",
    "OdysseyAlreadyMember": lambda a: "you are already a member",
    "OdysseyAlreadyHolds": lambda a: f"{a.get('member', 'the member')} already holds stamp {a.get('stampId', '?')}",
    "OdysseyOutsideWindow": lambda a: f"journey {a.get('journeyId', '?')} is not open for claims now",
    "OdysseySoldOut": lambda a: f"stamp {a.get('stampId', '?')} is sold out",
    "OdysseyUnknownStamp": lambda a: f"there is no stamp {a.get('stampId', '?')}",
    "EnforcedPause": lambda a: "Odyssey is paused for maintenance; try again later",
    "BenefitLevelTooLow": lambda a: (
        f"this benefit needs level {a.get('minLevel', '?')} when it was set (you were level {a.get('level', '?')} then)"
    ),
    "BenefitNotMember": lambda a: "benefits are for members: join first (`odyssey join`)",
    "OdysseyIssuanceBudgetExceeded": lambda a: "Odyssey has issued all the points the DAO allows for now; try again later",
    "BenefitAlreadyRedeemed": lambda a: "you already redeemed this benefit",
    "BenefitOutOfStock": lambda a: "this benefit is out of stock",
    "GovernorAlreadyCastVote": lambda a: "you already voted on this proposal",
    "GovernorNonexistentProposal": lambda a: f"there is no proposal {a.get('proposalId', '?')}",
    "GovernorUnexpectedProposalState": lambda a: "the proposal is not open for voting",
    "GovernorInvalidVoteType": lambda a: "that is not a valid choice for this proposal",
    "GovernorInsufficientProposerVotes": lambda a: f"not enough points to propose: you have {a.get('votes', '?')}, it takes {a.get('threshold', '?')}",
    "IdeaNotMember": lambda a: "only members can do this: join first (`odyssey join`)",
    "IdeaNotEnoughPoints": lambda a: (
        f"not enough points: you had {a.get('points', '?')} when it counted, it takes {a.get('minPoints', '?')}"
    ),
    "IdeaTooLong": lambda a: f"too long: {a.get('length', '?')} bytes, at most {a.get('max', '?')}",
    "IdeaAlreadySupported": lambda a: "you already support this idea",
    "IdeaUnknown": lambda a: f"there is no idea {a.get('ideaId', '?')}",
    "IdeaWrongState": lambda a: "this idea is no longer open for support",
    "IdeaEmptyTitle": lambda a: "an idea needs a title",
    "ShopNotForSale": lambda a: f"stamp {a.get('stampId', '?')} is not for sale",
    "ShopWrongPayment": lambda a: f"the price changed: it is now {a.get('expected', '?')} wei",
    "ShopWalletCapExceeded": lambda a: f"that is more than one wallet may buy ({a.get('walletCap', '?')})",
    "DropUnknown": lambda a: f"there is no drop {a.get('dropId', '?')}",
    "DropOutsideEntryWindow": lambda a: f"drop {a.get('dropId', '?')} is not taking entries now",
    "DropAlreadyEntered": lambda a: f"you already entered drop {a.get('dropId', '?')}",
    "DropLevelTooLow": lambda a: "your level when entries opened is too low for this drop",
    "DropRequiredStampMissing": lambda a: f"this drop is for holders of stamp {a.get('stampId', '?')}",
    "DropWrongPayment": lambda a: f"the entry costs {a.get('expected', '?')} wei",
    "DropSeedBlockNotReached": lambda a: f"the draw can happen after block {a.get('seedBlock', '?')}",
    "DropSeedBlockExpired": lambda a: "nobody drew in time: move the seed block first (odyssey drop <drop> move)",
    "DropSeedBlockNotExpired": lambda a: "the seed block can still be drawn: draw instead",
    "DropAlreadyDrawn": lambda a: f"drop {a.get('dropId', '?')} is drawn already",
    "DropNotDrawn": lambda a: f"drop {a.get('dropId', '?')} is not drawn yet",
    "DropNotEntered": lambda a: f"you did not enter drop {a.get('dropId', '?')}",
    "DropNotWinner": lambda a: "this entry did not win",
    "DropWon": lambda a: "this entry won: claim the stamp instead",
    "DropAlreadyClaimed": lambda a: "this win was claimed already",
    "DropAlreadyRefunded": lambda a: "this deposit was refunded already",
    "DropNothingToRefund": lambda a: "a free drop has no deposit to refund",
}


def friendly(reason: str) -> str:
    """`OdysseyVoucherUsed(nonce=7)` → `this voucher was already claimed (or revoked) (OdysseyVoucherUsed(nonce=7))`."""
    match = _CALL.match(reason.strip())
    if match and match.group(1) in MESSAGES:
        return f"{MESSAGES[match.group(1)](_args(match.group(2)))} ({reason})"
    return reason
