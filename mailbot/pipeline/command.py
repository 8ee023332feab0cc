"""What an agent's mail does: authenticate it, read its tags, check them all, then apply all or nothing.

Applied: a time entry in the journal (seed 002), the ticket's category, status, assignee and priority, the
agent's new text relayed to the client (unless it is a [note]), "work has started" when an agent is put on the
ticket or its consultant first acts on it (seed 001), the whole dialogue when it is resolved. Refused: nothing
changes, nothing reaches the client, and the agent hears exactly why. Every change is an audit event with the
agent and the message.
"""
from __future__ import annotations

from dataclasses import dataclass

from mailbot.agents.auth import TICKET, authenticate, authres_pass, token_valid
from mailbot.agents.decisions import objection_ref
from mailbot.agents.description import stated, work_description
from mailbot.agents.notices import Notice, notice
from mailbot.agents.quotes import reply_text
from mailbot.agents.tags import TagError, parse_tags
from mailbot.billing import periods
from mailbot.billing.rounding import FREE
from mailbot.config.sections import Role
from mailbot.mime.headers import raw_headers
from mailbot.outbound.mail import Mail
from mailbot.outbound.render import AUDIT_LANGUAGE, say
from mailbot.pipeline.context import Kind, Source
from mailbot.pipeline.mails import contacts_on_ticket, dialogue, to_agent, to_client
from mailbot.outbound.formats import deadline
from mailbot.services import corrections, service_levels
from mailbot.services.statements import current_period, issue
from mailbot.store import journal
from mailbot.store.secrets import reply_secret
from mailbot.tickets import lifecycle
from mailbot.tickets.lifecycle import SOLVED
from mailbot.tickets.priority import DEFAULT_LEVEL, priority_of
from mailbot.tickets.subjects import plain_subject, ticket_ref
from mailbot.tickets.vocabulary import Disposition, EventKind, Status


@dataclass
class Verdict:
    ok: bool
    why: list[Notice]  # what each proof gave, for the agent's alert


def verify(ctx) -> Verdict:
    """Invariant 6: the sender is a configured agent, and proves it as commands.auth requires."""
    cfg = ctx.config.commands
    secret = reply_secret(ctx.conn, cfg.secret)
    token_ok, mismatch = None, []
    if ctx.token is not None:
        token_ok = token_valid(ctx.token, ctx.agent.email, secret)
        named = (ticket_ref if ctx.token.kind == TICKET else objection_ref)(ctx.msg.subject)
        if named is not None and named != ctx.token.ticket_id:  # a signed address lifted from another ticket
            token_ok = False
            mismatch = [notice("token-other-ticket", token_ticket=ctx.token.ticket_id, subject_ticket=named)]
    claimed = [str(v) for v in raw_headers(ctx.msg.msg, "Authentication-Results")]
    if ctx.envelope.source == Source.SMTP and ctx.config.listen.smtp.border:
        # straight from the Internet: the headers are the sender's word; only our own DKIM check counts
        claimed = [ctx.own_authres] if ctx.own_authres else []
    ar = authres_pass(claimed, cfg.trusted_authserv_ids, ctx.sender.rpartition("@")[2])
    ok, why = authenticate(cfg.auth, token_ok=token_ok, authres=ar)
    return Verdict(ok, mismatch + why)


def _agent_by_name(config, name: str):
    name = name.lower()
    for a in config.agents:
        if name in (a.email, a.email.partition("@")[0], a.name.lower(), a.name.split()[0].lower()):
            return a
    return None


def run(ctx) -> None:
    """The `command` stage: only agents' own mail is its business (their out-of-office replies are not)."""
    if ctx.agent is None or ctx.kind != Kind.MESSAGE or ctx.objection is not None:
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
        ctx.disposition = Disposition.COMMAND_REFUSED
        if ctx.ticket is None:
            ctx.status = Status.CLOSED  # kept as the record of what was refused, out of the queue
        ctx.events.append((EventKind.COMMAND_REFUSED, "; ".join(say(errors, AUDIT_LANGUAGE))))
        ctx.mails.append(to_agent(ctx, Disposition.COMMAND_RESULT, applied=[], errors=errors))
        return
    _apply(ctx, cmds)


def _check(ctx, cmds) -> list[Notice]:
    errors = []
    role = ctx.agent.role
    if ctx.ticket is None:
        if cmds.client is None:
            errors.append(notice("no-ticket"))
        elif ctx.config.client_by_id(cmds.client) is None:
            errors.append(notice("unknown-client", client=cmds.client))
        elif cmds.notify and not ctx.config.client_by_id(cmds.client).contacts:
            errors.append(notice("notify-no-contact", client=cmds.client))
    elif cmds.client is not None:
        errors.append(notice("client-on-ticket", ticket=ctx.ticket["id"]))
    if cmds.status is not None and ctx.ticket is not None:
        current = ctx.ticket["status"]
        if not lifecycle.allowed(cmds.status, current):
            errors.append(notice("status-not-possible", tag=cmds.status, ticket=ctx.ticket["id"], status=current))
    if cmds.assign is not None:
        if role not in (Role.DISPATCHER, Role.HEAD):
            errors.append(notice("assign-not-allowed"))
        elif _agent_by_name(ctx.config, cmds.assign) is None:
            errors.append(notice("no-such-agent", name=cmds.assign))
    if cmds.report is not None:
        client = ctx.config.client_by_id(cmds.client) if cmds.client else (
            ctx.config.client_by_id(ctx.ticket["client_id"]) if ctx.ticket else None)
        if role not in (Role.DISPATCHER, Role.HEAD):
            errors.append(notice("report-not-allowed"))
        elif client is None:
            errors.append(notice("report-needs-client"))
        elif not client.contacts:
            errors.append(notice("report-no-contact", client=client.id))
        elif cmds.report and not _valid_period(cmds.report):
            errors.append(notice("report-bad-month", month=cmds.report))
    if cmds.minutes and (ctx.ticket is not None or cmds.client is not None):
        day = cmds.work_date or ctx.config.today()
        client_id = ctx.ticket["client_id"] if ctx.ticket is not None else cmds.client
        if periods.period_of(day) in journal.billed_periods(ctx.conn, client_id):
            errors.append(notice("time-in-billed-period", date=day.isoformat(), period=periods.period_of(day)))
    if cmds.pd_allow is not None:
        if role != Role.HEAD:
            errors.append(notice("pd-allow-not-head"))
        elif ctx.ticket is None:
            errors.append(notice("pd-allow-needs-ticket"))
        elif cmds.pd_allow < ctx.config.today():
            errors.append(notice("pd-allow-in-past", date=cmds.pd_allow.isoformat()))
    return errors


def _apply(ctx, cmds) -> None:
    agent, ticket, changes = ctx.agent, ctx.ticket, ctx.changes
    applied: list[Notice] = []  # what the agent is told was done, in their language

    def record(kind: EventKind, detail: str, said: Notice) -> None:
        """An audit event for the ticket's record, and the line of the agent's confirmation that says it."""
        ctx.events.append((kind, detail))
        applied.append(said)

    text = reply_text(ctx.msg.text or "")
    if ticket is None:  # a phone call or a visit, logged on the client's behalf
        client = ctx.config.client_by_id(cmds.client)
        ctx.client = client
        ctx.disposition = Disposition.AGENT_OPENED
        changes.update(client_id=client.id, language=client.language,
                       contact=client.contacts[0] if client.contacts else "", subject=ctx_subject(cmds, ctx))
        ctx.status = Status.OPEN
        record(EventKind.OPENED_BY_AGENT, f"for client {client.id}", notice("opened", client=client.id))
    else:
        ctx.disposition = Disposition.NOTE if cmds.note else Disposition.AGENT_REPLY
    if cmds.category:
        changes["category"] = cmds.category
        record(EventKind.CATEGORY, cmds.category, notice("category", category=cmds.category))
        if ticket is not None and agent.role == Role.HEAD:  # the head's category is the ticket's, billed or not
            plan = corrections.plan(ctx.conn, ticket["client_id"], ticket["id"], cmds.category)
            ctx.correct = (cmds.category, plan)
            for change in plan:
                if change.billed:
                    applied.append(notice("corrected", ticket=ticket["id"], period=change.period,
                                          entries=len(change.entries), old=", ".join(sorted({o for _, o in change.entries}))
                                          or "-", new=cmds.category))
    if cmds.minutes:
        category = cmds.category or (ticket or {}).get("category") or FREE
        contact = ticket["contact"] if ticket else changes["contact"]  # the client's, never the agent's
        ctx.time_entry = dict(agent=agent.email, contact=contact, work_date=cmds.work_date or ctx.config.today(),
                              minutes=cmds.minutes, category=category, category_stated=bool(cmds.category),
                              description=work_description(text, plain_subject(subject_of(ticket, changes)),
                                                           note=cmds.note))
        work_date = ctx.time_entry["work_date"]
        record(EventKind.TIME, f"{cmds.minutes} min {category} on {work_date}",
               notice("time", minutes=cmds.minutes, category=category, date=work_date.isoformat()))
    elif ticket is not None and (written := stated(text)):  # "Work: ..." alone corrects the latest entry's
        ctx.redescribe = written
        record(EventKind.DESCRIPTION, written, notice("description", text=written))
    assignee = None
    if cmds.take:
        assignee = agent
    elif cmds.assign is not None:
        assignee = _agent_by_name(ctx.config, cmds.assign)
    if assignee is not None:
        changes["assignee"] = assignee.email
        record(EventKind.ASSIGNED, assignee.email, notice("assigned", agent=assignee.email))
    reachable = "@" in (ticket or {}).get("contact", "")
    # Seed 001: work starts when an agent is put on the ticket, or when the one it was given to (the client's
    # consultant) first acts on it — not with a [note], which is no news for the client, and not on a ticket
    # already solved. A ticket solved in the same breath gets the solution instead of this mail.
    owner = assignee or (agent if ticket is not None and ticket.get("assignee") == agent.email else None)
    if (ticket is not None and owner is not None and not ticket.get("started_at") and not cmds.note
            and ticket["status"] not in SOLVED):
        changes["started_at"] = ctx.now
        record(EventKind.STARTED, owner.email, notice("started", agent=owner.email))
        if reachable and cmds.status not in SOLVED:
            ctx.mails.append(to_client(ctx, Disposition.STARTED, values={
                "agent_name": owner.name, "resolution_due": _resolution_due(ctx, ticket | changes)}))
    if cmds.impact or cmds.urgency or cmds.priority:
        impact = cmds.impact or (ticket or {}).get("impact")
        urgency = cmds.urgency or (ticket or {}).get("urgency")
        changes.update(impact=impact or DEFAULT_LEVEL, urgency=urgency or DEFAULT_LEVEL,
                       priority=cmds.priority or priority_of(impact, urgency, ctx.config.sla.matrix))
        record(EventKind.PRIORITY, changes["priority"], notice("priority", priority=changes["priority"]))
    if cmds.report is not None:  # a statement for the client, now, to its registered contacts
        client = ctx.client or ctx.config.client_by_id(ticket["client_id"])
        doc = issue(ctx.conn, ctx.config, client, cmds.report or current_period(ctx.config, client, ctx.now),
                    "request", ctx.now)
        record(EventKind.STATEMENT, f"{client.id} {doc['period']} v{doc['version']} sent to the client",
               notice("statement-sent", client=client.id, period=doc["period"], version=doc["version"]))
        if ticket is None:
            ctx.status = Status.CLOSED  # the record of the request, out of the queue
    if cmds.pd_allow is not None:  # the request form is in: the ticket's personal data may be kept until then
        changes["pd_allow_until"] = cmds.pd_allow
        record(EventKind.PD_ALLOW, f"personal data kept until {cmds.pd_allow}",
               notice("pd-allow", date=cmds.pd_allow.isoformat()))
    status = cmds.status
    if status is not None:
        ctx.status = lifecycle.after_tag(status)
        if ctx.status == Status.RESOLVED:
            changes["resolved_at"] = ctx.now
    elif ticket is not None and ticket["status"] == Status.NEW:
        ctx.status = Status.OPEN  # an agent is on it: no longer untouched
    if status or (ticket is not None and ctx.status and ctx.status != ticket["status"]):
        old = (ticket or {}).get("status", Status.NEW)
        record(EventKind.STATUS, f"{old} -> {ctx.status}", notice("status", old=str(old), new=str(ctx.status)))
    resolved, waiting = status == Status.RESOLVED, status == Status.WAITING
    if ticket is not None and not cmds.note and not reachable and (text.strip() or resolved):
        record(EventKind.NOT_RELAYED, "the ticket has no client address to write to", notice("not-relayed"))
    elif ticket is not None and not cmds.note:
        files = tuple(ctx.msg.attachments)
        if resolved:
            ctx.mails.append(to_client(ctx, Disposition.RESOLVED, attachments=files, values={
                "text": text, "dialogue": dialogue(ctx), "reopen_days": ctx.config.tickets.reopen_days}))
        elif text.strip() or files:
            to = contacts_on_ticket(ctx) if waiting else (ticket["contact"],)
            ctx.mails.append(to_client(ctx, Disposition.RELAY, to=to, values={"text": text, "waiting": waiting},
                                       attachments=files))
        if resolved or text.strip() or files:  # the response clock stops at the first (mailbot.sla.clocks)
            ctx.events.append((EventKind.RESPONDED, agent.email))
    elif ticket is None and cmds.notify and text.strip():
        ctx.mails.append(to_client(ctx, Disposition.RELAY, to=(changes["contact"],),
                                   values={"text": text, "waiting": False}))
    if ctx.config.commands.confirm == "all":
        ctx.mails.append(to_agent(ctx, Disposition.COMMAND_RESULT, applied=applied, errors=[]))


def _resolution_due(ctx, ticket) -> str | None:
    """When the plan promises the ticket solved, as the client reads it (None: the plan promises no time)."""
    levels = service_levels.of_tickets(ctx.conn, ctx.config, [ticket], ctx.now)[ticket["id"]]
    due = levels.resolution.due
    client = ctx.config.client_by_id(ticket["client_id"])
    zone = service_levels.client_zone(ctx.config, client, ctx.config.plan_for(client))
    return deadline(due, ticket["language"], zone) if due is not None else None


def _valid_period(period: str) -> bool:
    try:
        periods.period_bounds(period)
        return True
    except ValueError:
        return False


def subject_of(ticket, changes) -> str:
    return (ticket or changes).get("subject") or ""


def ctx_subject(cmds, ctx) -> str:
    """The subject of a ticket an agent opens: theirs without the tags."""
    return cmds.clean_subject or ctx.msg.subject


def refuse_forgery(ctx, why: list[Notice]) -> None:
    """Not applied, recorded as a security event, and the real agent told at their configured address."""
    ctx.disposition = Disposition.FORGED_COMMAND
    if ctx.ticket is None:
        ctx.status = Status.CLOSED
    detail = "; ".join(say(why, AUDIT_LANGUAGE))
    ctx.events.append((EventKind.SECURITY, f"command in the name of {ctx.agent.email} refused: {detail}"))
    ctx.mails.append(Mail(Disposition.SECURITY_ALERT, ctx.agent.email, lang=ctx.agent.language, counted=False,
                          auto_submitted="auto-generated",
                          values={"agent_name": ctx.agent.name, "why": why, "agent_subject": ctx.msg.subject,
                                  "claimed_from": ctx.sender, "envelope_from": ctx.envelope.mail_from or ""}))


