"""Mail in the client's language, from the Jinja2 templates in templates/<lang>/.

Code holds no user-facing sentences. Values from incoming mail (subjects, names) are flattened to one line
before they reach a template, so nothing a sender writes can become a header of ours.
"""
from __future__ import annotations

import base64
import binascii
import re
import textwrap
import uuid
from types import FunctionType
from email.header import Header
from email.utils import encode_rfc2231, format_datetime, formataddr
from functools import lru_cache

from babel import Locale
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.runtime import Context

from mailbot import resource
from mailbot.tickets.subjects import plain_subject

_LINE = re.compile(r"[\s\x00-\x1f\x7f]+")
_B64_LINES = re.compile(rb".{1,76}", re.S)


_BUILTIN_METHOD = type([].append)
_DICT_ATTRIBUTES = frozenset(dir(dict))


class _Context(Context):
    """Jinja's template context, calling plain functions (money, day, a list's append) at once. Jinja first looks
    whether the callee wants the context or the environment passed (pass_context and its kin mark such functions;
    a builtin cannot be marked): asked for each of a statement's thousands of calls, that costs as much as the
    calls themselves. Anything else, or a marked function, goes Jinja's own way."""

    def call(__self, __obj, *args, **kwargs):  # Jinja's own parameter names: a template may pass `self=`
        kind = type(__obj)
        if kind is _BUILTIN_METHOD or (kind is FunctionType and "jinja_pass_arg" not in __obj.__dict__):
            if kwargs:
                kwargs.pop("_loop_vars", None)
                kwargs.pop("_block_vars", None)
            try:
                return __obj(*args, **kwargs)
            except StopIteration:
                return __self.environment.undefined(
                    "value was undefined because a callable raised a StopIteration exception")
        return super().call(__obj, *args, **kwargs)


class _Environment(Environment):
    """Jinja's environment, reading `line.amount` of a plain dict as its item at once. Jinja tries the attribute
    first, and the AttributeError each such lookup raises cost a statement (thousands of them) more than the rest
    of its rendering. The value is the same: a plain dict has no attributes but dict's own."""
    context_class = _Context

    def getattr(self, obj, attribute):
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


@lru_cache(maxsize=1)
def environment() -> Environment:
    # Templates are part of the installed package: never re-read, so no file check on every mail.
    env = _Environment(loader=FileSystemLoader(str(resource("templates"))), auto_reload=False,
                      autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.globals.update(text_table=text_table, column_widths=column_widths)
    env.filters["plain"] = plain_subject  # "Re: [#1] Rēķins" -> "Rēķins": subjects carry one reference, ours
    return env


def column_widths(rows, keys, wrap: dict | None = None) -> dict:
    """The widths of columns `keys` over `rows` (mappings; the first is the header, never wrapped); a column in
    `wrap` is at most that wide."""
    wrap = wrap or {}
    widths = {k: len(str(rows[0][k])) for k in keys}
    for row in rows[1:]:
        for k in keys:
            widths[k] = max(widths[k], min(len(str(row[k])), wrap.get(k, 10**6)))
    return widths


def text_table(rows, keys, align: str, wrap: dict | None = None, widths: dict | None = None,
               indent: str = "  ") -> list[str]:
    """Plain-text table lines for mail: `rows` are mappings (the first is the header, followed by a rule);
    columns `keys` aligned l/r per `align`; `wrap` = {key: width} wraps long cells onto continuation lines;
    `widths` (see column_widths; default: these rows') lets several tables line up. Layout only: every word in
    it comes from the template."""
    wrap = wrap or {}
    widths = widths or column_widths(rows, keys, wrap)
    lines = []
    for n, row in enumerate(rows):
        cells, extra = [], []
        for k, a in zip(keys, align):
            value = str(row[k])
            if k in wrap and len(value) > wrap[k]:
                parts = wrapped(value, wrap[k]) or [""]
                value, extra = parts[0], [(k, p) for p in parts[1:]]
            cells.append(value.ljust(widths[k]) if a == "l" else value.rjust(widths[k]))
        lines.append((indent + "  ".join(cells)).rstrip())
        for k, part in extra:
            lead = sum(widths[key] + 2 for key in keys[:keys.index(k)])
            lines.append(indent + " " * lead + part)
        if n == 0:
            lines.append(indent + "-" * (sum(widths.values()) + 2 * (len(keys) - 1)))
    return lines


# Words of anything but whitespace and hyphens, one space apart: how textwrap splits such a text is plain.
_PLAIN_WORDS = re.compile(r"[^\s-]+(?: [^\s-]+)*")


def wrapped(value: str, width: int) -> list[str]:
    """textwrap.wrap(value, width), as a table cell is wrapped. The common cell — words one space apart, without
    hyphens, none longer than a line — is filled here directly, line by line as textwrap fills it (its regular
    expressions cost more than the rest of a statement's table); anything else goes to textwrap itself."""
    if _PLAIN_WORDS.fullmatch(value):
        words = value.split(" ")
        if max(map(len, words)) <= width:
            lines, line = [], words[0]
            for word in words[1:]:
                if len(line) + 1 + len(word) <= width:
                    line = f"{line} {word}"
                else:
                    lines.append(line)
                    line = word
            lines.append(line)
            return lines
    return _wrapper(width).wrap(value)


@lru_cache(maxsize=16)
def _wrapper(width: int) -> textwrap.TextWrapper:
    return textwrap.TextWrapper(width=width)


def one_line(value: str, limit: int = 400) -> str:
    value = _LINE.sub(" ", value or "").strip()
    return value if len(value) <= limit else value[: limit - 1] + "…"


@lru_cache(maxsize=8)
def _locale(lang: str) -> Locale:
    return Locale.parse(lang)


@lru_cache(maxsize=256)
def plural(lang: str, n: int) -> str:
    """CLDR plural category (one, few, many, other, zero) for the templates' word forms."""
    return _locale(lang).plural_form(n)


def render(kind: str, lang: str, **values) -> tuple[str, str, str]:
    """(subject, text, html) of a template set."""
    env = environment()
    values = {**values, "lang": lang, "plural": lambda n: plural(lang, n)}
    subject = one_line(env.get_template(f"{lang}/{kind}.subject.j2").render(values), 900)
    text = env.get_template(f"{lang}/{kind}.txt.j2").render(values)
    html = env.get_template(f"{lang}/{kind}.html.j2").render(values)
    return subject, text, html


@lru_cache(maxsize=64)
def words(name: str, lang: str):
    """The macros of templates/<lang>/<name>.j2 (a file of words, not a mail), for text code lays out itself."""
    return environment().get_template(f"{lang}/{name}.j2").make_module({"plural": lambda n: plural(lang, n)})


@lru_cache(maxsize=256)
def placeholder(lang: str, kind: str) -> str:
    """What stands in stored text for a piece of personal data the guard took out: `[asmens kodas pašalintas]`."""
    return one_line(str(words("_privacy", lang).placeholder(kind)), 80)


# The audit trail (a ticket's events, read by operators with `mailbot tickets show`) is kept in one language.
AUDIT_LANGUAGE = "en"


def say(notices, lang: str) -> list[str]:
    """Each Notice (mailbot.agents.notices) as its phrase in `lang` (templates/<lang>/_notices.j2)."""
    module = words("_notices", lang)
    return [one_line(str(module.say(n)), 2000) for n in notices]


def new_message_id(domain: str) -> str:
    return f"<{uuid.uuid4().hex}@{domain}>"


def _header(name: str, value: str) -> bytes:
    """One header line, RFC 2047-encoded when it is not ASCII, folded with CRLF."""
    if value.isascii() and len(name) + len(value) < 76:  # most of ours: nothing to encode or fold
        return f"{name}: {value}\r\n".encode("ascii")
    if value.isascii():
        folded = Header(value, "us-ascii", header_name=name).encode(linesep="\r\n")
        return f"{name}: {folded}\r\n".encode("ascii")
    return f"{name}: {encoded_words(value, len(name) + 2)}\r\n".encode("ascii")


def encoded_words(value: str, lead: int = 0) -> str:
    """RFC 2047 base64 UTF-8 encoded words of whole characters (a decoder must never see half of one), each at
    most 75 characters and folded so a line stays within 76. The email package's Header does the same by
    trial encoding, at a tenth of a millisecond per subject on the ingest path; this cuts the UTF-8 bytes once
    per word, at the last character boundary that fits."""
    data = value.encode("utf-8", "replace")
    words, start = [], 0
    budget = max(3, (76 - lead - 12) // 4 * 3)  # bytes of UTF-8 that fit the first line
    while start < len(data):
        end = start + budget
        if end < len(data):
            while end > start and data[end] & 0xC0 == 0x80:  # inside a character: cut before it
                end -= 1
            if end == start:  # one character longer than the budget: it goes whole
                end = start + 1
                while end < len(data) and data[end] & 0xC0 == 0x80:
                    end += 1
        words.append(data[start:end])
        start, budget = end, 45  # continuation lines: " =?utf-8?b?" + 60 + "?=" = 73
    return "\r\n ".join("=?utf-8?b?" + base64.b64encode(w).decode("ascii") + "?=" for w in words or [b""])


def _base64(data: bytes) -> bytes:
    """Base64 in 76-character CRLF lines: one C call and one split (base64.encodebytes loops in Python per
    57-byte line, a millisecond for an attachment that goes along with a notification)."""
    if not data:
        return b""
    return b"\r\n".join(_B64_LINES.findall(binascii.b2a_base64(data, newline=False))) + b"\r\n"


def _part(content_type: str, encoded: bytes, extra: str = "") -> bytes:
    """A base64 part: `encoded` is its body, already in base64 lines."""
    return (f"Content-Type: {content_type}\r\nContent-Transfer-Encoding: base64\r\n{extra}\r\n").encode() + \
        encoded


def attachment_base64(att) -> bytes:
    """An attachment's base64 lines, encoded once per content: the draft stage encodes them before the
    transaction, and every mail the file goes along with reuses them."""
    cached = att.__dict__.get("_base64")
    if cached is None or cached[0] is not att.data:
        cached = att._base64 = (att.data, _base64(att.data))
    return cached[1]


def _filename_param(name: str) -> str:
    """The file name parameter: quoted when short and plain, else RFC 2231 encoded and split into continuations
    (filename*0*=, filename*1*= ...) on lines of their own, so no header line passes RFC 5322's limits."""
    if name.isascii() and '"' not in name and "\\" not in name and len(name) <= 60 and name.isprintable():
        return f'filename="{name}"'
    encoded = encode_rfc2231(name, "utf-8")  # utf-8''%C4%81...
    chunks, start = [], 0
    while start < len(encoded):
        end = min(start + 60, len(encoded))
        while end < len(encoded) and "%" in encoded[end - 2:end]:  # never split a %XX escape
            end -= 1
        chunks.append(encoded[start:end])
        start = end
    return ";\r\n ".join(f"filename*{i}*={chunk}" for i, chunk in enumerate(chunks))


def _multipart(subtype: str, parts: list[bytes]) -> tuple[str, bytes]:
    boundary = f"=_mailbot_{uuid.uuid4().hex}"
    body = b"".join(b"--" + boundary.encode() + b"\r\n" + p + b"\r\n" for p in parts)
    return f'multipart/{subtype};\r\n boundary="{boundary}"', body + b"--" + boundary.encode() + b"--\r\n"


MAX_ID = 900  # a Message-ID longer than this cannot sit on one header line: it is left out of ours


def _trimmed(references) -> list[str]:
    """RFC 5322 §3.6.4: the first and the last ones (the thread's root and its latest), the middle dropped;
    ids too long for a line are left out."""
    ids = [r for r in references if r and len(r) <= MAX_ID and r.isascii() and r.isprintable()]
    return ids if len(ids) <= 10 else ids[:1] + ids[-9:]


def compose(*, sender: str, sender_name: str, to: str, subject: str, text: str, html: str, message_id: str,
            date, lang: str, in_reply_to: str | None = None, references: list[str] = (),
            auto_submitted: str | None = "auto-replied", ticket_id: int | None = None, reply_to: str | None = None,
            attachments=(), text_only: bool = False) -> bytes:
    """A multipart/alternative mail (text + HTML, base64 UTF-8), inside multipart/mixed when files go along;
    CRLF line ends. Assembled directly: the email package's generator costs milliseconds per mail on the
    ingest path, where every new ticket writes two or three of these."""
    if text_only:  # a text too long to send twice: plain text alone
        ctype, body = 'text/plain; charset="utf-8"\r\nContent-Transfer-Encoding: base64', _base64(text.encode())
    else:
        ctype, body = _multipart("alternative", [_part('text/plain; charset="utf-8"', _base64(text.encode())),
                                                 _part('text/html; charset="utf-8"', _base64(html.encode()))])
    if attachments:
        parts = [f"Content-Type: {ctype}\r\n\r\n".encode() + body]
        for a in attachments:
            main = a.content_type if "/" in a.content_type else "application/octet-stream"
            parts.append(_part(main, attachment_base64(a),
                               f"Content-Disposition: attachment; {_filename_param(a.filename)}\r\n"))
        ctype, body = _multipart("mixed", parts)
    head = [_header("From", formataddr((one_line(sender_name), sender), charset="utf-8")), _header("To", to)]
    if reply_to:
        head.append(_header("Reply-To", reply_to))
    head += [_header("Subject", one_line(subject, 900)), _header("Date", format_datetime(date)),
             _header("Message-ID", message_id)]
    if in_reply_to and len(in_reply_to) <= MAX_ID:
        head.append(_header("In-Reply-To", f"<{in_reply_to}>"))
    refs = [f"<{r}>" for r in _trimmed(references)]
    if refs:
        head.append(b"References: " + "\r\n ".join(refs).encode("ascii", "replace") + b"\r\n")
    if auto_submitted:
        head.append(_header("Auto-Submitted", auto_submitted))  # RFC 3834: other robots, do not answer
        head.append(b"X-Auto-Response-Suppress: All\r\n")  # the same, in Exchange's dialect
    head.append(_header("Content-Language", lang))
    if ticket_id is not None:
        head.append(f"X-Mailbot-Ticket: {ticket_id}\r\n".encode())
    head.append(f"MIME-Version: 1.0\r\nContent-Type: {ctype}\r\n\r\n".encode())
    return b"".join(head) + body
