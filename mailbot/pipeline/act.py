"""act: what this message does to its ticket, and which automatic mail it causes.

A new ticket from anyone we may answer gets a receipt (seed 000: every request is confirmed); a reply that
joins a ticket gets none. The per-sender daily limit stops two autoresponders from mailing each other forever.
"""
import re
from datetime import timedelta

from sqlalchemy import bindparam, func, select, text

from mailbot.agents.commands import notify_agents
from mailbot.billing import periods
from mailbot.billing.statements import StatementError, current_period, issue
from mailbot.pipeline.context import Mail
from mailbot.store.models import outbox
from mailbot.store.queries import Scalar

REOPENS = ("waiting", "resolved", "closed")
AUTO_SENT = Scalar(select(func.count()).select_from(outbox).where(
    outbox.c.rcpt == bindparam("rcpt"), outbox.c.auto.is_(True), outbox.c.created_at > bindparam("since")))


def _over_limit(ctx, rcpt: str) -> bool:
    if ctx.conn.dialect.name == "postgresql":  # concurrent workers must count one after the other
        ctx.conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:rcpt))"), {"rcpt": rcpt})
    sent = AUTO_SENT(ctx.conn, {"rcpt": rcpt, "since": ctx.now - timedelta(days=1)})
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
        ctx.events.append(("statement-refused", str(exc)))
        return False  # an ordinary request then: a person will answer it
    ctx.status, ctx.disposition = "closed", "report-request"
    ctx.events.append(("statement", f"{client.id} {doc['period']} v{doc['version']} sent on request"))
    return True


def run(ctx) -> None:
    if ctx.agent is not None:
        return  # the command stage decided what an agent's mail does
    if ctx.ticket is not None:
        if ctx.disposition == "reply":
            if ctx.ticket["status"] in REOPENS:
                ctx.status = "open"  # seed 001: the requester's corrections reopen it
                ctx.events.append(("status", f"{ctx.ticket['status']} -> open: the client answered"))
            notify_agents(ctx)
        return
    if _report_request(ctx):
        return
    ctx.status = "new"
    notify_agents(ctx)
    rcpt = ctx.msg.reply_to or ctx.sender
    if ctx.no_auto:
        ctx.events.append(("receipt-suppressed", ctx.no_auto))
    elif not rcpt or "@" not in rcpt or rcpt in ctx.config.own_addresses:
        ctx.events.append(("receipt-suppressed", "no address to answer"))
    elif _over_limit(ctx, rcpt):
        ctx.events.append(("receipt-suppressed", "daily limit of automatic mail to this sender reached"))
    else:
        ctx.mails.append(Mail("receipt", rcpt, values={"follows": ctx.follows}))
