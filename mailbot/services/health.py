"""Is mailbot working? The truth `mailbot health` prints (and a service manager's health check acts on).

Each component gives a list of problems, empty when it is well: the database (can we read it at all), the
listener (does it answer NOOP), each IMAP mailbox (as its reader records it; a SIGKILLed or hung daemon cannot
write "failing", so the age of its row gives it away), and the outbox (mail given up on recently, or queued mail
the relay has not taken for too long). Operators' lines, in English.
"""
from __future__ import annotations

import smtplib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from mailbot.store import imap as imap_bookkeeping
from mailbot.store import outbox
from mailbot.store.models import utcnow


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)  # what was seen, for the operator, healthy or not

    @property
    def healthy(self) -> bool:
        return not self.problems


def check(config, engine, now: datetime | None = None) -> Report:
    now = now or utcnow()
    report = Report()
    report.problems += listener_problems(config)
    try:
        with engine.connect() as conn:
            report.problems += imap_problems(config, conn, now)
            outbox_health(config, conn, now, report)
    except Exception as exc:  # noqa: BLE001 - an unreachable database is the finding, whatever its kind
        report.problems.append(f"database {engine.url.render_as_string(hide_password=True)}: "
                               f"{type(exc).__name__}: {str(getattr(exc, 'orig', exc)).strip().splitlines()[0]}")
    return report


def listener_problems(config) -> list[str]:
    listener = config.listen.smtp if config.listen.smtp.enabled else config.listen.lmtp
    if not listener.enabled:
        return []
    cls = smtplib.SMTP if listener is config.listen.smtp else smtplib.LMTP
    try:
        with cls(listener.host, listener.port, timeout=5) as s:
            code = s.noop()[0]
    except OSError as exc:
        return [f"{listener.host}:{listener.port}: {exc}"]
    return [] if code == 250 else [f"{listener.host}:{listener.port} answered NOOP with {code}"]


def imap_problems(config, conn, now: datetime | None = None) -> list[str]:
    """One line per configured IMAP mailbox that is failing, not read yet, or whose reader has gone quiet."""
    if not any(m.imap for m in config.mailboxes):
        return []
    now = now or utcnow()
    status = imap_bookkeeping.states(conn)
    problems = []
    for m in config.mailboxes:
        if m.imap is None:
            continue
        row, who = status.get(m.address), f"IMAP {m.name} <{m.address}>: "
        if row is None:
            problems.append(who + "not read yet")
        elif row.state != "ok":
            problems.append(who + f"{row.state} since {row.since:%Y-%m-%d %H:%M:%S}Z: {row.detail}")
        elif (age := (now - row.updated_at).total_seconds()) > m.imap.stale_after:
            problems.append(who + f"no word from its reader since {row.updated_at:%Y-%m-%d %H:%M:%S}Z "
                            f"({age:.0f} s; a live one reports within {m.imap.stale_after:.0f} s): "
                            "is the daemon running?")
    return problems


def outbox_health(config, conn, now, report: Report) -> None:
    limits = config.health
    seen = outbox.health(conn, now, now - timedelta(hours=limits.failed_hours))
    age = (now - seen["oldest_queued_at"]).total_seconds() / 60 if seen["oldest_queued_at"] else 0.0
    report.facts.append(f"outbox: {seen['queued']} queued" + (f", the oldest for {age:.0f} min" if seen["queued"]
                                                               else "") +
                        f"; {seen['failed']} given up in the last {limits.failed_hours:g} h")
    if seen["failed"]:
        report.problems.append(f"outbox: {seen['failed']} mail(s) given up in the last {limits.failed_hours:g} h "
                               "(`mailbot outbox list --status failed`; `mailbot outbox retry` sends them again)")
    if age > limits.outbox_max_age_minutes:
        report.problems.append(f"outbox: mail queued for {age:.0f} min (limit {limits.outbox_max_age_minutes:g}):"
                               " is the relay taking mail?")
