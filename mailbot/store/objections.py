"""Objections (seed 000 §8) as recorded: who disputed what, when, on time or late, and what the head decided.

An objection has items, one per disputed ticket and billing period; the head decides each item, and the
objection's status follows them (open until every item is decided; upheld, rejected or partly when done).
"""
from __future__ import annotations

from sqlalchemy import func, insert, select, update

from mailbot.store.models import messages, objection_items, objections
from mailbot.store.views import iso
from mailbot.tickets.vocabulary import ObjectionStatus


def insert_objection(conn, values: dict, items: list[dict]) -> int:
    """The objection and its items; returns its id (the reference is O-<id>)."""
    objection_id = conn.execute(insert(objections).values(**values)).inserted_primary_key[0]
    if items:
        conn.execute(insert(objection_items), [dict(item, objection_id=objection_id) for item in items])
    return objection_id


def set_message(conn, objection_id: int, message_row: int) -> None:
    conn.execute(update(objections).where(objections.c.id == objection_id).values(message_row=message_row))


def by_id(conn, objection_id: int, lock: bool = False):
    """The objection's row; `lock`: held until the transaction ends (PostgreSQL), so that two decisions on it made
    at once by two daemons are applied one after the other, the second seeing what the first decided."""
    q = select(objections).where(objections.c.id == objection_id)
    return conn.execute(q.with_for_update() if lock else q).first()


def items_of(conn, objection_id: int) -> list:
    return conn.execute(select(objection_items).where(objection_items.c.objection_id == objection_id)
                        .order_by(objection_items.c.id)).all()


def decide_item(conn, item_id: int, outcome: str, new_category: str | None, explanation: str, actor: str,
                now) -> None:
    conn.execute(update(objection_items).where(objection_items.c.id == item_id).values(
        outcome=outcome, new_category=new_category, explanation=explanation, decided_by=actor, decided_at=now))


def set_status(conn, objection_id: int, status: str, actor: str | None = None, now=None) -> None:
    values = dict(status=status) | (dict(decided_by=actor, decided_at=now) if actor else {})
    conn.execute(update(objections).where(objections.c.id == objection_id).values(**values))


def received_between(conn, client_id: str, start, end) -> dict[str, int]:
    """How many objections the client made in [start, end) (aware datetimes), by status."""
    rows = conn.execute(select(objections.c.status, func.count()).where(
        objections.c.client_id == client_id, objections.c.received_at >= start, objections.c.received_at < end)
        .group_by(objections.c.status)).all()
    return {status: n for status, n in rows}


def received_of(conn, client_ids: list[str], start, end) -> dict[str, list]:
    """The objections many clients made in [start, end), as (received_at, status) by client: a month-end run
    counts each client's in its own month (received_between) from these."""
    out: dict[str, list] = {c: [] for c in client_ids}
    for first in range(0, len(client_ids), 500):
        for r in conn.execute(select(objections.c.client_id, objections.c.received_at, objections.c.status).where(
                objections.c.client_id.in_(client_ids[first:first + 500]), objections.c.received_at >= start,
                objections.c.received_at < end)):
            out[r.client_id].append((r.received_at, r.status))
    return out


def listing(conn, open_only: bool = False) -> list[dict]:
    """Every objection, newest first, as plain data (`mailbot objections list --json`)."""
    q = select(objections).order_by(objections.c.id.desc())
    if open_only:
        q = q.where(objections.c.status == ObjectionStatus.OPEN)
    out = []
    for r in conn.execute(q):
        tickets = [i.ticket_id for i in items_of(conn, r.id)]
        out.append(dict(ref=f"O-{r.id}", id=r.id, client=r.client_id, contact=r.contact, status=r.status,
                        late=r.late, refusal=r.refusal, received_at=iso(r.received_at),
                        deadline=r.deadline.isoformat() if r.deadline else None, tickets=tickets,
                        decided_by=r.decided_by, decided_at=iso(r.decided_at)))
    return out


def show(conn, objection_id: int) -> dict | None:
    """One objection with its items and its mail, as plain data (`mailbot objections show REF --json`)."""
    r = by_id(conn, objection_id)
    if r is None:
        return None
    items = [dict(ticket=i.ticket_id, period=i.period, statement=i.statement_id, category=i.category, late=i.late,
                  outcome=i.outcome, new_category=i.new_category, explanation=i.explanation,
                  decided_by=i.decided_by, decided_at=iso(i.decided_at)) for i in items_of(conn, objection_id)]
    mail = [dict(at=iso(m.created_at), sender=m.sender, subject=m.subject, disposition=m.disposition)
            for m in conn.execute(select(messages.c.created_at, messages.c.sender, messages.c.subject,
                                         messages.c.disposition).where(messages.c.objection_id == objection_id)
                                  .order_by(messages.c.id))]
    return dict(ref=f"O-{r.id}", id=r.id, client=r.client_id, contact=r.contact, contact_name=r.contact_name,
                subject=r.subject, reasoning=r.reasoning, language=r.language, status=r.status, late=r.late,
                refusal=r.refusal, received_at=iso(r.received_at),
                deadline=r.deadline.isoformat() if r.deadline else None, decided_by=r.decided_by,
                decided_at=iso(r.decided_at), items=items, messages=mail)
