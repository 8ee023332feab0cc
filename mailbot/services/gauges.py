"""What /metrics reads from the database at each scrape: the queue, parked mail, IMAP readers, scheduled jobs.

Counted events (mail taken, sent, failed) are kept by each process (mailbot.base.metrics); states are read here,
from the database every daemon shares, so every daemon's endpoint tells the same truth as `mailbot health`.
"""
from __future__ import annotations

from datetime import datetime

from mailbot.services import health
from mailbot.store import parking


def read(config, engine, now: datetime) -> dict:
    """Plain numbers, by metric and label; the health of every component but our own listener (we are it). The
    check's own reads give the numbers; only parked mail is read here besides."""
    report = health.check(config, engine, now, listener=False)
    found: dict = {"healthy": {name: 0 if problems else 1 for name, problems in report.components.items()}}
    if "jobs" not in report.seen:
        return found  # the database is away: "healthy" says so; the rest is unknown
    try:
        with engine.connect() as conn:
            found["parked"] = parking.counts(conn)
    except Exception:  # noqa: BLE001 - gone since the check: as above
        return found
    outbox = report.seen["outbox"]
    found["outbox_queued"] = outbox["queued"]
    found["outbox_oldest_age"] = (now - outbox["oldest_queued_at"]).total_seconds() \
        if outbox["oldest_queued_at"] else 0.0
    found["outbox_failed_recent"] = outbox["failed"]
    found["imap_up"], found["imap_report_age"] = {}, {}
    for m in config.mailboxes:
        if m.imap is None:
            continue
        row = report.seen["imap"].get(m.address)
        found["imap_up"][m.name] = 1 if row is not None and row.state == "ok" else 0
        found["imap_report_age"][m.name] = (now - row.updated_at).total_seconds() if row else -1.0
    found["job_age"] = {name: (now - r.finished_at).total_seconds() for name, r in report.seen["jobs"].items()}
    return found
