"""The transactional outbox (invariant 3): a mail is rendered, given its Message-ID and written in the same
transaction as its cause; the sender task only delivers what is here. A resend is byte-for-byte the same mail."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import and_, case, or_, select, update

from mailbot.agents.auth import reply_address
from mailbot.outbound.drafts import render_with
from mailbot.outbound.render import compose, new_message_id
from mailbot.store.models import outbox, outbox_raw, utcnow
from mailbot.store.queries import INSERT_MESSAGE, INSERT_OUTBOX, INSERT_OUTBOX_RAW, add_event, remember_message_id



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
    """Render `mail` (a pipeline Mail) for `ticket` (None: a mail about no ticket, such as a statement) and
    queue it, with its Message-ID fixed now."""
    return write(conn, build(mail, ticket=ticket, mailbox=mailbox, now=now, in_reply_to=in_reply_to,
                             references=references, secret=secret, drafts=drafts), now)


def build(mail, *, ticket: dict | None, mailbox, now, in_reply_to=None, references=(), secret=None,
          drafts=()) -> Outgoing:
    """Render and compose, touching no database: a long job (statements) does this outside its transaction.
    `drafts`: renderings made ahead (mailbot.outbound.drafts), used where they fit exactly."""
    lang = mail.lang or ticket["language"]
    ticket_id = ticket["id"] if ticket else None
    if mail.sign_for:
        mail.reply_to = reply_address(mailbox.address, ticket_id, mail.sign_for, secret)
    subject, text, html = render_with(drafts, mail.kind, lang, ticket, mail.values)
    message_id = new_message_id(mailbox.address.rpartition("@")[2])
    recipients = [mail.to] if isinstance(mail.to, str) else list(mail.to)
    sender_name = mailbox.display_name or mailbox.name
    raw = compose(sender=mailbox.address, sender_name=sender_name, to=", ".join(recipients), subject=subject,
                  text=text, html=html, message_id=message_id, date=now, lang=lang, in_reply_to=in_reply_to,
                  references=references, auto_submitted=mail.auto_submitted, ticket_id=ticket_id,
                  reply_to=mail.reply_to, attachments=mail.attachments)
    return Outgoing(mail.kind, mail.counted, ticket_id, mailbox.address, sender_name, tuple(recipients), subject,
                    text, message_id.strip("<>"), raw)


def write(conn, out: Outgoing, now) -> int:
    """The outbox row and the ticket's record of the mail, in the caller's transaction."""
    rcpts = ",".join(r.lower() for r in out.recipients)
    row = INSERT_OUTBOX(conn, dict(
        ticket_id=out.ticket_id, kind=out.kind, auto=out.counted, message_id=out.message_id, mail_from=out.mailbox,
        rcpt=out.recipients[0].lower(), recipients=rcpts, status="pending", attempts=0,
        next_attempt_at=now, created_at=now, lease_until=None, lease_owner=None, last_error=None,
        sent_at=None))
    INSERT_OUTBOX_RAW.later(conn, dict(outbox_id=row, raw=out.raw))
    INSERT_MESSAGE.later(conn, dict(
        ticket_id=out.ticket_id, direction="out", source="mailbot", mailbox=out.mailbox, message_id=out.message_id,
        sender=out.mailbox, sender_name=out.sender_name, recipients=rcpts, subject=out.subject, body_text=out.text,
        disposition=out.kind, reason="", size=len(out.raw), defects="", created_at=now, idem_key=None))
    if out.ticket_id is not None:
        remember_message_id(conn, out.message_id, out.ticket_id)
    return row


def claim(conn, owner: str, limit: int, lease_seconds: float) -> list:
    """Lease due rows so that no other daemon sends them meanwhile (SKIP LOCKED on PostgreSQL; SQLite's
    single writer serialises the UPDATE)."""
    now = utcnow()
    due = select(outbox.c.id).where(
        outbox.c.status == "pending", outbox.c.next_attempt_at <= now,
        or_(outbox.c.lease_until.is_(None), outbox.c.lease_until < now)).order_by(outbox.c.id).limit(limit)
    if conn.dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    ids = [r.id for r in conn.execute(due)]
    if not ids:
        return []
    conn.execute(update(outbox).where(outbox.c.id.in_(ids)).values(
        lease_until=now + timedelta(seconds=lease_seconds), lease_owner=owner))
    return list(conn.execute(select(outbox.c.id, outbox.c.ticket_id, outbox.c.mail_from, outbox.c.recipients,
                                    outbox_raw.c.raw, outbox.c.attempts, outbox.c.message_id).join_from(
        outbox, outbox_raw, outbox_raw.c.outbox_id == outbox.c.id).where(
        outbox.c.id.in_(ids), outbox.c.lease_owner == owner)))


def mark_sent(conn, row_ids: list[int], owner: str) -> None:
    now = utcnow()
    # A delivery report may have marked it "bounced" while it was on its way: that verdict stands.
    conn.execute(update(outbox).where(and_(outbox.c.id.in_(row_ids), outbox.c.lease_owner == owner)).values(
        status=case((outbox.c.status == "pending", "sent"), else_=outbox.c.status), sent_at=now,
        lease_until=None, attempts=outbox.c.attempts + 1, last_error=None))


def mark_failed(conn, row, owner: str, error: str, *, permanent: bool, max_attempts: int, base: float,
                cap: float, jitter: float) -> str:
    """Back off exponentially; give up after max_attempts or on a permanent refusal, and say so on the ticket."""
    now = utcnow()
    attempts = row.attempts + 1
    final = permanent or attempts >= max_attempts
    delay = min(cap, base * 2 ** (attempts - 1)) * (1 + jitter)
    conn.execute(update(outbox).where(and_(outbox.c.id == row.id, outbox.c.lease_owner == owner)).values(
        status="failed" if final else "pending", attempts=attempts, last_error=error[:2000], lease_until=None,
        next_attempt_at=now + timedelta(seconds=delay)))
    kind = "delivery-failed" if final else "delivery-retry"
    add_event(conn, row.ticket_id, kind, f"outbox #{row.id} attempt {attempts}: {error[:500]}", now)
    return kind
