"""Tickets as plain data, for the CLI and scripts (the JSON shape is in docs/operations.md)."""
from __future__ import annotations

from sqlalchemy import select

from mailbot.store.models import attachments, events, messages, tickets, time_entries


def iso(dt):
    """A time in the plain data the CLI prints (ISO 8601, UTC), or None."""
    return dt.isoformat() if dt else None


def ticket_summary(row, config) -> dict:
    row = dict(row)  # a row mapping
    client = config.client_by_id(row["client_id"]) if row["client_id"] else None
    return {"ref": f"#{row['id']}", "id": row["id"], "status": row["status"], "mailbox": row["mailbox"],
            "client": {"id": client.id, "name": client.name} if client else (
                {"id": row["client_id"], "name": None} if row["client_id"] else None),
            "contact": row["contact"], "contact_name": row["contact_name"], "subject": row["subject"],
            "language": row["language"], "created_at": iso(row["created_at"]), "updated_at": iso(row["updated_at"]),
            "assignee": row["assignee"], "category": row["category"], "priority": row["priority"],
            "follows": f"#{row['follows']}" if row["follows"] else None}


def list_tickets(conn, config, status=None, limit=100, client=None, assignee=None, unassigned=False,
                 rows=False) -> list:
    """Tickets as plain data, newest first (`rows`: the table's rows instead, for what the caller computes)."""
    q = select(tickets).order_by(tickets.c.id.desc())
    if limit is not None:
        q = q.limit(limit)
    if status:
        q = q.where(tickets.c.status == status)
    if client:
        q = q.where(tickets.c.client_id == client)
    if assignee:
        agent = config.agent_for(assignee) or next((a for a in config.agents if a.name.lower().startswith(
            assignee.lower()) or a.email.startswith(assignee.lower() + "@")), None)
        q = q.where(tickets.c.assignee == (agent.email if agent else assignee.lower()))
    if unassigned:
        q = q.where(tickets.c.assignee.is_(None))
    found = conn.execute(q).mappings().all()
    return list(found) if rows else [ticket_summary(r, config) for r in found]


def parse_ref(ref: str) -> int:
    value = str(ref).strip().lstrip("[").rstrip("]").lstrip("#")
    if not value.isdigit():
        raise ValueError(f"not a ticket reference: {ref!r} (use 12 or #12)")
    return int(value)


def show_ticket(conn, config, ref) -> dict | None:
    row = conn.execute(select(tickets).where(tickets.c.id == parse_ref(ref))).mappings().first()
    if row is None:
        return None
    out = ticket_summary(row, config)
    row = dict(row)
    files = {}
    for a in conn.execute(select(attachments.c.message_id, attachments.c.filename, attachments.c.content_type,
                                 attachments.c.size).join(messages).where(messages.c.ticket_id == row["id"])
                          .order_by(attachments.c.id)):
        files.setdefault(a.message_id, []).append({"filename": a.filename, "content_type": a.content_type,
                                                    "size": a.size})
    out["messages"] = [{
        "id": m.id, "direction": m.direction, "kind": m.disposition, "sender": m.sender,
        "sender_name": m.sender_name, "recipients": m.recipients, "subject": m.subject, "message_id": m.message_id,
        "created_at": iso(m.created_at), "text": m.body_text, "attachments": files.get(m.id, []),
        "purged_at": iso(m.purged_at)}
        for m in conn.execute(select(messages).where(messages.c.ticket_id == row["id"]).order_by(messages.c.id))]
    out["time_entries"] = [{
        "work_date": t.work_date.isoformat(), "agent": t.agent, "contact": t.contact, "minutes": t.minutes,
        "category": t.category, "description": t.description} for t in conn.execute(
        select(time_entries).where(time_entries.c.ticket_id == row["id"]).order_by(time_entries.c.id))]
    out["events"] = [{"at": iso(e.at), "kind": e.kind, "detail": e.detail, "actor": e.actor,
                      "message": e.message_row} for e in conn.execute(
        select(events).where(events.c.ticket_id == row["id"]).order_by(events.c.id))]
    return out
