"""Who is alive: claims (outbox leases, IMAP mailboxes) whose owner died are free at once, not when a lease ends.

On SQLite every process is on one node, and a daemon starting is the only one of its node (a crashed one's
workers die with it): whatever an earlier process had claimed is free, and `release_all` frees it at start. On
PostgreSQL each owner holds a session-level advisory lock, keyed by its name, on a connection of its own for as
long as it lives: the server frees it the moment that session ends (kill -9, a crash, a lost host), so another
daemon that can take the lock knows the owner is dead and takes its claims over.
"""
from __future__ import annotations

import hashlib

from sqlalchemy import create_engine, text, update
from sqlalchemy.pool import NullPool

from mailbot.store.models import imap_status, outbox
from mailbot.tickets.vocabulary import OutboxStatus


def key(owner: str) -> int:
    """The advisory lock's key: 64 bits of the owner's name."""
    return int.from_bytes(hashlib.sha256(owner.encode()).digest()[:8], "big", signed=True)


def hold(engine, owner: str):
    """PostgreSQL: take this owner's lock on a connection of its own and return that connection (keep it open as
    long as the owner lives; closing it says "dead"). Elsewhere: None."""
    if engine.dialect.name != "postgresql":
        return None
    # Outside the engine's pool: a connection held for the process's life must not starve the mail's.
    conn = create_engine(engine.url, poolclass=NullPool).connect()
    conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": key(owner)})
    conn.commit()
    return conn


def alive(conn, owner: str) -> bool:
    """Whether `owner` still holds its lock (PostgreSQL; elsewhere every owner counts as alive)."""
    if conn.dialect.name != "postgresql" or not owner:
        return True
    took = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key(owner)}).scalar()
    if took:
        conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key(owner)})
    return not took


def release_all(engine) -> None:
    """SQLite, at a daemon's start: every claim an earlier process of this node held is free now."""
    if engine.dialect.name != "sqlite":
        return
    with engine.begin() as conn:
        conn.execute(update(outbox).where(outbox.c.status == OutboxStatus.PENDING, outbox.c.lease_until.is_not(None))
                     .values(lease_until=None, lease_owner=None))
        conn.execute(update(imap_status).where(imap_status.c.owner.is_not(None)).values(owner=None, lease_until=None))
