"""dedupe: a redelivered message is a no-op (invariant 2).

The key is the mailbox plus the Message-ID (or, without one, the bytes): relays add their own Received
headers, so a redelivery rarely has the same bytes, but it keeps its Message-ID.
"""
import hashlib

from sqlalchemy import bindparam, select

from mailbot.pipeline.context import Duplicate
from mailbot.store.models import messages, parked
from mailbot.store.queries import Scalar


STORED = select(messages.c.id).where(messages.c.idem_key == bindparam("key"))
PARKED = select(parked.c.id).where(parked.c.idem_key == bindparam("key"), parked.c.status != "done")
_STORED, _PARKED = Scalar(STORED.limit(1)), Scalar(PARKED.limit(1))


def idem_key(raw: bytes, recipient: str, message_id: str | None) -> str:
    basis = f"mid:{message_id}".encode("utf-8", "surrogateescape") if message_id else b"raw:" + \
        hashlib.sha256(raw).digest()
    return hashlib.sha256(recipient.lower().encode() + b"\0" + basis).hexdigest()


def run(ctx) -> None:
    ctx.idem_key = idem_key(ctx.raw, ctx.envelope.recipient, ctx.msg.message_id)
    if _STORED(ctx.conn, {"key": ctx.idem_key}) is not None:
        raise Duplicate("duplicate", "already stored")
    if ctx.retry_of is None and _PARKED(ctx.conn, {"key": ctx.idem_key}) is not None:
        raise Duplicate("duplicate", "already parked")
