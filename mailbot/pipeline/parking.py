"""Park, don't drop (invariant 8): a message the pipeline fails on is kept with its error and replayed later.

The runner parks; the daemon replays what is due (`due`), and an operator replays by hand with `mailbot parked
retry` (`not_done`). Either replay goes through `accept` with `retry_of`, which marks the row done once the message
is stored, or counts one more attempt (and gives up after `parking.max_attempts`).
"""
from __future__ import annotations

import logging
import traceback

from mailbot.pipeline.context import Envelope, Outcome, Verdict
from mailbot.store import imap as imap_bookkeeping
from mailbot.store import parking
from mailbot.store.models import utcnow

log = logging.getLogger("mailbot.vette")


class TempFail(Exception):
    """The message could not be committed now; the transport must not acknowledge it."""


def what_failed(exc: BaseException) -> str:
    """The error in one line an operator can act on: a database's own message and code (not the library's
    wrapping with its "Background on this error" link), else the exception's type and text."""
    orig = getattr(exc, "orig", None)
    if orig is not None:
        code = getattr(orig, "sqlstate", None) or getattr(orig, "sqlite_errorname", None)
        first = (str(orig).strip().splitlines() or [""])[0]
        return f"{type(orig).__name__}{f' [{code}]' if code else ''}: {first}"
    cause = exc.__cause__ or exc.__context__
    if type(exc).__name__ == "StatementError" and cause is not None:  # a value the driver refused before sending
        return f"{type(cause).__name__}: {cause}"
    return "".join(traceback.format_exception_only(type(exc), exc)).strip()


def park(raw, envelope, engine, ctx, exc, retry_of, config, key: str, transient: tuple) -> Outcome:
    """Keep `raw` aside with `exc` (a new row, or one more attempt of the row being replayed). Raises TempFail
    when even that cannot be written: then the transport keeps the message."""
    error = what_failed(exc)
    detail = error + "\n\n" + "".join(traceback.format_exception(exc, limit=8))
    now = utcnow()
    after = envelope.imap.action if envelope.imap else None
    try:
        with engine.begin() as conn:
            if retry_of is not None:
                parking.failed_again(conn, retry_of, detail, now, max_attempts=config.parking.max_attempts,
                                     retry_seconds=config.parking.retry_seconds)
                park_id = retry_of
            else:
                if envelope.imap is not None:  # the guard's "expunge" holds for a parked message too
                    after = record_imap(conn, envelope, ctx.after if ctx is not None else None, now)
                park_id = parking.park(conn, source=envelope.source, mailbox=envelope.recipient,
                                       mail_from=envelope.mail_from or "", raw=raw, idem_key=key, error=detail,
                                       now=now, retry_seconds=config.parking.retry_seconds)
    except transient as exc2:
        raise TempFail(f"could not park: {getattr(exc2, 'orig', exc2)}") from exc2  # not the statement's values
    except Exception as exc2:
        raise TempFail(f"could not park: {type(exc2).__name__}") from exc2
    # Only the error's type: its text may quote the mail (logs never hold message content)
    mid = (ctx.msg.message_id if ctx is not None and ctx.msg is not None else None) or "(no Message-ID)"
    log.error("message %s to %s parked as #%s: %s", mid, envelope.recipient, park_id, type(exc).__name__)
    return Outcome(Verdict.PARKED, reason=error, after=after)


def record_imap(conn, envelope, override: str | None, now) -> str:
    """Note (mailbox, folder, UIDVALIDITY, UID) with the message's effects, and what to do on the server."""
    ref = envelope.imap
    return imap_bookkeeping.record(conn, mailbox=envelope.recipient, folder=ref.folder, uidvalidity=ref.uidvalidity,
                                   uid=ref.uid, action=override or ref.action, now=now)


def envelope_of(row) -> Envelope:
    """The envelope a parked message arrived with."""
    return Envelope(row.mailbox, row.source, row.mail_from or None)


def due(engine) -> list:
    """Parked rows whose retry time has come (the daemon's replay)."""
    with engine.connect() as conn:
        return parking.due(conn, utcnow())


def not_done(engine, parked_id: int | None = None) -> list:
    """One parked row, or all not yet done (an operator's replay)."""
    with engine.connect() as conn:
        return parking.not_done(conn, parked_id)
