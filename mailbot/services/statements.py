"""Statements: one client's history and hours for one period, computed from the journal, mailed once.

`compute` reads the period's time entries (the work date decides the period) with their tickets and bills
them by the plan version each was entered under. `issue` stores the statement as sent — immutable; sending
again makes the next version, a correction — and queues its mail in the same transaction (invariant 3).
`run_due` is what the schedule does (mailbot.services.statement_run): for every client whose statement is due
it claims the unique (client, period) row and issues the statement in the same transaction, so a second
daemon, a restart or a missed-run catch-up can never send it twice, and a run killed half-way simply goes on
where it stopped. What a statement is computed from is read through mailbot.services.statement_reads: as it
goes for one statement, a chunk of clients at once for a run.
"""
from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from mailbot.billing import objections as objection_window
from mailbot.billing import periods
from mailbot.billing.plans import NO_PLAN, snapshot, terms_of
from mailbot.billing.rounding import FREE, Entry, bill, totals
from mailbot.config.sections import MailboxRole
from mailbot.mime.parts import Attachment
from mailbot.outbound.formats import formatters
from mailbot.outbound.mail import Mail
from mailbot.outbound.outbox import Outgoing, build, write
from mailbot.services.statement_csv import csv_bytes
from mailbot.services.statement_reads import Reads
from mailbot.store import statements as statement_rows
from mailbot.store.audit import add_event
from mailbot.tickets.vocabulary import Disposition, EventKind


class StatementError(Exception):
    """A statement that cannot be made or sent (unknown client, no address to send it to ...)."""


def compute(conn, config, client, period: str, now: datetime, reads: Reads | None = None) -> dict:
    """The statement as data (amounts as decimal strings); nothing is written. `reads`: where its data comes
    from (default: `conn`, as it goes)."""
    reads = reads or Reads(conn)
    start, end = periods.period_bounds(period)
    rows = reads.entries(client.id, start, end)
    plan = config.plan_for(client)
    current = snapshot(plan or NO_PLAN)[0]  # entries from before plan versions were kept: today's terms
    include_free = config.statements_for(client).include_free
    frozen = _frozen_finals(reads, client.id, period, end)
    by_version: dict[str, list] = {}
    for row in rows:
        by_version.setdefault(row.plan_version or current, []).append(row)
    lines, allowance_doc, fees, currency, exclude_vat, objection_days = [], None, [], "EUR", True, 2
    finals: dict[str, str] = {}
    terms_plan = plan or NO_PLAN
    for version, group in by_version.items():
        terms_plan = plan or NO_PLAN if version == current else reads.plan(version)
        terms, allowance = terms_of(terms_plan)
        final = {r.ticket_id: frozen.get(r.ticket_id, r.final) for r in group}
        final = {t: c for t, c in final.items() if c in terms}
        billed = bill([Entry(r.id, r.ticket_id, r.work_date, r.minutes, r.category) for r in group], terms, allowance,
                      final)
        for r in group:  # the category each ticket's minimum time went to (what an amendment must hold on to)
            finals[str(r.ticket_id)] = final.get(r.ticket_id, r.category)
        lines += billed
        allowance_doc = _allowance(billed, allowance, terms, terms_plan) or allowance_doc
    _, default_allowance = terms_of(terms_plan)
    if allowance_doc is None and (default_allowance.minutes or default_allowance.requests):
        allowance_doc = _allowance([], default_allowance, {}, terms_plan)
    for fee in terms_plan.fees:
        quantity = client.workstations if fee.per == "workstation" else 1
        if quantity:
            fees.append(dict(name=fee.name, quantity=quantity, amount=_s(Decimal(fee.amount) * quantity)))
    currency, exclude_vat, objection_days = terms_plan.currency, terms_plan.prices_exclude_vat, terms_plan.objection_days
    zone = ZoneInfo(config.client_zone(client)[1])  # the day a ticket was opened, as the client counts days
    info = {r.id: r for r in rows}
    first_of: dict[int, object] = {}  # each ticket's first entry: what a top-up line shows of its ticket
    for r in rows:
        first_of.setdefault(r.ticket_id, r)
    agents: dict[str, object] = {}
    shown = [ln for ln in lines if include_free or ln.category != FREE]
    doc_tickets: dict[int, dict] = {}
    for ln in shown:
        r = info[ln.entry] if ln.entry is not None else first_of[ln.ticket]
        t = doc_tickets.get(ln.ticket)
        if t is None:
            t = doc_tickets[ln.ticket] = dict(
                ref=f"#{ln.ticket}", id=ln.ticket, opened=r.opened.astimezone(zone).date().isoformat(),
                contact=r.asker, contact_name=r.contact_name, subject=r.subject, lines=[])
        if ln.entry is None:
            agent = None
        elif r.agent in agents:
            agent = agents[r.agent]
        else:
            agent = agents[r.agent] = config.agent_for(r.agent)
        t["lines"].append(dict(
            entry=ln.entry, work_date=ln.work_date.isoformat(), agent=agent.name if agent else (
                r.agent if ln.entry is not None else ""), agent_email=r.agent if ln.entry is not None else "",
            description=r.description if ln.entry is not None else "", category=ln.category, entered=ln.entered,
            billed=ln.billed, requests=ln.requests, included=ln.included, charged=ln.charged, rate=_s(ln.rate),
            amount=_s(ln.amount), top_up=ln.entry is None, per=ln.per,
            units=ln.billed // ln.per if ln.per != 60 and ln.billed % ln.per == 0 else None,
            minimum=_minimum(terms_plan, ln.category) if ln.entry is None else None))
    _service(reads, config, doc_tickets, now)
    total = sum((ln.amount for ln in lines), Decimal("0.00")) + sum((Decimal(f["amount"]) for f in fees), Decimal(0))
    return dict(
        client=dict(id=client.id, name=client.name), period=period, period_start=start.isoformat(),
        period_end=(end - timedelta(days=1)).isoformat(), currency=currency, prices_exclude_vat=exclude_vat,
        plan=plan.name if plan else None, plan_title=plan.title_in(client.language) if plan else None,
        include_free=include_free,
        tickets=sorted(doc_tickets.values(), key=lambda t: (t["lines"][0]["work_date"], t["id"])),
        categories=[dict(name=name, entered=t.entered, billed=t.billed, requests=t.requests, charged=t.charged,
                         amount=_s(t.amount)) for name, t in totals(shown).items()],
        allowance=allowance_doc, fees=fees, total=_s(total), objection_days=objection_days, finals=finals,
        objections_received=_objections_in(reads, config, client, start, end))


def _service(reads: Reads, config, doc_tickets: dict, now: datetime) -> None:
    """Each ticket's service levels as the statement shows them: working minutes to the first answer and to the
    solution, against the plan's targets, and whether they were met (None: no target, or not yet)."""
    for ticket_id, levels in reads.levels(config, list(doc_tickets), now).items():
        doc_tickets[ticket_id]["service"] = {clock.name: _clock(clock) for clock in (levels.response, levels.resolution)}


def _clock(clock) -> dict:
    """A clock as a statement shows it: the first answer only once given (or once overdue); met, missed (also
    while it still runs past its target), or not yet."""
    if clock.budget is None or (clock.name == "response" and clock.met is None and not clock.breached):
        return dict(minutes=None, target=None, target_minutes=None, met=None)
    return dict(minutes=round(clock.used), target=clock.target, target_minutes=round(clock.budget),
                met=False if clock.met is None and clock.breached else clock.met)


def _frozen_finals(reads: Reads, client_id: str, period: str, end) -> dict[int, str]:
    """For a period already billed: each ticket's category as the client was billed (a later change of the ticket's
    category does not reach back), over which the head's corrections lie. Else nothing: the tickets' own."""
    issued = reads.latest(client_id, period)
    if issued is None or issued.created_at.date() < end:
        return {}
    doc = json.loads(issued.document)
    if "finals" in doc:
        frozen = {int(k): v for k, v in doc["finals"].items()}
    else:  # issued before the categories were kept: its top-up's category, else its last line's, as billed
        frozen = {t["id"]: next((ln["category"] for ln in t["lines"] if ln.get("top_up")), t["lines"][-1]["category"])
                  for t in doc.get("tickets", ()) if t["lines"]}
    return frozen | reads.corrections(client_id, period)


def _minimum(plan, category: str) -> int | None:
    """The minimum billed time per request a top-up line makes up for (MONEO: 15 minutes)."""
    return plan.rule(category).minimum if category in plan.categories else None


def _objections_in(reads: Reads, config, client, start, end) -> dict:
    """The client's objections received in the period, by outcome (the statement's summary counts them)."""
    tz = ZoneInfo(config.client_zone(client)[1])
    found = reads.objections(client.id, datetime.combine(start, time(), tz), datetime.combine(end, time(), tz))
    found.pop("refused", None)  # not objections of this client's: nobody's contact, or another client's tickets
    return dict(received=sum(found.values()), upheld=found.get("upheld", 0) + found.get("partly", 0),
                rejected=found.get("rejected", 0), open=found.get("open", 0))


def _allowance(lines, allowance, terms, plan) -> dict | None:
    if not allowance.minutes and not allowance.requests:
        return None
    minute_lines = [ln for ln in lines if terms[ln.category].rule.scope != "request"]
    request_lines = [ln for ln in lines if terms[ln.category].rule.scope == "request"]
    used = sum(ln.included for ln in minute_lines)
    over = sum(ln.charged for ln in minute_lines if terms[ln.category].consumes_allowance and ln.category != FREE)
    unit = plan.rounding.unit
    return dict(minutes=allowance.minutes, used=used, remaining=allowance.minutes - used, over=over, unit=unit,
                over_units=-(-over // unit) if allowance.minutes else 0, requests=allowance.requests,
                requests_used=sum(ln.included for ln in request_lines))


_CENT = Decimal("0.01")


def _s(amount: Decimal) -> str:
    return str(Decimal(amount).quantize(_CENT))


def issue(conn, config, client, period: str, reason: str, now: datetime) -> dict:
    """Compute, store (the next version) and queue the statement mail to the client's registered contacts."""
    return store(conn, prepare(conn, config, client, period, now), reason, now)


def prepare(conn, config, client, period: str, now: datetime, reads: Reads | None = None) -> tuple[dict, Outgoing]:
    """The statement and its mail, rendered, with the version it will have: reads only, so a statement run
    does the slow part outside its write transaction. A version after the first says what changed."""
    if not client.contacts:
        raise StatementError(f"client {client.id} has no registered contact address to send a statement to")
    reads = reads or Reads(conn)
    doc = compute(conn, config, client, period, now, reads)
    last = reads.latest(client.id, period)
    objections = next((m for m in config.mailboxes if m.role == MailboxRole.OBJECTIONS), None)
    if last is not None and _content(json.loads(last.document)) == _content(doc):
        # Nothing changed since it was issued: the same statement again (as issued), not a "correction".
        doc = dict(json.loads(last.document), resend_of=last.id)
    else:
        local_now = now.astimezone(ZoneInfo(config.client_zone(client)[1]))
        version = (last.version if last else 0) + 1
        doc.update(version=version, number=number(period, version), issued_at=local_now.date().isoformat(),
                   objections=dict(address=objections.address, until=_object_until(
                       config, client, local_now.date()).isoformat())
                   if objections and doc["total"] != "0.00" else None)
        if last is not None:
            doc["amends"] = amendment(json.loads(last.document), doc)
    version, lang = doc["version"], client.language
    mailbox = next((m for m in config.mailboxes if m.role == MailboxRole.SUPPORT), config.mailboxes[0])
    mail = Mail(Disposition.STATEMENT, tuple(client.contacts), lang=lang, counted=False, auto_submitted="auto-generated",
                reply_to=objections.address if objections and doc.get("objections") else None,
                attachments=(Attachment(f"statement-{client.id}-{period}-v{version}.csv", 'text/csv; charset="utf-8"',
                                        csv_bytes(doc, lang)),),
                values=dict(statement=doc, client=client, signature=mailbox.display_name or mailbox.name,
                            sender_name="", **formatters(lang, doc["currency"])))
    return doc, build(mail, ticket=None, mailbox=mailbox, now=now)


def show(conn, config, client, period: str, now: datetime) -> dict:
    """What `mailbot statement show` prints: for a period already sent, the version the client has (`sent` true)
    with, if the journal changed since, the amendment it would take (`pending`, with its differences) — never
    silently a different figure; for a period not sent, the statement as it stands (`sent` false)."""
    current = compute(conn, config, client, period, now)
    last = statement_rows.latest(conn, client.id, period)
    if last is None:
        return dict(current, sent=False, pending=None)
    issued = dict(json.loads(last.document), id=last.id)
    pending = None
    if _content(issued) != _content(current):
        pending = dict(current, version=last.version + 1, amends=amendment(issued, current))
    return dict(issued, sent=True, pending=pending)


def number(period: str, version: int) -> str:
    """A statement's number as clients quote it: ST-2026-11-1 (the client is known from who writes)."""
    return f"ST-{period}-{version}"


def _object_until(config, client, sent):
    """The last day the client may object to a statement sent on `sent` (their local date)."""
    plan = config.plan_for(client) or NO_PLAN
    return objection_window.last_day(sent, plan.objection_days, plan.objection_counting, config.client_zone(client)[0])


def amendment(old: dict, new: dict) -> dict:
    """What a new version changes against the one the client has: each line whose category, billed time or
    amount differs (old -> new; a line only on one side has None on the other), and both totals."""
    def keyed(doc):
        return {(t["id"], ln.get("entry")): dict(ln, ticket=t["id"], ref=t["ref"]) for t in doc.get("tickets", ())
                for ln in t["lines"]}
    before, after = keyed(old), keyed(new)
    changes = []
    for key in sorted(before.keys() | after.keys(), key=lambda k: (k[0], k[1] is None, k[1] or 0)):
        a, b = before.get(key), after.get(key)
        if a and b and (a["category"], a["billed"], a["amount"]) == (b["category"], b["billed"], b["amount"]):
            continue
        line = b or a
        changes.append(dict(ticket=key[0], ref=line["ref"], entry=key[1], work_date=line["work_date"],
                            description=line.get("description", ""), top_up=line.get("top_up", False),
                            old=_side(a), new=_side(b)))
    return dict(version=old.get("version"), number=old.get("number") or number(old["period"], old.get("version", 1)),
                total=old["total"], changes=changes)


def _side(line: dict | None) -> dict | None:
    return None if line is None else dict(category=line["category"], billed=line["billed"], amount=line["amount"])


# How a statement was issued and presented, not what it says (a plan's title may be reworded; what the
# lines show of the plan's units and minimum is the plan's, and the objections' count is news, not billing).
_NOT_CONTENT = ("version", "number", "issued_at", "objections", "resend_of", "id", "plan_title", "amends", "finals",
                "objections_received")
_NOT_LINE_CONTENT = ("per", "units", "minimum")


def _content(doc: dict) -> dict:
    """What a statement says, without when it was issued: equal contents make a resend, not a new version."""
    out = {k: v for k, v in doc.items() if k not in _NOT_CONTENT}
    out["tickets"] = [dict({k: v for k, v in t.items() if k != "service"},  # the clocks run on: news, not billing
                           lines=[{k: v for k, v in ln.items() if k not in _NOT_LINE_CONTENT} for ln in t["lines"]])
                      for t in doc.get("tickets", ())]
    return out


def store(conn, prepared: tuple[dict, Outgoing], reason: str, now: datetime) -> dict:
    """Write the statement as sent and queue its mail. A version taken meanwhile (a concurrent manual send)
    fails the unique (client, period, version) and with it the caller's transaction: nothing half-done."""
    doc, outgoing = prepared
    client_id, period, version = doc["client"]["id"], doc["period"], doc["version"]
    outbox_id = write(conn, outgoing, now)
    if "resend_of" in doc:
        add_event(conn, None, EventKind.STATEMENT, f"{client_id} {period} v{version} sent again ({reason})", now)
        return dict(doc, id=doc["resend_of"])
    statement_id = statement_rows.insert_statement(conn, doc, reason, outbox_id, now)
    add_event(conn, None, EventKind.STATEMENT, f"{client_id} {period} v{version} ({reason}): {doc['total']} {doc['currency']}",
              now)
    return dict(doc, id=statement_id)


def current_period(config, client, now: datetime) -> str:
    """The period the client is in now (their time zone)."""
    return periods.period_of(now.astimezone(ZoneInfo(config.client_zone(client)[1])).date())


def due(config, now: datetime, served: dict | None = None):
    """(client, period) pairs whose scheduled statement is due now: the previous period's, from 07:00 local
    time on the first working day of the month — never a period before the client's first one (`since`)."""
    for client in config.clients:
        if config.statements_for(client).send != "scheduled":
            continue
        country, zone = config.client_zone(client)
        tz = ZoneInfo(zone)
        period = periods.previous_period(periods.period_of(now.astimezone(tz).date()))
        if period < since(config, client, (served or {}).get(client.id, ()), tz):
            continue  # mailbot was not serving the client yet: no bill for that month
        if now >= periods.statement_due(period, country, tz, config.statements_for(client).hour):
            yield client, period


def since(config, client, moments, tz) -> str:
    """The first period a scheduled statement may cover: `clients[].statements.since`, else the period of the
    earliest moment mailbot served the client (store.clients.first_served); "0000-00" when nothing is known."""
    stated = client.statements.since if client.statements is not None else None
    if stated:
        return stated
    days = [m.astimezone(tz).date() if isinstance(m, datetime) else m for m in moments]
    return periods.period_of(min(days)) if days else "0000-00"


def run_due(engine, config, now: datetime, owner: str = "mailbot", workers: int = 1,
            stopping=lambda: False) -> list[tuple[str, str, str]]:
    """Issue every due scheduled statement not yet issued; returns [(client, period, outcome)]. The run itself
    (its chunks, claims and worker processes) is mailbot.services.statement_run."""
    from mailbot.services import statement_run  # it builds on this module
    return statement_run.run_due(engine, config, now, owner, workers, stopping)
