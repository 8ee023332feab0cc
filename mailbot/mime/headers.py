"""Header values as they arrived, and as text: raw access (compat32 would lose raw 8-bit bytes), RFC 2047
encoded words decoded leniently, the charset of raw 8-bit header bytes, Message-IDs, Content-ID and Date.

Encoded words are decoded leniently (bad padding, unknown charsets, words split inside a multi-byte
character) and otherwise the header text is kept exactly: no whitespace is collapsed. Raw 8-bit header
bytes are read as UTF-8, else in the charset that reads all of them most plausibly (the charset the message
declares for its text wins a close call).
"""
from __future__ import annotations

import binascii
import re
from datetime import datetime, timezone
from email.message import Message
from email.utils import parsedate_to_datetime

from mailbot.mime.charsets import charset_name, decode_bytes, detect_charset

FOLD = re.compile(r"(?:\r\n|\r|\n)(?=[ \t])")
NEWLINES = re.compile(r"\r\n|\r|\n")
_ENCODED_WORD = re.compile(r"=\?([^?\s*]+)(?:\*[^?\s]*)?\?([QqBb])\?([^?]*?)\?=")
_QP_BYTE = re.compile(rb"=([0-9A-Fa-f]{2})")
_B64_JUNK = re.compile(rb"[^A-Za-z0-9+/]")
_MSGID = re.compile(r"<([^<>\s]+)>")
_ESCAPED = re.compile("[\udc80-\udcff]")  # raw 8-bit bytes as compat32 keeps them


def raw_headers(msg: Message, name: str) -> list[str]:
    """Header values as they arrived: compat32 would wrap raw 8-bit bytes in a Header that loses them.

    The stages ask a message for some twenty headers; it is indexed by name once (and again only if its
    headers were changed in number meanwhile)."""
    index = msg.__dict__.get("_mailbot_header_index")
    if index is None or index[0] != len(msg):
        by_name: dict[str, list[str]] = {}
        for k, v in msg.raw_items():
            by_name.setdefault(k.lower(), []).append(v if isinstance(v, str) else str(v))
        index = msg.__dict__["_mailbot_header_index"] = (len(msg), by_name)
    return list(index[1].get(name.lower(), ()))


def raw_header(msg: Message, name: str) -> str | None:
    """The first value of a header as it arrived, None when absent."""
    values = raw_headers(msg, name)
    return values[0] if values else None


def _has_raw_bytes(value: str) -> bool:
    return not value.isascii() and _ESCAPED.search(value) is not None


def unescape_8bit(value: str, hint: str | None = None) -> str:
    """compat32 keeps raw 8-bit header bytes as surrogates; read them as UTF-8, the hint, or detected."""
    if _has_raw_bytes(value):
        return decode_bytes(value.encode("utf-8", "surrogateescape"), None, hint)
    return value


def b64decode(data: bytes) -> bytes:
    """Lenient base64: junk characters ignored, missing padding added, a dangling last character dropped."""
    try:
        return binascii.a2b_base64(data)
    except (binascii.Error, ValueError):
        pass
    clean = _B64_JUNK.sub(b"", data)
    clean = clean[: len(clean) - (len(clean) % 4 == 1)]
    try:
        return binascii.a2b_base64(clean + b"=" * (-len(clean) % 4))
    except (binascii.Error, ValueError):
        return b""


def _word_bytes(encoding: str, text: str) -> bytes:
    raw = text.encode("utf-8", "surrogateescape")
    if encoding in "Bb":
        return b64decode(raw)
    return _QP_BYTE.sub(lambda m: bytes([int(m.group(1), 16)]), raw.replace(b"_", b" "))


def decode_text_header(value, hint: str | None = None) -> str:
    """An unstructured header as text: unfolded, RFC 2047 words decoded (leniently: malformed words, unknown
    charsets, raw 8-bit bytes, a character split across two words), whitespace otherwise kept as sent
    apart from the ends. Line breaks and NULs never survive (the value goes into our own headers)."""
    value = FOLD.sub("", str(value))
    value = NEWLINES.sub(" ", value).replace("\x00", "")
    pieces: list[list] = []  # [is_word, text-or-bytes, codec]
    pos = 0
    for m in _ENCODED_WORD.finditer(value):
        plain = value[pos:m.start()]
        pos = m.end()
        if plain and not (pieces and pieces[-1][0] and not plain.strip(" \t")):
            pieces.append([False, plain, None])  # whitespace between two encoded words is dropped
        codec = charset_name(m.group(1))
        data = _word_bytes(m.group(2), m.group(3))
        if pieces and pieces[-1][0] and pieces[-1][2] == codec:
            pieces[-1][1] += data  # one character may be split over two words
        else:
            pieces.append([True, data, codec])
    if pos < len(value):
        pieces.append([False, value[pos:], None])
    out = []
    for i, (is_word, data, codec) in enumerate(pieces):
        if is_word:
            text = decode_bytes(data, codec, hint)
        else:
            text = unescape_8bit(data, hint)
            if i == 0:
                text = text.lstrip(" \t")
            if i == len(pieces) - 1:
                text = text.rstrip(" \t")
        out.append(text)
    return "".join(out).replace("\r", " ").replace("\n", " ").replace("\x00", "")


def header_charset(msg: Message, hint: str | None) -> str | None:
    """The charset of the raw 8-bit bytes in the top-level headers, judged on all of them together (one
    short display name alone is too little to tell GB2312 from a Central European charset)."""
    raw = b" ".join(v.encode("utf-8", "surrogateescape") for _, v in msg.raw_items()
                    if isinstance(v, str) and _has_raw_bytes(v))
    if not raw:
        return hint
    return detect_charset(raw, (hint,))


def _bounded(text: str, limit: int = 990) -> str:
    """At most `limit` bytes of UTF-8 (an index holds bytes), cut at a character's edge."""
    data = text.encode("utf-8", "surrogateescape")
    return text if len(data) <= limit else data[:limit].decode("utf-8", "ignore")


def message_ids(value) -> list[str]:
    """The ids in a Message-ID / In-Reply-To / References value, without angle brackets (a value without
    any <id> gives its first word)."""
    if value is None:
        return []
    ids = _MSGID.findall(unescape_8bit(str(value)))
    if not ids and str(value).strip():
        ids = [str(value).strip().split()[0].strip("<>")]
    return [_bounded(i.replace("\x00", "")) for i in ids]


def content_id(part: Message) -> str | None:
    """A part's Content-ID without angle brackets, None when absent or empty."""
    value = raw_header(part, "Content-ID")
    return unescape_8bit(value or "").strip().strip("<> \t\r\n")[:990] or None


def message_date(msg: Message) -> datetime | None:
    """The Date header as an aware datetime (UTC when it gives no zone), None when absent or unreadable."""
    value = raw_header(msg, "Date")
    if not value:
        return None
    try:
        d = parsedate_to_datetime(unescape_8bit(value))
    except Exception:
        return None
    if d is None:
        return None
    return d if d.tzinfo else d.replace(tzinfo=timezone.utc)
