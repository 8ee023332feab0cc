"""accept(): the one entry every transport calls; runs the stages in one transaction and maps the outcome.

Invariant 1: the caller acknowledges only after this returns; a transient failure raises TempFail and the
transport answers 451 / exits 75 / leaves the IMAP message in place. Invariant 8: anything else that goes
wrong parks the message with its error, so one bad message never blocks the others and nothing is lost.
"""
from __future__ import annotations

import importlib
import logging
import traceback
from dataclasses import dataclass, replace
from datetime import timedelta

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from mailbot.drills import failpoint
from mailbot.pipeline import PREPARE, STAGES
from mailbot.pipeline.context import Ctx, Discard, Duplicate, Envelope, Outcome, Park, Reject
from mailbot.pipeline.dedupe import STORED, idem_key
from mailbot.pipeline.persist import store_message
from mailbot.store.models import imap_seen, parked, utcnow
from mailbot.store.queries import insert_ignore, later_writes

log = logging.getLogger("mailbot.vette")
_STAGES = tuple(importlib.import_module(f"mailbot.pipeline.{name}").run for name in STAGES)
_DEDUPE = _STAGES[len(PREPARE)]  # the first stage in the transaction (see PREPARE)
TRANSIENT = (OperationalError, InterfaceError, PoolTimeout)
CONFLICT_RETRIES = 3
_CONFLICTS = ("40P01", "40001")  # PostgreSQL: deadlock detected, serialization failure


def _conflict(exc: Exception) -> bool:
    return getattr(getattr(exc, "orig", None), "sqlstate", None) in _CONFLICTS


class TempFail(Exception):
    """The message could not be committed now; the transport must not acknowledge it."""


@dataclass(frozen=True)
class Job:
    raw: bytes
    envelope: Envelope
    retry_of: int | None = None  # a parked row being replayed


def accept(raw: bytes, envelope: Envelope, config, engine, *, retry_of: int | None = None) -> Outcome:
    """Take one message; raises TempFail when it could not be committed now."""
    [result] = accept_batch([Job(raw, envelope, retry_of)], config, engine)
    if isinstance(result, TempFail):
        raise result
    return result


def accept_batch(jobs: list[Job], config, engine, _attempt: int = 1) -> list[Outcome | TempFail]:
    """Take several messages in one transaction — one commit, one fsync. A message stopped before the
    transaction (a refusal) has written nothing and is answered on its own; if anything else fails (a bug, a
    deadlock, a failed COMMIT), nothing of the batch was kept and each message is taken again on its own, so
    only the one at fault is parked. Savepoints would cost every message of every batch two statements to
    spare the rare failure a second pass."""
    now = utcnow()
    ctxs = [Ctx(raw=job.raw, envelope=job.envelope, config=config, conn=None, now=now, retry_of=job.retry_of)
            for job in jobs]
    results: list = [None] * len(jobs)
    failures: dict[int, Exception] = {}
    for ctx in ctxs:
        try:
            for stage in _STAGES[:_STAGES.index(_DEDUPE)]:
                stage(ctx)
        except Exception as exc:  # Discard, Reject, a bug: it takes effect after dedupe, in the transaction
            ctx.stopped = exc
    try:
        with engine.begin() as conn, later_writes(conn):
            for i, ctx in enumerate(ctxs):
                ctx.conn = conn
                try:
                    results[i] = _take(ctx)
                except Exception as exc:
                    if exc is not ctx.stopped or len(jobs) == 1:
                        raise  # it may have written: the batch is undone and each message taken alone
                    failures[i] = exc  # stopped before the transaction (a refusal): nothing to undo
        failpoint("after_commit")
    except Exception as exc:
        if len(jobs) > 1 and (_conflict(exc) or not isinstance(exc, TRANSIENT)):
            return [accept_batch([job], config, engine)[0] for job in jobs]
        if _conflict(exc) and _attempt < CONFLICT_RETRIES:  # another worker's transaction crossed ours
            return accept_batch(jobs, config, engine, _attempt + 1)
        if isinstance(exc, TRANSIENT):
            log.warning("database unavailable for %s message(s): %s", len(jobs), type(exc).__name__)
            return [TempFail(str(getattr(exc, "orig", exc)))] * len(jobs)
        failures[0] = exc  # one message alone: its transaction is already rolled back
    for i, exc in failures.items():
        results[i] = _after_failure(jobs[i], ctxs[i], exc, config, engine)
    for job, ctx, outcome in zip(jobs, ctxs, results):
        if isinstance(outcome, Outcome):
            log.info("message %s to %s from %s: %s%s (row %s)", _mid(ctx), job.envelope.recipient,
                     job.envelope.source, outcome.status,
                     f" ticket #{outcome.ticket_id}" if outcome.ticket_id else "", outcome.message_row)
    return results


def _take(ctx: Ctx) -> Outcome:
    """Run the stages and map their disposition; every write goes through ctx.conn."""
    envelope, conn = ctx.envelope, ctx.conn
    try:
        for stage in _STAGES[_STAGES.index(_DEDUPE):]:
            if ctx.stopped is not None and (stage is not _DEDUPE or ctx.msg is None):
                raise ctx.stopped  # dedupe has had its say: a redelivery stays a no-op
            stage(ctx)
        outcome = Outcome("stored", ctx.ticket_id, ctx.disposition, ctx.message_row)
    except Duplicate as d:
        outcome = Outcome("duplicate", reason=d.reason)
    except Discard as d:
        row = store_message(ctx, None, d.kind, d.reason)
        outcome = Outcome("discarded", reason=f"{d.kind}: {d.reason}", message_row=row)
    except Reject as r:
        if envelope.imap is None:
            raise
        # Nobody to refuse it to: record the refusal and take it off the server like any other.
        row = store_message(ctx, None, "rejected", r.reason)
        outcome = Outcome("discarded", reason=f"rejected: {r.reason}", message_row=row)
    if ctx.retry_of is not None:
        conn.execute(update(parked).where(parked.c.id == ctx.retry_of).values(status="done", updated_at=ctx.now))
    if envelope.imap is not None:
        outcome = replace(outcome, after=record_imap(conn, envelope, ctx.after, ctx.now))
    return outcome


def _after_failure(job: Job, ctx, exc: Exception, config, engine) -> Outcome | TempFail:
    if isinstance(exc, Reject):
        log.info("refused message %s to %s: %s", _mid(ctx), job.envelope.recipient, exc.reason)
        return Outcome("rejected", reason=exc.reason)
    if isinstance(exc, IntegrityError) and ctx is not None and ctx.idem_key and _stored(engine, ctx.idem_key):
        return Outcome("duplicate", reason="stored concurrently by another worker")
    # The guard may have decided the original must not be kept: then only its stub is parked (invariant 5).
    raw = ctx.raw if ctx is not None and not ctx.keep_raw else job.raw
    try:  # Park, or a bug in a stage: keep the message, report, carry on
        return _park(raw, job.envelope, engine, ctx, exc, job.retry_of, config)
    except TempFail as tf:
        return tf


def _mid(ctx) -> str:
    return (ctx.msg.message_id if ctx is not None and ctx.msg is not None else None) or "(no Message-ID)"


def _stored(engine, key: str) -> bool:
    with engine.connect() as conn:
        return conn.execute(STORED, {"key": key}).first() is not None


def _park(raw, envelope, engine, ctx, exc, retry_of, config) -> Outcome:
    error = exc.reason if isinstance(exc, Park) else "".join(
        traceback.format_exception_only(type(exc), exc)).strip()
    detail = error if isinstance(exc, Park) else "".join(traceback.format_exception(exc, limit=8))
    now = utcnow()
    key = (ctx.idem_key if ctx is not None and ctx.idem_key else None) or idem_key(raw, envelope.recipient, None)
    after = envelope.imap.action if envelope.imap else None
    try:
        with engine.begin() as conn:
            if retry_of is not None:
                row = conn.execute(select(parked.c.attempts).where(parked.c.id == retry_of)).first()
                attempts = (row.attempts if row else 0) + 1
                give_up = attempts >= config.parking.max_attempts
                conn.execute(update(parked).where(parked.c.id == retry_of).values(
                    error=detail, attempts=attempts, updated_at=now, status="failed" if give_up else "parked",
                    next_retry_at=None if give_up else now + timedelta(
                        seconds=config.parking.retry_seconds * 2 ** (attempts - 1))))
                park_id = retry_of
            else:
                if envelope.imap is not None:  # the guard's "expunge" holds for a parked message too
                    after = record_imap(conn, envelope, ctx.after if ctx is not None else None, now)
                park_id = conn.execute(insert(parked).values(
                    source=envelope.source, mailbox=envelope.recipient, mail_from=envelope.mail_from or "",
                    raw=raw, idem_key=key, error=detail, attempts=1, status="parked", created_at=now,
                    updated_at=now, next_retry_at=now + timedelta(seconds=config.parking.retry_seconds),
                )).inserted_primary_key[0]
    except TRANSIENT as exc2:
        raise TempFail(f"could not park: {getattr(exc2, 'orig', exc2)}") from exc2  # not the statement's values
    except Exception as exc2:
        raise TempFail(f"could not park: {type(exc2).__name__}") from exc2
    # A Park's reason is ours; another error's text may quote the mail (logs never hold message content)
    summary = error.splitlines()[0] if isinstance(exc, Park) else type(exc).__name__
    log.error("message %s to %s parked as #%s: %s", _mid(ctx), envelope.recipient, park_id, summary)
    return Outcome("parked", reason=error, after=after)


def record_imap(conn, envelope, override: str | None, now) -> str:
    """Note (mailbox, folder, UIDVALIDITY, UID) with the message's effects, and what to do on the server;
    a crash before that is done makes the next pass do only that."""
    ref = envelope.imap
    key = dict(mailbox=envelope.recipient, folder=ref.folder, uidvalidity=ref.uidvalidity, uid=ref.uid)
    insert_ignore(conn, imap_seen, **key, action=override or ref.action, done=False, created_at=now)
    return conn.execute(select(imap_seen.c.action).filter_by(**key)).scalar()  # an earlier decision stands
