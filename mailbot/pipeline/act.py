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
from mailbot.tickets.lifecycle import REOPENS
from mailbot.tickets.vocabulary import Disposition, EventKind, Status


def _over_limit(ctx, rcpt: str) -> bool:
    sent = outbox.automatic_since(ctx.conn, rcpt, ctx.now - timedelta(days=1))
    return sent >= ctx.config.outbound.auto_reply_limit_per_day


_REPORT = re.compile(r"\[\s*report(?:\s+(\d{4}-\d{2}))?\s*\]", re.I)


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
    if _report_request(ctx):
        return
    ctx.status = Status.NEW
    notify_agents(ctx)
    rcpt = ctx.msg.reply_to or ctx.sender
    if ctx.no_auto:
        ctx.events.append((EventKind.RECEIPT_SUPPRESSED, ctx.no_auto))
    elif not rcpt or "@" not in rcpt or rcpt in ctx.config.own_addresses:
        ctx.events.append((EventKind.RECEIPT_SUPPRESSED, "no address to answer"))
    elif _over_limit(ctx, rcpt):
        ctx.events.append((EventKind.RECEIPT_SUPPRESSED, "daily limit of automatic mail to this sender reached"))
    else:
        ctx.mails.append(Mail(Disposition.RECEIPT, rcpt, values={"follows": ctx.follows}))
