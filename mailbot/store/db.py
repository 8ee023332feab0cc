"""Engine set-up and schema migrations.

SQLite (WAL) is the embedded default, PostgreSQL the multi-node engine; both through the same synchronous
SQLAlchemy Core engine, which the daemon drives from worker threads (plain sqlite3 commits about twice as fast
as aiosqlite on these machines, and the pipe command needs no event loop at all).
"""
from __future__ import annotations

import fcntl
import logging
import os
import sqlite3
from pathlib import Path

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine, make_url

from mailbot import resource
from mailbot.store.compiled import send_later

log = logging.getLogger("mailbot.store")

# The newest migration. `tests/store/test_migrations.py` checks it against the migrations folder, so the
# pipe command can compare versions without loading Alembic on every delivery.
SCHEMA_HEAD = "0012"


def normalise_url(url: str) -> str:
    u = make_url(url)
    if u.drivername in ("postgresql", "postgres"):
        u = u.set(drivername="postgresql+psycopg")
    return u.render_as_string(hide_password=False)


def shown_url(url: str) -> str:
    """A database URL fit for logs and messages: without its password."""
    return make_url(url).render_as_string(hide_password=True)


class QueuedWriterConnection(sqlite3.Connection):
    """A SQLite connection whose transactions queue on a lock file (flock) before BEGIN IMMEDIATE.

    SQLite makes a second writer poll, asleep for 1, 2, 5, 10 ... ms between tries, so the daemon's worker
    processes and the pipe command would spend much of their time asleep while the lock is free. A blocking
    flock wakes the next writer as soon as it is let go, and the kernel lets go of it when a process dies."""
    lock_path: str | None = None
    _fd: int | None = None

    def begin_immediate(self) -> None:
        if self.lock_path is not None:
            if self._fd is None:
                self._fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
            fcntl.flock(self._fd, fcntl.LOCK_EX)
        try:
            self.execute("BEGIN IMMEDIATE")
        except BaseException:
            self._release()
            raise

    def _release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self._release()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self._release()

    def close(self) -> None:
        try:
            super().close()
        finally:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None


def make_engine(db_config) -> Engine:
    url = make_url(normalise_url(db_config.url))
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        lock = f"{url.database}.writer" if url.database and url.database != ":memory:" else None
        factory = type("QueuedWriterConnection", (QueuedWriterConnection,), {"lock_path": lock})
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False, "factory": factory})
        synchronous = db_config.sqlite_synchronous

        @event.listens_for(engine, "connect")
        def _connect(dbapi_conn, _record):
            # Let SQLAlchemy, not the driver, decide where transactions begin (see _begin).
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute(f"PRAGMA synchronous={synchronous}")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn):
            # IMMEDIATE takes the write lock up front: a reader that later writes cannot deadlock
            # against another process (a worker, the pipe command) doing the same.
            conn.connection.dbapi_connection.begin_immediate()

        return engine
    engine = create_engine(url, pool_size=db_config.pool_size, max_overflow=db_config.pool_size,
                           pool_pre_ping=True)

    @event.listens_for(engine, "before_cursor_execute")
    def _in_order(conn, cursor, statement, parameters, context, executemany):
        send_later(conn)  # rows held back by queries.later_writes go to the server before this statement

    return engine


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        try:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except Exception:
            return None


def alembic_config(engine: Engine):
    from alembic.config import Config as AlembicConfig
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(resource("migrations")))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Apply every pending migration; returns (before, after)."""
    from alembic import command
    before = current_revision(engine)
    command.upgrade(alembic_config(engine), "head")
    return before, current_revision(engine)


MIGRATION_LOCK = 0x6D61696C626F74  # "mailbot": daemons starting together on one PostgreSQL migrate one at a time


def ensure_schema(engine: Engine, say=log.info) -> None:
    """Bring a new or older database up to date, and say so. On PostgreSQL several daemons may start at once:
    an advisory lock lets one migrate while the others wait, then find the schema current."""
    rev = current_revision(engine)
    if rev == SCHEMA_HEAD:
        return
    if engine.dialect.name != "postgresql":
        say(f"database schema is {'new' if rev is None else 'at ' + rev}; upgrading to {SCHEMA_HEAD}")
        upgrade(engine)
        return
    with engine.connect() as lock:
        lock.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK})
        try:
            rev = current_revision(engine)
            if rev != SCHEMA_HEAD:
                say(f"database schema is {'new' if rev is None else 'at ' + rev}; upgrading to {SCHEMA_HEAD}")
                upgrade(engine)
        finally:
            lock.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK})
            lock.commit()
