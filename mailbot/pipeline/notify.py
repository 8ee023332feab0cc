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


def fitting(attachments, text: str, limit: int) -> tuple[tuple, list[dict], bool]:
    """What of a client's message fits in a notification under `limit` bytes: the files to attach (in order, while
    they fit; base64 makes 4 bytes of 3), the ones left out (name and size, listed in the mail: they are on the
    ticket), and whether the text must go once (no HTML copy of it)."""
    budget = limit - 64_000  # headers, the template's words, the MIME scaffolding
    text_size = len(text.encode("utf-8", "replace")) * 4 // 3 + 1
    text_once = 2 * text_size > budget // 2
    budget -= text_size * (1 if text_once else 2)
    files, left_out = [], []
    for a in attachments:
        size = a.size * 4 // 3 + 1024
        if size <= budget:
            files.append(a)
            budget -= size
        else:
            left_out.append({"filename": a.filename, "size": a.size})
    return tuple(files), left_out, text_once


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
    files, left_out, text_once = fitting(ctx.msg.attachments, ctx.msg.text or "", cfg.outbound.max_message_size)
    for agent in targets:
        ctx.mails.append(Mail(Disposition.NOTIFICATION, agent.email, lang=agent.language, counted=False,
                              auto_submitted="auto-generated", sign_for=agent.email, text_only=text_once,
                              attachments=files, values={"not_attached": left_out,
                                  "agent_name": agent.name, "text": ctx.msg.text or "", "queue_position": position,
                                  "from_name": ctx.msg.sender_name, "from_address": ctx.sender, "plan": plan,
                                  "client": ctx.client, "is_reply": ctx.ticket is not None,
                                  "follows": ctx.follows}))
