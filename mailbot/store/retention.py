"""The retention purge's queries: which messages are past keeping, what they hold, and deleting it.

A message is due when it arrived (or was sent) before the cut-off, is not purged yet, and its ticket (if it has
one) was resolved or closed and left alone since before the cut-off too: the mail of a ticket still being worked
on, or reopened lately, is kept whole, so the dialogue an agent and the solution mail quote is all there. Kept
whatever their age: statement mail (a billing record, beside the statement itself) and the mail of an objection
the head has not decided. Purging deletes the raw copy, the text, the files' bytes (their name, type, size and
checksum stay) and the bytes of our own mail as it was sent; the message's row stays, with `purged_at`, so that
threading (its Message-ID) and the history (sender, date, subject, size) still work.
"""
from __future__ import annotations

from sqlalchemy import delete, exists, func, or_, select, update

from mailbot.store.models import (attachments, messages, objections, outbox, outbox_raw, parked, raw_messages,
                                  tickets)
from mailbot.tickets.lifecycle import SOLVED
from mailbot.tickets.vocabulary import Disposition, ObjectionStatus, OutboxStatus


def _due(cutoff) -> tuple:
    """The conditions on a message itself (its ticket's are the caller's)."""
    return (messages.c.purged_at.is_(None), messages.c.created_at < cutoff,
            messages.c.disposition != Disposition.STATEMENT,
            or_(messages.c.objection_id.is_(None), messages.c.objection_id.not_in(
                select(objections.c.id).where(objections.c.status == ObjectionStatus.OPEN))),
            # our own mail not yet out of the queue (it cannot be that old, but its bytes are still to be sent)
            ~exists().where(outbox.c.message_id == messages.c.message_id, outbox.c.status == OutboxStatus.PENDING))


def last_ids(conn) -> tuple[int, int, int]:
    """The highest ticket, message and parked numbers: how far a run looks (what comes later is new)."""
    return tuple(conn.execute(select(func.max(t.c.id)).select_from(t)).scalar() or 0
                 for t in (tickets, messages, parked))


def _solved_before(cutoff) -> tuple:
    return tickets.c.status.in_(SOLVED), tickets.c.updated_at < cutoff


def tickets_due(conn, cutoff, after: int, upto: int, limit: int) -> list[int]:
    """Up to `limit` tickets numbered above `after` and up to `upto` (a window, so that one query never reads
    every ticket), resolved or closed and unchanged since before the cut-off, with messages due."""
    return list(conn.execute(select(tickets.c.id).where(
        tickets.c.id > after, tickets.c.id <= upto, *_solved_before(cutoff),
        exists().where(messages.c.ticket_id == tickets.c.id, *_due(cutoff))).order_by(tickets.c.id).limit(limit))
        .scalars())


def on_tickets(conn, cutoff, ticket_ids: list[int], lock: bool) -> list[int]:
    """The messages due on these tickets (asked again: one may have been reopened meanwhile); `lock`: held for
    the caller's transaction (on PostgreSQL, rows another purge holds are left to it)."""
    q = select(messages.c.id).where(messages.c.ticket_id.in_(
        select(tickets.c.id).where(tickets.c.id.in_(ticket_ids), *_solved_before(cutoff))), *_due(cutoff)).order_by(
        messages.c.id)
    return list(conn.execute(_locked(conn, q) if lock else q).scalars())


def loose_due(conn, cutoff, after: int, upto: int, limit: int, lock: bool) -> list[int]:
    """Up to `limit` messages on no ticket (bounces, loops, objections' mail ...) numbered above `after` and up
    to `upto`, due."""
    q = select(messages.c.id).where(messages.c.id > after, messages.c.id <= upto, messages.c.ticket_id.is_(None),
                                    *_due(cutoff)).order_by(messages.c.id).limit(limit)
    return list(conn.execute(_locked(conn, q) if lock else q).scalars())


def _locked(conn, q):
    return q.with_for_update(skip_locked=True) if conn.dialect.name == "postgresql" else q


def _sent(ids: list[int]):
    """The outbox rows of our own mail among these messages, no longer queued."""
    return select(outbox.c.id).join(messages, messages.c.message_id == outbox.c.message_id).where(
        messages.c.id.in_(ids), messages.c.direction == "out", outbox.c.status != OutboxStatus.PENDING)


def held(conn, ids: list[int]) -> list[dict]:
    """What each of these messages still holds: {id, ticket_id, files, mails, bytes} (files: attachments with
    their bytes; mails: sent copies; bytes: text as UTF-8, raw copy, files and sent copies together)."""
    out = {}
    for r in conn.execute(select(messages.c.id, messages.c.ticket_id, messages.c.body_text).where(
            messages.c.id.in_(ids))):
        out[r.id] = dict(id=r.id, ticket_id=r.ticket_id, files=0, mails=0,
                         bytes=len(r.body_text.encode("utf-8", "surrogatepass")) if r.body_text else 0)
    for mid, size in conn.execute(select(raw_messages.c.message_id, func.length(raw_messages.c.raw)).where(
            raw_messages.c.message_id.in_(ids))):
        out[mid]["bytes"] += size or 0
    for mid, n, size in conn.execute(select(attachments.c.message_id, func.count(), func.sum(func.length(
            attachments.c.data))).where(attachments.c.message_id.in_(ids), attachments.c.data.is_not(None))
            .group_by(attachments.c.message_id)):
        out[mid]["files"] += n
        out[mid]["bytes"] += int(size or 0)
    for mid, n, size in conn.execute(select(messages.c.id, func.count(), func.sum(func.length(outbox_raw.c.raw)))
                                     .join(outbox, outbox.c.message_id == messages.c.message_id)
                                     .join(outbox_raw, outbox_raw.c.outbox_id == outbox.c.id)
                                     .where(messages.c.id.in_(ids), messages.c.direction == "out",
                                            outbox.c.id.in_(_sent(ids))).group_by(messages.c.id)):
        out[mid]["mails"] += n
        out[mid]["bytes"] += int(size or 0)
    return [out[i] for i in sorted(out)]


def purge(conn, ids: list[int], now) -> None:
    """Delete what these messages hold, in the caller's transaction; their rows stay, marked purged now."""
    if not ids:
        return
    conn.execute(delete(raw_messages).where(raw_messages.c.message_id.in_(ids)))
    conn.execute(update(attachments).where(attachments.c.message_id.in_(ids), attachments.c.data.is_not(None))
                 .values(data=None))
    conn.execute(delete(outbox_raw).where(outbox_raw.c.outbox_id.in_(_sent(ids))))
    conn.execute(update(messages).where(messages.c.id.in_(ids)).values(body_text=None, purged_at=now))


def parked_due(conn, cutoff, after: int, upto: int, limit: int) -> list[int]:
    """Up to `limit` parked copies numbered above `after` and up to `upto`, parked before the cut-off (whatever
    became of them)."""
    return list(conn.execute(select(parked.c.id).where(
        parked.c.id > after, parked.c.id <= upto, parked.c.created_at < cutoff).order_by(parked.c.id).limit(limit))
        .scalars())


def parked_size(conn, ids: list[int]) -> int:
    return int(conn.execute(select(func.sum(func.length(parked.c.raw))).where(parked.c.id.in_(ids))).scalar() or 0)


def drop_parked(conn, ids: list[int]) -> None:
    conn.execute(delete(parked).where(parked.c.id.in_(ids)))
