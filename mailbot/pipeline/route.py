"""route: which of our mailboxes it came to, and who sent it (a client's contact, an agent, or a stranger)."""
from mailbot.agents.commands import find_reply_token
from mailbot.pipeline.context import Reject


def run(ctx) -> None:
    cfg = ctx.config
    ctx.mailbox = cfg.mailbox_for(ctx.envelope.recipient)
    if ctx.mailbox is None:  # the listeners refuse these at RCPT; the pipe command can still be misconfigured
        raise Reject("unknown-mailbox", f"no mailbox is configured for {ctx.envelope.recipient}")
    if ctx.sender and "@" in ctx.sender:
        ctx.agent = cfg.agent_for(ctx.sender)
        ctx.client = None if ctx.agent else cfg.client_for(ctx.sender)
    if ctx.kind == "message":
        ctx.token = find_reply_token(ctx)
    if (ctx.kind == "message" and ctx.client is None and ctx.agent is None
            and cfg.unknown_senders.policy == "reject"):
        raise Reject("unknown-sender", "sender is not a registered contact of any client")
