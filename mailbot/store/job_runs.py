"""The last run of each scheduled job, whichever daemon ran it: how `mailbot health` knows the scheduler works."""
from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from mailbot.store.models import job_runs


def record(conn, job: str, owner: str, started_at, finished_at, ok: bool, detail: str = "") -> None:
    """Write this run over the previous one (an error's type and first line in `detail`, never data)."""
    values = dict(owner=owner[:100], started_at=started_at, finished_at=finished_at, ok=ok, detail=detail[:500])
    if ok:
        values["last_ok_at"] = finished_at
    if conn.execute(update(job_runs).where(job_runs.c.job == job).values(**values)).rowcount:
        return
    try:
        with conn.begin_nested():
            conn.execute(insert(job_runs).values(job=job, **values))
    except IntegrityError:  # another daemon wrote the first row meanwhile: ours is the newer run
        conn.execute(update(job_runs).where(job_runs.c.job == job).values(**values))


def latest(conn) -> dict:
    """job -> its row (owner, started_at, finished_at, ok, detail, last_ok_at)."""
    return {r.job: r for r in conn.execute(select(job_runs))}
