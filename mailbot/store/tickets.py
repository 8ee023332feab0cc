"""Tickets and their threads: the lookups threading makes for every message while the write lock is held, the
queue a receipt states the place in, and what a ticket's mail is threaded under."""
from __future__ import annotations

from sqlalchemy import bindparam, func, or_, select, update

from mailbot.store.compiled import Insert, Rows, Scalar
from mailbot.store.idlists import among
from mailbot.store.models import messages, thread_ids, tickets
from mailbot.tickets.lifecycle import QUEUED
from mailbot.tickets.vocabulary import (
    CLIENT_DIALOGUE,
    CLIENT_THREAD,
    FROM_CLIENT,
    Status,
)

COLUMNS = tuple(tickets.c.keys())
_INSERT_TICKET = Insert(tickets)
_THREAD_ID = Insert(thread_ids, ignore=True)
# Built once (see mailbot.store.compiled): the lookups every message makes while the write lock is held.
_BY_ID = Rows(select(tickets).where(tickets.c.id == bindparam("id")))
_OPEN_BY_SUBJECT = Rows(select(tickets).where(
    tickets.c.client_id == bindparam("client"), tickets.c.base_subject == bindparam("base"),
    tickets.c.status != Status.CLOSED).order_by(tickets.c.id.desc()).limit(1))
_REFS: dict[int, Rows] = {}  # by the number of Message-IDs asked about: 1, 2, 4 ... REFS_AT_ONCE
REFS_AT_ONCE = 64
_WAITING = Scalar(select(func.count()).select_from(tickets).where(
    or_(*(tickets.c.status == s for s in QUEUED))))  # two index ranges; built once


def insert(conn, values: dict) -> int:
    return _INSERT_TICKET(conn, values)


def change(conn, ticket_id: int, changes: dict) -> None:
    conn.execute(update(tickets).where(tickets.c.id == ticket_id).values(**changes))


def by_id(conn, ticket_id: int) -> dict | None:
    return _BY_ID.first(conn, {"id": ticket_id})


# What a ticket's service-level clocks read of it (mailbot.services.service_levels.levels).
_CLOCK_COLUMNS = (tickets.c.id, tickets.c.client_id, tickets.c.status, tickets.c.priority, tickets.c.category,
                  tickets.c.created_at)


def for_clocks(conn, ticket_ids) -> dict[int, dict]:
    """What the service-level clocks read of many tickets (id, client, status, priority, category, when
    opened), by id; ids not found are left out."""
    ids, out = list(ticket_ids), {}
    for first in range(0, len(ids), 500):
        out.update({r["id"]: dict(r) for r in conn.execute(
            select(*_CLOCK_COLUMNS).where(among(conn, tickets.c.id, ids[first:first + 500]))).mappings()})
    return out


def open_by_subject(conn, client_id: str, base: str) -> dict | None:
    """The client's newest ticket not closed with this base subject."""
    return _OPEN_BY_SUBJECT.first(conn, {"client": client_id, "base": base})


def tickets_of(conn, message_ids: list[str]) -> list[int]:
    """The tickets that sent or received any of these Message-IDs, newest first."""
    found = set()
    for i in range(0, len(message_ids), REFS_AT_ONCE):
        chunk = message_ids[i:i + REFS_AT_ONCE]
        size = 1 << (len(chunk) - 1).bit_length()  # padded with its first: one statement per power of two
        query = _REFS.get(size)
        if query is None:
            query = _REFS[size] = Rows(select(thread_ids.c.ticket_id).where(
                thread_ids.c.message_id.in_([bindparam(f"m{k}") for k in range(size)])))
        chunk += chunk[:1] * (size - len(chunk))
        found.update(r["ticket_id"] for r in query.all(conn, {f"m{k}": m for k, m in enumerate(chunk)}))
    return sorted(found, reverse=True)


def remember_message_id(conn, message_id: str | None, ticket_id: int | None) -> None:
    """A Message-ID a later reply may name, for the ticket it belongs to (written with the next statement)."""
    if message_id and ticket_id is not None:
        _THREAD_ID.later(conn, dict(message_id=message_id[:990], ticket_id=ticket_id))


def queue_position(conn) -> int:
    """A new request's place in the queue of waiting requests (oldest first): it comes last."""
    return _WAITING(conn) + 1


def senders(conn, ticket_id: int) -> list[str]:
    """Everyone who wrote to us on the ticket."""
    return [r.sender for r in conn.execute(select(messages.c.sender).where(
        messages.c.ticket_id == ticket_id, messages.c.direction == "in").distinct())]


def client_thread(conn, ticket_id: int) -> tuple[str | None, list[str]]:
    """(the client's latest Message-ID, every Message-ID of the client's thread): what our answer to the client
    names in In-Reply-To and References, so their mail program threads it under their own messages."""
    ids = [r.message_id for r in conn.execute(select(messages.c.message_id).where(
        messages.c.ticket_id == ticket_id, messages.c.message_id.is_not(None),
        messages.c.disposition.in_(CLIENT_THREAD)).order_by(messages.c.id))]
    latest = conn.execute(select(messages.c.message_id).where(
        messages.c.ticket_id == ticket_id, messages.c.direction == "in",
        messages.c.disposition.in_(FROM_CLIENT), messages.c.message_id.is_not(None)).order_by(
        messages.c.id.desc()).limit(1)).scalar()
    return latest, ids


def dialogue(conn, ticket_id: int) -> list:
    """The written exchange the client saw, oldest first: rows of direction, sender, time and text."""
    return list(conn.execute(select(messages.c.direction, messages.c.sender_name, messages.c.sender,
                                    messages.c.created_at, messages.c.body_text, messages.c.disposition).where(
        messages.c.ticket_id == ticket_id, messages.c.disposition.in_(CLIENT_DIALOGUE)).order_by(messages.c.id)))


def close_waiting(conn, ticket_id: int, now) -> bool:
    """Close a ticket that still waits for its client; False when it no longer waits (the client answered)."""
    return conn.execute(update(tickets).where(tickets.c.id == ticket_id, tickets.c.status == Status.WAITING)
                        .values(status=Status.CLOSED, updated_at=now)).rowcount == 1
