"""The issuer's records: every voucher it signs, stored before it is returned, and how its delivery goes.

Nothing lost, nothing doubled:
- One open voucher per (member, stamp): asking again gives the same voucher until it is used or expires (then the next
  one takes `seq` + 1). Two processes asking at once race for the same (member, stamp, seq) row with INSERT … ON
  CONFLICT DO NOTHING: one inserts, the other reads the winner's row.
- The row is inserted, its nonce computed from its id, the voucher signed and written into it, and the transaction
  committed before the voucher leaves the process: a process killed before the commit leaves nothing (and returned
  nothing), one killed after it leaves a voucher that the next delivery round of any process sends (`due`).
- The chain has the last word: a nonce claims once, and an earned stamp is held once per member.

Nonces are `(epoch << 64) | id`: `epoch` is the millisecond this store was created, so consecutive vouchers share the
stamps contract's bitmap words (cheaper claims), two processes on one database never collide (ids are unique), and
neither does a process on a database that was reset (a later epoch). They lie far above scripts/vouchers.py's
`(unix ms << 40) | …`.
"""
import time
from dataclasses import dataclass

from sqlalchemy import Connection, or_, select, update

from backend.chain.protocol import Voucher
from backend.db.models import IssuedVoucher
from backend.db.session import get_engine, upsert, write_connection
from backend.settings import Settings

LEASE_SECONDS = 30  # one process at a time sends a voucher; a killed one's lease ends after this


@dataclass(frozen=True)
class Issued:
    """A stored voucher and where its delivery stands."""

    id: int
    member: str
    stamp_id: int
    nonce: int
    deadline: int
    signature: str
    activity: str
    evidence: dict
    created_at: float
    relayed: bool
    tx_hash: str | None
    retry_at: float | None
    last_error: str | None
    outcome: str | None

    @property
    def voucher(self) -> Voucher:
        return Voucher(member=self.member, stampId=self.stamp_id, nonce=self.nonce, deadline=self.deadline,
                       signature=self.signature)

    @classmethod
    def of(cls, row) -> "Issued":
        return cls(
            id=row.id, member=row.member, stamp_id=int(row.stamp_id), nonce=int(row.nonce), deadline=row.deadline,
            signature=row.signature, activity=row.activity, evidence=row.evidence, created_at=row.created_at,
            relayed=row.relayed, tx_hash=row.tx_hash, retry_at=row.retry_at, last_error=row.last_error, outcome=row.outcome,
        )


class VoucherStore:
    def __init__(self, settings: Settings, clock=time.time):
        self.settings = settings
        self.engine = get_engine(settings)
        self.insert = upsert(self.engine)
        self.clock = clock
        self.epoch = int(clock() * 1000)

    def _usable(self, row, now: float) -> bool:
        """Still worth handing out: not refused, and its deadline leaves the relay its margin."""
        return row.outcome != "refused" and row.deadline > now + self.settings.relay_deadline_margin

    def _latest(self, connection: Connection, member: str, stamp_id: int):
        return connection.execute(
            select(IssuedVoucher).where(IssuedVoucher.member == member, IssuedVoucher.stamp_id == str(stamp_id))
            .order_by(IssuedVoucher.seq.desc()).limit(1)
        ).first()

    def open_voucher(self, member: str, stamp_id: int) -> Issued | None:
        """The member's voucher for the stamp that can still be used, if any."""
        with write_connection(self.engine) as connection:
            row = self._latest(connection, member, stamp_id)
        return Issued.of(row) if row is not None and self._usable(row, self.clock()) else None

    def issue(self, member: str, stamp_id: int, *, activity: str, evidence: dict, deadline: int, relayed: bool,
              sign) -> tuple[Issued, bool]:
        """The member's open voucher for the stamp, or a new one signed by `sign(nonce, deadline) -> Voucher` and stored
        before this returns; (voucher, whether it is new). A new relayed voucher comes leased to this process, which
        sends it first (a delivery round elsewhere leaves it alone)."""
        now = self.clock()
        with write_connection(self.engine) as connection:
            latest = self._latest(connection, member, stamp_id)
        if latest is not None and self._usable(latest, now):
            return Issued.of(latest), False
        seq = latest.seq + 1 if latest is not None else 0
        # Write first (SQLite then takes its write lock at once, rather than failing to upgrade a read).
        with write_connection(self.engine) as connection, connection.begin():
            inserted = connection.execute(
                self.insert(IssuedVoucher).values(
                    member=member, stamp_id=str(stamp_id), seq=seq, deadline=deadline, activity=activity,
                    evidence=evidence, created_at=now, relayed=relayed, lease_until=now + LEASE_SECONDS if relayed else None,
                ).on_conflict_do_nothing(index_elements=[IssuedVoucher.member, IssuedVoucher.stamp_id, IssuedVoucher.seq])
                .returning(IssuedVoucher.id)
            ).first()
            if inserted is None:  # another request issued it a moment ago
                winner = connection.execute(select(IssuedVoucher).where(
                    IssuedVoucher.member == member, IssuedVoucher.stamp_id == str(stamp_id), IssuedVoucher.seq == seq)).one()
                return Issued.of(winner), False
            nonce = (self.epoch << 64) | inserted.id
            voucher = sign(nonce, deadline)
            connection.execute(update(IssuedVoucher).where(IssuedVoucher.id == inserted.id).values(
                nonce=str(nonce), signature=voucher.signature))
        return self.get(inserted.id), True

    def get(self, voucher_id: int) -> Issued:
        with write_connection(self.engine) as connection:
            return Issued.of(connection.execute(select(IssuedVoucher).where(IssuedVoucher.id == voucher_id)).one())

    def of_member(self, member: str) -> list[Issued]:
        """A member's vouchers, newest first."""
        with write_connection(self.engine) as connection:
            rows = connection.execute(
                select(IssuedVoucher).where(IssuedVoucher.member == member, IssuedVoucher.nonce.is_not(None))
                .order_by(IssuedVoucher.id.desc())
            ).all()
        return [Issued.of(row) for row in rows]

    def members_with_voucher(self, stamp_id: int) -> set[str]:
        """Members with a voucher for the stamp that is open, collected or refused: a completion round issues them
        nothing more (one refused, say for a sold-out stamp, is not signed again every round; the member may ask)."""
        with write_connection(self.engine) as connection:
            rows = connection.execute(select(IssuedVoucher.member).where(
                IssuedVoucher.stamp_id == str(stamp_id),
                or_(IssuedVoucher.outcome.is_not(None), IssuedVoucher.deadline > self.clock()))).scalars()
            return set(rows)

    def due(self, limit: int = 50) -> list[Issued]:
        """Open relayed vouchers whose delivery is due (never sent, or its retry time passed), each leased to this
        process for LEASE_SECONDS so another process's round skips it."""
        now = self.clock()
        with write_connection(self.engine) as connection:
            candidates = connection.execute(
                select(IssuedVoucher.id).where(
                    IssuedVoucher.outcome.is_(None), IssuedVoucher.relayed.is_(True), IssuedVoucher.nonce.is_not(None),
                    IssuedVoucher.deadline > now + self.settings.relay_deadline_margin,
                    or_(IssuedVoucher.retry_at.is_(None), IssuedVoucher.retry_at <= now),
                    or_(IssuedVoucher.lease_until.is_(None), IssuedVoucher.lease_until <= now),
                ).order_by(IssuedVoucher.id).limit(limit)
            ).scalars().all()
        return [issued for issued in map(self._lease, candidates) if issued is not None]

    def _lease(self, voucher_id: int, *conditions, **values) -> Issued | None:
        """The voucher leased to this process for LEASE_SECONDS (with `values` set), unless another holds it."""
        now = self.clock()
        with write_connection(self.engine) as connection, connection.begin():
            taken = connection.execute(
                update(IssuedVoucher).where(
                    IssuedVoucher.id == voucher_id, *conditions,
                    or_(IssuedVoucher.lease_until.is_(None), IssuedVoucher.lease_until <= now),
                ).values(lease_until=now + LEASE_SECONDS, **values).returning(IssuedVoucher.id)
            ).first()
        return self.get(voucher_id) if taken is not None else None

    def take_for_relay(self, voucher_id: int) -> Issued | None:
        """An open voucher not sent yet, handed to the relay (the member had chosen to send it, or asks again) and leased
        to this process; None when it is on its way already or another process is sending it."""
        return self._lease(voucher_id, IssuedVoucher.outcome.is_(None), IssuedVoucher.tx_hash.is_(None), relayed=True)

    def sent(self, voucher_id: int, tx_hash: str) -> None:
        """The relay sent it: due again only if the transaction fails or leaves the pool (the round looks at it)."""
        self._update(voucher_id, tx_hash=tx_hash, sent_at=self.clock(), retry_at=self.clock() + LEASE_SECONDS,
                     last_error=None, lease_until=None)

    def retry_later(self, voucher_id: int, seconds: float, reason: str | None, keep_tx: bool = False) -> None:
        """Due again in `seconds`: to look at its transaction again (`keep_tx`), else to be sent anew."""
        values = {} if keep_tx else {"tx_hash": None}
        self._update(voucher_id, retry_at=self.clock() + seconds, last_error=reason, lease_until=None, **values)

    def settle(self, voucher_id: int, outcome: str, reason: str | None = None) -> None:
        """Final: "collected" (the member holds the stamp) or "refused" (the chain never will give it for this one)."""
        self._update(voucher_id, outcome=outcome, last_error=reason, lease_until=None)

    def _update(self, voucher_id: int, **values) -> None:
        with write_connection(self.engine) as connection, connection.begin():
            connection.execute(update(IssuedVoucher).where(IssuedVoucher.id == voucher_id).values(**values))
