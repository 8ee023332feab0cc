"""draft: render, before the transaction, the mail a new ticket from this message would send.

Runs where the database's write lock is not held (see PREPARE). It guesses: a client's or a stranger's mail
to a support mailbox that does not look like a reply opens a ticket, which sends the agents' notification
and the client's receipt. persist uses these renderings only where they match exactly what it would render
(mailbot.outbound.drafts), so a wrong guess changes nothing but the time spent.
"""
import logging

from mailbot.config.sections import MailboxRole
from mailbot.outbound.drafts import QUEUE_POSITION, draft
from mailbot.outbound.mail import Mail
from mailbot.outbound.render import attachment_base64
from mailbot.pipeline.context import Kind
from mailbot.pipeline.notify import notify_agents
from mailbot.pipeline.persist import mail_values, new_ticket, ticket_row
from mailbot.tickets.subjects import is_reply, ticket_ref
from mailbot.tickets.vocabulary import Disposition, Status

log = logging.getLogger("mailbot.vette")


def run(ctx) -> None:
    """Never stops a message: a draft that cannot be made is simply not there, and persist renders."""
    try:
        _draft(ctx)
    except Exception as exc:  # noqa: BLE001 - an optimisation must not park mail
        ctx.drafts.clear()
        log.warning("no drafts for message %s: %s", ctx.msg.message_id or "(no Message-ID)", type(exc).__name__)


def _draft(ctx) -> None:
    msg = ctx.msg
    if (ctx.kind != Kind.MESSAGE or ctx.agent is not None or ctx.mailbox.role != MailboxRole.SUPPORT or msg.in_reply_to
            or msg.references or ticket_ref(msg.subject) is not None or is_reply(msg.subject)):
        return
    saved = ctx.changes, ctx.events, ctx.mails, ctx.status
    ctx.changes, ctx.events, ctx.mails, ctx.status = {}, [], [], Status.NEW  # as act leaves them for a new ticket
    try:
        notify_agents(ctx, position=QUEUE_POSITION)
        rcpt = msg.reply_to or ctx.sender
        if not ctx.no_auto and rcpt and "@" in rcpt:
            ctx.mails.append(Mail(Disposition.RECEIPT, rcpt, values={"follows": None}))
        ticket = ticket_row(new_ticket(ctx), None)
        mails = ctx.mails
    finally:
        ctx.changes, ctx.events, ctx.mails, ctx.status = saved
    common = mail_values(ctx, ticket)
    for mail in mails:
        made = draft(mail.kind, mail.lang or ticket["language"], ticket, common | mail.values)
        if made is not None:
            ctx.drafts.append(made)
        for att in mail.attachments:
            attachment_base64(att)
