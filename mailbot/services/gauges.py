"""What /metrics reads from the database at each scrape: the queue, parked mail, IMAP readers, scheduled jobs.

Counted events (mail taken, sent, failed) are kept by each process (mailbot.base.metrics); states are read here,
from the database every daemon shares, so every daemon's endpoint tells the same truth as `mailbot health`.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from mailbot.services import health
from mailbot.store import imap as imap_bookkeeping
from mailbot.store import job_runs, outbox, parking


def read(config, engine, now: datetime) -> dict:
    """Plain numbers, by metric and label; the health of every component but our own listener (we are it)."""
    report = health.check(config, engine, now, listener=False)
    found: dict = {"healthy": {name: 0 if problems else 1 for name, problems in report.components.items()}}
    try:
        with engine.connect() as conn:
            seen = outbox.health(conn, now, now - timedelta(hours=config.health.failed_hours))
            found["outbox_queued"] = seen["queued"]
            found["outbox_oldest_age"] = (now - seen["oldest_queued_at"]).total_seconds() \
                if seen["oldest_queued_at"] else 0.0
            found["outbox_failed_recent"] = seen["failed"]
            found["parked"] = parking.counts(conn)
            states = imap_bookkeeping.states(conn)
            found["imap_up"], found["imap_report_age"] = {}, {}
            for m in config.mailboxes:
                if m.imap is None:
                    continue
                row = states.get(m.address)
                found["imap_up"][m.name] = 1 if row is not None and row.state == "ok" else 0
                found["imap_report_age"][m.name] = (now - row.updated_at).total_seconds() if row else -1.0
            found["job_age"] = {name: (now - r.finished_at).total_seconds() for name, r in job_runs.latest(conn).items()}
    except Exception:  # noqa: BLE001 - the database is away: "healthy" above says so; the rest is unknown
        pass
    return found
