"""The time journal (seed 002's consultation journal): who worked how long on which ticket, in which category,
under which version of the client's plan — and the queries statements and re-filing read it with."""
from __future__ import annotations

from sqlalchemy import insert, select, update

from mailbot.billing.periods import period_bounds
from mailbot.store.models import statements, tickets, time_entries

_INSERT_TIME = insert(time_entries)
# A period's entries with what a statement shows of them and of their tickets, in the order they are listed
# (only what it shows: a month-end run reads some hundred thousand of them).
_ENTRIES = (select(time_entries.c.id, time_entries.c.ticket_id, time_entries.c.agent, time_entries.c.work_date,
                   time_entries.c.minutes, time_entries.c.category, time_entries.c.description,
                   time_entries.c.plan_version, tickets.c.client_id, tickets.c.created_at.label("opened"),
                   tickets.c.contact.label("asker"), tickets.c.contact_name, tickets.c.subject,
                   tickets.c.category.label("final"))
            .join(tickets, tickets.c.id == time_entries.c.ticket_id)
            .order_by(time_entries.c.work_date, time_entries.c.id))


def add_entry(conn, values: dict) -> None:
    conn.execute(_INSERT_TIME, values)


def redescribe(conn, ticket_id: int, agent: str | None, description: str) -> int | None:
    """Give the latest entry on the ticket (the agent's own; any agent's when `agent` is None, for the head of
    service) a new description; returns the entry's id, None when there is none."""
    q = select(time_entries.c.id).where(time_entries.c.ticket_id == ticket_id)
    if agent is not None:
        q = q.where(time_entries.c.agent == agent)
    entry = conn.execute(q.order_by(time_entries.c.id.desc()).limit(1)).scalar()
    if entry is not None:
        conn.execute(update(time_entries).where(time_entries.c.id == entry).values(description=description))
    return entry


def period_entries(conn, client_id: str, start, end) -> list:
    """The client's entries with a work date in [start, end), with their tickets' subject, contact and category
    (what a statement shows: see _ENTRIES)."""
    return conn.execute(_ENTRIES.where(tickets.c.client_id == client_id, time_entries.c.work_date >= start,
                                       time_entries.c.work_date < end)).all()


def entries_of(conn, client_ids: list[str], start, end) -> dict[str, list]:
    """period_entries for many clients at once (a month-end run reads a chunk of clients in one query), by
    client."""
    out: dict[str, list] = {c: [] for c in client_ids}
    for first in range(0, len(client_ids), 500):
        for row in conn.execute(_ENTRIES.where(
                tickets.c.client_id.in_(client_ids[first:first + 500]), time_entries.c.work_date >= start,
                time_entries.c.work_date < end)):
            out[row.client_id].append(row)
    return out


def unfiled(conn, ticket_id: int, category: str) -> list:
    """The ticket's entries logged without a category of their own and now filed under another one."""
    return conn.execute(select(time_entries.c.id, time_entries.c.work_date, time_entries.c.plan_version).where(
        time_entries.c.ticket_id == ticket_id, time_entries.c.category_stated.is_(False),
        time_entries.c.category != category)).all()


def refile(conn, entry_ids: list[int], category: str) -> None:
    conn.execute(update(time_entries).where(time_entries.c.id.in_(entry_ids)).values(category=category))


def ticket_entries(conn, ticket_id: int, start=None, end=None) -> list:
    """The ticket's entries (with a work date in [start, end) when given), oldest first."""
    q = select(time_entries.c.id, time_entries.c.work_date, time_entries.c.minutes, time_entries.c.category,
               time_entries.c.plan_version).where(time_entries.c.ticket_id == ticket_id)
    if start is not None:
        q = q.where(time_entries.c.work_date >= start, time_entries.c.work_date < end)
    return conn.execute(q.order_by(time_entries.c.work_date, time_entries.c.id)).all()


def billed_periods(conn, client_id: str | None) -> set[str]:
    """The periods the client has been billed for: a statement issued after the period ended (an interim one,
    asked for during the month, bills nothing yet). Their time changes only by the head's correction."""
    return {r.period for r in conn.execute(select(statements.c.period, statements.c.created_at).where(
        statements.c.client_id == client_id)) if r.created_at.date() >= period_bounds(r.period)[1]}
