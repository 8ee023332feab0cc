"""Raw bytes to the stdlib's message tree (compat32), repaired first: garbage before the headers is dropped,
and a stray non-header line inside the header block (an unindented continuation) is joined to the header
before it instead of ending the headers early. No input raises: MIME nested deeper than the stdlib parser's
recursion allows keeps its body unsplit."""
from __future__ import annotations

import email
import email.parser
import re
from email.message import Message

from mailbot.mime.parts import MAX_PARTS

_HEADER_LINE = re.compile(rb"^[!-9;-~]+:")
_KNOWN_HEADER = re.compile(
    rb"^(from|to|cc|subject|date|message-id|mime-version|content-type|content-transfer-encoding|received|"
    rb"return-path|reply-to|in-reply-to|references|sender|delivered-to|x-mailer|user-agent):", re.I)
_LINE = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
MAX_HEADER_LINES = 5000


def clean_start(raw: bytes) -> bytes:
    """Drop a garbage line or two before the headers (mbox 'From ' lines are the parser's business)."""
    raw = raw.lstrip(b" \t\r\n")
    if raw.startswith(b"From ") or _HEADER_LINE.match(raw):
        return raw
    lines = raw.splitlines(keepends=True)
    for i, line in enumerate(lines[:5]):
        if _HEADER_LINE.match(line):
            return b"".join(lines[i:])
    return raw


def repair_headers(raw: bytes) -> bytes:
    """A line in the header block that is neither a field nor a continuation would end the headers there
    and push the rest (From, Subject ...) into the body. When well-known fields still follow before the
    blank line, such a line is an unindented continuation: indent it."""
    lines, end = [], 0
    for m in _LINE.finditer(raw):
        line = m.group(0)
        if not line.strip(b"\r\n") or len(lines) >= MAX_HEADER_LINES:
            break
        lines.append(line)
        end = m.end()
    stray = [i for i, line in enumerate(lines) if i and line[:1] not in (b" ", b"\t")
             and not _HEADER_LINE.match(line)]
    if not stray:
        return raw
    last_known = max((i for i, line in enumerate(lines) if _KNOWN_HEADER.match(line)), default=-1)
    fixed = [b" " + line if i in stray and i < last_known else line for i, line in enumerate(lines)]
    if fixed == lines:
        return raw
    return b"".join(fixed) + raw[end:]


def parse_structure(raw: bytes) -> tuple[Message, list[str], bool]:
    """The stdlib's parse and its defects; for MIME nested deeper than its recursion allows (a bomb, not
    mail), the headers only, with the body left unsplit (False)."""
    try:
        msg = email.message_from_bytes(raw)
        defects = sorted({type(d).__name__ for i, p in enumerate(msg.walk()) if i < MAX_PARTS for d in p.defects})
        return msg, defects, True
    except RecursionError:
        msg = email.parser.BytesHeaderParser().parsebytes(raw)
        return msg, ["MIME nesting too deep: the body is kept unsplit"], False
