"""winmail.dat: Outlook's TNEF wrapping of a message's files (and sometimes of its text).

An agent on any other mail client cannot open a winmail.dat, and the personal-data guard cannot read a payroll
sheet hidden inside one. So a TNEF part is unpacked with tnefparse into the files it carries, which take its
place among the attachments; its plain or HTML text is used when the message has no text of its own. A
winmail.dat that carries no files, that tnefparse cannot read, or that is too complex to read in reasonable
time, is kept as it arrived; so is one with a file that could not be taken out (beside the files that
could). The raw message has it either way."""
from __future__ import annotations

import logging
import mimetypes

from mailbot.mime.charsets import decode_bytes
from mailbot.mime.html import html_to_text
from mailbot.mime.names import safe_name, unique_name
from mailbot.mime.parts import Attachment

TNEF_TYPES = ("application/ms-tnef", "application/vnd.ms-tnef")
# tnefparse copies the rest of the stream for every attribute it reads, so its time grows with attributes x
# bytes: a crafted winmail.dat of a few MB with many small attributes would hold up every message behind it.
# Real ones have some tens of attributes per file. Past these bounds the winmail.dat is kept as it arrived.
MAX_ATTRIBUTES = 2000
MAX_COPIED = 4 << 30  # bytes: attributes x stream size (about a second of copying at worst)
logging.getLogger("tnefparse").setLevel(logging.ERROR)  # its warnings name attributes of the client's mail


def is_tnef(a: Attachment) -> bool:
    return a.content_type in TNEF_TYPES or a.filename.lower() == "winmail.dat"


def unpack(attachments: list[Attachment], hint: str | None, defects: list[str]) -> tuple[list[Attachment], str]:
    """The attachments with each readable winmail.dat replaced by its files, and the text of the first one
    that has text ('' if none)."""
    if not any(is_tnef(a) for a in attachments):
        return attachments, ""
    from tnefparse import TNEF
    used = {a.filename for a in attachments if not is_tnef(a)}
    out, text = [], ""
    for a in attachments:
        if not is_tnef(a):
            out.append(a)
            continue
        count = _attributes(a.data)
        if count > MAX_ATTRIBUTES or count * len(a.data) > MAX_COPIED:
            defects.append(f"{a.filename}: TNEF too complex to unpack ({count} attributes), kept as it arrived")
            out.append(a)
            continue
        try:
            tnef = TNEF(a.data, do_checksum=False)
            files = [(_name(f, hint), f.data) for f in tnef.attachments if isinstance(f.data, bytes) and f.data]
            text = text or _text(tnef, hint)
        except Exception as exc:  # a damaged or unusual winmail.dat: kept as it arrived
            defects.append(f"{a.filename}: TNEF not readable ({type(exc).__name__})")
            out.append(a)
            continue
        missing = len(tnef.attachments) - len(files)
        if missing:  # an empty or unreadable file: the original keeps it
            defects.append(f"{a.filename}: {missing} of its files not readable, kept as it arrived beside the others")
        if missing or not files:
            out.append(a)
            used.add(a.filename)  # a file inside named like it gets a number
        for name, data in files:
            name = unique_name(name, used)
            used.add(name)
            out.append(Attachment(name, mimetypes.guess_type(name)[0] or "application/octet-stream", data))
    return out, text


def _attributes(data: bytes) -> int:
    """How many attributes the stream holds, read from their length fields alone (up to one past the bound)."""
    offset, count = 6, 0
    while offset + 9 <= len(data) and count <= MAX_ATTRIBUTES:
        offset += 11 + int.from_bytes(data[offset + 5:offset + 9], "little")
        count += 1
    return count


def _name(f, hint: str | None) -> str:
    """The file's long name, else its 8.3 title; TNEF strings are in the sender's Windows code page (the
    stream says which), which tnefparse reads as UTF-8 only."""
    for get in (f.long_filename, lambda: f._name):
        try:
            value = get()
        except Exception:
            continue
        if isinstance(value, list):
            value = value[0] if value else ""
        if isinstance(value, bytes):
            value = decode_bytes(value.rstrip(b"\x00"), getattr(f, "codepage", None), hint)
        name = safe_name(str(value or "").strip("\x00"))
        if name:
            return name
    return "attachment.bin"


def _text(tnef, hint: str | None) -> str:
    for value, html in ((tnef.body, False), (tnef.htmlbody, True)):
        if isinstance(value, bytes):
            value = decode_bytes(value.rstrip(b"\x00"), tnef.codepage, hint)
        if isinstance(value, str) and value.strip("\x00").strip():
            value = value.strip("\x00")
            return html_to_text(value) if html else value
    return ""
