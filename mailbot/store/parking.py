"""Parked messages (invariant 8): the raw bytes of a message the pipeline failed on, its error and attempts.

A row is `parked` while it waits for its next retry, `failed` once it has used its attempts (an operator
replays it by hand), and `done` once a replay stored it.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import bindparam, func, insert, select, update

from mailbot.store.compiled import Scalar
from mailbot.store.models import parked
from mailbot.store.views import iso
from mailbot.tickets.vocabulary import ParkedStatus

# The parked copy's bytes (never NULL, so None means none is parked): the guard's stub when it kept no original.
_PARKED_RAW = Scalar(select(parked.c.raw).where(parked.c.idem_key == bindparam("key"),
                                                parked.c.status != ParkedStatus.DONE).order_by(parked.c.id).limit(1))


def park(conn, *, source: str, mailbox: str, mail_from: str, raw: bytes, idem_key: str, error: str, now,
         retry_seconds: float) -> int:
    """A new parked row, first retry after `retry_seconds`; returns its id."""
    return conn.execute(insert(parked).values(
        source=source, mailbox=mailbox, mail_from=mail_from, raw=raw, idem_key=idem_key, error=error, attempts=1,
        status=ParkedStatus.PARKED, created_at=now, updated_at=now,
        next_retry_at=now + timedelta(seconds=retry_seconds))).inserted_primary_key[0]


def failed_again(conn, parked_id: int, error: str, now, *, max_attempts: int, retry_seconds: float) -> None:
    """A replay failed too: count the attempt and back off exponentially, or give up after max_attempts."""
    row = conn.execute(select(parked.c.attempts).where(parked.c.id == parked_id)).first()
    attempts = (row.attempts if row else 0) + 1
    give_up = attempts >= max_attempts
    conn.execute(update(parked).where(parked.c.id == parked_id).values(
        error=error, attempts=attempts, updated_at=now,
        status=ParkedStatus.FAILED if give_up else ParkedStatus.PARKED,
        next_retry_at=None if give_up else now + timedelta(seconds=retry_seconds * 2 ** (attempts - 1))))


def mark_done(conn, parked_id: int, now) -> None:
    conn.execute(update(parked).where(parked.c.id == parked_id).values(status=ParkedStatus.DONE, updated_at=now))


def parked_raw(conn, key: str) -> bytes | None:
    """The bytes parked under this idempotency key and not yet replayed, or None."""
    return _PARKED_RAW(conn, {"key": key})


def due(conn, now, limit: int = 20) -> list:
    """Rows whose retry time has come, oldest first."""
    return list(conn.execute(select(parked).where(
        parked.c.status == ParkedStatus.PARKED, parked.c.next_retry_at <= now).order_by(parked.c.id).limit(limit)))


def not_done(conn, parked_id: int | None = None) -> list:
    """What an operator's replay takes: one row, or every row not yet done."""
    q = select(parked).where(parked.c.status != ParkedStatus.DONE)
    if parked_id is not None:
        q = q.where(parked.c.id == parked_id)
    return list(conn.execute(q.order_by(parked.c.id)))


def list_parked(conn, include_done=False) -> list[dict]:
    """Parked messages as plain data (`mailbot parked list --json`)."""
    q = select(parked.c.id, parked.c.source, parked.c.mailbox, parked.c.mail_from, parked.c.status,
               parked.c.attempts, parked.c.created_at, parked.c.updated_at, parked.c.error,
               func.length(parked.c.raw).label("size")).order_by(parked.c.id)
    if not include_done:
        q = q.where(parked.c.status != ParkedStatus.DONE)
    return [{"id": r.id, "source": r.source, "mailbox": r.mailbox, "mail_from": r.mail_from, "status": r.status,
             "attempts": r.attempts, "size": r.size, "created_at": iso(r.created_at),
             "updated_at": iso(r.updated_at), "error": r.error.strip().splitlines()[-1] if r.error else ""}
            for r in conn.execute(q)]


def show_parked(conn, parked_id: int) -> dict | None:
    """One parked message as plain data, with its whole error (`mailbot parked show --json`)."""
    r = conn.execute(select(parked).where(parked.c.id == parked_id)).first()
    if r is None:
        return None
    return {"id": r.id, "source": r.source, "mailbox": r.mailbox, "mail_from": r.mail_from, "status": r.status,
            "attempts": r.attempts, "size": len(r.raw), "created_at": iso(r.created_at),
            "updated_at": iso(r.updated_at), "next_retry_at": iso(r.next_retry_at), "error": r.error}


def counts(conn) -> dict[str, int]:
    """Messages parked and not yet stored, by status (waiting for a replay, or given up): a metric's gauge."""
    return {status: n for status, n in conn.execute(
        select(parked.c.status, func.count()).where(parked.c.status != ParkedStatus.DONE).group_by(parked.c.status))}
