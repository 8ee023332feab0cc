"""Telling agents: a client's new request goes to the client's consultant (assigned at once, seed 000's individual
consultant) or to the dispatchers; a client's reply goes to the ticket's assignee (or the dispatchers).

Each notification carries the client's message and files, and a reply address that signs the ticket and the
agent (see mailbot.agents.auth), so the agent's answer proves itself.
"""
from __future__ import annotations

from mailbot.outbound.mail import Mail
from mailbot.store import tickets as ticket_rows
from mailbot.tickets.vocabulary import Disposition, EventKind


def dispatchers(config) -> list:
    """Who takes what no one else has: the dispatchers, or the head of service when there are none."""
    return config.dispatchers()


def notify_agents(ctx, position=None) -> None:
    """Queue the notifications for this message. `position`: a new request's place in the queue, when not to be
    counted now (the draft stage's stand-in)."""
    cfg = ctx.config
    if ctx.ticket is not None:
        assignee = cfg.agent_for(ctx.ticket["assignee"]) if ctx.ticket.get("assignee") else None
        targets = [assignee] if assignee else dispatchers(cfg)
        position = None  # a reply's ticket already has its place: no queue position to state
    else:
        consultant = cfg.agent_for(ctx.client.consultant) if ctx.client and ctx.client.consultant else None
        if consultant is not None:
            ctx.changes["assignee"] = consultant.email
            ctx.events.append((EventKind.ASSIGNED, f"{consultant.email} (the client's consultant)"))
        targets = [consultant] if consultant else dispatchers(cfg)
        if position is None:
            position = ticket_rows.queue_position(ctx.conn)
    plan = cfg.plan_for(ctx.client)
    for agent in targets:
        ctx.mails.append(Mail(Disposition.NOTIFICATION, agent.email, lang=agent.language, counted=False,
                              auto_submitted="auto-generated", sign_for=agent.email,
                              attachments=tuple(ctx.msg.attachments), values={
                                  "agent_name": agent.name, "text": ctx.msg.text or "", "queue_position": position,
                                  "from_name": ctx.msg.sender_name, "from_address": ctx.sender, "plan": plan,
                                  "client": ctx.client, "is_reply": ctx.ticket is not None,
                                  "follows": ctx.follows}))
