"""Statements as sent (immutable; a correction is the next version) and the scheduled runs' claims: one
(client, period) row each, so that a second daemon, a restart or a catch-up never sends a statement twice."""
from __future__ import annotations

import json

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from mailbot.store.models import outbox, statement_runs, statements


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
        return conn.execute(insert(statements).values(
            client_id=doc["client"]["id"], period=doc["period"], version=doc["version"], reason=reason,
            document=json.dumps(doc, ensure_ascii=False), total=doc["total"], currency=doc["currency"],
            outbox_id=outbox_id, created_at=now)).inserted_primary_key[0]
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


def claim_run(conn, client_id: str, period: str, owner: str, now) -> bool:
    """Claim (client, period) in the caller's transaction; False when another run has it. A second daemon's
    INSERT waits for our commit, then fails, and it sends nothing."""
    try:
        with conn.begin_nested():
            conn.execute(insert(statement_runs).values(client_id=client_id, period=period, status="claimed",
                                                       owner=owner, lease_until=None, updated_at=now))
    except IntegrityError:
        return False
    return True


def finish_run(conn, client_id: str, period: str, status: str, statement_id: int | None) -> None:
    """The claimed run's outcome: done (with the statement) or skipped (nothing could be sent)."""
    conn.execute(update(statement_runs).where(
        (statement_runs.c.client_id == client_id) & (statement_runs.c.period == period)).values(
        status=status, statement_id=statement_id))
