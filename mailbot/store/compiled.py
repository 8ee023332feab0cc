"""Statements built once and run on the driver's cursor: constructing a statement costs more than running it.

The rows every message writes (the message, its raw copy, its Message-IDs, the ticket, events, outbox rows)
go through Insert: compiled once per engine and set of columns, run on the driver's cursor. SQLAlchemy's own
execute path costs some 30 µs a statement, several times what SQLite spends on such a row, and a message
writes about ten of them while it holds the database's write lock.

On PostgreSQL each statement is also a round trip to the server. Rows whose answer nobody waits for (events,
Message-IDs, raw copies, outgoing mail's bytes and records) are written with `Insert.later` inside
`later_writes`: they go out in one pipeline together with the next statement that does need an answer (or
at the end), in the order they were made, so every statement still sees every row written before it.
"""
from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import insert as sa_insert

_LATER = "mailbot.later_writes"


@contextmanager
def later_writes(conn):
    """Within this, `Insert.later` rows wait to be sent with the next statement (PostgreSQL; elsewhere they
    are written at once). The transaction's caller commits only after the block has sent them all."""
    info = conn.info  # held: a connection lost on the way can no longer be asked for it
    if conn.dialect.name != "postgresql" or _LATER in info:
        yield
        return
    info[_LATER] = []
    try:
        yield
        send_later(conn)
    finally:
        info.pop(_LATER, None)  # on failure the rows go with the rolled-back transaction, never into the next


def send_later(conn) -> None:
    """Send the rows waiting in `later_writes` now (before a statement SQLAlchemy itself runs, see db.py)."""
    if conn.info.get(_LATER):
        _run(conn, None, None, None)


def _run(conn, sql: str | None, args, answer):
    """Run compiled SQL on the driver's cursor inside the connection's transaction; `answer(cursor)` reads the
    result. Rows waiting in `later_writes` go first, in one pipeline with it (sql None: only those)."""
    if not conn.in_transaction():
        conn.begin()  # as SQLAlchemy's autobegin would: the caller commits
    dbapi = conn.connection.dbapi_connection
    pending = conn.info.get(_LATER)
    cursor = dbapi.cursor()
    try:
        if not pending:
            cursor.execute(sql, args)
            return answer(cursor)
        waiting = pending[:]
        pending.clear()
        with dbapi.pipeline():
            for sql_, args_ in waiting:
                cursor.execute(sql_, args_)
            if sql is None:
                sql, args = sql_, args_  # a failure is reported with the last of them
                return None
            cursor.execute(sql, args)
            return answer(cursor)  # reading the answer waits for the whole pipeline: an error surfaces here
    except Exception as exc:
        # SQLAlchemy's own handling: IntegrityError, OperationalError ... and a lost connection invalidated
        conn._handle_dbapi_exception(exc, sql, args, cursor, None)
    finally:
        cursor.close()


def _none(cursor):
    return None


def _first(cursor):
    row = cursor.fetchone()
    return row[0] if row else None


class Insert:
    """INSERT one row into `table`; returns its new id (None with ignore=True: ON CONFLICT DO NOTHING).

    Column defaults are the table's own; values go through the column types' bind processors, exactly as
    SQLAlchemy would send them."""

    def __init__(self, table, *, ignore: bool = False):
        self.table, self.ignore = table, ignore
        self.defaults = {c.key: c.default.arg for c in table.columns
                         if c.default is not None and c.default.is_scalar}
        pk = list(table.primary_key.columns)
        self.pk = pk[0] if len(pk) == 1 and pk[0].autoincrement in (True, "auto") else None
        self._compiled: dict = {}

    def __call__(self, conn, values: dict) -> int | None:
        sql, args, returning = self._bind(conn, values, answer=True)
        return _run(conn, sql, args, lambda cursor: _first(cursor) if returning else (
            None if self.ignore or self.pk is None else cursor.lastrowid))

    def later(self, conn, values: dict) -> None:
        """INSERT the row without waiting for the server: sent with the next statement in `later_writes`."""
        sql, args, _ = self._bind(conn, values, answer=False)
        pending = conn.info.get(_LATER)
        if pending is None:
            _run(conn, sql, args, _none)
        else:
            pending.append((sql, args))

    def _bind(self, conn, values: dict, answer: bool):
        params = self.defaults | values
        dialect = conn.dialect
        key = (dialect.name, dialect.paramstyle, tuple(params), answer)
        entry = self._compiled.get(key)
        if entry is None:
            entry = self._compiled[key] = self._compile(dialect, tuple(params), answer)
        sql, names, processors, positional, returning = entry
        if positional:
            args = tuple(params[n] if p is None else p(params[n]) for n, p in zip(names, processors))
        else:
            args = {n: params[n] if p is None else p(params[n]) for n, p in zip(names, processors)}
        return sql, args, returning

    def _compile(self, dialect, names: tuple[str, ...], answer: bool = True):
        if self.ignore:
            if dialect.name == "postgresql":
                from sqlalchemy.dialects.postgresql import insert as dialect_insert
            else:
                from sqlalchemy.dialects.sqlite import insert as dialect_insert
            stmt = dialect_insert(self.table).on_conflict_do_nothing()
        else:
            stmt = sa_insert(self.table)
        returning = answer and not self.ignore and self.pk is not None and dialect.name != "sqlite"
        if returning:
            stmt = stmt.returning(self.pk)
        compiled = stmt.compile(dialect=dialect, column_keys=list(names))
        binds = list(compiled.positiontup) if compiled.positional else list(compiled.binds)
        binds = [b for b in binds if b in names]
        processors = [compiled._bind_processors.get(b) for b in binds]
        return compiled.string, binds, processors, compiled.positional, returning


class _Select:
    """A SELECT compiled once per dialect, its parameters bound as SQLAlchemy would bind them."""

    def __init__(self, stmt):
        self.stmt = stmt
        self._compiled: dict = {}

    def _prepare(self, conn, params: dict | None):
        dialect = conn.dialect
        entry = self._compiled.get(dialect.name)
        if entry is None:
            entry = self._compiled[dialect.name] = self._compile(dialect)
        sql, names, processors, literals, positional = entry[:5]
        values = literals | params if params else literals
        args = [values[n] if p is None else p(values[n]) for n, p in zip(names, processors)]
        return entry, sql, args if positional else dict(zip(names, args))

    def _compile(self, dialect):
        compiled = self.stmt.compile(dialect=dialect)
        if any(b.expanding for b in compiled.binds.values()):
            raise ValueError(f"{type(self).__name__} takes no IN lists (expanding parameters): "
                             "give each value its own bindparam")
        names = list(compiled.positiontup) if compiled.positional else list(compiled.binds)
        literals = {n: b.value for n, b in compiled.binds.items()}
        processors = [compiled._bind_processors.get(n) for n in names]
        return compiled.string, names, processors, literals, compiled.positional


class Scalar(_Select):
    """A SELECT built once whose answer is one plain value (an id, a count): the first column of the first
    row, or None. Run like Insert, on the driver's cursor, for the few lookups every message makes while it
    holds the write lock."""

    def __call__(self, conn, params: dict | None = None):
        _, sql, args = self._prepare(conn, params)
        return _run(conn, sql, args, _first)


class Rows(_Select):
    """A SELECT built once whose rows come back as dicts keyed by column, every value through its column
    type's result processing (an aware datetime, a bool), as SQLAlchemy's .mappings() gives them: for the
    lookups threading makes for every message while the write lock is held."""

    def all(self, conn, params: dict | None = None) -> list[dict]:
        (*_, keys, results), sql, args = self._prepare(conn, params)
        return _run(conn, sql, args, lambda cursor: [
            dict(zip(keys, [v if p is None else p(v) for v, p in zip(row, results)])) for row in cursor.fetchall()])

    def first(self, conn, params: dict | None = None) -> dict | None:
        rows = self.all(conn, params)
        return rows[0] if rows else None

    def _compile(self, dialect):
        columns = list(self.stmt.selected_columns)
        return super()._compile(dialect) + (
            [c.key for c in columns], [c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns])


_IGNORING: dict = {}


def insert_ignore(conn, table, **values) -> None:
    """INSERT that quietly does nothing when the row's key already exists (both engines)."""
    stmt = _IGNORING.get(table.name)
    if stmt is None:
        stmt = _IGNORING[table.name] = Insert(table, ignore=True)
    stmt(conn, values)
