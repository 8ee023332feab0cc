"""Is mailbot working? The truth `mailbot health` prints, /healthz serves and a service manager acts on.

Each component gives a list of problems, empty when it is well: the database (can we read it at all), the
listener (does it answer NOOP), each IMAP mailbox (as its reader records it; a SIGKILLed or hung daemon cannot
write "failing", so the age of its row gives it away), the outbox (mail given up on recently, or queued mail the
relay has not taken for too long), the relay (does it answer NOOP; the maildir: can we write it) and the scheduler
(has any daemon run its jobs lately, and did the last run of each succeed). Operators' lines, in English.
"""
from __future__ import annotations

import os
import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from mailbot.store import imap as imap_bookkeeping
from mailbot.store import job_runs, outbox
from mailbot.store.models import utcnow

DATABASE, LISTENER, OUTBOX, RELAY, SCHEDULER = "database", "listener", "outbox", "relay", "scheduler"
# A daemon running the scheduler finishes some job every minute (amendments); silence this long means none runs.
SCHEDULER_SILENT_MINUTES = 10


@dataclass
class Report:
    components: dict[str, list[str]] = field(default_factory=dict)  # component -> its problems (empty: well)
    facts: list[str] = field(default_factory=list)  # what was seen, for the operator, healthy or not
    # The rows read on the way (outbox figures, IMAP states, job runs): /metrics serves them as numbers
    # (mailbot.services.gauges) without reading them again. Empty when the database could not be read.
    seen: dict = field(default_factory=dict)

    @property
    def problems(self) -> list[str]:
        return [p for found in self.components.values() for p in found]

    @property
    def healthy(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict:
        """The shape /healthz serves (docs/operations.md)."""
        return {"healthy": self.healthy,
                "components": {name: {"healthy": not found, "problems": found}
                               for name, found in self.components.items()},
                "facts": self.facts}


def check(config, engine, now: datetime | None = None, listener: bool = True) -> Report:
    """Every component; `listener=False` skips asking our own listener (the daemon serving /healthz is it)."""
    now = now or utcnow()
    report = Report()
    report.components[DATABASE] = []
    if listener:
        report.components[LISTENER] = listener_problems(config)
    try:
        with engine.connect() as conn:
            status = report.seen["imap"] = imap_bookkeeping.states(conn)
            for m in config.mailboxes:
                if m.imap is not None:
                    report.components[f"imap:{m.name}"] = mailbox_problems(m, status.get(m.address), now)
            outbox_health(config, conn, now, report)
            runs = report.seen["jobs"] = job_runs.latest(conn)
            if config.jobs.enabled:
                report.components[SCHEDULER] = scheduler_problems(runs, now)
    except Exception as exc:  # noqa: BLE001 - an unreachable database is the finding, whatever its kind
        report.components[DATABASE].append(
            f"database {engine.url.render_as_string(hide_password=True)}: "
            f"{type(exc).__name__}: {str(getattr(exc, 'orig', exc)).strip().splitlines()[0]}")
    if config.outbound.enabled:
        report.components[RELAY] = relay_problems(config.outbound)
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
    return [p for m in config.mailboxes if m.imap is not None for p in mailbox_problems(m, status.get(m.address), now)]


def mailbox_problems(m, row, now: datetime) -> list[str]:
    who = f"IMAP {m.name} <{m.address}>: "
    if row is None:
        return [who + "not read yet"]
    if row.state != "ok":
        return [who + f"{row.state} since {row.since:%Y-%m-%d %H:%M:%S}Z: {row.detail}"]
    if (age := (now - row.updated_at).total_seconds()) > m.imap.stale_after:
        return [who + f"no word from its reader since {row.updated_at:%Y-%m-%d %H:%M:%S}Z ({age:.0f} s; a live "
                f"one reports within {m.imap.stale_after:.0f} s): is the daemon running?"]
    return []


def outbox_health(config, conn, now, report: Report) -> None:
    limits = config.health
    seen = report.seen["outbox"] = outbox.health(conn, now, now - timedelta(hours=limits.failed_hours))
    age = (now - seen["oldest_queued_at"]).total_seconds() / 60 if seen["oldest_queued_at"] else 0.0
    report.facts.append(f"outbox: {seen['queued']} queued" + (f", the oldest for {age:.0f} min" if seen["queued"]
                                                               else "") +
                        f"; {seen['failed']} given up in the last {limits.failed_hours:g} h")
    found = report.components.setdefault(OUTBOX, [])
    if seen["failed"]:
        found.append(f"outbox: {seen['failed']} mail(s) given up in the last {limits.failed_hours:g} h "
                     "(`mailbot outbox list --status failed`; `mailbot outbox retry` sends them again)")
    if age > limits.outbox_max_age_minutes:
        found.append(f"outbox: mail queued for {age:.0f} min (limit {limits.outbox_max_age_minutes:g}):"
                     " is the relay taking mail?")


def relay_problems(outbound) -> list[str]:
    """Can our mail leave? The relay answers NOOP (as the sender would log in and send), or the maildir is
    writable."""
    if outbound.transport == "maildir":
        path = os.path.join(outbound.maildir, "new")
        target = path if os.path.isdir(path) else os.path.dirname(os.path.abspath(outbound.maildir))
        return [] if os.access(target, os.W_OK) else [f"relay: maildir {outbound.maildir} is not writable"]
    cfg = outbound.smtp
    try:
        if cfg.tls:
            s = smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=5, context=ssl.create_default_context())
        else:
            s = smtplib.SMTP(cfg.host, cfg.port, timeout=5)
        with s:
            code = s.noop()[0]
    except (OSError, smtplib.SMTPException) as exc:
        return [f"relay {cfg.host}:{cfg.port}: {type(exc).__name__}: {exc}"]
    return [] if code == 250 else [f"relay {cfg.host}:{cfg.port} answered NOOP with {code}"]


def scheduler_problems(runs: dict, now: datetime) -> list[str]:
    """Silence (no daemon runs the jobs) or a job whose last run failed."""
    if not runs:
        return ["scheduler: no scheduled job has run yet: is a daemon with jobs.enabled running?"]
    problems = []
    newest = max(r.finished_at for r in runs.values())
    if now - newest > timedelta(minutes=SCHEDULER_SILENT_MINUTES):
        problems.append(f"scheduler: no scheduled job has run since {newest:%Y-%m-%d %H:%M:%S}Z: is a daemon "
                        "with jobs.enabled running?")
    for name, r in sorted(runs.items()):
        if not r.ok:
            since = f"; last success {r.last_ok_at:%Y-%m-%d %H:%M:%S}Z" if r.last_ok_at else "; never succeeded"
            problems.append(f"scheduler: {name} failed at {r.finished_at:%Y-%m-%d %H:%M:%S}Z on {r.owner}: "
                            f"{r.detail}{since}")
    return problems
