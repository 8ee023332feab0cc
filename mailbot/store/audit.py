"""The audit trail: every change to a ticket and every decision about mail is an event row (who, what, when)."""
from __future__ import annotations

from mailbot.store.compiled import Insert
from mailbot.store.models import events

_INSERT_EVENT = Insert(events)


def add_event(conn, ticket_id, kind: str, detail: str, at, actor: str | None = None, message_row=None) -> None:
    """An event with the next statement (nobody waits for its id); `kind` is a tickets.vocabulary.EventKind."""
    _INSERT_EVENT.later(conn, dict(ticket_id=ticket_id, kind=kind, detail=detail, at=at, actor=actor,
                                   message_row=message_row))
