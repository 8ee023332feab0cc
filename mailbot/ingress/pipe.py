"""`mailbot deliver`: one message on stdin from an MTA (Postfix pipe(8), an Exim or sendmail alias).

Exit codes are sysexits, because that is all an MTA reads: 0 stored, 75 try again later (Postfix retries
only on 75 or 71; anything else, even Python's 1 for a crash, bounces the mail to its sender), 65 for input
that can never succeed.

When the daemon runs, the message is handed to its SMTP listener on the configured address and the daemon's
answer (given only after commit) becomes the exit code: a process per message then costs ~0.1 s instead of
loading the whole pipeline. With no daemon listening, the pipeline runs in this process.
"""
from __future__ import annotations

import logging
import sys

from mailbot.base.exits import EX_DATAERR, EX_OK, EX_TEMPFAIL

log = logging.getLogger("mailbot.ingress")


def handoff(config_path, recipient: str, sender: str | None, raw: bytes) -> int | None:
    """Give the message to the running daemon; None when no daemon is listening."""
    import smtplib
    from email.parser import BytesHeaderParser
    from email.utils import parseaddr
    from pathlib import Path

    from mailbot.config.file import default_path, read
    smtp = (read(Path(config_path) if config_path else default_path()).get("listen") or {}).get("smtp") or {}
    if smtp.get("enabled", True) is False:
        return None
    if sender is None:  # the MTA did not say; the From address is the best stand-in (never the null path)
        sender = parseaddr(str(BytesHeaderParser().parsebytes(raw).get("From", "")))[1]
    try:
        client = smtplib.SMTP(smtp.get("host", "127.0.0.1"), int(smtp.get("port", 2525)), timeout=120)
    except OSError:
        return None
    try:
        with client:
            client.sendmail(sender or "", [recipient], raw)
    except smtplib.SMTPRecipientsRefused as exc:
        code, text = next(iter(exc.recipients.values()))
        return _answer(code, text)
    except smtplib.SMTPResponseException as exc:
        return _answer(exc.smtp_code, exc.smtp_error)
    except (smtplib.SMTPException, OSError) as exc:  # the daemon went away mid-message: it may or may not
        print(f"mailbot deliver: temporary failure: {exc}", file=sys.stderr)  # have it; redelivery is a no-op
        return EX_TEMPFAIL
    print("mailbot deliver: accepted by the daemon", file=sys.stderr)
    return EX_OK


def _answer(code: int, text) -> int:
    text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    print(f"mailbot deliver: {'temporary failure' if code < 500 else 'refused'}: {code} {text}", file=sys.stderr)
    return EX_TEMPFAIL if code < 500 else EX_DATAERR


def deliver(config, engine, recipient: str, sender: str | None, raw: bytes) -> int:
    from mailbot.pipeline.context import Envelope
    from mailbot.pipeline.runner import TempFail, accept
    if not raw.strip():
        print("mailbot deliver: empty message on stdin", file=sys.stderr)
        return EX_DATAERR
    if len(raw) > config.listen.max_message_size:
        print(f"mailbot deliver: message of {len(raw)} bytes exceeds listen.max_message_size", file=sys.stderr)
        return EX_DATAERR
    try:
        outcome = accept(raw, Envelope(recipient.lower(), "pipe", sender), config, engine)
    except TempFail as exc:
        print(f"mailbot deliver: temporary failure: {exc}", file=sys.stderr)
        return EX_TEMPFAIL
    if not outcome.accepted:
        print(f"mailbot deliver: refused: {outcome.reason}", file=sys.stderr)
        return EX_DATAERR
    print(f"mailbot deliver: {outcome.status}" + (f" ticket #{outcome.ticket_id}" if outcome.ticket_id else ""),
          file=sys.stderr)
    return EX_OK
