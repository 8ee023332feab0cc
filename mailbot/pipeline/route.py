"""route: which of our mailboxes it came to, and who sent it (a client's contact, an agent, or a stranger).

A stranger's mail to the objections mailbox is never refused here: it is recorded and answered politely
(mailbot.pipeline.objection)."""
from mailbot.agents.auth import find_token
from mailbot.config.sections import MailboxRole
from mailbot.mime.headers import raw_headers
from mailbot.pipeline.context import Kind, Reject, Source
from mailbot.services import dkim_check


def run(ctx) -> None:
    cfg = ctx.config
    ctx.mailbox = cfg.mailbox_for(ctx.envelope.recipient)
    if ctx.mailbox is None:  # the listeners refuse these at RCPT; the pipe command can still be misconfigured
        raise Reject("unknown-mailbox", f"no mailbox is configured for {ctx.envelope.recipient}")
    if ctx.sender and "@" in ctx.sender:
        ctx.agent = cfg.agent_for(ctx.sender)
        ctx.client = None if ctx.agent else cfg.client_for(ctx.sender)
    if ctx.kind == Kind.MESSAGE and ctx.agent is None and ctx.mailbox.role != MailboxRole.OBJECTIONS:
        # A client's reply-all to a statement reaches help@ and iebildumi@ as one message (one idempotency key):
        # whichever copy comes first, it is the objection it was written as.
        written_to = {a.lower() for a in ctx.msg.to + ctx.msg.cc}
        ctx.mailbox = next((m for m in cfg.mailboxes if m.role == MailboxRole.OBJECTIONS and m.address in written_to),
                           ctx.mailbox)
    if ctx.kind == Kind.MESSAGE:
        ctx.token = reply_token(ctx)
    if ctx.agent is not None and ctx.kind == Kind.MESSAGE and on_border(ctx) and "authres" in cfg.commands.auth \
            and cfg.commands.verify_dkim and cfg.commands.trusted_authserv_ids:
        ctx.own_authres = dkim_check.result_header(cfg.commands.trusted_authserv_ids[0], ctx.raw,
                                                   ctx.sender.rpartition("@")[2])
    if (ctx.kind == Kind.MESSAGE and ctx.client is None and ctx.agent is None
            and cfg.unknown_senders.policy == "reject" and ctx.mailbox.role != MailboxRole.OBJECTIONS):
        raise Reject("unknown-sender", "sender is not a registered contact of any client")


def on_border(ctx) -> bool:
    """Mail straight from the Internet: our SMTP listener with listen.smtp.border (nobody of ours checked it)."""
    return ctx.envelope.source == Source.SMTP and ctx.config.listen.smtp.border


def reply_token(ctx):
    """Our signed reply address (agents.auth.Token) among the envelope recipient and the To/Cc/Delivered-To
    headers, or None."""
    msg = ctx.msg
    candidates = [ctx.envelope.recipient] + msg.to + msg.cc + [
        str(v).strip().strip("<>") for name in ("Delivered-To", "X-Original-To", "Envelope-To")
        for v in raw_headers(msg.msg, name)]
    return find_token(candidates, ctx.mailbox.address)
