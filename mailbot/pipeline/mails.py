"""The mail an agent's command causes: their words or news of their work for the client, threaded under the
client's own messages, and the answer to the agent.

Mail to the client is a person's doing, not an automatic answer: it does not count against the daily limit,
and a relay of the agent's own words carries no Auto-Submitted header (RFC 3834).
"""
from __future__ import annotations

from mailbot.agents.quotes import reply_text
from mailbot.outbound.formats import local_time
from mailbot.outbound.mail import Mail
from mailbot.store import tickets as ticket_rows
from mailbot.tickets.vocabulary import Disposition


def to_client(ctx, kind, *, to=None, values=None, attachments=()) -> Mail:
    to = to or (ctx.ticket["contact"] if ctx.ticket else ctx.sender,)
    return Mail(kind, tuple(to), values={"agent_name": ctx.agent.name, **(values or {})}, counted=False,
                auto_submitted=None if kind == Disposition.RELAY else "auto-generated", attachments=attachments,
                thread=client_thread(ctx))


def client_thread(ctx) -> tuple | None:
    """The client's mail client threads our answer under their own messages, not under the agent's."""
    if ctx.ticket is None:
        return None
    return ticket_rows.client_thread(ctx.conn, ctx.ticket["id"])


def to_agent(ctx, kind, **values) -> Mail:
    return Mail(kind, ctx.agent.email, values={"agent_name": ctx.agent.name, "agent_subject": ctx.msg.subject,
                                               **values}, lang=ctx.agent.language, counted=False,
                auto_submitted="auto-replied")


def contacts_on_ticket(ctx) -> tuple[str, ...]:
    """Who an agent's questions go to (seed 001: "the contact addresses agreed together"): the ticket's requester,
    every registered contact of its client, and any other address of that client who wrote on the ticket."""
    client = ctx.config.client_by_id(ctx.ticket["client_id"])
    found = [ctx.ticket["contact"]]
    if client is not None:
        found += [c for c in client.contacts if c not in found]
        for sender in ticket_rows.senders(ctx.conn, ctx.ticket["id"]):
            if sender and sender not in found and ctx.config.client_for(sender) is client:
                found.append(sender)
    return tuple(a for a in found if "@" in a)


def dialogue(ctx) -> list[dict]:
    """The whole written exchange the client saw, oldest first (seed 001: the solution with the dialogue)."""
    lang, zone = ctx.ticket["language"], client_timezone(ctx.config, ctx.ticket["client_id"])
    return [{"who": r.sender_name or r.sender, "when": local_time(r.created_at, lang, zone),
             "text": (reply_text(r.body_text or "") if r.direction == "in" else _relayed_text(r.body_text)).strip()}
            for r in ticket_rows.dialogue(ctx.conn, ctx.ticket["id"])]


def client_timezone(config, client_id: str | None) -> str:
    """The time zone a client reads times in: its own, else its language's, else the tickets' (config.client_zone)."""
    client = config.client_by_id(client_id)
    return config.client_zone(client)[1] if client is not None else config.tickets.timezone


def _relayed_text(body: str | None) -> str:
    """Our own relays carry the agent's text above a footer line of dashes."""
    return (body or "").split("\n-- \n", 1)[0]
