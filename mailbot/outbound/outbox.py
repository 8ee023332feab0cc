"""The transactional outbox (invariant 3): a mail is rendered, given its Message-ID and written in the same
transaction as its cause; the sender task only delivers what is here. A resend is byte-for-byte the same mail."""
from __future__ import annotations

from dataclasses import dataclass

from mailbot.agents.auth import OBJECTION, reply_address
from mailbot.outbound.drafts import render_with
from mailbot.outbound.render import compose, new_message_id
from mailbot.store import outbox as outbox_rows


@dataclass(frozen=True)
class Outgoing:
    """A mail rendered and composed, its Message-ID fixed: what one outbox row will hold."""
    kind: str
    counted: bool
    ticket_id: int | None
    mailbox: str
    sender_name: str
    recipients: tuple[str, ...]
    subject: str
    text: str
    message_id: str  # without angle brackets
    raw: bytes


def enqueue(conn, mail, *, ticket: dict | None, mailbox, now, in_reply_to=None, references=(), secret=None,
            drafts=()) -> int:
    """Render `mail` (an outbound.mail.Mail) for `ticket` (None: a mail about no ticket, such as a statement) and
    queue it, with its Message-ID fixed now."""
    return write(conn, build(mail, ticket=ticket, mailbox=mailbox, now=now, in_reply_to=in_reply_to,
                             references=references, secret=secret, drafts=drafts), now)


def build(mail, *, ticket: dict | None, mailbox, now, in_reply_to=None, references=(), secret=None,
          drafts=()) -> Outgoing:
    """Render and compose, touching no database: a long job (statements) does this outside its transaction.
    `drafts`: renderings made ahead (mailbot.outbound.drafts), used where they fit exactly."""
    lang = mail.lang or ticket["language"]
    ticket_id = ticket["id"] if ticket else None
    if mail.sign_for and mail.objection is not None:
        mail.reply_to = reply_address(mailbox.address, mail.objection, mail.sign_for, secret, OBJECTION)
    elif mail.sign_for:
        mail.reply_to = reply_address(mailbox.address, ticket_id, mail.sign_for, secret)
    subject, text, html = render_with(drafts, mail.kind, lang, ticket, mail.values)
    message_id = new_message_id(mailbox.address.rpartition("@")[2])
    recipients = [mail.to] if isinstance(mail.to, str) else list(mail.to)
    sender_name = mailbox.display_name or mailbox.name
    raw = compose(sender=mailbox.address, sender_name=sender_name, to=", ".join(recipients), subject=subject,
                  text=text, html=html, message_id=message_id, date=now, lang=lang, in_reply_to=in_reply_to,
                  references=references, auto_submitted=mail.auto_submitted, ticket_id=ticket_id,
                  reply_to=mail.reply_to, attachments=mail.attachments, text_only=mail.text_only)
    return Outgoing(mail.kind, mail.counted, ticket_id, mailbox.address, sender_name, tuple(recipients), subject,
                    text, message_id.strip("<>"), raw)


def write(conn, out: Outgoing, now) -> int:
    """Queue a built mail in the caller's transaction; returns its outbox row."""
    return outbox_rows.write(conn, out, now)
