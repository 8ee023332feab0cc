"""Corrections of billed time: a ticket's category in a period whose statement was sent, changed by the head
of service (an upheld objection, or their tag on the ticket). Each one makes that period's statement due for an
amended version; `amended_by` names the version that carries it, so the amendment is issued once."""
from __future__ import annotations

from sqlalchemy import insert, select, update

from mailbot.store.models import corrections


def add(conn, values: dict) -> None:
    conn.execute(insert(corrections).values(**values))


def categories(conn, client_id: str, period: str) -> dict[int, str]:
    """The category each corrected ticket has in the period now: the latest correction wins."""
    rows = conn.execute(select(corrections.c.ticket_id, corrections.c.category).where(
        corrections.c.client_id == client_id, corrections.c.period == period).order_by(corrections.c.id))
    return {r.ticket_id: r.category for r in rows}


def due(conn) -> list[tuple[str, str]]:
    """(client, period) pairs with corrections no statement carries yet, oldest first."""
    rows = conn.execute(select(corrections.c.client_id, corrections.c.period).where(
        corrections.c.amended_by.is_(None)).group_by(corrections.c.client_id, corrections.c.period)
        .order_by(corrections.c.client_id, corrections.c.period))
    return [(r.client_id, r.period) for r in rows]


def pending(conn, client_id: str, period: str) -> list[int]:
    """The ids of the period's corrections still waiting for their amendment."""
    return list(conn.execute(select(corrections.c.id).where(
        corrections.c.client_id == client_id, corrections.c.period == period,
        corrections.c.amended_by.is_(None))).scalars())


def carried(conn, ids: list[int], statement_id: int) -> int:
    """Mark corrections as carried by a statement; returns how many were still waiting (a concurrent run that
    took them first leaves fewer, and its caller rolls back)."""
    return conn.execute(update(corrections).where(corrections.c.id.in_(ids), corrections.c.amended_by.is_(None))
                        .values(amended_by=statement_id)).rowcount
