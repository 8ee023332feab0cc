"""What an agent's mail does: authenticate it, read its tags, check them all, then apply all or nothing.

Applied: a time entry in the journal (seed 002), the ticket's category, status, assignee and priority, the
agent's new text relayed to the client (unless it is a [note]), "work has started" when an agent is put on the
ticket or its consultant first acts on it (seed 001), the whole dialogue when it is resolved. Refused: nothing
changes, nothing reaches the client, and the agent hears exactly why. Every change is an audit event with the
agent and the message.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, func, or_, select

from mailbot.agents.auth import authenticate, authres_pass, find_token, reply_secret, token_valid
from mailbot.agents.quotes import reply_text
from mailbot.agents.tags import TagError, parse_tags
from mailbot.billing import periods
from mailbot.billing.statements import current_period, issue
from mailbot.mime.headers import raw_headers
from mailbot.pipeline.context import Mail
from mailbot.pipeline.thread import SOLVED, ticket_ref
from mailbot.store.models import messages, tickets
from mailbot.store.queries import Scalar

# Which status may follow which (the ticket's life, seeds 000 and 001).
TRANSITIONS = {
    "waiting": {"new", "open"},
    "resolved": {"new", "open", "waiting"},
    "closed": {"new", "open", "waiting", "resolved"},
    "reopen": {"resolved", "closed", "waiting"},
}
PRIORITY = {("high", "high"): "P1", ("high", "medium"): "P2", ("medium", "high"): "P2", ("high", "low"): "P3",
            ("low", "high"): "P3", ("medium", "medium"): "P3", ("medium", "low"): "P4", ("low", "medium"): "P4",
            ("low", "low"): "P4"}


@dataclass
class Verdict:
    ok: bool
    why: str


def verify(ctx) -> Verdict:
    """Invariant 6: the sender is a configured agent, and proves it as commands.auth requires."""
    cfg = ctx.config.commands
    secret = reply_secret(ctx.conn, cfg.secret)
    token_ok, mismatch = None, ""
    if ctx.token is not None:
        token_ok = token_valid(ctx.token, ctx.agent.email, secret)
        named = ticket_ref(ctx.msg.subject)
        if named is not None and named != ctx.token.ticket_id:  # a signed address lifted from another ticket
            token_ok, mismatch = False, f"the reply address is for ticket #{ctx.token.ticket_id}, the subject names #{named}; "
    ar = authres_pass([str(v) for v in raw_headers(ctx.msg.msg, "Authentication-Results")],
                      cfg.trusted_authserv_ids, ctx.sender.rpartition("@")[2])
    ok, why = authenticate(cfg.auth, token_ok=token_ok, authres=ar)
    return Verdict(ok, mismatch + why)


def _agent_by_name(config, name: str):
    name = name.lower()
    for a in config.agents:
        if name in (a.email, a.email.partition("@")[0], a.name.lower(), a.name.split()[0].lower()):
            return a
    return None


def _contacts_on_ticket(ctx) -> tuple[str, ...]:
    """The ticket's requester and every contact of its client who wrote on it (seed 001: the agreed contacts)."""
    rows = ctx.conn.execute(select(messages.c.sender).where(
        messages.c.ticket_id == ctx.ticket["id"], messages.c.direction == "in").distinct())
    client = ctx.config.client_by_id(ctx.ticket["client_id"])
    found = [ctx.ticket["contact"]]
    for r in rows:
        if r.sender and r.sender not in found and client is not None and ctx.config.client_for(r.sender) is client:
            found.append(r.sender)
    return tuple(a for a in found if "@" in a)


_WAITING = select(func.count()).select_from(tickets).where(
    or_(tickets.c.status == "new", tickets.c.status == "open"))  # two index ranges; built once
_WAITING_BEFORE = Scalar(_WAITING.where(tickets.c.id <= bindparam("id")))
_WAITING = Scalar(_WAITING)


def _queue_position(conn, ticket_id: int | None) -> int:
    """Place in the queue of waiting requests, oldest first; a ticket not yet stored comes last."""
    if ticket_id is None:
        return _WAITING(conn) + 1
    return _WAITING_BEFORE(conn, {"id": ticket_id})


def run(ctx) -> None:
    """The `command` stage: only agents' own mail is its business (their out-of-office replies are not)."""
    if ctx.agent is None or ctx.kind != "message":
        return
    ctx.actor = ctx.agent.email
    verdict = verify(ctx)
    if not verdict.ok:
        return refuse_forgery(ctx, verdict.why)
    client = ctx.config.client_by_id(ctx.ticket["client_id"]) if ctx.ticket else None
    errors, cmds = [], None
    try:
        cmds = parse_tags(ctx.msg.subject, categories=ctx.config.plan_categories(client),
                          today=ctx.config.today(), original=ctx.ticket["subject"] if ctx.ticket else "")
    except TagError as exc:
        errors += list(exc.errors)
    if cmds is not None:
        errors += _check(ctx, cmds)
    if errors:
        ctx.disposition = "command-refused"
        if ctx.ticket is None:
            ctx.status = "closed"  # kept as the record of what was refused, out of the queue
        ctx.events.append(("command-refused", "; ".join(errors)))
        ctx.mails.append(_to_agent(ctx, "command-result", applied=[], errors=errors))
        return
    _apply(ctx, cmds)


def _check(ctx, cmds) -> list[str]:
    errors = []
    role = ctx.agent.role
    if ctx.ticket is None:
        if cmds.client is None:
            errors.append("no ticket: reply to a notification, keep [#N] in the subject, or open one with [client ID]")
        elif ctx.config.client_by_id(cmds.client) is None:
            errors.append(f"unknown client [client {cmds.client}]")
        elif cmds.notify and not ctx.config.client_by_id(cmds.client).contacts:
            errors.append(f"[notify]: client {cmds.client} has no registered contact address")
    elif cmds.client is not None:
        errors.append("[client] opens a new ticket; this mail belongs to ticket "
                      f"#{ctx.ticket['id']}")
    if cmds.status is not None and ctx.ticket is not None:
        current = ctx.ticket["status"]
        if current not in TRANSITIONS[cmds.status]:
            errors.append(f"[{cmds.status}] is not possible: ticket #{ctx.ticket['id']} is {current}")
    if cmds.assign is not None:
        if role not in ("dispatcher", "head"):
            errors.append("only a dispatcher or the head of service may [assign]")
        elif _agent_by_name(ctx.config, cmds.assign) is None:
            errors.append(f"no agent called {cmds.assign!r}")
    if cmds.report is not None:
        client = ctx.config.client_by_id(cmds.client) if cmds.client else (
            ctx.config.client_by_id(ctx.ticket["client_id"]) if ctx.ticket else None)
        if role not in ("dispatcher", "head"):
            errors.append("only a dispatcher or the head of service may send a [report]")
        elif client is None:
            errors.append("[report] needs a client: [client ID], or a ticket of that client")
        elif not client.contacts:
            errors.append(f"[report]: client {client.id} has no registered contact address")
        elif cmds.report and not _valid_period(cmds.report):
            errors.append(f"[report {cmds.report}]: no such month")
    if cmds.pd_allow is not None:
        if role != "head":
            errors.append("only the head of service may grant [pd-allow]")
        elif ctx.ticket is None:
            errors.append("[pd-allow] belongs on a ticket: reply to its notification")
        elif cmds.pd_allow < ctx.config.today():
            errors.append(f"[pd-allow {cmds.pd_allow}] is in the past")
    return errors


def _apply(ctx, cmds) -> None:
    agent, ticket, changes, events = ctx.agent, ctx.ticket, ctx.changes, ctx.events
    text = reply_text(ctx.msg.text or "")
    if ticket is None:  # a phone call or a visit, logged on the client's behalf
        client = ctx.config.client_by_id(cmds.client)
        ctx.client = client
        ctx.disposition = "agent-opened"
        changes.update(client_id=client.id, language=client.language,
                       contact=client.contacts[0] if client.contacts else "", subject=ctx_subject(cmds, ctx))
        ctx.status = "open"
        events.append(("opened-by-agent", f"for client {client.id}"))
    else:
        ctx.disposition = "note" if cmds.note else "agent-reply"
    if cmds.category:
        changes["category"] = cmds.category
        events.append(("category", cmds.category))
    if cmds.minutes:
        category = cmds.category or (ticket or {}).get("category") or "free"
        contact = ticket["contact"] if ticket else changes["contact"]  # the client's, never the agent's
        ctx.time_entry = dict(agent=agent.email, contact=contact, work_date=cmds.work_date or ctx.config.today(),
                              minutes=cmds.minutes, category=category, category_stated=bool(cmds.category),
                              description=(text.strip().splitlines() or [ctx.msg.subject])[0][:500])
        events.append(("time", f"{cmds.minutes} min {category} on {ctx.time_entry['work_date']}"))
    assignee = None
    if cmds.take:
        assignee = agent
    elif cmds.assign is not None:
        assignee = _agent_by_name(ctx.config, cmds.assign)
    if assignee is not None:
        changes["assignee"] = assignee.email
        events.append(("assigned", assignee.email))
    reachable = "@" in (ticket or {}).get("contact", "")
    # Seed 001: work starts when an agent is put on the ticket, or when the one it was given to (the client's
    # consultant) first acts on it — not with a [note], which is no news for the client, and not on a ticket
    # already solved. A ticket solved in the same breath gets the solution instead of this mail.
    owner = assignee or (agent if ticket is not None and ticket.get("assignee") == agent.email else None)
    if (ticket is not None and owner is not None and not ticket.get("started_at") and not cmds.note
            and ticket["status"] not in SOLVED):
        changes["started_at"] = ctx.now
        events.append(("started", owner.email))
        if reachable and cmds.status not in SOLVED:
            ctx.mails.append(_to_client(ctx, "started", values={"agent_name": owner.name}))
    if cmds.impact or cmds.urgency or cmds.priority:
        impact = cmds.impact or (ticket or {}).get("impact") or "medium"
        urgency = cmds.urgency or (ticket or {}).get("urgency") or "medium"
        changes.update(impact=impact, urgency=urgency, priority=cmds.priority or PRIORITY[(impact, urgency)])
        events.append(("priority", changes["priority"]))
    if cmds.report is not None:  # a statement for the client, now, to its registered contacts
        client = ctx.client or ctx.config.client_by_id(ticket["client_id"])
        doc = issue(ctx.conn, ctx.config, client, cmds.report or current_period(ctx.config, client, ctx.now),
                    "request", ctx.now)
        events.append(("statement", f"{client.id} {doc['period']} v{doc['version']} sent to the client"))
        if ticket is None:
            ctx.status = "closed"  # the record of the request, out of the queue
    if cmds.pd_allow is not None:  # the request form is in: the ticket's personal data may be kept until then
        changes["pd_allow_until"] = cmds.pd_allow
        events.append(("pd-allow", f"personal data kept until {cmds.pd_allow}"))
    status = cmds.status
    if status == "reopen":
        ctx.status = "open"
    elif status is not None:
        ctx.status = status
        if status == "resolved":
            changes["resolved_at"] = ctx.now
    elif ticket is not None and ticket["status"] == "new":
        ctx.status = "open"  # an agent is on it: no longer untouched
    if status or (ticket is not None and ctx.status and ctx.status != ticket["status"]):
        events.append(("status", f"{(ticket or {}).get('status', 'new')} -> {ctx.status}"))
    if ticket is not None and not cmds.note and not reachable and (text.strip() or status == "resolved"):
        events.append(("not-relayed", "the ticket has no client address to write to"))
    elif ticket is not None and not cmds.note:
        files = tuple(ctx.msg.attachments)
        if status == "resolved":
            ctx.mails.append(_to_client(ctx, "resolved", attachments=files, values={
                "text": text, "dialogue": _dialogue(ctx), "reopen_days": ctx.config.tickets.reopen_days}))
        elif text.strip() or files:
            to = _contacts_on_ticket(ctx) if status == "waiting" else (ticket["contact"],)
            ctx.mails.append(_to_client(ctx, "relay", to=to, values={"text": text, "waiting": status == "waiting"},
                                        attachments=files))
    elif ticket is None and cmds.notify and text.strip():
        ctx.mails.append(_to_client(ctx, "relay", to=(changes["contact"],), values={"text": text, "waiting": False}))
    if ctx.config.commands.confirm == "all":
        ctx.mails.append(_to_agent(ctx, "command-result", applied=[f"{k}: {v}" for k, v in events], errors=[]))


def _valid_period(period: str) -> bool:
    try:
        periods.period_bounds(period)
        return True
    except ValueError:
        return False


def ctx_subject(cmds, ctx) -> str:
    """The subject of a ticket an agent opens: theirs without the tags."""
    return cmds.clean_subject or ctx.msg.subject


def _to_client(ctx, kind, *, to=None, values=None, attachments=()) -> Mail:
    """A person's words (or news of their work) for the client: not an automatic answer."""
    to = to or (ctx.ticket["contact"] if ctx.ticket else ctx.sender,)
    return Mail(kind, tuple(to), values={"agent_name": ctx.agent.name, **(values or {})}, counted=False,
                auto_submitted=None if kind == "relay" else "auto-generated", attachments=attachments,
                thread=_client_thread(ctx))


def _client_thread(ctx) -> tuple | None:
    """The client's mail client threads our answer under their own messages, not under the agent's."""
    if ctx.ticket is None:
        return None
    ids = [r.message_id for r in ctx.conn.execute(select(messages.c.message_id).where(
        messages.c.ticket_id == ctx.ticket["id"], messages.c.message_id.is_not(None),
        messages.c.disposition.in_(("ticket", "reply", "receipt", "relay", "started"))).order_by(messages.c.id))]
    client_ids = [r.message_id for r in ctx.conn.execute(select(messages.c.message_id).where(
        messages.c.ticket_id == ctx.ticket["id"], messages.c.direction == "in",
        messages.c.disposition.in_(("ticket", "reply")), messages.c.message_id.is_not(None)).order_by(
        messages.c.id.desc()).limit(1))]
    return (client_ids[0] if client_ids else None), ids


def _to_agent(ctx, kind, **values) -> Mail:
    return Mail(kind, ctx.agent.email, values={"agent_name": ctx.agent.name, "agent_subject": ctx.msg.subject,
                                               **values}, lang=ctx.agent.language, counted=False,
                auto_submitted="auto-replied")


def _dialogue(ctx) -> list[dict]:
    """The whole written exchange the client saw, oldest first (seed 001: the solution with the dialogue)."""
    rows = ctx.conn.execute(select(messages.c.direction, messages.c.sender_name, messages.c.sender,
                                   messages.c.created_at, messages.c.body_text, messages.c.disposition).where(
        messages.c.ticket_id == ctx.ticket["id"],
        messages.c.disposition.in_(("ticket", "reply", "relay", "resolved"))).order_by(messages.c.id))
    return [{"who": r.sender_name or r.sender, "when": r.created_at.strftime("%Y-%m-%d %H:%M"),
             "text": (reply_text(r.body_text or "") if r.direction == "in" else _relayed_text(r.body_text)).strip()}
            for r in rows]


def _relayed_text(body: str | None) -> str:
    """Our own relays carry the agent's text above a footer line of dashes."""
    return (body or "").split("\n-- \n", 1)[0]


def refuse_forgery(ctx, why: str) -> None:
    """Not applied, recorded as a security event, and the real agent told at their configured address."""
    ctx.disposition = "forged-command"
    if ctx.ticket is None:
        ctx.status = "closed"
    ctx.events.append(("security", f"command in the name of {ctx.agent.email} refused: {why}"))
    ctx.mails.append(Mail("security-alert", ctx.agent.email, lang=ctx.agent.language, counted=False,
                          auto_submitted="auto-generated",
                          values={"agent_name": ctx.agent.name, "why": why, "agent_subject": ctx.msg.subject,
                                  "claimed_from": ctx.sender, "envelope_from": ctx.envelope.mail_from or ""}))


def dispatchers(config) -> list:
    """Who takes what no one else has: the dispatchers, or the head of service when there are none."""
    return [a for a in config.agents if a.role == "dispatcher"] or [a for a in config.agents if a.role == "head"]


def notify_agents(ctx, position=None) -> None:
    """A client's new request goes to the client's consultant (assigned at once) or to the dispatchers; a
    client's reply goes to the assignee (or the dispatchers). Each notification carries the client's message
    and files, and a reply address that signs the ticket and the agent (see agents.auth). `position`: the
    place in the queue, when not to be counted now (the draft stage's stand-in)."""
    cfg = ctx.config
    if ctx.ticket is not None:
        assignee = cfg.agent_for(ctx.ticket["assignee"]) if ctx.ticket.get("assignee") else None
        targets = [assignee] if assignee else dispatchers(cfg)
        position = _queue_position(ctx.conn, ctx.ticket["id"])
    else:
        consultant = cfg.agent_for(ctx.client.consultant) if ctx.client and ctx.client.consultant else None
        if consultant is not None:
            ctx.changes["assignee"] = consultant.email
            ctx.events.append(("assigned", f"{consultant.email} (the client's consultant)"))
        targets = [consultant] if consultant else dispatchers(cfg)
        if position is None:
            position = _queue_position(ctx.conn, None)
    plan = cfg.plan_for(ctx.client)
    for agent in targets:
        ctx.mails.append(Mail("notification", agent.email, lang=agent.language, counted=False,
                              auto_submitted="auto-generated", sign_for=agent.email,
                              attachments=tuple(ctx.msg.attachments), values={
                                  "agent_name": agent.name, "text": ctx.msg.text or "", "queue_position": position,
                                  "from_name": ctx.msg.sender_name, "from_address": ctx.sender, "plan": plan,
                                  "client": ctx.client, "is_reply": ctx.ticket is not None,
                                  "follows": ctx.follows}))


def find_reply_token(ctx):
    msg = ctx.msg
    candidates = [ctx.envelope.recipient] + msg.to + msg.cc + [
        str(v).strip().strip("<>") for name in ("Delivered-To", "X-Original-To", "Envelope-To")
        for v in raw_headers(msg.msg, name)]
    return find_token(candidates, ctx.mailbox.address)
