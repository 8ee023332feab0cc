"""The parts of a message sorted into body text, HTML and attachments. Nothing may be lost: a part we cannot
read as text is kept as an attachment instead, an attached message is stored as it arrived, and a
multipart part whose boundary is missing or wrong is re-split on the boundary lines it really has."""
from __future__ import annotations

import email
import hashlib
import re
from dataclasses import dataclass
from email.message import Message

from mailbot.mime.charsets import charset_name, decode_bytes
from mailbot.mime.headers import NEWLINES, content_id, raw_header
from mailbot.mime.names import declared_name, default_name, unique_name
from mailbot.mime.params import header_params
from mailbot.mime.payload import decode_payload, raw_payload, serialise

_BOUNDARY_LINE = re.compile(r"^--([^\s]{1,200}?)(--)?[ \t]*$", re.M)
MAX_PARTS = 5000  # a message with more parts keeps the rest inside its raw copy only


@dataclass
class Attachment:
    """A part kept as a file: everything that is not body text or HTML, attached messages included."""

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


def _content_type(part: Message) -> str:
    ctype = part.get_content_type()
    return ctype if re.fullmatch(r"[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+", ctype) else "application/octet-stream"


def _recover_multipart(part: Message) -> list[Message] | None:
    """The sub-parts of a multipart whose boundary parameter is missing or does not match its body: split
    on the boundary lines the body really has."""
    payload = raw_payload(part)
    if not isinstance(payload, str):
        return None
    m = _BOUNDARY_LINE.search(NEWLINES.sub("\n", payload[:65536]))
    if not m:
        return None
    boundary = m.group(1).replace('"', "")
    head = f'Content-Type: multipart/mixed; boundary="{boundary}"\n\n'.encode("ascii", "surrogateescape")
    try:
        inner = email.message_from_bytes(head + payload.encode("ascii", "surrogateescape"))
    except Exception:
        return None
    parts = inner.get_payload() if inner.is_multipart() else None
    return parts or None


def body_charset(msg: Message) -> str | None:
    """The first charset the message declares for a text part: raw 8-bit headers are usually in it."""
    for i, part in enumerate(msg.walk()):
        if i > 50:
            break
        if part.get_content_maintype() == "text" or i == 0:
            codec = charset_name(header_params(raw_header(part, "Content-Type")).get("charset"))
            if codec and codec not in ("ascii", "utf_8", "utf-8"):
                return codec
    return None


def walk(msg: Message, texts: list, htmls: list, attachments: list, state: dict, hint: str | None,
         body_hint: str | None) -> None:
    """Sorts the leaves into body text, HTML and attachments. `hint` is the charset for raw 8-bit header
    bytes (file names), `body_hint` the one the message declares for its text."""
    if state["flat"]:  # nesting too deep to split: the body as text, the raw copy keeps the rest
        texts.append(decode_bytes(decode_payload(msg), None, body_hint))
        return
    stack = [msg]
    used: set[str] = set()
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
        if ctype.startswith("multipart/"):  # declared multipart, but the stdlib found no parts
            recovered = _recover_multipart(part)
            if recovered:
                state["recovered"] = True
                stack.extend(reversed(recovered))
                continue
            ctype = "text/plain"
        filename = declared_name(part, hint)
        disposition = (raw_header(part, "Content-Disposition") or "").split(";")[0].strip().lower()
        if ctype.startswith("message/") or ctype == "text/rfc822-headers":
            payload = part.get_payload()
            if ctype == "message/rfc822" and isinstance(payload, list):  # as it arrived, with LF line ends
                data = serialise(payload[0]) if payload else b""
            elif isinstance(payload, list):  # delivery-status: blocks of fields, normalised to LF like text
                data = serialise(part).split(b"\n\n", 1)[-1] if part.keys() else serialise(part)
            else:
                data = decode_payload(part)
            name = unique_name(filename or default_name(part, ctype, hint), used)
            used.add(name)
            attachments.append(Attachment(name, ctype, data, content_id(part)))
            continue
        is_body = disposition != "attachment" and filename is None
        if is_body and ctype in ("text/plain", "text/html", "text/enriched", "text/richtext"):
            charset = header_params(raw_header(part, "Content-Type")).get("charset")
            text = decode_bytes(decode_payload(part), charset, body_hint)
            (htmls if ctype == "text/html" else texts).append(text)
            continue
        name = unique_name(filename or default_name(part, ctype, hint), used)
        used.add(name)
        attachments.append(Attachment(name, ctype, decode_payload(part), content_id(part)))
