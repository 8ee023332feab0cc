"""act: what this message does to its ticket, and which automatic mail it causes.

A new ticket from anyone we may answer gets a receipt (seed 000: every request is confirmed); a reply that
joins a ticket gets none. The per-sender daily limit stops two autoresponders from mailing each other forever.
"""
import re
from datetime import timedelta

from mailbot.billing import periods
from mailbot.outbound.mail import Mail
from mailbot.pipeline.notify import notify_agents
from mailbot.services.statements import StatementError, current_period, issue
from mailbot.store import outbox
from mailbot.mime.addresses import answerable
from mailbot.outbound.formats import deadline
from mailbot.services import service_levels
from mailbot.store import views
from mailbot.tickets.lifecycle import QUEUED, REOPENS
from mailbot.tickets.priority import DEFAULT_LEVEL, priority_of, urgent
from mailbot.tickets.vocabulary import Disposition, EventKind, Status


def _over_limit(ctx, rcpt: str) -> bool:
    sent = outbox.automatic_since(ctx.conn, rcpt, ctx.now - timedelta(days=1))
    return sent >= ctx.config.outbound.auto_reply_limit_per_day


_REPORT = re.compile(r"\[\s*report(?:\s+(\d{4}-\d{2}))?\s*\]", re.I)


# cloudempiere: clients follow the progress of their requests. "[status]" in the six languages.
_STATUS = re.compile(r"\[\s*(?:status|statuss|stāvoklis|būsena|būklė|stare|stav|статус)\s*\]", re.I)


def _status_request(ctx) -> bool:
    """A client's "[status]": their company's open tickets, with status, assignee and deadlines, in their language,
    to the client's registered contacts only; no ticket is opened for it."""
    client = ctx.client
    if client is None or ctx.no_auto or not _STATUS.search(ctx.msg.subject or ""):
        return False
    ctx.no_ticket, ctx.disposition = True, Disposition.STATUS_REQUEST
    if not client.contacts:
        ctx.events.append((EventKind.STATUS_REPORT, f"{client.id}: no registered contact to send it to"))
        return True
    found = [r for s in QUEUED + (Status.WAITING,) for r in views.list_tickets(
        ctx.conn, ctx.config, status=s, client=client.id, limit=None, rows=True)]
    levels = service_levels.of_tickets(ctx.conn, ctx.config, found, ctx.now)
    lang = client.language

    zone = service_levels.client_zone(ctx.config, client, ctx.config.plan_for(client))

    def when(moment, _):
        return deadline(moment, lang, zone) if moment is not None and moment > ctx.now else None  # no past promise
    listed = [dict(ref=f"#{r['id']}", subject=r["subject"], status=r["status"], opened=r["created_at"],
                   assignee=(ctx.config.agent_for(r["assignee"]).name if ctx.config.agent_for(r["assignee"] or "")
                             else None), paused=levels[r["id"]].paused,
                   response_due=when(levels[r["id"]].response.due, levels[r["id"]].zone)
                   if levels[r["id"]].response.state == "running" else None,
                   resolution_due=when(levels[r["id"]].resolution.due, levels[r["id"]].zone))
              for r in sorted(found, key=lambda r: r["id"])]
    ctx.mails.append(Mail(Disposition.STATUS_REPORT, tuple(client.contacts), lang=lang, counted=False,
                          values=dict(client=client, tickets=listed, sender_name="")))  # to the contacts, not the asker
    ctx.events.append((EventKind.STATUS_REPORT, f"{client.id}: {len(listed)} open ticket(s) to "
                                                f"{len(client.contacts)} registered contact(s)"))
    return True


def _report_request(ctx) -> bool:
    """A client's "[report]" / "[report 2026-10]": the statement goes to the client's registered contacts (never
    to the sender unless registered), and the request is recorded as a closed ticket."""
    m = _REPORT.search(ctx.msg.subject or "")
    client = ctx.client
    if m is None or client is None or ctx.no_auto or ctx.config.statements_for(client).send == "never":
        return False
    period = m.group(1) or current_period(ctx.config, client, ctx.now)
    try:
        periods.period_bounds(period)
        doc = issue(ctx.conn, ctx.config, client, period, "request", ctx.now)
    except (ValueError, StatementError) as exc:
        ctx.events.append((EventKind.STATEMENT_REFUSED, str(exc)))
        return False  # an ordinary request then: a person will answer it
    ctx.status, ctx.disposition = Status.CLOSED, Disposition.REPORT_REQUEST
    ctx.events.append((EventKind.STATEMENT, f"{client.id} {doc['period']} v{doc['version']} sent on request"))
    return True


def _urgency(ctx) -> None:
    """A client's "urgent" ("steidzami", "skubu", "срочно" ...) in the subject raises the urgency, where the plan
    allows emergencies; the priority follows from impact x urgency (cloudempiere), and with it the targets."""
    plan = ctx.config.plan_for(ctx.client)
    if plan is not None and plan.emergencies and urgent(ctx.msg.subject or "", ctx.config.sla.urgent_words):
        ctx.changes.update(impact=DEFAULT_LEVEL, urgency="high",
                           priority=priority_of(DEFAULT_LEVEL, "high", ctx.config.sla.matrix))
        ctx.events.append((EventKind.PRIORITY, f"{ctx.changes['priority']}: the client calls it urgent"))


def run(ctx) -> None:
    if ctx.agent is not None or ctx.objection is not None:
        return  # the command stage decided what an agent's mail does; an objection is recorded already
    if ctx.ticket is not None:
        if ctx.disposition == Disposition.REPLY:
            if ctx.ticket["status"] in REOPENS:
                ctx.status = Status.OPEN  # seed 001: the requester's corrections reopen it
                ctx.events.append((EventKind.STATUS, f"{ctx.ticket['status']} -> open: the client answered"))
            notify_agents(ctx)
        return
    if _status_request(ctx) or _report_request(ctx):
        return
    ctx.status = Status.NEW
    _urgency(ctx)
    notify_agents(ctx)
    rcpt = ctx.msg.reply_to or ctx.sender
    if ctx.no_auto:
        ctx.events.append((EventKind.RECEIPT_SUPPRESSED, ctx.no_auto))
    elif not answerable(rcpt) or rcpt in ctx.config.own_addresses:
        ctx.events.append((EventKind.RECEIPT_SUPPRESSED, "no address to answer"))
    elif _over_limit(ctx, rcpt):
        ctx.events.append((EventKind.RECEIPT_SUPPRESSED, "daily limit of automatic mail to this sender reached"))
    else:
        ctx.mails.append(Mail(Disposition.RECEIPT, rcpt, values={"follows": ctx.follows}))
