"""When mailbot first served each client: the first period a scheduled statement may cover (no bill for a month
before mailbot was in use). The earliest of when the daemon first had the client in its configuration, its first
ticket, and its first journal entry's work date."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select

from mailbot.store.compiled import insert_ignore
from mailbot.store.models import clients_seen, tickets, time_entries


def register(conn, client_ids, now) -> None:
    """Note the clients not seen before as first seen now (one row each, never moved)."""
    known = {r.client_id for r in conn.execute(select(clients_seen.c.client_id))}
    for client_id in client_ids:
        if client_id not in known:
            insert_ignore(conn, clients_seen, client_id=client_id, first_seen=now)


def first_served(conn) -> dict[str, list[datetime | date]]:
    """client id -> the moments (and work dates) that could be its first: the caller takes the earliest period."""
    out: dict[str, list] = {}
    for cid, first in conn.execute(select(clients_seen.c.client_id, clients_seen.c.first_seen)):
        out.setdefault(cid, []).append(first)
    for cid, first in conn.execute(select(tickets.c.client_id, func.min(tickets.c.created_at)).where(
            tickets.c.client_id.is_not(None)).group_by(tickets.c.client_id)):
        out.setdefault(cid, []).append(first)
    for cid, first in conn.execute(select(tickets.c.client_id, func.min(time_entries.c.work_date)).join(
            tickets, tickets.c.id == time_entries.c.ticket_id).where(tickets.c.client_id.is_not(None)).group_by(
            tickets.c.client_id)):
        out.setdefault(cid, []).append(first)
    return out
