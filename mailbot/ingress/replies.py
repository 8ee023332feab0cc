"""Every SMTP/LMTP reply mailbot gives itself, and how an outcome becomes one (RFC 5321 §4.2, RFC 3463 codes).

A 250 is given only after the message's effects are committed (invariant 1); 451 makes the client's MTA try
again later, which is always safe (a redelivery is a no-op); 5xx makes it bounce the mail to its sender, so it
is kept for what can never succeed.
"""
from __future__ import annotations

REPLY_OK = "250 2.0.0 OK: queued as {ref}"
REPLY_RCPT_OK = "250 2.1.5 OK"
REPLY_DATA_OK = "250 OK"  # the answer when no handler gave one (aiosmtpd's default)
REPLY_START_DATA = "354 End data with <CR><LF>.<CR><LF>"
REPLY_TEMPFAIL = "451 4.3.0 Temporary failure, please try again later"
REPLY_NEED_RCPT = "503 Error: need RCPT command"
REPLY_DATA_SYNTAX = "501 Syntax: DATA"
REPLY_NO_MAILBOX = "550 5.1.1 <{addr}>: no such mailbox here"
REPLY_REJECTED = "550 5.7.1 {reason}"
REPLY_TOO_BIG = "552 5.3.4 Error: too much mail data"


def reply_for(outcome) -> str:
    """The answer to the end of DATA for a pipeline outcome: refused, or accepted with our reference."""
    if not outcome.accepted:
        return REPLY_REJECTED.format(reason=outcome.reason)
    ref = f"#{outcome.ticket_id}" if outcome.ticket_id else outcome.status
    return REPLY_OK.format(ref=ref)
