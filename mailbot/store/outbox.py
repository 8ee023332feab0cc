"""The outbox's rows (invariant 3): written in the transaction of their cause, claimed with a lease by a sender,
marked sent, retried with back-off, or given up on — and the per-address count that stops mail loops."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import and_, bindparam, case, exists, func, or_, select, text, update

from mailbot.store.audit import add_event
from mailbot.store.compiled import Insert, Scalar
from mailbot.store.idlists import among
from mailbot.store.messages import INSERT_MESSAGE
from mailbot.tickets.vocabulary import Disposition
from mailbot.store.owners import alive
from mailbot.store.models import outbox, outbox_raw, utcnow
from mailbot.store.tickets import remember_message_id
from mailbot.store.views import iso
from mailbot.tickets.vocabulary import EventKind, OutboxStatus

_INSERT_OUTBOX, _INSERT_RAW = Insert(outbox), Insert(outbox_raw)
_AUTO_SENT = Scalar(select(func.count()).select_from(outbox).where(
    outbox.c.rcpt == bindparam("rcpt"), outbox.c.auto.is_(True), outbox.c.created_at > bindparam("since")))


def write(conn, out, now) -> int:
    """The outbox row of `out` (an outbound.outbox.Outgoing) and the ticket's record of the mail, in the caller's
    transaction; returns the row's id."""
    rcpts = ",".join(r.lower() for r in out.recipients)
    row = _INSERT_OUTBOX(conn, dict(
        ticket_id=out.ticket_id, kind=out.kind, auto=out.counted, message_id=out.message_id, mail_from=out.mailbox,
        rcpt=out.recipients[0].lower(), recipients=rcpts, status=OutboxStatus.PENDING, attempts=0,
        next_attempt_at=now, created_at=now, lease_until=None, lease_owner=None, last_error=None,
        sent_at=None, failed_at=None))
    _INSERT_RAW.later(conn, dict(outbox_id=row, raw=out.raw))
    INSERT_MESSAGE.later(conn, dict(
        ticket_id=out.ticket_id, direction="out", source="mailbot", mailbox=out.mailbox, message_id=out.message_id,
        sender=out.mailbox, sender_name=out.sender_name, recipients=rcpts, subject=out.subject, body_text=out.text,
        disposition=out.kind, reason="", size=len(out.raw), defects="", created_at=now, idem_key=None))
    if out.ticket_id is not None:
        remember_message_id(conn, out.message_id, out.ticket_id)
    return row


def automatic_since(conn, rcpt: str, since) -> int:
    """How many automatic answers went to `rcpt` since then. On PostgreSQL concurrent workers count one
    after the other (an advisory lock on the address until the transaction ends)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:rcpt))"), {"rcpt": rcpt})
    return _AUTO_SENT(conn, {"rcpt": rcpt, "since": since})


def sent_as(conn, message_ids: list[str]):
    """The newest outbox row among these Message-IDs (a delivery report names what it is about): id, ticket_id."""
    return conn.execute(select(outbox.c.id, outbox.c.ticket_id).where(
        outbox.c.message_id.in_(message_ids)).order_by(outbox.c.id.desc())).first()


def mark_bounced(conn, outbox_id: int) -> None:
    conn.execute(update(outbox).where(outbox.c.id == outbox_id).values(status=OutboxStatus.BOUNCED))


def claim(conn, owner: str, limit: int, lease_seconds: float) -> list:
    """Lease due rows so that no other daemon sends them meanwhile (SKIP LOCKED on PostgreSQL; SQLite's
    single writer serialises the UPDATE)."""
    now = utcnow()
    due = select(outbox.c.id).where(
        outbox.c.status == OutboxStatus.PENDING, outbox.c.next_attempt_at <= now,
        or_(outbox.c.lease_until.is_(None), outbox.c.lease_until < now)).order_by(outbox.c.id).limit(limit)
    if conn.dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    ids = [r.id for r in conn.execute(due)]
    if len(ids) < limit and conn.dialect.name == "postgresql":
        ids += _from_the_dead(conn, owner, limit - len(ids), now)
    if not ids:
        return []
    conn.execute(update(outbox).where(outbox.c.id.in_(ids)).values(
        lease_until=now + timedelta(seconds=lease_seconds), lease_owner=owner))
    return list(conn.execute(select(outbox.c.id, outbox.c.ticket_id, outbox.c.mail_from, outbox.c.recipients,
                                    outbox_raw.c.raw, outbox.c.attempts, outbox.c.message_id).join_from(
        outbox, outbox_raw, outbox_raw.c.outbox_id == outbox.c.id).where(
        outbox.c.id.in_(ids), outbox.c.lease_owner == owner)))


def _from_the_dead(conn, owner: str, limit: int, now) -> list[int]:
    """Rows still leased by owners whose session has ended (mailbot.store.owners): theirs no longer."""
    holders = [r.lease_owner for r in conn.execute(
        select(outbox.c.lease_owner).where(outbox.c.status == OutboxStatus.PENDING, outbox.c.lease_until >= now,
                                           outbox.c.lease_owner != owner).distinct().limit(20))]
    dead = [h for h in holders if not alive(conn, h)]
    if not dead:
        return []
    return [r.id for r in conn.execute(select(outbox.c.id).where(
        outbox.c.status == OutboxStatus.PENDING, outbox.c.lease_owner.in_(dead), outbox.c.next_attempt_at <= now)
        .order_by(outbox.c.id).limit(limit).with_for_update(skip_locked=True))]


def mark_sent(conn, row_ids: list[int], owner: str) -> None:
    now = utcnow()
    # A delivery report may have marked it "bounced" while it was on its way: that verdict stands.
    conn.execute(update(outbox).where(and_(outbox.c.id.in_(row_ids), outbox.c.lease_owner == owner)).values(
        status=case((outbox.c.status == OutboxStatus.PENDING, OutboxStatus.SENT), else_=outbox.c.status),
        sent_at=now, lease_until=None, attempts=outbox.c.attempts + 1, last_error=None))


def mark_failed(conn, row, owner: str, error: str, *, permanent: bool, max_attempts: int, base: float,
                cap: float, jitter: float) -> str:
    """Back off exponentially; give up after max_attempts or on a permanent refusal, and say so on the ticket.
    Returns the event kind written (delivery-retry or delivery-failed)."""
    now = utcnow()
    attempts = row.attempts + 1
    final = permanent or attempts >= max_attempts
    delay = min(cap, base * 2 ** (attempts - 1)) * (1 + jitter)
    conn.execute(update(outbox).where(and_(outbox.c.id == row.id, outbox.c.lease_owner == owner)).values(
        status=OutboxStatus.FAILED if final else OutboxStatus.PENDING, attempts=attempts, last_error=error[:2000],
        lease_until=None, next_attempt_at=now + timedelta(seconds=delay), failed_at=now if final else None))
    kind = EventKind.DELIVERY_FAILED if final else EventKind.DELIVERY_RETRY
    add_event(conn, row.ticket_id, kind, f"outbox #{row.id} attempt {attempts}: {error[:500]}", now)
    return kind


def health(conn, now, failed_since) -> dict:
    """What `mailbot health` reports of the queue: how many mails wait, since when the oldest, and how many were
    given up since `failed_since`."""
    queued, oldest = conn.execute(select(func.count(), func.min(outbox.c.created_at)).where(
        outbox.c.status == OutboxStatus.PENDING)).one()
    failed = conn.execute(select(func.count()).select_from(outbox).where(
        outbox.c.status == OutboxStatus.FAILED, outbox.c.failed_at >= failed_since)).scalar()
    return dict(queued=queued, oldest_queued_at=oldest, failed=failed)


def _row(r) -> dict:
    return {"id": r.id, "ticket": f"#{r.ticket_id}" if r.ticket_id else None, "kind": r.kind,
            "status": r.status, "recipients": r.recipients, "message_id": r.message_id, "attempts": r.attempts,
            "created_at": iso(r.created_at), "sent_at": iso(r.sent_at), "failed_at": iso(r.failed_at),
            "next_attempt_at": iso(r.next_attempt_at) if r.status == OutboxStatus.PENDING else None,
            "last_error": r.last_error}


def listing(conn, status: str | None = None, limit: int = 100) -> list[dict]:
    """Outgoing mail, newest first, as plain data (`mailbot outbox list --json`)."""
    q = select(outbox).order_by(outbox.c.id.desc()).limit(limit)
    if status:
        q = q.where(outbox.c.status == status)
    return [_row(r) for r in conn.execute(q)]


def show(conn, outbox_id: int) -> dict | None:
    """One outgoing mail with its bytes' size (`mailbot outbox show`; None once retention purged them)."""
    r = conn.execute(select(outbox, func.length(outbox_raw.c.raw).label("size")).outerjoin_from(
        outbox, outbox_raw, outbox_raw.c.outbox_id == outbox.c.id).where(outbox.c.id == outbox_id)).first()
    return None if r is None else _row(r) | {"size": r.size}


def requeue(conn, outbox_id: int | None, now) -> list[int]:
    """Put failed mail (one, or all) back in the queue as it was: the same bytes and Message-ID, a fresh count
    of attempts. Returns the rows requeued, each noted on its ticket. Mail whose bytes retention purged is
    not: there is nothing left to send."""
    q = select(outbox.c.id, outbox.c.ticket_id).where(outbox.c.status == OutboxStatus.FAILED, exists().where(
        outbox_raw.c.outbox_id == outbox.c.id))
    if outbox_id is not None:
        q = q.where(outbox.c.id == outbox_id)
    rows = conn.execute(q.order_by(outbox.c.id)).all()
    if rows:
        conn.execute(update(outbox).where(outbox.c.id.in_([r.id for r in rows])).values(
            status=OutboxStatus.PENDING, attempts=0, next_attempt_at=now, failed_at=None, lease_until=None,
            lease_owner=None))
    for r in rows:
        add_event(conn, r.ticket_id, EventKind.DELIVERY_REQUEUED, f"outbox #{r.id} queued again by hand", now)
    return [r.id for r in rows]


def first_answers(conn, ticket_ids) -> dict[int, object]:
    """When each ticket's first answer to the client (a relay or the solution) was queued: the first response of
    tickets from before answers were recorded as events."""
    ids = list(ticket_ids)
    out = {}
    for first in range(0, len(ids), 500):
        out.update({r.ticket_id: r.at for r in conn.execute(
            select(outbox.c.ticket_id, func.min(outbox.c.created_at).label("at")).where(
                among(conn, outbox.c.ticket_id, ids[first:first + 500]),
                outbox.c.kind.in_((Disposition.RELAY, Disposition.RESOLVED)))
            .group_by(outbox.c.ticket_id))})
    return out
