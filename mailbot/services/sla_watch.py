"""The service-level watch: warnings before a deadline passes, at its breach, and a daily digest of what falls due.

What the scheduled check (every `sla.check_minutes`, and `mailbot sla check`) does for every ticket not yet
resolved: a running clock that has used `sla.warn_at` of its target (75% by default) warns the assignee (or the
dispatchers when nobody is assigned); one past its target tells the dispatchers and the heads of service, and on a
plan with `paid_analysis_at_breach` (1C) tells the agent that further work is paid analysis once the client agrees
a price, and asks the client to agree.
Each warning is sent once per ticket, clock and level — across every daemon: its key is claimed (mailbot.store.once)
in the transaction that queues its mail. At `sla.digest_hour` (the tickets' time zone) the dispatchers get the
day's list of deadlines, once a day. A ticket waiting for the client's answer can get the client a reminder after
`sla.remind_waiting_days` and be closed after `sla.close_waiting_days` (both off unless set).
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from mailbot.base import metrics
from mailbot.config.sections import MailboxRole, Role
from mailbot.outbound.formats import deadline, formatters
from mailbot.outbound.mail import Mail
from mailbot.outbound.outbox import enqueue
from mailbot.services.service_levels import of_tickets
from mailbot.sla.clocks import RUNNING
from mailbot.store import once
from mailbot.store import views
from mailbot.store.audit import add_event, history
from mailbot.store.tickets import client_thread, close_waiting
from mailbot.tickets.lifecycle import SOLVED
from mailbot.tickets.vocabulary import Disposition, EventKind, Status

log = logging.getLogger("mailbot.jobs")
WATCHED = (Status.NEW, Status.OPEN, Status.WAITING)


def check(engine, config, now: datetime) -> list[str]:
    """Send the warnings and the digest that are due; returns what was sent, one line each."""
    with engine.connect() as conn:
        since = once.when(conn, "sla:since")  # the upgrade that brought service levels: older tickets are not watched
        rows = [r for s in WATCHED for r in views.list_tickets(conn, config, status=s, limit=None, rows=True)
                if since is None or r["created_at"] >= since]
        levels = of_tickets(conn, config, rows, now)
    due = []
    for row in rows:
        for clock in (levels[row["id"]].response, levels[row["id"]].resolution):
            if clock.state != RUNNING or not clock.budget:
                continue
            level = "breach" if clock.breached else "warn" if clock.share >= config.sla.warn_at else None
            if level is not None:
                due.append((row, clock, level, levels[row["id"]].zone))
    sent = []
    if due:
        with engine.connect() as conn:
            claimed = once.taken(conn, [_key(r, c, lv) for r, c, lv, _ in due])
        for row, clock, level, zone in due:
            if _key(row, clock, level) in claimed:
                continue
            paid = False
            try:
                with engine.begin() as conn:
                    if once.claim(conn, _key(row, clock, level), now):
                        paid = _warn(conn, config, row, clock, level, zone, now)
                        sent.append(f"#{row['id']} {clock.name} {level}")
                        metrics.count("sla_warnings", kind=f"{clock.name}-{level}")
                if paid and "@" in row["contact"] and _ask_client(engine, config, row, clock, now):
                    sent.append(f"#{row['id']} paid analysis asked")
                    metrics.count("sla_warnings", kind="paid-analysis")
            except Exception:  # noqa: BLE001 - one ticket's fault must not keep the others' warnings back
                log.exception("service-level warning for ticket %s failed; tried again at the next check", row["id"])
    sent += _waiting(engine, config, [r for r in rows if r["status"] == Status.WAITING], now)
    digest = _digest(engine, config, rows, levels, now)
    return sent + ([digest] if digest else [])


def _waiting(engine, config, rows, now) -> list[str]:
    """Tickets waiting for the client: a reminder after sla.remind_waiting_days, closed after close_waiting_days
    (each once per time the ticket began to wait)."""
    remind, close = config.sla.remind_waiting_days, config.sla.close_waiting_days
    if not rows or (remind is None and close is None):
        return []
    with engine.connect() as conn:
        found = history(conn, [r["id"] for r in rows], (EventKind.STATUS,))
    done = []
    for row in rows:
        since = next((e.at for e in reversed(found[row["id"]]) if e.detail.rstrip().endswith("waiting")),
                     row["updated_at"])
        for action, days in (("close", close), ("remind", remind)):
            if days is None or now - since < timedelta(days=days) or "@" not in row["contact"]:
                continue
            try:
                with engine.begin() as conn:
                    if once.claim(conn, f"{action}:{row['id']}:{since.isoformat()}", now):
                        _tell_client(conn, config, row, action, since, now)
                        done.append(f"#{row['id']} {action}")
            except _Answered:
                pass  # the client answered meanwhile: nothing was sent, nothing is claimed
            break  # past the time to close: closed here or by another daemon, never reminded as well
    return done


class _Answered(Exception):
    """A waiting ticket that is no longer waiting when it was to be closed."""


def _tell_client(conn, config, row, action, since, now) -> None:
    mailbox = config.mailbox_for(row["mailbox"]) or config.mailboxes[0]
    kind = Disposition.WAITING_CLOSED if action == "close" else Disposition.WAITING_REMINDER
    mail = Mail(kind, row["contact"], counted=False, auto_submitted="auto-generated", values=dict(
        signature=mailbox.display_name or mailbox.name, days=(now - since).days, sender_name=row["contact_name"],
        close_days=config.sla.close_waiting_days), thread=client_thread(conn, row["id"]))
    in_reply_to, refs = mail.thread
    enqueue(conn, mail, ticket=dict(row), mailbox=mailbox, now=now, in_reply_to=in_reply_to, references=refs)
    if action == "close":
        if not close_waiting(conn, row["id"], now):
            raise _Answered()  # the ticket stopped waiting since this check read it: roll back the mail
        add_event(conn, row["id"], EventKind.STATUS, f"{Status.WAITING} -> {Status.CLOSED}: no answer from the client "
                  f"in {config.sla.close_waiting_days} days", now)
    else:
        add_event(conn, row["id"], EventKind.SLA_WARNING, f"the client was reminded: waiting since {since.date()}", now)


def _key(row, clock, level) -> str:
    return f"sla:{row['id']}:{clock.name}:{level}"


def _warn(conn, config, row, clock, level, zone, now) -> bool:
    """The agents' mail and the audit event; True when the client is now to be asked about paid analysis."""
    plan = config.plan_for(config.client_by_id(row["client_id"]))
    assignee = config.agent_for(row["assignee"]) if row["assignee"] else None
    if level == "warn":
        targets = [assignee] if assignee else config.dispatchers()
    else:
        targets = list({a.email: a for a in ([assignee] if assignee else []) + config.dispatchers() +
                        [a for a in config.agents if a.role == Role.HEAD]}.values())
    paid = level == "breach" and clock.name == "resolution" and plan is not None and plan.paid_analysis_at_breach
    mailbox = config.mailbox_for(row["mailbox"]) or next(
        (m for m in config.mailboxes if m.role == MailboxRole.SUPPORT), config.mailboxes[0])
    for agent in targets:
        mail = Mail(Disposition.SLA_WARNING, agent.email, lang=agent.language, counted=False,
                    auto_submitted="auto-generated", values=dict(
                        agent_name=agent.name, clock=clock.name, level=level, target=clock.target,
                        due=deadline(clock.due, agent.language, zone) if clock.due else None,
                        used=round(clock.used), budget=round(clock.budget), paid_analysis=paid,
                        client=config.client_by_id(row["client_id"]), plan=plan,
                        signature=mailbox.display_name or mailbox.name))
        enqueue(conn, mail, ticket=dict(row), mailbox=mailbox, now=now)
    add_event(conn, row["id"], EventKind.SLA_WARNING, f"{clock.name} {level}: {round(clock.used)} of "
              f"{round(clock.budget)} working minutes ({clock.target})" + ("; paid analysis from now" if paid else ""),
              now)
    return paid


def _ask_client(engine, config, row, clock, now) -> bool:
    """1C: the client is asked to agree before analysis goes on as paid work (its own claim: a fault here never
    holds back the agents' warning)."""
    plan = config.plan_for(config.client_by_id(row["client_id"]))
    mailbox = config.mailbox_for(row["mailbox"]) or config.mailboxes[0]
    with engine.begin() as conn:
        if not once.claim(conn, f"paid:{row['id']}", now):
            return False
        mail = Mail(Disposition.PAID_ANALYSIS, row["contact"], counted=False, auto_submitted="auto-generated",
                    thread=client_thread(conn, row["id"]), values=dict(
                        target=clock.target, plan=plan, sender_name=row["contact_name"],
                        signature=mailbox.display_name or mailbox.name))
        enqueue(conn, mail, ticket=dict(row), mailbox=mailbox, now=now, in_reply_to=mail.thread[0],
                references=mail.thread[1])
    return True


def _digest(engine, config, rows, levels, now) -> str | None:
    hour = config.sla.digest_hour
    if hour is None or not config.dispatchers():
        return None
    tz = ZoneInfo(config.tickets.timezone)
    local = now.astimezone(tz)
    if local.hour < hour:
        return None
    end = datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), tz)
    today = sorted(((levels[r["id"]].next_due, r) for r in rows
                    if levels[r["id"]].next_due is not None and levels[r["id"]].next_due < end
                    and r["status"] not in SOLVED), key=lambda x: (x[0], x[1]["id"]))
    key = f"digest:{local.date().isoformat()}"
    with engine.begin() as conn:
        if not once.claim(conn, key, now):
            return None
        if not today:
            return None  # nothing falls due today: no mail, and none later today either
        mailbox = next((m for m in config.mailboxes if m.role == MailboxRole.SUPPORT), config.mailboxes[0])
        for agent in config.dispatchers():
            lines = [dict(ref=f"#{r['id']}", subject=r["subject"], status=r["status"], priority=r["priority"],
                          assignee=r["assignee"], due=deadline(d, agent.language, levels[r["id"]].zone),
                          overdue=d < now) for d, r in today]
            enqueue(conn, Mail(Disposition.SLA_DIGEST, agent.email, lang=agent.language, counted=False,
                               auto_submitted="auto-generated", values=dict(
                                   agent_name=agent.name, tickets=lines,
                                   day=formatters(agent.language, "EUR")["day"](local.date().isoformat()),
                                   signature=mailbox.display_name or mailbox.name)),
                    ticket=None, mailbox=mailbox, now=now)
    return f"digest {local.date()}: {len(today)} ticket(s)"
