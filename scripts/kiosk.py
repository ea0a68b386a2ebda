"""Kiosk links for staff: a tablet in a store opens its link and shows a stamp's rotating code and QR code. The link
carries a token (the database keeps only its SHA-256); the kiosk holds no key and no seed, and a revoked token stops
working at once.

    .venv/bin/python scripts/kiosk.py issue <stampId> [--name NAME] [--replace]   # prints the kiosk's link (once)
    .venv/bin/python scripts/kiosk.py revoke <kioskId | name>
    .venv/bin/python scripts/kiosk.py list

It works on the issuer's database (DATABASE_URL, the API's) and reads the stamp's earn rule there (scripts/journeys.py
wrote it): the stamp must be earned by a rotating code. Links start with ODYSSEY_PUBLIC_URL, the page's address.
Bad input stops it with a one-line `error: ...` before anything is written.
"""
import argparse
import datetime
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from backend.db import migrate  # noqa: E402
from backend.db.models import EarnRule  # noqa: E402
from backend.db.session import session_factory  # noqa: E402
from backend.issuer.earn import parse  # noqa: E402
from backend.issuer.kiosks import create_kiosk, kiosk_link, list_kiosks, revoke_kiosks  # noqa: E402
from backend.settings import Settings, get_settings  # noqa: E402


def main(argv: list[str] | None = None, settings: Settings | None = None) -> str:
    parser = argparse.ArgumentParser(prog="scripts/kiosk.py", description="issue, revoke and list kiosk links")
    actions = parser.add_subparsers(dest="action", required=True)
    issue = actions.add_parser("issue", help="a new kiosk for a stamp earned by a rotating code")
    issue.add_argument("stamp_id", metavar="stampId")
    issue.add_argument("--name", help="what staff call it (default: 'Kiosk for stamp <id>')")
    issue.add_argument("--replace", action="store_true", help="revoke the live kiosks of that name first")
    revoke = actions.add_parser("revoke", help="switch off kiosks by id or name")
    revoke.add_argument("kiosk")
    actions.add_parser("list", help="every kiosk, live or revoked")
    args = parser.parse_args(argv)
    settings = settings or get_settings()
    try:
        output = _run(args, settings)
    except ValueError as exc:
        raise SystemExit(f"error: {exc}") from None
    print(output)
    return output


def _run(args, settings: Settings) -> str:
    migrate.upgrade(settings)
    if args.action == "issue":
        if not args.stamp_id.isdigit():
            raise ValueError(f"stampId must be a whole number, not {args.stamp_id!r}")
        stamp_id = int(args.stamp_id)
        with session_factory(settings)() as session:
            rule = session.get(EarnRule, str(stamp_id))
        if rule is None:
            raise ValueError(f"stamp {stamp_id} is an unknown stamp here: no journey file loaded into {_where(settings)} "
                             "says how it is earned (run scripts/journeys.py first)")
        earn = parse(rule.spec)
        if earn.kind != "code" or earn.rotating is None:
            raise ValueError(f"stamp {stamp_id} is earned by {earn.kind if earn.kind != 'code' else 'a code word'}, "
                             "not a rotating code: a kiosk has nothing to show")
        name = args.name or f"Kiosk for stamp {stamp_id}"
        revoked = revoke_kiosks(settings, name) if args.replace else []
        kiosk_id, token = create_kiosk(settings, stamp_id, name)
        note = f" (revoked kiosk {', '.join(map(str, revoked))})" if revoked else ""
        return f"kiosk {kiosk_id} {name!r} for stamp {stamp_id}{note}: open on the tablet\n  {kiosk_link(settings, token)}"
    if args.action == "revoke":
        revoked = revoke_kiosks(settings, args.kiosk)
        if not revoked:
            raise ValueError(f"no live kiosk has the id or name {args.kiosk!r} (see `scripts/kiosk.py list`)")
        return f"revoked kiosk {', '.join(map(str, revoked))}: its link stops working now"
    rows = list_kiosks(settings)
    lines = [f"{k.id:>4}  stamp {k.stamp_id:<6} {'revoked ' + _date(k.revoked_at) if k.revoked_at else 'live':<20} {k.name}"
             for k in rows]
    return "\n".join(lines) if lines else "no kiosks yet"


def _date(timestamp: float) -> str:
    return datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def _where(settings: Settings) -> str:
    return settings.database_url.split("@")[-1]  # never a password


if __name__ == "__main__":
    main()
