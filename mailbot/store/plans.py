"""Plans as they were (invariant 7): every version of a plan's billing terms, stored once under its hash, so a
statement bills work by the plan in force when it was done (see mailbot.billing.plans for the snapshot)."""
from __future__ import annotations

from sqlalchemy import select

from mailbot.billing.plans import NO_PLAN, from_snapshot, snapshot
from mailbot.store.compiled import insert_ignore
from mailbot.store.models import plan_versions


def register(conn, plan, now) -> str:
    """Store this version of the plan's terms (once) and return its hash, for a time entry to name."""
    digest, text = snapshot(plan or NO_PLAN)
    insert_ignore(conn, plan_versions, hash=digest, name=(plan or NO_PLAN).name, terms=text, created_at=now)
    return digest


def load(conn, digest: str):
    """The plan version a time entry names; LookupError when it is not stored."""
    row = conn.execute(select(plan_versions.c.terms).where(plan_versions.c.hash == digest)).first()
    if row is None:
        raise LookupError(f"plan version {digest} is not in the database")
    return from_snapshot(row.terms)
