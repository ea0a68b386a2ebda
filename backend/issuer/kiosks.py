"""Kiosk tokens: what ops give a store's tablet so it can show a stamp's rotating code (scripts/kiosk.py issues and
revokes them). A kiosk holds its token and nothing else: no key, no seed. The database keeps only the token's SHA-256,
so printing a kiosk's link again means issuing a new token."""
import secrets
import time

from sqlalchemy import insert, or_, select, update

from backend.db.models import Kiosk
from backend.db.session import get_engine, write_connection
from backend.issuer.sessions import token_hash
from backend.settings import Settings


def kiosk_link(settings: Settings, token: str) -> str:
    """The kiosk page with its token in the fragment, which browsers never send to a server (nor to its logs)."""
    return f"{settings.public_url.rstrip('/')}/kiosk.html#token={token}"


def create_kiosk(settings: Settings, stamp_id: int, name: str) -> tuple[int, str]:
    """A new kiosk for `stamp_id`: its id and token (shown once)."""
    token = secrets.token_urlsafe(32)
    with write_connection(get_engine(settings)) as connection, connection.begin():
        kiosk_id = connection.execute(insert(Kiosk).values(
            name=name, stamp_id=str(stamp_id), token_hash=token_hash(token), created_at=time.time(),
        ).returning(Kiosk.id)).scalar_one()
    return kiosk_id, token


def revoke_kiosks(settings: Settings, which: str) -> list[int]:
    """Switch off the live kiosks whose id or name is `which`; their ids."""
    match = Kiosk.name == which
    if which.isdigit():
        match = or_(match, Kiosk.id == int(which))
    with write_connection(get_engine(settings)) as connection, connection.begin():
        return list(connection.execute(
            update(Kiosk).where(match, Kiosk.revoked_at.is_(None)).values(revoked_at=time.time()).returning(Kiosk.id)
        ).scalars())


def list_kiosks(settings: Settings) -> list:
    with write_connection(get_engine(settings)) as connection:
        return connection.execute(select(Kiosk.id, Kiosk.name, Kiosk.stamp_id, Kiosk.created_at, Kiosk.revoked_at)
                                  .order_by(Kiosk.id)).all()


def live_kiosk(settings: Settings, token: str):
    """The kiosk a token opens (id, name, stamp_id), or None if it is unknown or was revoked."""
    with write_connection(get_engine(settings)) as connection:
        return connection.execute(select(Kiosk.id, Kiosk.name, Kiosk.stamp_id).where(
            Kiosk.token_hash == token_hash(token), Kiosk.revoked_at.is_(None))).first()
