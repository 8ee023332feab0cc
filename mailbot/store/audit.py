"""The audit trail: every change to a ticket and every decision about mail is an event row (who, what, when)."""
from __future__ import annotations

from sqlalchemy import select

from mailbot.store.compiled import Insert
from mailbot.store.idlists import among
from mailbot.store.models import events

_INSERT_EVENT = Insert(events)


def add_event(conn, ticket_id, kind: str, detail: str, at, actor: str | None = None, message_row=None) -> None:
    """An event with the next statement (nobody waits for its id); `kind` is a tickets.vocabulary.EventKind."""
    _INSERT_EVENT.later(conn, dict(ticket_id=ticket_id, kind=kind, detail=detail, at=at, actor=actor,
                                   message_row=message_row))


def history(conn, ticket_ids, kinds) -> dict[int, list]:
    """The events of these kinds on these tickets, oldest first, by ticket: (at, kind, detail) rows."""
    out: dict[int, list] = {t: [] for t in ticket_ids}
    ids = list(ticket_ids)
    for first in range(0, len(ids), 500):
        for row in conn.execute(select(events.c.ticket_id, events.c.at, events.c.kind, events.c.detail).where(
                among(conn, events.c.ticket_id, ids[first:first + 500]), events.c.kind.in_(list(kinds)))
                .order_by(events.c.id)):
            out[row.ticket_id].append(row)
    return out
