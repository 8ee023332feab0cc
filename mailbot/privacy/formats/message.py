"""Forwarded messages (.eml, message/rfc822): the reader. There is no redactor: a forwarded message with
personal data is dropped.

A message attached to a client's mail is parsed like the mail itself; its subject and text are scanned as
one segment named after the attachment ("fwd.eml"), and each of its attachments through the same dispatch as
the attachment itself ("fwd.eml/list.csv"), within the nesting limit (message in message).
"""
from __future__ import annotations

from mailbot.privacy.limits import Ctx


def read_message(ctx: Ctx, where: str, data: bytes, depth: int) -> None:
    if depth >= ctx.limits.max_depth:
        ctx.refuse(where, f"nested deeper than {ctx.limits.max_depth} levels")
        return
    from mailbot.mime.message import parse
    msg = parse(data)
    ctx.emit(where, "\n".join(t for t in (msg.subject.strip(), msg.text) if t.strip()))
    used: set[str] = set()
    for att in msg.attachments:
        ctx.check(where)
        name = att.filename.replace("/", "_") or "attachment"
        if name in used:  # parse keeps names unique; this is only a guard
            name = f"{len(used)}-{name}"
        used.add(name)
        ctx.nested(f"{where}/{name}", att.filename, att.content_type, att.data, depth + 1)
