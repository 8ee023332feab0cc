"""persist: write what the stages decided, all in the one open transaction.

Ticket, message, raw copy (unless the guard said no), attachments, the Message-IDs for threading, audit
events and the outbox rows for every mail this causes: committed together or not at all.
"""
import json
import re

from mailbot.billing.periods import period_of
from mailbot.config.sections import Role
from mailbot.config.service_levels import duration
from mailbot.mime.language import detect
from mailbot.outbound.outbox import enqueue
from mailbot.outbound.formats import deadline
from mailbot.services import corrections, service_levels
from mailbot.store import journal, messages, outbox
from mailbot.store import tickets as ticket_rows
from mailbot.store.audit import add_event
from mailbot.store.plans import load, register
from mailbot.store.secrets import reply_secret
from mailbot.tickets.subjects import base_subject
from mailbot.tickets.vocabulary import EventKind, Status

_ACTION = re.compile(rb"^action:\s*(\w+)", re.I | re.M)


def language_of(ctx) -> str:
    """The language mail about this message is written in: the client's, else (someone not yet a contact) the one
    they wrote in, else the mailbox's, else unknown_senders.language. Detected once per message."""
    if ctx.client is not None:
        return ctx.client.language
    if ctx.language is None:
        msg = ctx.msg
        ctx.language = (detect(f"{msg.subject}\n{msg.text}") if msg is not None else None) or (
            ctx.mailbox.language if ctx.mailbox is not None and ctx.mailbox.language else None) or \
            ctx.config.unknown_senders.language
    return ctx.language


def message_values(ctx, ticket_id, disposition, reason="", objection_id=None) -> dict:
    msg = ctx.msg
    return dict(
        ticket_id=ticket_id, idem_key=ctx.idem_key or None, direction="in", source=ctx.envelope.source,
        mailbox=ctx.envelope.recipient, message_id=msg.message_id if msg else None,
        sender=ctx.sender[:320], sender_name=msg.sender_name if msg else "",
        recipients=", ".join((msg.to + msg.cc) if msg else [])[:10000], subject=msg.subject if msg else "",
        body_text=msg.text if msg else None, disposition=disposition, reason=reason,
        size=ctx.raw_size or len(ctx.raw), defects="; ".join(msg.defects) if msg else "", created_at=ctx.now,
        privacy=json.dumps(ctx.privacy, ensure_ascii=False) if ctx.privacy else None, objection_id=objection_id)


def store_message(ctx, ticket_id, disposition, reason="", objection_id=None) -> int:
    return messages.insert(ctx.conn, message_values(ctx, ticket_id, disposition, reason, objection_id),
                           ctx.raw if ctx.keep_raw else None, ctx.msg.attachments if ctx.msg else ())


def run(ctx) -> None:
    if ctx.objection is not None:
        return  # recorded whole by the objection stage
    conn, msg, now = ctx.conn, ctx.msg, ctx.now
    if ctx.no_ticket:
        return _without_ticket(ctx)
    if ctx.ticket is None:
        values = new_ticket(ctx)
        ticket_id = ticket_rows.insert(conn, values)
        ticket = ticket_row(values, ticket_id)
    else:
        ticket_id = ctx.ticket["id"]
        changes = {"updated_at": now} | ({"status": ctx.status} if ctx.status else {}) | ctx.changes
        ticket_rows.change(conn, ticket_id, changes)
        ticket = ctx.ticket | changes
    ctx.ticket_id = ticket_id
    ctx.message_row = store_message(ctx, ticket_id, ctx.disposition)
    if ctx.ticket is None:  # after the message's row, which must answer with its id: the two go out together
        add_event(conn, ticket_id, EventKind.CREATED, f"from {ctx.envelope.source}" + (
            f", following #{ctx.follows}" if ctx.follows else ""), now)
    ticket_rows.remember_message_id(conn, msg.message_id, ticket_id)
    if ctx.bounced_outbox is not None:
        report = b"".join(a.data[:65536] for a in msg.attachments if "delivery-status" in a.content_type)
        action = (_ACTION.search(report) or [None, b"unknown"])[1].decode("ascii", "replace").lower()
        if action == "failed":
            outbox.mark_bounced(conn, ctx.bounced_outbox)
        ctx.events.append((EventKind.DELIVERY_REPORT, f"outbox #{ctx.bounced_outbox}: {action}"))
    if ctx.correct is not None:  # the head's category: every entry, a billed period's statement amended
        category, changes = ctx.correct
        corrections.apply(conn, ticket.get("client_id"), ticket_id, category, changes, actor=ctx.actor, now=now,
                          message_row=ctx.message_row)
    elif "category" in ctx.changes and ctx.ticket is not None:  # time logged before the category was known
        _refile(conn, ctx, ticket_id, ticket.get("client_id"), ctx.changes["category"])
    if ctx.time_entry is not None:
        plan = ctx.config.plan_for(ctx.config.client_by_id(ticket.get("client_id")))
        journal.add_entry(conn, dict(ctx.time_entry, ticket_id=ticket_id, message_row=ctx.message_row,
                                       created_at=now, plan_version=register(conn, plan, now)))
    if ctx.redescribe is not None:  # "Work: ..." alone: the head corrects any entry, an agent their own
        head = ctx.agent is not None and ctx.agent.role == Role.HEAD
        journal.redescribe(conn, ticket_id, None if head else ctx.actor, ctx.redescribe)
    for kind, detail in ctx.events:
        add_event(conn, ticket_id, kind, detail, now, actor=ctx.actor, message_row=ctx.message_row)
    common = mail_values(ctx, ticket)
    references = msg.references + ([msg.message_id] if msg.message_id else [])
    secret = reply_secret(conn, ctx.config.commands.secret) if any(m.sign_for for m in ctx.mails) else None
    for mail in ctx.mails:
        mail.values = common | mail.values
        in_reply_to, refs = mail.thread or (msg.message_id, references)
        enqueue(conn, mail, ticket=ticket, mailbox=ctx.mailbox, now=now, in_reply_to=in_reply_to,
                references=refs, secret=secret, drafts=ctx.drafts)


def _without_ticket(ctx) -> None:
    """A message answered without a ticket: its record, its events and its mail."""
    ctx.message_row = store_message(ctx, None, ctx.disposition)
    for kind, detail in ctx.events:
        add_event(ctx.conn, None, kind, detail, ctx.now, actor=ctx.sender or None, message_row=ctx.message_row)
    enqueue_without_ticket(ctx)


def enqueue_without_ticket(ctx, objection_id: int | None = None) -> None:
    """Queue the mail decided for a message that has no ticket (a [status], an objection, a head's decision),
    threaded under that message unless the mail says otherwise; a signed reply address names `objection_id`."""
    msg = ctx.msg
    references = msg.references + ([msg.message_id] if msg.message_id else [])
    secret = reply_secret(ctx.conn, ctx.config.commands.secret) if any(m.sign_for for m in ctx.mails) else None
    signature = ctx.mailbox.display_name or ctx.mailbox.name
    for mail in ctx.mails:
        mail.values = {"signature": signature, **mail.values}
        if mail.sign_for:
            mail.objection = objection_id
        in_reply_to, refs = mail.thread or (msg.message_id, references)
        enqueue(ctx.conn, mail, ticket=None, mailbox=ctx.mailbox, now=ctx.now, in_reply_to=in_reply_to,
                references=refs, secret=secret)


def new_ticket(ctx) -> dict:
    """The columns of the ticket this message opens (the draft stage renders mail for it ahead)."""
    msg = ctx.msg
    return dict(
        mailbox=ctx.mailbox.address, client_id=ctx.client.id if ctx.client else None,
        contact=ctx.sender[:320], contact_name=msg.sender_name, subject=msg.subject,
        base_subject=base_subject(msg.subject), status=ctx.status or Status.NEW, language=language_of(ctx),
        created_at=ctx.now, updated_at=ctx.now, follows=ctx.follows) | ctx.changes


def ticket_row(values: dict, ticket_id) -> dict:
    """A new ticket as its templates see it: every column, those not given None."""
    return dict.fromkeys(ticket_rows.COLUMNS) | values | {"id": ticket_id}


def mail_values(ctx, ticket: dict) -> dict:
    """What every template of a mail about this message is given, besides the mail's own values."""
    client = ctx.config.client_by_id(ticket.get("client_id"))
    plan = ctx.config.plan_for(client)
    lang = ticket.get("language") or language_of(ctx)
    key = (client.id if client else None, ticket.get("created_at") or ctx.now, ticket.get("priority"), lang)
    if key not in ctx.deadlines:  # worked out once, before the transaction (draft), not again while it is open
        due = service_levels.response_due(ctx.config, client, key[1], key[2])
        target = service_levels.response_target(ctx.config, plan, key[2])  # the one the deadline is from
        ctx.deadlines[key] = (duration(target) if target else None, deadline(due[0], lang, due[1]) if due else None)
    reaction, response_due = ctx.deadlines[key]
    return dict(original_subject=ctx.msg.subject, client=client, plan=plan, reaction=reaction,
                sender_name=ctx.msg.sender_name, signature=ctx.mailbox.display_name or ctx.mailbox.name,
                response_due=response_due)


def _refile(conn, ctx, ticket_id: int, client_id: str | None, category: str) -> None:
    """Time logged without a category follows the ticket's newly decided one — except in a month whose statement
    is already billed (what the client was sent stays true; only the head corrects it) and where
    the plan the work was done under has no such category."""
    rows = journal.unfiled(conn, ticket_id, category)
    if not rows:
        return
    issued = journal.billed_periods(conn, client_id)
    known: dict[str | None, bool] = {}
    moved, kept = [], 0
    for r in rows:
        if r.plan_version not in known:
            try:
                known[r.plan_version] = r.plan_version is None or category in load(conn, r.plan_version).categories
            except LookupError:
                known[r.plan_version] = False
        if known[r.plan_version] and period_of(r.work_date) not in issued:
            moved.append(r.id)
        else:
            kept += 1
    if moved:
        journal.refile(conn, moved, category)
    ctx.events.append((EventKind.TIME_REFILED, f"{len(moved)} earlier time entr{'y' if len(moved) == 1 else 'ies'} without "
                                       f"a category now {category}" + (
        f"; {kept} kept as filed (statement issued, or not in that plan)" if kept else "")))
