"""The alarm clock: APScheduler wakes the daemon; the database decides what is due and who does it.

APScheduler 3.x must never share a job store between daemons (duplicate or missed runs), so each daemon
keeps its jobs in memory and every job is idempotent and claims its own work in the database: the
statement run claims a unique (client, period) row per statement (mailbot.services.statements.run_due), an
amendment takes the next version of a unique (client, period, version) (mailbot.services.amendments), a
service-level warning claims its key (mailbot.services.sla_watch), the purge deletes only what is still there,
retention claims its day's run (mailbot.services.retention). A daemon that was down simply catches up at its next
wake-up.
"""
from __future__ import annotations

import asyncio
import logging
import os
import socket
import time

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from mailbot.base import metrics
from mailbot.services import amendments, retention, sla_watch
from mailbot.services.purge import purge_expired
from mailbot.services.statements import run_due
from mailbot.store import job_runs
from mailbot.store.models import utcnow

log = logging.getLogger("mailbot.jobs")
STATEMENT_MINUTES = 10  # how often due statements are looked for (they are due from 07:00 local time)
AMEND_MINUTES = 1  # how soon a statement the head corrected is amended (several decisions in a minute: one)
PURGE_MINUTES = 60
RETENTION_MINUTES = 60  # is today's retention run due (from retention.hour)? It runs once a day


def statements_job(runtime) -> None:
    owner = f"{socket.gethostname()}-{os.getpid()}"
    for client, period, outcome in run_due(runtime.engine, runtime.config, utcnow(), owner=owner,
                                           workers=runtime.config.statements.workers,
                                           stopping=runtime.stopping.is_set):
        log.info("statement %s %s: %s", client, period, outcome)
        metrics.count("statements", outcome="sent" if outcome.startswith("sent") else "skipped")


def amendments_job(runtime) -> None:
    for client, period, outcome in amendments.run_due(runtime.engine, runtime.config, utcnow()):
        log.info("statement %s %s: %s", client, period, outcome)
        metrics.count("statements", outcome="amended" if outcome.startswith("amended") else "unchanged")


def sla_job(runtime) -> None:
    for line in sla_watch.check(runtime.engine, runtime.config, utcnow()):
        log.info("service levels: %s", line)


def purge_job(runtime) -> None:
    now = utcnow()
    with runtime.engine.begin() as conn:
        n = purge_expired(conn, runtime.config.today(now), now)
    if n:
        log.info("purged %s message(s) kept under an expired pd-allow exemption", n)


def retention_job(runtime) -> None:
    done = retention.run_due(runtime.engine, runtime.config, utcnow(), stopping=runtime.stopping.is_set)
    if done is not None:
        log.info("retention: mail from before %s: purged %s", done.cutoff.date(), done.line())


def start(runtime) -> AsyncIOScheduler:
    """Schedule the jobs on the running loop. They run in a thread of their own, not the pipeline's database
    worker, so a long statement run (one short transaction per client) never holds up incoming mail."""
    scheduler = AsyncIOScheduler(timezone="UTC")
    now = utcnow()
    for job, minutes in ((statements_job, STATEMENT_MINUTES), (amendments_job, AMEND_MINUTES),
                         (sla_job, runtime.config.sla.check_minutes), (purge_job, PURGE_MINUTES),
                         (retention_job, RETENTION_MINUTES)):
        scheduler.add_job(_in_thread, "interval", args=(job, runtime), minutes=minutes, next_run_time=now,
                          id=job.__name__, max_instances=1, coalesce=True, misfire_grace_time=None)
    scheduler.start()
    return scheduler


async def _in_thread(job, runtime) -> None:
    if runtime.stopping.is_set():
        return
    task = asyncio.current_task()
    runtime.jobs.add(task)
    name, started, clock = job.__name__.removesuffix("_job"), utcnow(), time.monotonic()
    ok, detail = False, ""
    try:
        await asyncio.to_thread(job, runtime)
        ok = True
    except asyncio.CancelledError:  # the loop is closing: the thread ends at its next safe point, quietly
        log.info("scheduled job %s stopped with the daemon", job.__name__)
        return
    except Exception as exc:
        log.exception("scheduled job %s failed; it runs again at its next wake-up", job.__name__)
        detail = type(exc).__name__  # the kind only: an error's text can quote data (the log has the traceback)
    finally:
        runtime.jobs.discard(task)
    metrics.count("jobs", job=name, result="ok" if ok else "failed")
    metrics.observe("job_seconds", time.monotonic() - clock, job=name)
    try:
        await asyncio.to_thread(_record, runtime.engine, name, started, ok, detail)
    except Exception as exc:  # the database is away: health says so by itself
        log.warning("could not record the run of %s: %s", job.__name__, type(exc).__name__)


OWNER = f"{socket.gethostname()}-{os.getpid()}"


def _record(engine, name: str, started, ok: bool, detail: str) -> None:
    with engine.begin() as conn:
        job_runs.record(conn, name, OWNER, started, utcnow(), ok, detail)
