"""parse: raw bytes -> a `Parsed` message with decoded headers, readable text and attachments.

mail-parser reads the structure; the walk over the parts is ours because support mail from the Baltics and
Russia arrives in every charset there is, often declared wrongly or not at all, and nothing may be lost:
a part we cannot read as text is kept as an attachment instead.
"""
from __future__ import annotations

import email
import hashlib
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.header import decode_header
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime

from mailbot.pipeline.htmltext import html_to_text

logging.getLogger("mailparser").setLevel(logging.CRITICAL)  # it logs every unhandled part type

# Charset labels seen in real mail that Python does not know, or knows under another name.
CHARSET_ALIASES = {
    "uft-8": "utf-8", "utf8": "utf-8", "unicode-1-1-utf-7": "utf-7", "x-unknown": None, "unknown-8bit": None,
    "ks_c_5601-1987": "cp949", "gb2312": "gb18030", "gbk": "gb18030", "iso-8859-8-i": "iso-8859-8",
    "windows-874": "cp874", "x-user-defined": None, "default": None, "us-ascii": "ascii", "ansi_x3.4-1968": "ascii",
}
_CHARSET_TOKEN = re.compile(r"[A-Za-z0-9_.:+-]+")
_HEADER_LINE = re.compile(rb"^[!-9;-~]+:")
_WS = re.compile(r"\s+")
_MSGID = re.compile(r"<([^<>\s]+)>")
MAX_PARTS = 5000  # a message with more parts keeps the rest inside its raw copy only


@dataclass
class Attachment:
    filename: str
    content_type: str
    data: bytes
    content_id: str | None = None

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass
class Parsed:
    msg: Message
    message_id: str | None
    in_reply_to: list[str]
    references: list[str]
    sender: str
    sender_name: str
    reply_to: str | None
    to: list[str]
    cc: list[str]
    subject: str
    date: datetime | None
    text: str
    html: str | None
    attachments: list[Attachment] = field(default_factory=list)
    defects: list[str] = field(default_factory=list)

    def header(self, name: str) -> str:
        """A header's decoded value ('' when absent); names are case-insensitive."""
        value = raw_header(self.msg, name)
        return decode_text_header(value) if value is not None else ""


def charset_name(label: str | None) -> str | None:
    if not label:
        return None
    m = _CHARSET_TOKEN.search(str(label))
    if not m:
        return None
    name = m.group(0).lower()
    return CHARSET_ALIASES.get(name, name)


def decode_bytes(data: bytes, label: str | None = None) -> str:
    """The declared charset if it decodes cleanly, else UTF-8, else windows-1252 (which never fails)."""
    for cs in (charset_name(label), "utf-8"):
        if cs:
            try:
                return data.decode(cs)
            except (LookupError, UnicodeDecodeError, ValueError):
                pass
    return data.decode("windows-1252", errors="replace")


def _unescape(value: str) -> str:
    """compat32 keeps raw 8-bit header bytes as surrogates; read them as UTF-8 or windows-1252."""
    if any("\udc80" <= ch <= "\udcff" for ch in value):
        return decode_bytes(value.encode("ascii", "surrogateescape"))
    return value


def decode_text_header(value) -> str:
    """RFC 2047 decoding that survives malformed words, unknown charsets and raw 8-bit bytes."""
    value = _unescape(str(value))
    try:
        chunks = decode_header(value)
    except Exception:
        return _WS.sub(" ", value).strip()
    out = []
    for chunk, cs in chunks:
        if isinstance(chunk, bytes):
            text = decode_bytes(chunk, cs) if cs else decode_bytes(chunk)
        else:
            text = chunk
        out.append(text)
    return _WS.sub(" ", "".join(out)).strip()


def raw_headers(msg: Message, name: str) -> list[str]:
    """Header values as they arrived: compat32 would wrap raw 8-bit bytes in a Header that loses them."""
    name = name.lower()
    return [v if isinstance(v, str) else str(v) for k, v in msg.raw_items() if k.lower() == name]


def raw_header(msg: Message, name: str) -> str | None:
    values = raw_headers(msg, name)
    return values[0] if values else None


def _addresses(msg: Message, name: str) -> list[tuple[str, str]]:
    values = [_unescape(v) for v in raw_headers(msg, name)]
    try:
        pairs = getaddresses(values)
    except Exception:
        return []
    out = []
    for display, addr in pairs:
        addr = addr.strip().strip("<>").lower()
        if "@" in addr and not any(c.isspace() for c in addr):
            out.append((decode_text_header(display), addr))
    return out


def _msgids(value) -> list[str]:
    if value is None:
        return []
    ids = _MSGID.findall(_unescape(str(value)))
    if not ids and str(value).strip():
        ids = [str(value).strip().split()[0].strip("<>")]
    return [i[:990] for i in ids]


def _date(msg: Message) -> datetime | None:
    value = msg.get("Date")
    if not value:
        return None
    try:
        d = parsedate_to_datetime(str(value))
    except Exception:
        return None
    if d is None:
        return None
    return d if d.tzinfo else d.replace(tzinfo=timezone.utc)


def _filename(part: Message) -> str | None:
    try:
        name = part.get_filename()
    except Exception:
        name = None
    if name is None:
        name = part.get_param("name", header="content-type")
        if isinstance(name, tuple):  # RFC 2231 triple
            name = email.utils.collapse_rfc2231_value(name)
    if not name:
        return None
    return decode_text_header(name).replace("/", "_").replace("\\", "_").strip() or None


def _payload(part: Message) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except Exception:
        data = None
    if data is None:
        raw = part.get_payload()
        data = raw.encode("ascii", "surrogateescape") if isinstance(raw, str) else b""
    return data


def _content_type(part: Message) -> str:
    ctype = part.get_content_type()
    return ctype if re.fullmatch(r"[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+", ctype) else "application/octet-stream"


def _walk(msg: Message, texts: list, htmls: list, attachments: list, state: dict) -> None:
    stack = [msg]
    while stack:
        part = stack.pop()
        state["parts"] += 1
        if state["parts"] > MAX_PARTS:
            state["truncated"] = True
            return
        ctype = _content_type(part)
        if part.is_multipart() and not ctype.startswith("message/"):
            stack.extend(reversed(part.get_payload()))
            continue
        filename = _filename(part)
        disposition = str(part.get("Content-Disposition") or "").split(";")[0].strip().lower()
        if ctype.startswith("message/") or ctype == "text/rfc822-headers":
            data = _message_bytes(part)
            name = filename or ("message.eml" if ctype == "message/rfc822" else ctype.replace("/", "-") + ".txt")
            attachments.append(Attachment(name, ctype, data, _content_id(part)))
            continue
        is_body = disposition != "attachment" and filename is None
        if is_body and ctype in ("text/plain", "text/html", "text/enriched", "text/richtext"):
            text = decode_bytes(_payload(part), part.get_param("charset"))
            (htmls if ctype == "text/html" else texts).append(text)
            continue
        data = _payload(part)
        name = filename or _default_name(ctype)
        attachments.append(Attachment(name, ctype, data, _content_id(part)))


def _content_id(part: Message) -> str | None:
    return str(part.get("Content-ID") or "").strip("<> \t\r\n")[:990] or None


def _message_bytes(part: Message) -> bytes:
    payload = part.get_payload()
    try:
        if isinstance(payload, list):  # one message for rfc822; one block per recipient for delivery-status
            return b"\n".join(inner.as_bytes() for inner in payload)
        return _payload(part)
    except Exception:
        return _payload(part) if not isinstance(payload, list) else b""


def _default_name(ctype: str) -> str:
    main, _, sub = ctype.partition("/")
    return f"{main}.{sub.split('+')[0].replace('x-', '')}" if sub else "attachment.bin"


def _clean_start(raw: bytes) -> bytes:
    """Drop a garbage line or two before the headers (mbox 'From ' lines are the parser's business)."""
    raw = raw.lstrip(b" \t\r\n")
    if raw.startswith(b"From ") or _HEADER_LINE.match(raw):
        return raw
    lines = raw.splitlines(keepends=True)
    for i, line in enumerate(lines[:5]):
        if _HEADER_LINE.match(line):
            return b"".join(lines[i:])
    return raw


def _structure(raw: bytes) -> tuple[Message, list[str]]:
    try:
        import mailparser
        mp = mailparser.parse_from_bytes(raw)
        return mp.message, [d for d in mp.defects_categories]
    except Exception:  # mail-parser gives up on a few malformed reports; the stdlib reads them
        msg = email.message_from_bytes(raw)
        return msg, sorted({type(d).__name__ for p in msg.walk() for d in p.defects})


def parse(raw: bytes) -> Parsed:
    msg, defects = _structure(_clean_start(raw))
    texts, htmls, attachments = [], [], []
    state = {"parts": 0, "truncated": False}
    _walk(msg, texts, htmls, attachments, state)
    if state["truncated"]:
        defects.append(f"more than {MAX_PARTS} parts: the rest is kept only in the raw message")
    html = "\n".join(htmls) if htmls else None
    text = "\n".join(t.rstrip() for t in texts if t.strip())
    if not text and html:
        text = html_to_text(html)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    froms = _addresses(msg, "From") or _addresses(msg, "Sender")
    sender_name, sender = froms[0] if froms else ("", decode_text_header(raw_header(msg, "From") or "").lower()[:320])
    reply_to = _addresses(msg, "Reply-To")
    return Parsed(
        msg=msg,
        message_id=(_msgids(raw_header(msg, "Message-ID")) or [None])[0],
        in_reply_to=_msgids(raw_header(msg, "In-Reply-To")),
        references=[i for v in raw_headers(msg, "References") for i in _msgids(v)],
        sender=sender, sender_name=sender_name,
        reply_to=reply_to[0][1] if reply_to else None,
        to=[a for _, a in _addresses(msg, "To")], cc=[a for _, a in _addresses(msg, "Cc")],
        subject=decode_text_header(raw_header(msg, "Subject") or "").replace("\x00", ""),
        date=_date(msg), text=text, html=html, attachments=attachments, defects=defects)


def run(ctx) -> None:
    ctx.msg = parse(ctx.raw)
