"""objection: mail to the objections mailbox (seed 000 §8) is an objection to billed work, never a support ticket.

A client's mail is linked to what it disputes: the tickets it names (`#12`, in the subject or in the client's
own words, not in the statement they quote), the statements it names (`ST-2026-11-1`) or the statement it
answers (the statement mail's Reply-To is this mailbox). Naming a statement alone disputes every request
charged on it. Each item is a ticket as billed in one period; the window (`objection_days` of the plan,
calendar or working days) runs from the day that statement was sent. The client is acknowledged in their
language (with the reference O-<id>, whether it was on time, and by when the head will decide); the heads of
service get the disputed lines and decide by replying (mailbot.pipeline.decide). Mail from someone who is no
contact of a client, or naming another client's ticket, is refused politely and recorded; a client's reply
about an objection they made (its `[O-7]` in the subject) joins it.
"""
from __future__ import annotations

import json
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

from mailbot.agents.decisions import objection_ref
from mailbot.agents.quotes import reply_text
from mailbot.billing import objections as window
from mailbot.mime.addresses import answerable
from mailbot.billing.periods import period_bounds
from mailbot.billing.plans import NO_PLAN
from mailbot.billing.rounding import FREE
from mailbot.config.sections import MailboxRole, Role
from mailbot.outbound.formats import formatters, local_time
from mailbot.outbound.mail import Mail
from mailbot.pipeline import decide
from mailbot.pipeline.context import Kind
from mailbot.pipeline.persist import enqueue_without_ticket, language_of, store_message
from mailbot.services.statements import number
from mailbot.store import objections as objection_rows
from mailbot.store import statements as statement_rows
from mailbot.store import tickets as ticket_rows
from mailbot.store.audit import add_event
from mailbot.tickets.vocabulary import Disposition, EventKind, ObjectionStatus

_TICKET = re.compile(r"(?<![\w#&])#\s?(\d{1,9})\b")
_STATEMENT = re.compile(r"\bST-(\d{4}-(?:0[1-9]|1[0-2]))(?:-\d{1,4})?\b", re.I)
DECIDE_WORKING_DAYS = 5  # when the client may expect the head's decision, as the acknowledgement says


def heads(config) -> list:
    return [a for a in config.agents if a.role == Role.HEAD]


def run(ctx) -> None:
    """The `objection` stage: only mail to an objections mailbox is its business; it records it whole."""
    if ctx.mailbox is None or ctx.mailbox.role != MailboxRole.OBJECTIONS or ctx.kind != Kind.MESSAGE:
        return
    # The guard has done its work on the text; its notices speak of tickets, and an objection is none.
    ctx.mails = [m for m in ctx.mails if m.kind not in (Disposition.PRIVACY_NOTICE, Disposition.PRIVACY_ALERT)]
    if ctx.agent is not None:
        decide.run(ctx)
    else:
        _intake(ctx)
    persist(ctx)  # here, in the open transaction: the later stages are for tickets and leave it alone


def _intake(ctx) -> None:
    ctx.disposition = Disposition.OBJECTION
    ctx.actor = ctx.sender or None
    own = reply_text(ctx.msg.text or "")
    earlier = objection_ref(ctx.msg.subject)
    if earlier is not None:
        row = objection_rows.by_id(ctx.conn, earlier)
        if (row is not None and row.status != ObjectionStatus.REFUSED
                and (row.contact == ctx.sender or (ctx.client and row.client_id == ctx.client.id))):
            return _follow_up(ctx, row, own)  # (a refused one is made again: this mail is a new objection)
    lang = language_of(ctx)
    view = dict(ref="", reasoning=own.strip(), subject=ctx.msg.subject, disputed=[], late=False, deadline=None,
                decide_by=None, follow_up=False,
                rejected_late=False, refusal=None, refused_tickets=[], contact=ctx.sender,
                contact_name=ctx.msg.sender_name, client=ctx.client.name if ctx.client else None,
                received=local_time(ctx.now, lang, _zone(ctx)), currency="EUR")
    record = dict(client_id=ctx.client.id if ctx.client else None, contact=ctx.sender[:320],
                  contact_name=ctx.msg.sender_name, subject=ctx.msg.subject, reasoning=own.strip(), language=lang,
                  received_at=ctx.now, message_id=ctx.msg.message_id, status=ObjectionStatus.OPEN, late=False)
    items: list[dict] = []
    if ctx.client is None:
        view["refusal"] = record["refusal"] = "not-a-contact"
    else:
        found = {n: ticket_rows.by_id(ctx.conn, n)
                 for n in dict.fromkeys(int(n) for n in _TICKET.findall(f"{ctx.msg.subject}\n{own}"))}
        named = [n for n, t in found.items() if t is not None]  # other numbers (an invoice's #20261105) are none
        foreign = [n for n in named if found[n]["client_id"] != ctx.client.id]
        if foreign:
            view["refusal"] = record["refusal"] = "not-your-ticket"
            view["refused_tickets"] = foreign
        else:
            items = _items(ctx, named, own, view)
    if record.get("refusal"):
        record["status"] = ObjectionStatus.REFUSED
    else:
        if items:
            _window(ctx, items, record, view)
        country, zone = ctx.config.client_zone(ctx.client)
        view["decide_by"] = window.working_days_after(ctx.now.astimezone(ZoneInfo(zone)).date(),
                                                      DECIDE_WORKING_DAYS, country).isoformat()
    ctx.objection = dict(kind="objection", record=record, items=items, view=view)
    if not ctx.no_auto and answerable(ctx.msg.reply_to or ctx.sender):
        ctx.mails.append(Mail(Disposition.OBJECTION_RECEIVED, ctx.msg.reply_to or ctx.sender, lang=lang,
                              values=dict(objection=view, **formatters(lang, view["currency"]))))
    if not record.get("refusal"):
        _tell_heads(ctx, view)


def _zone(ctx) -> str:
    return ctx.config.client_zone(ctx.client)[1] if ctx.client else ctx.config.tickets.timezone


def _items(ctx, named: list[int], own: str, view: dict) -> list[dict]:
    """The disputed items: each named ticket as billed on the statement that carries it, or every request charged
    on the statements named or answered. A ticket on no statement yet is disputed as it stands."""
    sent = _latest_versions([r for r in statement_rows.of_client(ctx.conn, ctx.client.id)
                             if r.created_at.date() >= period_bounds(r.period)[1]])  # an interim [report] bills nothing
    linked = set(statement_rows.answered_by(ctx.conn, ctx.refs))
    periods = {p.upper() for p in _STATEMENT.findall(f"{ctx.msg.subject}\n{own}")}
    chosen = [s for s in sent if s.id in linked or s.period in periods or _answers(s, linked)]
    if not named:
        named = list(dict.fromkeys(t["id"] for s in chosen for t in s.doc["tickets"]
                                   if any(ln["category"] != FREE for ln in t["lines"])))
    items = []
    for ticket_id in named:
        statement = next((s for s in chosen + sent if _on(s.doc, ticket_id)), None)
        ticket = ticket_rows.by_id(ctx.conn, ticket_id)
        lines = [ln for t in (statement.doc["tickets"] if statement else ()) if t["id"] == ticket_id
                 for ln in t["lines"]]
        category = (statement.doc.get("finals", {}).get(str(ticket_id)) or (lines[-1]["category"] if lines else None)
                    ) if statement else ticket["category"]
        items.append(dict(ticket_id=ticket_id, period=statement.period if statement else None,
                          statement_id=statement.id if statement else None, category=category,
                          outcome=ObjectionStatus.OPEN, late=False, _sent=statement.sent if statement else None))
        view["disputed"].append(dict(ref=f"#{ticket_id}", ticket=ticket_id, subject=ticket["subject"],
                                     period=statement.period if statement else None,
                                     number=(statement.doc.get("number") or number(statement.period, statement.version))
                                     if statement else None, category=category, late=False,
                                     lines=lines, amount=str(sum(_amounts(lines))) if lines else None))
        if statement:
            view["currency"] = statement.doc.get("currency", "EUR")
    return items


class _Sent:
    """A statement as the client has it: its latest version, parsed once."""

    def __init__(self, row):
        self.id, self.period, self.version = row.id, row.period, row.version
        self.doc = json.loads(row.document)
        self.sent = row.created_at  # issued: its mail leaves within seconds (the window is the same for every retry)
        self.ids: set[int] = set()


def _latest_versions(rows) -> list[_Sent]:
    out, seen = [], {}
    for row in rows:  # newest period and version first
        if row.period in seen:
            seen[row.period].ids.add(row.id)  # an earlier version's mail still names the period
            continue
        s = _Sent(row)
        s.ids.add(row.id)
        seen[row.period] = s
        out.append(s)
    return out


def _answers(statement: _Sent, linked: set[int]) -> bool:
    return bool(statement.ids & linked)


def _on(doc: dict, ticket_id: int) -> bool:
    return str(ticket_id) in doc.get("finals", {}) or any(t["id"] == ticket_id for t in doc.get("tickets", ()))


def _amounts(lines):
    return [Decimal(ln["amount"]) for ln in lines]


def _window(ctx, items: list[dict], record: dict, view: dict) -> None:
    """On time or late: each item's window runs from the day its statement was sent (the client's days)."""
    plan = ctx.config.plan_for(ctx.client) or NO_PLAN
    country, zone = ctx.config.client_zone(ctx.client)
    tz = ZoneInfo(zone)
    received = ctx.now.astimezone(tz).date()
    last = []
    for item, shown in zip(items, view["disputed"]):  # each item by the statement it is on
        if item["_sent"] is None:
            continue
        day = window.last_day(item["_sent"].astimezone(tz).date(), plan.objection_days, plan.objection_counting,
                              country)
        last.append(day)
        item["late"] = shown["late"] = received > day
        if item["late"] and plan.objection_late == "reject":
            item["outcome"] = ObjectionStatus.REJECTED
    if last:
        record["deadline"] = min(last)
        record["late"] = any(i["late"] for i in items)
        view.update(deadline=record["deadline"].isoformat(), late=record["late"])
    if record["late"] and all(i["outcome"] == ObjectionStatus.REJECTED for i in items):
        record["status"] = ObjectionStatus.REJECTED  # every item late, and the plan rejects late objections
        view["rejected_late"] = True



def _follow_up(ctx, row, own: str) -> None:
    lang = row.language
    view = dict(ref=f"O-{row.id}", reasoning=own.strip(), subject=ctx.msg.subject, disputed=[], late=row.late,
                decide_by=None, follow_up=False,
                deadline=row.deadline.isoformat() if row.deadline else None, rejected_late=False, refusal=None,
                refused_tickets=[], contact=ctx.sender, contact_name=ctx.msg.sender_name,
                client=(ctx.config.client_by_id(row.client_id) or ctx.client).name if row.client_id else None,
                received=local_time(ctx.now, lang, _zone(ctx)), currency="EUR")
    view["follow_up"] = True
    ctx.objection = dict(kind="follow-up", id=row.id, view=view)
    if not ctx.no_auto and answerable(ctx.msg.reply_to or ctx.sender):
        ctx.mails.append(Mail(Disposition.OBJECTION_RECEIVED, ctx.msg.reply_to or ctx.sender, lang=lang,
                              values=dict(objection=view, **formatters(lang, view["currency"]))))
    _tell_heads(ctx, view, row.id)


def _tell_heads(ctx, view: dict, objection_id: int | None = None) -> None:
    for head in heads(ctx.config):
        seen = dict(view, received=local_time(ctx.now, head.language, _zone(ctx)))  # the reference is filled in later
        ctx.mails.append(Mail(Disposition.OBJECTION_NOTICE, head.email, lang=head.language, counted=False,
                              auto_submitted="auto-generated", sign_for=head.email, objection=objection_id,
                              attachments=tuple(ctx.msg.attachments),
                              values=dict(agent_name=head.name, objection=seen,
                                          **formatters(head.language, view["currency"]))))


def persist(ctx) -> None:
    """Write an objection (or a follow-up, or a head's decision) with its message, events and mail."""
    o, conn, now = ctx.objection, ctx.conn, ctx.now
    if o["kind"] in ("decision", "refused-decision", "forged"):
        return decide.persist(ctx)
    if o["kind"] == "objection":
        items = [{k: v for k, v in i.items() if not k.startswith("_")} for i in o["items"]]
        objection_id = objection_rows.insert_objection(conn, o["record"], items)
    else:
        objection_id = o["id"]
    o["view"]["ref"] = f"O-{objection_id}"
    for mail in ctx.mails:  # each head's copy of the view carries the reference too
        if mail.kind == Disposition.OBJECTION_NOTICE:
            mail.values["objection"]["ref"] = o["view"]["ref"]
    ctx.message_row = store_message(ctx, None, ctx.disposition, objection_id=objection_id)
    if o["kind"] == "objection":
        objection_rows.set_message(conn, objection_id, ctx.message_row)
        record = o["record"]
        add_event(conn, None, EventKind.OBJECTION, f"O-{objection_id} from client {record['client_id'] or '-'}: " + (
            f"refused ({record['refusal']})" if record.get("refusal") else
            f"{len(items)} item(s), {'late' if record['late'] else 'on time'}, {record['status']}"), now,
            actor=ctx.actor, message_row=ctx.message_row)
        for item in items:
            add_event(conn, item["ticket_id"], EventKind.OBJECTION, f"disputed in O-{objection_id} "
                      f"({item['period'] or 'not yet billed'})", now, actor=ctx.actor, message_row=ctx.message_row)
    else:
        add_event(conn, None, EventKind.OBJECTION, f"O-{objection_id}: the client wrote again", now, actor=ctx.actor,
                  message_row=ctx.message_row)
    enqueue_without_ticket(ctx, objection_id)
