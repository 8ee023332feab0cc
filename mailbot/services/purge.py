"""Purge what a [pd-allow] exemption let us keep, once the exemption has run out.

A head of service grants `[pd-allow DATE]` on a ticket when the client's request form is in; messages with
personal data that arrive on that ticket are then kept whole, marked "allowed" in their privacy stub. After
the ticket's date (as it stands now: the head may extend it) their raw copy, text and files are deleted and
the stub says when. Run daily by the scheduler and by `mailbot privacy purge`.
"""
from __future__ import annotations

import json
from datetime import date

from mailbot.store import messages
from mailbot.store.audit import add_event
from mailbot.tickets.vocabulary import EventKind


def purge_expired(conn, today: date, now) -> int:
    """Purge every message kept under an exemption that ended before `today`; returns how many."""
    purged = 0
    for row in messages.allowed_until(conn):
        if row.pd_allow_until is not None and row.pd_allow_until >= today:
            continue
        stub = json.loads(row.privacy)
        stub.update(action="purged", purged_on=today.isoformat())
        messages.purge(conn, row.id, stub)
        add_event(conn, row.ticket_id, EventKind.PERSONAL_DATA,
                  f"purged message {row.id}: the pd-allow exemption ended", now)
        purged += 1
    return purged
