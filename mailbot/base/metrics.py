"""What the daemon counts for Prometheus: every layer that does something worth counting calls `count`/`observe`.

Off (the default) every call is a test of one global and returns: intake pays nothing for metrics nobody reads.
`enable(directory)` switches them on, in prometheus_client's multiprocess mode: each process of a daemon
(`listen.workers`) writes its own values to a small memory-mapped file in `directory`, and the process that
serves `/metrics` sums them (mailbot.daemon.observe). prometheus_client picks its storage when it is first
imported, from PROMETHEUS_MULTIPROC_DIR, so this module imports it only inside `enable`, after setting it; the
workers inherit the variable and enable themselves (mailbot.daemon.app).

Label values are bounded: mailbox names from the configuration (else "other"), verdicts, dispositions and job
names from the code. Never an address, a subject or a Message-ID.
"""
from __future__ import annotations

import os

DIR_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
# Seconds: from the end of a message's DATA to our answer lies mostly the commit (a few ms) and a batch's wait.
ACCEPT_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

_on = False
_metrics: dict = {}


def enabled() -> bool:
    return _on


def enable(directory: str) -> None:
    """Count from now on, into `directory` (shared by every process of this daemon). Idempotent."""
    global _on
    if _on:
        return
    os.environ.setdefault(DIR_VARIABLE, directory)
    from prometheus_client import Counter, Gauge, Histogram
    m = _metrics
    m["messages"] = Counter("mailbot_messages", "Messages taken in, by mailbox, source, verdict (stored, "
                            "duplicate, discarded, rejected, parked, tempfail) and disposition",
                            ["mailbox", "source", "verdict", "disposition"])
    m["tickets"] = Counter("mailbot_tickets_opened", "Tickets opened by incoming mail", ["mailbox"])
    m["accept"] = Histogram("mailbot_accept_seconds", "Taking one message: from its arrival at the pipeline to the "
                            "answer (the SMTP reply waits for this)", ["source"], buckets=ACCEPT_BUCKETS)
    m["sent"] = Counter("mailbot_mail_sent", "Mail handed to the relay (or the maildir)", ["transport"])
    m["send_failures"] = Counter("mailbot_send_failures", "Attempts to send that failed: retry (temporary) or "
                                 "given up (failed)", ["transport", "kind"])
    m["imap_taken"] = Counter("mailbot_imap_messages", "Messages fetched from IMAP and committed", ["mailbox"])
    m["imap_errors"] = Counter("mailbot_imap_errors", "IMAP sessions that failed (the reader reconnects)",
                               ["mailbox"])
    m["imap_backlog"] = Gauge("mailbot_imap_backlog", "Messages the mailbox's reader found waiting at its last "
                              "search (0: caught up)", ["mailbox"], multiprocess_mode="livemax")
    m["jobs"] = Counter("mailbot_job_runs", "Scheduled job runs by result (ok, failed)", ["job", "result"])
    m["job_seconds"] = Histogram("mailbot_job_seconds", "How long a scheduled job ran", ["job"],
                                 buckets=(0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600))
    m["statements"] = Counter("mailbot_statements", "Statements by outcome of the run (sent, empty, skipped, ...)",
                              ["outcome"])
    m["sla_warnings"] = Counter("mailbot_sla_warnings", "Service-level warnings, breaches and reminders sent",
                                ["kind"])
    _on = True


def count(name: str, amount: float = 1, **labels) -> None:
    if _on:
        _metrics[name].labels(**labels).inc(amount)


def observe(name: str, value: float, **labels) -> None:
    if _on:
        _metrics[name].labels(**labels).observe(value)


def set_gauge(name: str, value: float, **labels) -> None:
    if _on:
        _metrics[name].labels(**labels).set(value)


def touch(name: str, **labels) -> None:
    """Serve this series at 0 before it first happens, so that a rate() over it is 0, not empty."""
    if _on:
        _metrics[name].labels(**labels)
