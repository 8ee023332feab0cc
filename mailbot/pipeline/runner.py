"""accept(): the one entry every transport calls; runs the stages in one transaction and maps the outcome.

Invariant 1: the caller acknowledges only after this returns; a transient failure raises TempFail and the
transport answers 451 / exits 75 / leaves the IMAP message in place. Invariant 8: anything else that goes
wrong parks the message with its error, so one bad message never blocks the others and nothing is lost.
"""
from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass, replace

from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from mailbot.base.drills import failpoint
from mailbot.pipeline import PREPARE, STAGES
from mailbot.pipeline.context import Ctx, Discard, Duplicate, Envelope, Outcome, Reject, Verdict
from mailbot.pipeline.dedupe import idem_key
from mailbot.pipeline.parking import TempFail, park, record_imap
from mailbot.pipeline.persist import store_message
from mailbot.store import messages, parking
from mailbot.store.compiled import later_writes
from mailbot.store.models import utcnow
from mailbot.tickets.vocabulary import Disposition

log = logging.getLogger("mailbot.vette")
_STAGES = tuple(importlib.import_module(f"mailbot.pipeline.{name}").run for name in STAGES)
_DEDUPE = _STAGES[len(PREPARE)]  # the first stage in the transaction (see PREPARE)
TRANSIENT = (OperationalError, InterfaceError, PoolTimeout)
CONFLICT_RETRIES = 3
_CONFLICTS = ("40P01", "40001")  # PostgreSQL: deadlock detected, serialization failure


# A database error that will be the same at every retry: the message itself is at fault (a value too long for an
# index, text the database refuses), so it is parked (invariant 8) instead of answered 451 for ever.
_REPEATS = ("22", "54")  # PostgreSQL SQLSTATE classes: data exception, program limit exceeded


def _transient(exc: Exception) -> bool:
    if not isinstance(exc, TRANSIENT):
        return False
    state = getattr(getattr(exc, "orig", None), "sqlstate", None) or ""
    return not state.startswith(_REPEATS)


def _conflict(exc: Exception) -> bool:
    return getattr(getattr(exc, "orig", None), "sqlstate", None) in _CONFLICTS


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
        if len(jobs) > 1 and (_conflict(exc) or not _transient(exc)):
            return [accept_batch([job], config, engine)[0] for job in jobs]
        if _conflict(exc) and _attempt < CONFLICT_RETRIES:  # another worker's transaction crossed ours
            return accept_batch(jobs, config, engine, _attempt + 1)
        if _transient(exc):
            log.warning("database unavailable for %s message(s): %s", len(jobs), type(exc).__name__)
            return [TempFail(str(getattr(exc, "orig", exc)))] * len(jobs)
        failures[0] = exc  # one message alone: its transaction is already rolled back
    for i, exc in failures.items():
        results[i] = _after_failure(jobs[i], ctxs[i], exc, config, engine)
    for job, ctx, outcome in zip(jobs, ctxs, results):
        if isinstance(outcome, Outcome):
            log.info("message %s to %s from %s: %s%s (row %s)", _mid(ctx), job.envelope.recipient,
                     job.envelope.source, outcome.status,
                     f" ticket #{outcome.ticket_id}" if outcome.ticket_id else "", outcome.message_row,
                     extra={"message_id": _mid(ctx), "mailbox": job.envelope.recipient, "ticket": outcome.ticket_id,
                            "row": outcome.message_row, "verdict": str(outcome.status)})
    return results


def _take(ctx: Ctx) -> Outcome:
    """Run the stages and map their disposition; every write goes through ctx.conn."""
    envelope, conn = ctx.envelope, ctx.conn
    try:
        for stage in _STAGES[_STAGES.index(_DEDUPE):]:
            if ctx.stopped is not None and (stage is not _DEDUPE or ctx.msg is None):
                raise ctx.stopped  # dedupe has had its say: a redelivery stays a no-op
            stage(ctx)
        outcome = Outcome(Verdict.STORED, ctx.ticket_id, ctx.disposition, ctx.message_row)
    except Duplicate as d:
        outcome = Outcome(Verdict.DUPLICATE, reason=d.reason)
    except Discard as d:
        row = store_message(ctx, None, d.kind, d.reason)
        outcome = Outcome(Verdict.DISCARDED, reason=f"{d.kind}: {d.reason}", message_row=row)
    except Reject as r:
        if envelope.imap is None:
            raise
        # Nobody to refuse it to: record the refusal and take it off the server like any other.
        row = store_message(ctx, None, Disposition.REJECTED, r.reason)
        outcome = Outcome(Verdict.DISCARDED, reason=f"{Disposition.REJECTED}: {r.reason}", message_row=row)
    if ctx.retry_of is not None:
        parking.mark_done(conn, ctx.retry_of, ctx.now)
    if envelope.imap is not None:
        outcome = replace(outcome, after=record_imap(conn, envelope, ctx.after, ctx.now))
    return outcome


def _after_failure(job: Job, ctx, exc: Exception, config, engine) -> Outcome | TempFail:
    if isinstance(exc, Reject):
        log.info("refused message %s to %s: %s", _mid(ctx), job.envelope.recipient, exc.reason)
        return Outcome(Verdict.REJECTED, reason=exc.reason)
    if isinstance(exc, IntegrityError) and ctx is not None and ctx.idem_key and _stored(engine, ctx.idem_key):
        return Outcome(Verdict.DUPLICATE, reason="stored concurrently by another worker")
    # The guard may have decided the original must not be kept: then only its stub is parked (invariant 5).
    raw = ctx.raw if ctx is not None and not ctx.keep_raw else job.raw
    key = (ctx.idem_key if ctx is not None and ctx.idem_key else None) or idem_key(raw, None)
    try:  # a fault in a stage: keep the message, report, carry on
        return park(raw, job.envelope, engine, ctx, exc, job.retry_of, config, key, TRANSIENT)
    except TempFail as tf:
        return tf


def _mid(ctx) -> str:
    return (ctx.msg.message_id if ctx is not None and ctx.msg is not None else None) or "(no Message-ID)"


def _stored(engine, key: str) -> bool:
    with engine.connect() as conn:
        return messages.is_stored(conn, key)
