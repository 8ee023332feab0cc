"""dedupe: a redelivered message is a no-op (invariant 2), and one message is one request.

The key is the Message-ID (or, without one, the bytes): relays add their own Received headers, so a
redelivery rarely has the same bytes, but it keeps its Message-ID. The recipient is not part of it: a message
sent to two of our addresses (help@ and suport@, or desk@ and desk+x@), which the MTA hands over once per
address, is one request — the first copy makes the ticket and its receipt, the second is a duplicate.
"""
import hashlib
import json

from mailbot.pipeline.context import Duplicate
from mailbot.pipeline.guard import NOT_KEPT, STUB_HEADER
from mailbot.store import messages, parking

_STUB_MARK = f"\r\n{STUB_HEADER}: ".encode()


def idem_key(raw: bytes, message_id: str | None) -> str:
    basis = f"mid:{message_id}".encode("utf-8", "surrogateescape") if message_id else b"raw:" + \
        hashlib.sha256(raw).digest()
    return hashlib.sha256(basis).hexdigest()


def run(ctx) -> None:
    ctx.idem_key = idem_key(ctx.raw, ctx.msg.message_id)
    stored = messages.stored(ctx.conn, ctx.idem_key)
    if stored is not None:
        if stored["privacy"] and json.loads(stored["privacy"]).get("action") in NOT_KEPT:
            ctx.after = "expunge"  # the first copy was not kept; a second one is not left on the IMAP server
        raise Duplicate("duplicate", "already stored")
    if ctx.retry_of is None and (raw := parking.parked_raw(ctx.conn, ctx.idem_key)) is not None:
        if _STUB_MARK in raw[:8192]:
            ctx.after = "expunge"  # parked as a stub: the original is not kept, nor a second copy of it
        raise Duplicate("duplicate", "already parked")
