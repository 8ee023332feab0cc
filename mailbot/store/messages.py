"""Messages as they arrived: the row with its text, the raw copy (unless the guard said no) and the files.

The idempotency key (invariant 2) is looked up here: a message already stored is a redelivery.
"""
from __future__ import annotations

import json

from sqlalchemy import bindparam, delete, insert, select, update

from mailbot.store.compiled import Insert, Rows
from mailbot.store.models import attachments, messages, raw_messages, tickets

INSERT_MESSAGE = Insert(messages)
_INSERT_RAW = Insert(raw_messages)
_INSERT_ATTACHMENTS = insert(attachments)
_STORED = Rows(select(messages.c.id, messages.c.privacy).where(messages.c.idem_key == bindparam("key")).limit(1))


def insert(conn, values: dict, raw: bytes | None, files=()) -> int:
    """The message's row, its raw copy (None: not kept) and its attachments; returns the row's id."""
    row = INSERT_MESSAGE(conn, values)
    if raw is not None:
        _INSERT_RAW.later(conn, dict(message_id=row, raw=raw))
    if files:
        conn.execute(_INSERT_ATTACHMENTS, [dict(
            message_id=row, filename=a.filename[:500], content_type=a.content_type, size=a.size, sha256=a.sha256,
            content_id=a.content_id, data=a.data) for a in files])
    return row


def stored(conn, key: str) -> dict | None:
    """The message already stored under this idempotency key: its id and privacy stub (JSON), or None."""
    return _STORED.first(conn, {"key": key})


def is_stored(conn, key: str) -> bool:
    """Has a message with this idempotency key been committed (by another worker, say)?"""
    return conn.execute(select(messages.c.id).where(messages.c.idem_key == key).limit(1)).first() is not None


def allowed_until(conn) -> list:
    """Messages kept whole under a [pd-allow] exemption, with the date their ticket's exemption runs to."""
    return conn.execute(select(messages.c.id, messages.c.ticket_id, messages.c.privacy, tickets.c.pd_allow_until)
                        .join(tickets, tickets.c.id == messages.c.ticket_id)
                        .where(messages.c.privacy.like('%"action": "allowed"%'))).all()


def purge(conn, message_id: int, stub: dict) -> None:
    """Delete a message's raw copy, text and files; its stub (what arrived, and when it was purged) stays."""
    conn.execute(delete(raw_messages).where(raw_messages.c.message_id == message_id))
    conn.execute(delete(attachments).where(attachments.c.message_id == message_id))
    conn.execute(update(messages).where(messages.c.id == message_id).values(
        body_text=None, privacy=json.dumps(stub, ensure_ascii=False)))
