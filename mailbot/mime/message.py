"""The parsed message: raw bytes -> a `Parsed` message with decoded headers, readable text and attachments.

Python's email package (compat32) reads the structure; everything after that is ours (mailbot.mime), because
support mail from the Baltics and Russia arrives in every charset there is, often declared wrongly or not at
all, and nothing may be lost: a part we cannot read as text is kept as an attachment instead.

What we do on top of the stdlib, each for mail seen in the wild (shared/corpus):

* garbage before the headers is dropped, and a stray non-header line inside the header block (an
  unindented continuation) is joined to the header before it instead of ending the headers early
  (mime.structure);
* RFC 2047 words are decoded leniently (bad padding, unknown charsets, words split inside a multi-byte
  character) and otherwise the header text is kept exactly: no whitespace is collapsed (mime.headers);
* raw 8-bit header bytes are read as UTF-8, else in the charset that reads all of them most plausibly
  (the charset the message declares for its text wins a close call) (mime.headers);
* a text part whose declared charset cannot decode it (or that declares none) is read as UTF-8 if it is
  valid UTF-8, else in the most plausible of the charsets our clients use (see
  `mailbot.mime.charsets.detect_charset`);
* parameters (file names) are parsed from the raw header, with RFC 2231 continuations and charsets,
  encoded words and raw 8-bit bytes (mime.params, mime.names);
* a multipart part whose boundary is missing or wrong is re-split on the boundary lines it really has
  (mime.parts);
* base64 is decoded leniently; a transport line break in a 7bit/8bit/quoted-printable part is a line break
  of the content, so it is stored as LF whatever the message's line endings were (CRLF, CR, LF)
  (mime.payload);
* an attached message is stored as it arrived (headers not refolded, LF line ends), named after its subject;
* a winmail.dat (Outlook's TNEF) is unpacked into the files it carries (mime.tnef);
* From without an address (MAILER-DAEMON <>, Big Bug bb@bug.com, "Name" <>) still gives what it can
  (mime.addresses).

No input raises: MIME nested deeper than the stdlib parser's recursion allows keeps its body unsplit.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from email.message import Message

from mailbot.mime.addresses import addresses_of, sender_of
from mailbot.mime.headers import (decode_text_header, header_charset, message_date, message_ids, raw_header,
                                  raw_headers)
from mailbot.mime.html import html_to_text
from mailbot.mime.parts import MAX_PARTS, Attachment, body_charset, walk
from mailbot.mime.structure import clean_start, parse_structure, repair_headers
from mailbot.mime.tnef import unpack as unpack_tnef


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
    charset_hint: str | None = None  # the charset of raw 8-bit bytes in the headers (see header_charset)

    def header(self, name: str) -> str:
        """A header's decoded value ('' when absent); names are case-insensitive."""
        value = raw_header(self.msg, name)
        return decode_text_header(value, self.charset_hint) if value is not None else ""


def _no_nul(text: str) -> str:
    """NUL is no character of any text a person wrote, and PostgreSQL refuses to store it."""
    return text.replace("\x00", "")


def parse(raw: bytes) -> Parsed:
    msg, defects, structured = parse_structure(repair_headers(clean_start(raw)))
    body_hint = body_charset(msg) if structured else None
    hint = header_charset(msg, body_hint)
    texts, htmls, attachments = [], [], []
    state = {"parts": 0, "truncated": False, "recovered": False, "flat": not structured}
    walk(msg, texts, htmls, attachments, state, hint, body_hint)
    if state["truncated"]:
        defects.append(f"more than {MAX_PARTS} parts: the rest is kept only in the raw message")
    if state["recovered"]:
        defects.append("multipart re-split on the boundary lines found in its body")
    attachments, tnef_text = unpack_tnef(attachments, hint, defects)
    html = "\n".join(htmls) if htmls else None
    text = "\n".join(t.rstrip() for t in texts if t.strip())
    if not text and html:
        text = html_to_text(html)
    text = text or tnef_text
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    sender_name, sender = sender_of(msg, hint)
    reply_to = addresses_of(msg, "Reply-To", hint)
    return Parsed(
        msg=msg,
        message_id=(message_ids(raw_header(msg, "Message-ID")) or [None])[0],
        in_reply_to=message_ids(raw_header(msg, "In-Reply-To")),
        references=[i for v in raw_headers(msg, "References") for i in message_ids(v)],
        sender=_no_nul(sender)[:320], sender_name=_no_nul(sender_name),
        reply_to=_no_nul(reply_to[0][1]) if reply_to else None,
        to=[_no_nul(a) for _, a in addresses_of(msg, "To", hint)],
        cc=[_no_nul(a) for _, a in addresses_of(msg, "Cc", hint)],
        subject=_no_nul(decode_text_header(raw_header(msg, "Subject") or "", hint)),
        date=message_date(msg), text=text, html=html, attachments=attachments, defects=defects, charset_hint=hint)

