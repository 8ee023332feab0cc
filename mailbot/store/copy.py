"""Copy a whole installation's database into another, empty one: `mailbot db copy --to URL`.

An installation starts on SQLite (one node) and moves to PostgreSQL when a second daemon is wanted; a copy of a
PostgreSQL desk into a SQLite file is a test copy. Both go through the same tables (mailbot.store.models) and
their types, so what one engine stores the other gets back as the pipeline wrote it: timezone-aware times (SQLite
keeps them naive in UTC, PostgreSQL with their zone), mail bytes as bytes, JSON documents as their text.

How, and why so:
* The target's schema is made (or upgraded) to the same head as the source's first; the source must already be
  at the head, so both have the same tables and columns and no row needs translating.
* The target must hold no data (the rows its own migrations seed excepted, `SEEDS`): copying into a desk that
  already took mail would mix two histories and collide on ids. The operator drops and recreates it instead.
* Every row goes in one transaction on the target: a copy that fails or is interrupted leaves the target as
  empty as it was, and running the command again starts afresh. The source is read in one transaction too (a
  consistent snapshot: REPEATABLE READ on PostgreSQL; on SQLite it holds the write lock, so nothing changes
  it meanwhile).
* Tables go in foreign-key order; rows are streamed (a server-side cursor on PostgreSQL) and inserted in
  batches, flushed at `BATCH` rows or `BATCH_BYTES` of values, so memory stays flat however big the mail is.
* PostgreSQL hands out ids from sequences that explicit ids never advance: each is set past its table's
  largest id, so the first new ticket on the copy does not collide with a copied one. SQLite needs nothing.
* Each table's rows are counted on both sides in their transactions (before the commit) and again after it.

Errors come out as `CopyError`s whose kind the command line turns into an exit code; their text never holds
a password (URLs are rendered without theirs) nor a row's contents (its key at most; a driver's
message is cut to its first line).
"""
from __future__ import annotations

import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Integer, LargeBinary, func, insert, select, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError

from mailbot.store import db
from mailbot.store.models import metadata, once

BATCH = 1000  # rows per INSERT (executemany)
BATCH_BYTES = 8 * 1024 * 1024  # ... or fewer, when their values add up to this much (mail bytes)
FETCH_BINARY = 16  # rows fetched at a time from a table with mail bytes (a message may be megabytes)
ENGINES = ("sqlite", "postgresql")

# Rows the migrations themselves write into a new database: a fresh target holds them, and the source's own
# take their place. tests/store/test_copy.py checks that a new database holds nothing else.
SEEDS = {"once": once.c.key == "sla:since"}  # migration 0010: service levels watch tickets from the upgrade on


class CopyError(Exception):
    """Why there was no copy (nothing was written to the target's tables)."""


class BadTarget(CopyError):
    """The target is no database mailbot can copy to (not a URL, another engine, the source itself)."""


class Unreachable(CopyError):
    """A database does not answer (wrong host, user or password; the server down)."""


class SourceNotReady(CopyError):
    """The configured database has no schema, or an older one than this mailbot's."""


class TargetNotEmpty(CopyError):
    """The target holds data already."""


class CopyFailed(CopyError):
    """The target would not take a row, or the counts differ; rolled back (unless `committed`)."""

    def __init__(self, message: str, committed: bool = False):
        super().__init__(message)
        self.committed = committed


@dataclass
class TableCopy:
    table: str
    source_rows: int
    target_rows: int


@dataclass
class Copied:
    source: str  # URLs without their passwords
    target: str
    schema: str
    tables: list[TableCopy] = field(default_factory=list)
    sequences: dict[str, int] = field(default_factory=dict)  # PostgreSQL target: table -> its next id
    seconds: float = 0.0

    @property
    def rows(self) -> int:
        return sum(t.target_rows for t in self.tables)

    def as_dict(self) -> dict:
        return {"source": self.source, "target": self.target, "schema": self.schema, "rows": self.rows,
                "verified": all(t.source_rows == t.target_rows for t in self.tables),
                "seconds": round(self.seconds, 3), "next_ids": self.sequences,
                "tables": [{"table": t.table, "source_rows": t.source_rows, "target_rows": t.target_rows}
                           for t in self.tables]}


def row_count(n: int) -> str:
    """For the operator's lines: 1 row, 1,843 rows."""
    return f"{n:,} row" + ("" if n == 1 else "s")


def target_engine(db_config) -> Engine:
    """The engine on the target (`db_config.url`, the rest as the installation's database is set up).
    BadTarget when the URL is none, or names an engine mailbot does not run on."""
    try:
        url = make_url(db.normalise_url(db_config.url))
    except ArgumentError:
        raise BadTarget("--to is not a database URL (e.g. postgresql://mailbot@db.example.com/mailbot)") from None
    if url.get_backend_name() not in ENGINES:
        raise BadTarget(f"--to {db.shown_url(db_config.url)}: mailbot runs on SQLite or PostgreSQL, "
                        f"not {url.get_backend_name()}")
    try:
        return db.make_engine(db_config)
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise BadTarget(f"--to {db.shown_url(db_config.url)}: {exc}") from None


def copy(source: Engine, target: Engine, say=lambda line: None, batch: int = BATCH) -> Copied:
    """Copy every table of `source` into the empty `target`; `say(line)` is told of each step (each table when
    it is done). Raises a CopyError and leaves the target's tables empty when it cannot."""
    started = time.monotonic()
    _check_pair(source, target)
    schema = _source_schema(source)
    _make_schema(target, say)
    done = Copied(_shown(source), _shown(target), schema)
    try:
        with ExitStack() as stack:
            src = _enter(stack, source, _snapshot(source))
            dst = _enter(stack, target, target.begin())
            _refuse_data(dst)
            for table, seed in SEEDS.items():  # the source's own take their place
                dst.execute(metadata.tables[table].delete().where(seed))
            for table in metadata.sorted_tables:
                expected = src.execute(select(func.count()).select_from(table)).scalar()
                written = _copy_table(src, dst, table, batch)
                got = dst.execute(select(func.count()).select_from(table)).scalar()
                if not expected == written == got:
                    raise CopyFailed(f"{table.name}: {expected} rows in the source, {got} in the target; "
                                     "nothing copied")
                done.tables.append(TableCopy(table.name, expected, got))
                say(f"{table.name}: {row_count(got)} copied")
            if target.dialect.name == "postgresql":
                done.sequences = _reset_sequences(dst)
    except CopyError:
        raise
    except OperationalError as exc:  # a server went away mid-copy (or at the commit)
        raise Unreachable(f"the copy was cut off: {_first_line(exc)}; nothing copied") from None
    except DBAPIError as exc:
        raise CopyFailed(f"the copy failed: {_first_line(exc)}; nothing copied") from None
    _verify_committed(target, done)
    done.seconds = time.monotonic() - started
    return done


def _enter(stack: ExitStack, engine: Engine, context):
    with _reaching(engine):
        return stack.enter_context(context)


def _make_schema(target: Engine, say) -> None:
    with _reaching(target), target.connect():
        pass
    try:
        with _reaching(target):
            db.ensure_schema(target, say=lambda line: say(f"the target's {line}"))
    except CopyError:
        raise
    except Exception as exc:  # noqa: BLE001 - Alembic's own (a target at a revision this mailbot does not know)
        raise CopyFailed(f"the target's schema could not be made: {exc}") from None


def _shown(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def _check_pair(source: Engine, target: Engine) -> None:
    if _identity(source) == _identity(target):
        raise BadTarget(f"--to {_shown(target)} is the configured database itself")
    path = source.url.database
    if source.dialect.name == "sqlite" and path and path != ":memory:" and not Path(path).is_file():
        raise SourceNotReady(f"the configured database {_shown(source)} does not exist")


def _identity(engine: Engine) -> tuple:
    u = engine.url
    if u.get_backend_name() == "sqlite":
        return "sqlite", str(Path(u.database).resolve()) if u.database and u.database != ":memory:" else id(engine)
    return u.get_backend_name(), u.host or "", u.port or 5432, u.database or u.username or ""


def _source_schema(source: Engine) -> str:
    with _reaching(source), source.connect():  # current_revision() takes any failure for "no schema"
        pass
    rev = db.current_revision(source)
    if rev is None:
        raise SourceNotReady(f"the configured database {_shown(source)} holds no mailbot schema")
    if rev != db.SCHEMA_HEAD:
        raise SourceNotReady(f"the configured database is at schema {rev}, this mailbot's is {db.SCHEMA_HEAD}: "
                             "run `mailbot db upgrade` first")
    return rev


@contextmanager
def _reaching(engine: Engine):
    """A database that does not answer (or refuses us) is Unreachable; any other database error, CopyFailed."""
    try:
        yield
    except CopyError:
        raise
    except OperationalError as exc:
        raise Unreachable(f"{_shown(engine)}: {_first_line(exc)}") from None
    except DBAPIError as exc:
        raise CopyFailed(f"{_shown(engine)}: {_first_line(exc)}; nothing copied") from None


def _first_line(exc: DBAPIError) -> str:
    """The driver's own message, first line only: SQLAlchemy's text would add the statement and its values."""
    lines = str(exc.orig).strip().splitlines()
    return f"{type(exc.orig).__name__}: {lines[0] if lines else ''}"


@contextmanager
def _snapshot(engine: Engine):
    """One read transaction on the source: everything is read as it was at one moment."""
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        with conn.begin():  # SQLite: BEGIN IMMEDIATE (mailbot.store.db), so no writer gets in meanwhile
            yield conn


def _refuse_data(dst) -> None:
    for table in metadata.sorted_tables:
        q = select(1).select_from(table).limit(1)
        if table.name in SEEDS:
            q = q.where(~SEEDS[table.name])
        if dst.execute(q).first() is not None:
            n = dst.execute(select(func.count()).select_from(table)).scalar()
            raise TargetNotEmpty(f"the target {_shown(dst.engine)} holds data already ({row_count(n)} in "
                                 f"{table.name}); copy only into a new, empty database (drop and create it again)")


def _copy_table(src, dst, table, batch: int) -> int:
    binary = any(isinstance(c.type, LargeBinary) for c in table.columns)
    q = select(table).order_by(*table.primary_key.columns)
    rows = src.execute(q.execution_options(yield_per=min(batch, FETCH_BINARY) if binary else batch))
    written, chunk, size = 0, [], 0
    for row in rows:
        values = dict(row._mapping)
        chunk.append(values)
        size += sum(len(v) for v in values.values() if isinstance(v, (bytes, str)))
        if len(chunk) >= batch or size >= BATCH_BYTES:
            written += _insert(dst, table, chunk)
            chunk, size = [], 0
    if chunk:
        written += _insert(dst, table, chunk)
    return written


def _insert(dst, table, chunk: list[dict]) -> int:
    try:
        dst.execute(insert(table), chunk)
    except DBAPIError as exc:
        if isinstance(exc, OperationalError) and exc.connection_invalidated:
            raise Unreachable(f"{_shown(dst.engine)}: {_first_line(exc)}") from None
        first = ", ".join(f"{c.name}={chunk[0][c.name]}" for c in table.primary_key.columns)
        raise CopyFailed(f"{table.name}: the target would not take the rows from {first} on: "
                         f"{_first_line(exc)}; nothing copied") from None
    return len(chunk)


def _reset_sequences(dst) -> dict[str, int]:
    """Each PostgreSQL sequence behind an id column set so that its next value is the table's largest id + 1."""
    next_ids = {}
    for table in metadata.sorted_tables:
        for column in table.primary_key.columns:
            if not isinstance(column.type, Integer):
                continue
            seq = dst.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                              {"t": table.name, "c": column.name}).scalar()
            if seq is None:
                continue
            top = dst.execute(select(func.max(column))).scalar() or 0
            dst.execute(text("SELECT setval(CAST(:s AS regclass), :v, false)"), {"s": seq, "v": top + 1})
            next_ids[table.name] = top + 1
    return next_ids


def _verify_committed(target: Engine, done: Copied) -> None:
    with _reaching(target), target.connect() as conn:
        for t in done.tables:
            t.target_rows = conn.execute(select(func.count()).select_from(metadata.tables[t.table])).scalar()
    wrong = [t.table for t in done.tables if t.target_rows != t.source_rows]
    if wrong:
        raise CopyFailed(f"after the commit the target's row counts differ from the source's in {', '.join(wrong)}",
                         committed=True)
