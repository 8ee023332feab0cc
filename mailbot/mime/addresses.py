"""Addresses from From, To, Cc, Reply-To and Sender, and the author of a message: a From without an address
(MAILER-DAEMON <>, Big Bug bb@bug.com, "Name" <>) still gives what it can."""
from __future__ import annotations

import re
from email.message import Message
from email.utils import getaddresses

from mailbot.mime.headers import decode_text_header, raw_headers, unescape_8bit

_LOOSE_ADDRESS = re.compile(r"[A-Za-z0-9._%+=-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_BARE_LOCAL = re.compile(r"^[A-Za-z0-9._%+=-]{1,64}$")


def _strip_comments(value: str) -> str:
    """An address header without its (comments), outside quoted strings: in `Name (comment) <addr>` the
    comment is not part of the display name. Only used when there is an <addr>: in `addr (Name)` the comment
    is the only name there is."""
    out, depth, quoted, escaped = [], 0, False, False
    for ch in value:
        if escaped:
            escaped = False
            if not depth:
                out.append(ch)
            continue
        if ch == "\\":
            escaped = True
            if not depth:
                out.append(ch)
        elif quoted:
            out.append(ch)
            quoted = ch != '"'
        elif ch == "(":
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
        elif not depth:
            out.append(ch)
            quoted = ch == '"'
    return "".join(out)


def addresses_of(msg: Message, name: str, hint: str | None = None) -> list[tuple[str, str]]:
    """(display name, address) for each address in the `name` headers: lower-cased, with an @ and no
    whitespace; display names decoded."""
    values = [unescape_8bit(v, hint) for v in raw_headers(msg, name)]
    values = [_strip_comments(v) if "<" in v and "(" in v else v for v in values]
    try:
        pairs = getaddresses(values)
    except Exception:
        return []
    out = []
    for display, addr in pairs:
        addr = addr.strip().strip("<>").lower()
        if "@" in addr and not any(c.isspace() for c in addr):
            out.append((decode_text_header(display, hint), addr))
    return out


def sender_of(msg: Message, hint: str | None) -> tuple[str, str]:
    """(display name, address) of the author. Without a usable From address: a bare local part such as
    MAILER-DAEMON, an address written among the name's words, else the Sender or Reply-To address; the From
    display name is kept either way."""
    froms = addresses_of(msg, "From", hint)
    if froms:
        return froms[0]
    values = [unescape_8bit(v, hint) for v in raw_headers(msg, "From")]
    try:
        pairs = getaddresses(values) if values else []
    except Exception:
        pairs = []
    name = next((decode_text_header(d, hint) for d, _ in pairs if d.strip()), "")
    for _, addr in pairs:
        addr = addr.strip().strip("<>")
        if _BARE_LOCAL.match(addr) and any(addr.lower() in v.lower() for v in values):
            return name, addr.lower()
    for value in values:  # Big Bug bb@bug.com: an address written without its angle brackets
        m = _LOOSE_ADDRESS.search(value) if "<" not in value and ">" not in value else None
        if m:
            rest = (value[:m.start()] + value[m.end():]).strip(" \t\"'()")
            return name or decode_text_header(rest, hint), m.group(0).lower()
    for other in ("Sender", "Reply-To"):
        found = addresses_of(msg, other, hint)
        if found:
            return name or found[0][0], found[0][1]
    if not name and values:
        name = decode_text_header(values[0], hint)[:320]
    return name, ""


def answerable(address: str | None) -> bool:
    """An address an automatic answer may go to: one mailbox, with no control character or space in it (a relay
    refuses such an envelope address, and retrying it only repeats the refusal)."""
    return bool(address) and "@" in address and not any(c.isspace() or not c.isprintable() for c in address)
