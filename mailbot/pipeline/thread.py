"""thread: which ticket does this message belong to?

In order: the Message-IDs it answers (In-Reply-To/References, and for delivery reports the headers of the
returned message), the ticket reference in the subject, and for a reply-prefixed subject from a client's
contact that client's open ticket with the same base subject. A sender who is neither the ticket's contact,
a contact of its client, nor an agent cannot join a stranger's ticket: that mail opens a new one.
"""
import re

from mailbot.agents.auth import TICKET
from mailbot.config.sections import MailboxRole
from mailbot.pipeline.context import Discard, Kind
from mailbot.store import outbox
from mailbot.store import tickets as ticket_rows
from mailbot.tickets.lifecycle import reply_too_late
from mailbot.tickets.subjects import base_subject, is_reply, ticket_ref
from mailbot.tickets.vocabulary import Disposition, EventKind

_HEADER_MID = re.compile(rb"^message-id:\s*<([^<>\s]+)>", re.I | re.M)


def _returned_ids(msg) -> list[str]:
    """Message-IDs of the original inside a delivery report."""
    out = []
    for a in msg.attachments:
        if a.content_type in ("message/rfc822", "text/rfc822-headers", "message/rfc822-headers"):
            out += [m.decode("ascii", "replace") for m in _HEADER_MID.findall(a.data[:65536])]
    return out


def may_join(ctx, ticket) -> bool:
    if ctx.agent is not None:
        return True
    if ctx.sender and ctx.sender == ticket["contact"]:
        return True
    return ctx.client is not None and ticket["client_id"] == ctx.client.id


def run(ctx) -> None:
    msg, conn = ctx.msg, ctx.conn
    ctx.refs = list(dict.fromkeys(msg.in_reply_to + list(reversed(msg.references))))
    if ctx.kind == Kind.BOUNCE:
        ctx.refs += _returned_ids(msg)
        # A report about mail we sent belongs to that mail's ticket, whoever the reporting MTA is.
        if ctx.refs:
            row = outbox.sent_as(conn, ctx.refs)
            if row is not None and row.ticket_id is not None:
                ctx.ticket, ctx.disposition = ticket_rows.by_id(conn, row.ticket_id), Disposition.DSN
                ctx.bounced_outbox = row.id
                return
        raise Discard(Disposition.BOUNCE, "delivery report not about mail we sent")
    if ctx.mailbox.role == MailboxRole.OBJECTIONS:  # an objection is no ticket's message (pipeline.objection)
        if ctx.kind == Kind.AUTO_REPLY:
            raise Discard(Disposition.AUTO_REPLY, ctx.no_auto or "auto-reply")
        return
    if ctx.agent is not None and ctx.token is not None and ctx.token.kind == TICKET:  # it names the ticket
        ticket = ticket_rows.by_id(conn, ctx.token.ticket_id)
        if ticket is not None:
            return _join(ctx, ticket)
    refused = None
    if ctx.refs:
        for tid in ticket_rows.tickets_of(conn, ctx.refs):
            ticket = ticket_rows.by_id(conn, tid)
            if may_join(ctx, ticket):
                return _join(ctx, ticket)
            refused = refused or tid
    ref = ticket_ref(msg.subject)
    if ref is not None:
        ticket = ticket_rows.by_id(conn, ref)
        if ticket is not None:
            if may_join(ctx, ticket):
                return _join(ctx, ticket)
            refused = refused or ref
    if ctx.client is not None and is_reply(msg.subject):
        row = ticket_rows.open_by_subject(conn, ctx.client.id, base_subject(msg.subject))
        if row is not None:
            return _join(ctx, row)
    if ctx.kind == Kind.AUTO_REPLY:
        raise Discard(Disposition.AUTO_REPLY, ctx.no_auto or "auto-reply")
    if refused is not None:
        ctx.events.append((EventKind.JOIN_REFUSED, f"sender may not join ticket #{refused}; opened a new ticket"))


def _join(ctx, ticket) -> None:
    if ctx.agent is None and ctx.kind == Kind.MESSAGE and _too_late(ctx, ticket):
        # A client's reply long after the ticket was resolved is a new request that remembers the old one.
        ctx.follows = ticket["id"]
        ctx.events.append((EventKind.FOLLOWS, f"reply to #{ticket['id']}, resolved more than "
                                      f"{ctx.config.tickets.reopen_days} days ago"))
        return
    ctx.ticket = ticket
    ctx.disposition = Disposition.AUTO_REPLY if ctx.kind == Kind.AUTO_REPLY else Disposition.REPLY


def _too_late(ctx, ticket) -> bool:
    return reply_too_late(ticket["status"], ticket.get("resolved_at") or ticket["updated_at"], ctx.now,
                          ctx.config.tickets.reopen_days)
