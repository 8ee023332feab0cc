"""act: what this message does to its ticket, and which automatic mail it causes.

A new ticket from anyone we may answer gets a receipt (seed 000: every request is confirmed); a reply that
joins a ticket gets none. The per-sender daily limit stops two autoresponders from mailing each other forever.
"""
from datetime import timedelta

from sqlalchemy import bindparam, func, select, text

from mailbot.agents.commands import notify_agents
from mailbot.pipeline.context import Mail
from mailbot.store.models import outbox

REOPENS = ("waiting", "resolved", "closed")
AUTO_SENT = select(func.count()).select_from(outbox).where(
    outbox.c.rcpt == bindparam("rcpt"), outbox.c.auto.is_(True), outbox.c.created_at > bindparam("since"))


def _over_limit(ctx, rcpt: str) -> bool:
    if ctx.conn.dialect.name == "postgresql":  # concurrent workers must count one after the other
        ctx.conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:rcpt))"), {"rcpt": rcpt})
    sent = ctx.conn.execute(AUTO_SENT, {"rcpt": rcpt, "since": ctx.now - timedelta(days=1)}).scalar()
    return sent >= ctx.config.outbound.auto_reply_limit_per_day


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
