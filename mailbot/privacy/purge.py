"""Purge what a [pd-allow] exemption let us keep, once the exemption has run out.

A head of service grants `[pd-allow DATE]` on a ticket when the client's request form is in; messages with
personal data that arrive on that ticket are then kept whole, marked "allowed" in their privacy stub. After
the ticket's date (as it stands now: the head may extend it) their raw copy, text and files are deleted and
the stub says when. Run daily by the scheduler and by `mailbot privacy purge`.
"""
from __future__ import annotations

import json
from datetime import date

from sqlalchemy import delete, select, update

from mailbot.store.models import attachments, messages, raw_messages, tickets
from mailbot.store.queries import add_event


def purge_expired(conn, today: date, now) -> int:
    """Purge every message kept under an exemption that ended before `today`; returns how many."""
    rows = conn.execute(select(messages.c.id, messages.c.ticket_id, messages.c.privacy, tickets.c.pd_allow_until)
                        .join(tickets, tickets.c.id == messages.c.ticket_id)
                        .where(messages.c.privacy.like('%"action": "allowed"%'))).all()
    purged = 0
    for row in rows:
        if row.pd_allow_until is not None and row.pd_allow_until >= today:
            continue
        stub = json.loads(row.privacy)
        stub.update(action="purged", purged_on=today.isoformat())
        conn.execute(delete(raw_messages).where(raw_messages.c.message_id == row.id))
        conn.execute(delete(attachments).where(attachments.c.message_id == row.id))
        conn.execute(update(messages).where(messages.c.id == row.id).values(
            body_text=None, privacy=json.dumps(stub, ensure_ascii=False)))
        add_event(conn, row.ticket_id, "personal-data", f"purged message {row.id}: the pd-allow exemption ended",
                  now)
        purged += 1
    return purged
