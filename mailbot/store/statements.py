"""Statements as sent (immutable; a correction is the next version) and the scheduled runs' claims: one
(client, period) row each, so that a second daemon, a restart or a catch-up never sends a statement twice.

While a run works on a client's statement (on PostgreSQL) it holds a session advisory lock on the (client,
period) pair (`take`): another daemon's run passes such pairs by rather than wait for them, and the lock ends
with its holder's session, so a pair whose holder died is free at once."""
from __future__ import annotations

import json

from sqlalchemy import bindparam, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from mailbot.store.compiled import Insert
from mailbot.store.models import outbox, statement_runs, statements
from mailbot.store.owners import key

_INSERT_STATEMENT = Insert(statements)


def latest(conn, client_id: str, period: str):
    """The newest version issued for (client, period): id, version, document (JSON), created_at; or None."""
    return conn.execute(select(statements.c.id, statements.c.version, statements.c.document,
                               statements.c.created_at).where(
        statements.c.client_id == client_id, statements.c.period == period).order_by(
        statements.c.version.desc()).limit(1)).first()


def of_client(conn, client_id: str) -> list:
    """Every statement the client was sent, newest period and version first, with when its mail went out."""
    return conn.execute(select(statements.c.id, statements.c.period, statements.c.version, statements.c.document,
                               statements.c.created_at, outbox.c.sent_at)
                        .outerjoin(outbox, outbox.c.id == statements.c.outbox_id)
                        .where(statements.c.client_id == client_id)
                        .order_by(statements.c.period.desc(), statements.c.version.desc())).all()


def answered_by(conn, message_ids: list[str]) -> list[int]:
    """The statements whose mail had one of these Message-IDs (a client's reply to a statement names it)."""
    if not message_ids:
        return []
    return list(conn.execute(select(statements.c.id).join(outbox, outbox.c.id == statements.c.outbox_id).where(
        outbox.c.message_id.in_(message_ids[:200]))).scalars())


class VersionTaken(Exception):
    """Another run issued this version of the statement first; the caller's transaction must roll back."""


def insert_statement(conn, doc: dict, reason: str, outbox_id: int, now) -> int:
    """Store a statement as sent. A version taken meanwhile fails the unique (client, period, version): raises
    VersionTaken (on PostgreSQL after waiting for the other transaction to commit)."""
    try:
        return _INSERT_STATEMENT(conn, dict(
            client_id=doc["client"]["id"], period=doc["period"], version=doc["version"], reason=reason,
            document=json.dumps(doc, ensure_ascii=False), total=doc["total"], currency=doc["currency"],
            outbox_id=outbox_id, created_at=now))
    except IntegrityError as exc:
        raise VersionTaken(f"statement {doc['client']['id']} {doc['period']} v{doc['version']} exists") from exc


def listing(conn) -> list[dict]:
    """Every statement issued, oldest first, as plain data (`mailbot statement list --json`)."""
    rows = conn.execute(select(statements.c.id, statements.c.client_id, statements.c.period,
                               statements.c.version, statements.c.reason, statements.c.total,
                               statements.c.currency, statements.c.created_at).order_by(statements.c.id))
    return [dict(id=r.id, client=r.client_id, period=r.period, version=r.version, reason=r.reason,
                 total=r.total, currency=r.currency, created_at=r.created_at.isoformat()) for r in rows]


def runs_of(conn, client_ids: list[str]) -> set[tuple[str, str]]:
    """The (client, period) pairs of these clients a scheduled run has already claimed."""
    return {(r.client_id, r.period) for r in conn.execute(select(
        statement_runs.c.client_id, statement_runs.c.period).where(statement_runs.c.client_id.in_(client_ids)))}


def latest_of(conn, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], object]:
    """`latest` for many (client, period) pairs at once; pairs with no statement are left out."""
    out: dict = {}
    wanted = set(pairs)
    ids, periods = sorted({c for c, _ in pairs}), sorted({p for _, p in pairs})
    for first in range(0, len(ids), 500):
        for r in conn.execute(select(statements.c.id, statements.c.client_id, statements.c.period,
                                     statements.c.version, statements.c.document, statements.c.created_at).where(
                statements.c.client_id.in_(ids[first:first + 500]), statements.c.period.in_(periods))):
            pair = (r.client_id, r.period)
            if pair in wanted and (pair not in out or out[pair].version < r.version):
                out[pair] = r
    return out


def take(conn, pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The pairs this connection's session now holds for its run (PostgreSQL: those no other session holds; it
    never waits); every pair elsewhere. `let_go` gives them back; the session's end does too."""
    if conn.dialect.name != "postgresql" or not pairs:
        return list(pairs)
    keys = {_key(pair): pair for pair in pairs}
    got = set(conn.execute(text("SELECT k FROM unnest(CAST(:keys AS bigint[])) AS k WHERE pg_try_advisory_lock(k)"),
                           {"keys": sorted(keys)}).scalars())
    return [pair for pair in pairs if _key(pair) in got]


def let_go(conn, pairs: list[tuple[str, str]]) -> None:
    """Give back the pairs `take` gave this connection's session."""
    if conn.dialect.name == "postgresql" and pairs:
        conn.execute(text("SELECT pg_advisory_unlock(k) FROM unnest(CAST(:keys AS bigint[])) AS k"),
                     {"keys": sorted({_key(pair) for pair in pairs})})


def _key(pair: tuple[str, str]) -> int:
    return key(f"statement {pair[0]} {pair[1]}")


def claim_runs(conn, pairs: list[tuple[str, str]], owner: str, now) -> set[tuple[str, str]]:
    """Claim these (client, period) pairs in the caller's transaction; returns those claimed here, not before by
    another run. On PostgreSQL a pair another transaction has just claimed is decided by that one: it is ours
    only if that one rolls back."""
    if not pairs:
        return set()
    dialect_insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    stmt = dialect_insert(statement_runs).values([
        dict(client_id=c, period=p, status="claimed", owner=owner, lease_until=None, updated_at=now)
        for c, p in sorted(set(pairs))]).on_conflict_do_nothing().returning(statement_runs.c.client_id,
                                                                            statement_runs.c.period)
    return {(r.client_id, r.period) for r in conn.execute(stmt)}


_FINISH = update(statement_runs).where(statement_runs.c.client_id == bindparam("c"),
                                       statement_runs.c.period == bindparam("p")).values(
    status=bindparam("s"), statement_id=bindparam("sid"))


def finish_runs(conn, outcomes: list[tuple[str, str, str, int | None]]) -> None:
    """The claimed runs' outcomes, (client, period, status, statement): done (with the statement) or skipped
    (nothing could be sent)."""
    if outcomes:
        conn.execute(_FINISH, [dict(c=c, p=p, s=s, sid=sid) for c, p, s, sid in outcomes])
