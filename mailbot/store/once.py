"""Claims of things that must happen once across every daemon: a key inserted in the transaction that does it."""
from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from mailbot.store.models import once


def claim(conn, key: str, now) -> bool:
    """Claim `key` in the caller's transaction; False when it is taken (on PostgreSQL, after waiting for the
    transaction that took it to commit)."""
    try:
        with conn.begin_nested():
            conn.execute(insert(once).values(key=key[:200], created_at=now))
    except IntegrityError:
        return False
    return True


def when(conn, key: str):
    """When `key` was claimed, or None."""
    return conn.execute(select(once.c.created_at).where(once.c.key == key)).scalar()


def taken(conn, keys: list[str]) -> set[str]:
    """Which of these keys are claimed already (to skip work without a write)."""
    found = set()
    for first in range(0, len(keys), 500):
        found |= set(conn.execute(select(once.c.key).where(once.c.key.in_(keys[first:first + 500]))).scalars())
    return found
