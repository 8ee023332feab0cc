"""Statements: one client's history and hours for one period, computed from the journal, mailed once.

`compute` reads the period's time entries (the work date decides the period) with their tickets and bills
them by the plan version each was entered under. `issue` stores the statement as sent — immutable; sending
again makes the next version, a correction — and queues its mail in the same transaction (invariant 3).
`run_due` is what the schedule does: for every client whose statement is due it claims the unique
(client, period) row and issues the statement in the same transaction, so a second daemon, a restart or a
missed-run catch-up can never send it twice, and a run killed half-way simply goes on where it stopped.
Statements are computed and rendered outside that transaction and committed in small batches, so a
month-end run can share its clients among worker processes without their waiting on each other.
"""
from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from mailbot.base.drills import failpoint
from mailbot.billing import periods
from mailbot.billing.plans import NO_PLAN, snapshot, terms_of
from mailbot.billing.rounding import FREE, Entry, bill, totals
from mailbot.config.sections import MailboxRole
from mailbot.mime.parts import Attachment
from mailbot.outbound.formats import formatters
from mailbot.outbound.mail import Mail
from mailbot.outbound.outbox import Outgoing, build, write
from mailbot.services.statement_csv import csv_bytes
from mailbot.store import clients, journal
from mailbot.store import statements as statement_rows
from mailbot.store.audit import add_event
from mailbot.store.plans import load
from mailbot.tickets.vocabulary import Disposition, EventKind

log = logging.getLogger("mailbot.jobs")


class StatementError(Exception):
    """A statement that cannot be made or sent (unknown client, no address to send it to ...)."""


def compute(conn, config, client, period: str, now: datetime) -> dict:
    """The statement as data (amounts as decimal strings); nothing is written."""
    start, end = periods.period_bounds(period)
    rows = journal.period_entries(conn, client.id, start, end)
    plan = config.plan_for(client)
    current = snapshot(plan or NO_PLAN)[0]  # entries from before plan versions were kept: today's terms
    include_free = config.statements_for(client).include_free
    by_version: dict[str, list] = {}
    for row in rows:
        by_version.setdefault(row.plan_version or current, []).append(row)
    lines, allowance_doc, fees, currency, exclude_vat, objection_days = [], None, [], "EUR", True, 2
    terms_plan = plan or NO_PLAN
    for version, group in by_version.items():
        terms_plan = plan or NO_PLAN if version == current else load(conn, version)
        terms, allowance = terms_of(terms_plan)
        billed = bill([Entry(r.id, r.ticket_id, r.work_date, r.minutes, r.category) for r in group], terms, allowance,
                      {r.ticket_id: r.final for r in group if r.final in terms})
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
    shown = [ln for ln in lines if include_free or ln.category != FREE]
    doc_tickets: dict[int, dict] = {}
    for ln in shown:
        r = info[ln.entry] if ln.entry is not None else next(x for x in rows if x.ticket_id == ln.ticket)
        t = doc_tickets.setdefault(ln.ticket, dict(
            ref=f"#{ln.ticket}", id=ln.ticket, opened=r.opened.astimezone(zone).date().isoformat(), contact=r.asker,
            contact_name=r.contact_name, subject=r.subject, lines=[]))
        agent = config.agent_for(r.agent) if ln.entry is not None else None
        t["lines"].append(dict(
            entry=ln.entry, work_date=ln.work_date.isoformat(), agent=agent.name if agent else (
                r.agent if ln.entry is not None else ""), agent_email=r.agent if ln.entry is not None else "",
            description=r.description if ln.entry is not None else "", category=ln.category, entered=ln.entered,
            billed=ln.billed, requests=ln.requests, included=ln.included, charged=ln.charged, rate=_s(ln.rate),
            amount=_s(ln.amount), top_up=ln.entry is None))
    total = sum((ln.amount for ln in lines), Decimal("0.00")) + sum((Decimal(f["amount"]) for f in fees), Decimal(0))
    return dict(
        client=dict(id=client.id, name=client.name), period=period, period_start=start.isoformat(),
        period_end=(end - timedelta(days=1)).isoformat(), currency=currency, prices_exclude_vat=exclude_vat,
        plan=plan.name if plan else None, plan_title=plan.title_in(client.language) if plan else None,
        include_free=include_free,
        tickets=sorted(doc_tickets.values(), key=lambda t: (t["lines"][0]["work_date"], t["id"])),
        categories=[dict(name=name, entered=t.entered, billed=t.billed, requests=t.requests, charged=t.charged,
                         amount=_s(t.amount)) for name, t in totals(shown).items()],
        allowance=allowance_doc, fees=fees, total=_s(total), objection_days=objection_days)


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


def _s(amount: Decimal) -> str:
    return str(Decimal(amount).quantize(Decimal("0.01")))


def issue(conn, config, client, period: str, reason: str, now: datetime) -> dict:
    """Compute, store (the next version) and queue the statement mail to the client's registered contacts."""
    return store(conn, prepare(conn, config, client, period, now), reason, now)


def prepare(conn, config, client, period: str, now: datetime) -> tuple[dict, Outgoing]:
    """The statement and its mail, rendered, with the version it will have: reads only, so a statement run
    does the slow part outside its write transaction."""
    if not client.contacts:
        raise StatementError(f"client {client.id} has no registered contact address to send a statement to")
    doc = compute(conn, config, client, period, now)
    last = statement_rows.latest(conn, client.id, period)
    if last is not None and _content(json.loads(last.document)) == _content(doc):
        # Nothing changed since it was issued: the same statement again (as issued), not a "correction".
        doc = dict(json.loads(last.document), resend_of=last.id)
    else:
        local_now = now.astimezone(ZoneInfo(config.client_zone(client)[1]))
        objections = next((m for m in config.mailboxes if m.role == MailboxRole.OBJECTIONS), None)
        doc.update(version=(last.version if last else 0) + 1, issued_at=local_now.date().isoformat(),
                   objections=dict(address=objections.address, until=(
                       local_now.date() + timedelta(days=doc["objection_days"])).isoformat())
                   if objections and doc["total"] != "0.00" else None)
    version, lang = doc["version"], client.language
    mailbox = next((m for m in config.mailboxes if m.role == MailboxRole.SUPPORT), config.mailboxes[0])
    mail = Mail(Disposition.STATEMENT, tuple(client.contacts), lang=lang, counted=False, auto_submitted="auto-generated",
                attachments=(Attachment(f"statement-{client.id}-{period}-v{version}.csv", 'text/csv; charset="utf-8"',
                                        csv_bytes(doc, lang)),),
                values=dict(statement=doc, client=client, signature=mailbox.display_name or mailbox.name,
                            sender_name="", **formatters(lang, doc["currency"])))
    return doc, build(mail, ticket=None, mailbox=mailbox, now=now)


# How a statement was issued and presented, not what it says (a plan's title may be reworded).
_NOT_CONTENT = ("version", "issued_at", "objections", "resend_of", "id", "plan_title")


def _content(doc: dict) -> dict:
    """What a statement says, without when it was issued: equal contents make a resend, not a new version."""
    return {k: v for k, v in doc.items() if k not in _NOT_CONTENT}


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


def run_due(engine, config, now: datetime, owner: str = "mailbot", workers: int = 1) -> list[tuple[str, str, str]]:
    """Issue every due scheduled statement not yet issued; returns [(client, period, outcome)]. With workers > 1
    the clients are shared among that many processes (rendering is CPU work); the claims keep it exactly once.
    Clients not seen before are noted first: their first period is this one."""
    with engine.begin() as conn:
        clients.register(conn, [c.id for c in config.clients], now)
        served = clients.first_served(conn)
    todo = [(client.id, period) for client, period in due(config, now, served)]
    if workers <= 1 or len(todo) < 2 * workers:
        return _run(engine, config, now, owner, todo)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        parts = pool.map(_run_in_worker, [(config, now, f"{owner}/{i}", todo[i::workers]) for i in range(workers)])
        return [item for part in parts for item in part]


def _run_in_worker(args) -> list:
    from mailbot.store import db
    config, now, owner, todo = args
    engine = db.make_engine(config.database)
    try:
        return _run(engine, config, now, owner, todo)
    finally:
        engine.dispose()


BATCH = 25  # statements committed together: fewer write locks for parallel workers, one fsync per batch


def _run(engine, config, now, owner, todo) -> list[tuple[str, str, str]]:
    done = []
    for first in range(0, len(todo), BATCH):
        ready = []
        with engine.connect() as conn:  # reads only: compute and render outside the write transaction
            issued = statement_rows.runs_of(conn, [c for c, _ in todo[first:first + BATCH]])
            for client_id, period in todo[first:first + BATCH]:
                if (client_id, period) in issued:
                    continue  # issued already (the common case: nothing to do)
                client = config.client_by_id(client_id)
                try:
                    ready.append((client, period, prepare(conn, config, client, period, now), None))
                except StatementError as exc:
                    ready.append((client, period, None, str(exc)))
        if not ready:
            continue
        with engine.begin() as conn:
            for client, period, prepared, problem in ready:
                outcome = _claim_and_store(conn, client, period, prepared, problem, owner, now)
                if outcome is not None:
                    done.append((client.id, period, outcome))
                failpoint("statement_before_commit")
        failpoint("after_statement")
    return done


def _claim_and_store(conn, client, period, prepared, problem, owner, now) -> str | None:
    """In the caller's transaction: claim (client, period) — a second daemon's INSERT waits for our commit,
    then fails, and it sends nothing — then store the statement and queue its mail."""
    if not statement_rows.claim_run(conn, client.id, period, owner, now):
        return None
    if prepared is not None:
        doc = store(conn, prepared, "scheduled", now)
        status, statement_id, outcome = "done", doc["id"], f"sent v{doc['version']}"
    else:
        status, statement_id, outcome = "skipped", None, problem
        log.warning("statement %s %s not sent: %s", client.id, period, problem)
    statement_rows.finish_run(conn, client.id, period, status, statement_id)
    return outcome
