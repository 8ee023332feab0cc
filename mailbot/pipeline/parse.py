"""parse: raw bytes -> a `Parsed` message with decoded headers, readable text and attachments.

Python's email package (compat32) reads the structure; everything after that is ours, because support mail
from the Baltics and Russia arrives in every charset there is, often declared wrongly or not at all, and
nothing may be lost: a part we cannot read as text is kept as an attachment instead.

What we do on top of the stdlib, each for mail seen in the wild (shared/corpus):

* garbage before the headers is dropped, and a stray non-header line inside the header block (an
  unindented continuation) is joined to the header before it instead of ending the headers early;
* RFC 2047 words are decoded leniently (bad padding, unknown charsets, words split inside a multi-byte
  character) and otherwise the header text is kept exactly: no whitespace is collapsed;
* raw 8-bit header bytes are read as UTF-8, else in the charset that reads all of them most plausibly
  (the charset the message declares for its text wins a close call);
* a text part whose declared charset cannot decode it (or that declares none) is read as UTF-8 if it is
  valid UTF-8, else in the most plausible of the charsets our clients use (see `detect_charset`);
* parameters (file names) are parsed from the raw header, with RFC 2231 continuations and charsets,
  encoded words and raw 8-bit bytes;
* a multipart part whose boundary is missing or wrong is re-split on the boundary lines it really has;
* base64 is decoded leniently; a transport line break in a 7bit/8bit/quoted-printable part is a line break
  of the content, so it is stored as LF whatever the message's line endings were (CRLF, CR, LF);
* an attached message is stored as it arrived (headers not refolded, LF line ends), named after its subject;
* From without an address (MAILER-DAEMON <>, Big Bug bb@bug.com, "Name" <>) still gives what it can.

No input raises: MIME nested deeper than the stdlib parser's recursion allows keeps its body unsplit.
"""
from __future__ import annotations

import binascii
import codecs
import email
import email.parser
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.generator import BytesGenerator
from email.message import Message
from email.policy import Compat32
from email.utils import getaddresses, parsedate_to_datetime

from mailbot.pipeline.htmltext import html_to_text

# Charset labels seen in real mail that Python does not know, or knows under another name.
CHARSET_ALIASES = {
    "uft-8": "utf-8", "utf8": "utf-8", "unicode-1-1-utf-7": "utf-7", "x-unknown": None, "unknown-8bit": None,
    "ks_c_5601-1987": "cp949", "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030",
    "iso-8859-8-i": "iso-8859-8", "windows-874": "cp874", "x-user-defined": None, "default": None,
    "us-ascii": "ascii", "ansi_x3.4-1968": "ascii", "ascii": "ascii", "x-mac-roman": "mac-roman",
    "iso-2022-jp-ms": "iso-2022-jp", "x-sjis": "shift_jis", "shift-jis": "shift_jis", "big5-hkscs": "big5hkscs",
    "iso-8859-8-e": "iso-8859-8", "iso-8859-6-i": "iso-8859-6", "iso-8859-6-e": "iso-8859-6", "238": "cp1250",
}
# Codecs Python has that are not charsets a mail can declare (they would interpret escapes or never decode).
_NOT_CHARSETS = {"unicode_escape", "raw_unicode_escape", "punycode", "idna", "undefined", "mbcs", "oem",
                 "utf_8_sig", "palmos", "unicode_internal"}
# Single-byte labels that misconfigured software puts on everything: valid UTF-8 under them is UTF-8.
_DEFAULT_LABELS = {"ascii", "iso8859-1", "cp1252", "iso8859-15"}  # codecs.lookup() names
_CHARSET_TOKEN = re.compile(r"[A-Za-z0-9_.:+-]+")
_HEADER_LINE = re.compile(rb"^[!-9;-~]+:")
_KNOWN_HEADER = re.compile(
    rb"^(from|to|cc|subject|date|message-id|mime-version|content-type|content-transfer-encoding|received|"
    rb"return-path|reply-to|in-reply-to|references|sender|delivered-to|x-mailer|user-agent):", re.I)
_LINE = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_EOL = re.compile(rb"\r\n|\r|\n")
_FOLD = re.compile(r"(?:\r\n|\r|\n)(?=[ \t])")
_NEWLINES = re.compile(r"\r\n|\r|\n")
_ENCODED_WORD = re.compile(r"=\?([^?\s*]+)(?:\*[^?\s]*)?\?([QqBb])\?([^?]*?)\?=")
_QP_BYTE = re.compile(rb"=([0-9A-Fa-f]{2})")
_B64_JUNK = re.compile(rb"[^A-Za-z0-9+/]")
_MSGID = re.compile(r"<([^<>\s]+)>")
_LOOSE_ADDRESS = re.compile(r"[A-Za-z0-9._%+=-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_BARE_LOCAL = re.compile(r"^[A-Za-z0-9._%+=-]{1,64}$")
_CID_NAME = re.compile(r"^([^@\s/\\]{1,120}\.[A-Za-z][A-Za-z0-9]{1,4})(?:@|$)")
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\]")
_BOUNDARY_LINE = re.compile(r"^--([^\s]{1,200}?)(--)?[ \t]*$", re.M)
MAX_PARTS = 5000  # a message with more parts keeps the rest inside its raw copy only
MAX_HEADER_LINES = 5000
_DETECT_SAMPLE = 65536
_EXTENSIONS = {
    "image/jpeg": "jpg", "image/pjpeg": "jpg", "image/jpg": "jpg", "image/png": "png", "image/gif": "gif",
    "image/bmp": "bmp", "image/tiff": "tif", "image/svg+xml": "svg", "image/webp": "webp",
    "text/plain": "txt", "text/html": "html", "text/calendar": "ics", "text/csv": "csv", "text/x-vcard": "vcf",
    "text/vcard": "vcf", "text/xml": "xml", "application/pdf": "pdf", "application/zip": "zip",
    "application/octet-stream": "bin", "application/ms-tnef": "dat", "application/vnd.ms-tnef": "dat",
    "application/pgp-signature": "asc", "application/pgp-encrypted": "pgp", "application/pkcs7-signature": "p7s",
    "application/x-pkcs7-signature": "p7s", "application/pkcs7-mime": "p7m", "application/x-pkcs7-mime": "p7m",
    "application/msword": "doc", "application/vnd.ms-excel": "xls", "application/xml": "xml",
    "application/json": "json", "video/quicktime": "mov", "video/mp4": "mp4", "audio/mpeg": "mp3",
    "audio/wav": "wav", "audio/x-wav": "wav", "message/rfc822": "eml", "text/rfc822-headers": "txt",
}


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
    charset_hint: str | None = None  # the charset of raw 8-bit bytes in the headers (see _header_charset)

    def header(self, name: str) -> str:
        """A header's decoded value ('' when absent); names are case-insensitive."""
        value = raw_header(self.msg, name)
        return decode_text_header(value, self.charset_hint) if value is not None else ""


# --- charsets -------------------------------------------------------------------------------------------

def charset_name(label: str | None) -> str | None:
    """The Python codec for a declared charset label, or None when there is none we may use."""
    if not label:
        return None
    m = _CHARSET_TOKEN.search(str(label))
    if not m:
        return None
    name = m.group(0).lower().strip(".:")
    name = CHARSET_ALIASES.get(name, name)
    if name is None:
        return None
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name.replace("-", "_") in _NOT_CHARSETS:
        return None
    return info.name


def _strict(data: bytes, codec: str | None) -> str | None:
    if not codec:
        return None
    try:
        return data.decode(codec)
    except (LookupError, UnicodeDecodeError, ValueError):
        return None


_CENTRAL = set("áäčďéěíĺľňóôöőŕřšťúůüűýžąćęłńśźżăâîşţÁÄČĎÉĚÍĹĽŇÓÔÖŐŔŘŠŤÚŮÜŰÝŽĄĆĘŁŃŚŹŻĂÂÎŞŢ")
_LETTERS = {
    # charsets our clients (lv, lt, ro, sk, ru, en) and the mail around them use, each with the non-ASCII
    # characters a real text in it is made of; the first one that decodes most plausibly wins.
    "cp1251": None, "koi8-r": None,  # Cyrillic: judged by letter case, see _plausibility
    "cp1257": set("āčēģīķļņšūžąęėįųõäöüĀČĒĢĪĶĻŅŠŪŽĄĘĖĮŲÕÄÖÜ„“”–—…€"),
    # ISO-8859-2 before windows-1250: they differ in a few letters (š ž ť ľ), and where the ISO text has
    # them windows-1250 still reads letters (ą ľ ...), while windows-1250 text read as ISO gives controls.
    "iso8859-2": _CENTRAL,
    "cp1250": _CENTRAL | set("„“”‚‘’–—…€"),
    "gb18030": None,  # judged by the share of common (GB2312 level 1) characters
    "cp1252": set("àáâãäåæçèéêëìíîïñòóôõöøùúûüýÿßœšžÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝŒŠŽ“”‘’–—…€"),
}


def _plausibility(text: str, codec: str) -> float:
    """Share of the non-ASCII characters that a real text in `codec` would contain."""
    good = total = 0
    letters = _LETTERS.get(codec)
    for i, ch in enumerate(text):
        if ch < "\x80":
            continue
        total += 1
        if codec in ("cp1251", "koi8-r"):
            # Both read any high byte as a Cyrillic letter; the wrong one swaps the case of nearly all. A
            # Cyrillic letter glued to a Latin one is a Western letter read in the wrong charset.
            prev = text[i - 1] if i else " "
            nxt = text[i + 1] if i + 1 < len(text) else " "
            if ("\u0400" <= ch <= "\u04ff" and (ch.islower() or not prev.isalpha())
                    and not (prev.isascii() and prev.isalpha()) and not (nxt.isascii() and nxt.isalpha())):
                good += 1
        elif codec == "gb18030":
            if "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef":
                good += 1
            elif "\u4e00" <= ch <= "\u9fff":
                try:
                    good += 0xB0 <= ch.encode("gb2312")[0] <= 0xD7
                except UnicodeEncodeError:
                    pass
        elif letters is not None:
            good += ch in letters or ch == "\xa0"
        else:
            good += ch.isalpha()
    return good / total if total else 1.0


def detect_charset(data: bytes, hints: tuple = ()) -> str:
    """The charset of undeclared (or wrongly declared) 8-bit text: UTF-8 if it is valid UTF-8, else the most
    plausible of the hints and the charsets in `_LETTERS`, judged on a sample (the first hint, the charset
    the message declares elsewhere, wins a close call), else latin-1, which reads any byte."""
    sample = data[:_DETECT_SAMPLE]
    final = len(sample) == len(data)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=final)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    candidates = [h for h in dict.fromkeys(hints) if h and h not in ("ascii", "utf-8")]
    best, best_score = None, -1.0
    for n, codec in enumerate(dict.fromkeys(candidates + list(_LETTERS))):
        try:
            text = codecs.getincrementaldecoder(codec)().decode(sample, final=final)
        except (UnicodeDecodeError, LookupError):
            continue
        score = _plausibility(text, codec) + (0.1 if n == 0 and candidates else 0.0)
        if score > best_score:
            best, best_score = codec, score
    return best or "latin-1"


def _stray_bytes(exc: UnicodeDecodeError) -> tuple[str, int]:
    """Decoding error handler: a byte the charset cannot read is kept as its windows-1252 (else latin-1)
    character instead of U+FFFD, so nothing of the text is lost."""
    bad = exc.object[exc.start:exc.end]
    out = []
    for b in bad:
        try:
            out.append(bytes([b]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(b))
    return "".join(out), exc.end


codecs.register_error("mailbot-stray", _stray_bytes)


def _nearly(data: bytes, codec: str | None) -> str | None:
    """The text if `codec` reads all but a stray byte or two (a truncated character) of it."""
    if not codec:
        return None
    try:
        text = data.decode(codec, errors="replace")
    except (LookupError, ValueError):
        return None
    high = sum(1 for b in data[:_DETECT_SAMPLE] if b > 127)
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    good = sum(1 for ch in text[:_DETECT_SAMPLE] if ch > "\x7f" and ch != "\ufffd")
    if bad > max(1, high // 100) or good < 2 * bad:  # a stray byte in a text the charset does read
        return None
    return data.decode(codec, errors="mailbot-stray")


def decode_bytes(data: bytes, label: str | None = None, hint: str | None = None) -> str:
    """Text from bytes, never failing: the declared charset if it decodes cleanly (but valid UTF-8 under a
    'default' single-byte label is UTF-8), else UTF-8, else the declared charset or UTF-8 with a stray bad
    byte, else the most plausible charset (see `detect_charset`; `hint` is the message's own charset)."""
    codec = charset_name(label)
    if codec in _DEFAULT_LABELS and not data.isascii():
        text = _strict(data, "utf-8")
        if text is not None:
            return text
    text = _strict(data, codec)
    if text is not None:
        return text
    if data.isascii():
        return data.decode("ascii")
    text = _strict(data, "utf-8") or _nearly(data, codec) or _nearly(data, "utf-8")
    if text is not None:
        return text
    # under a Western 'default' label that is wrong, windows-1252 wins a close call
    hints = (charset_name(hint), "cp1252" if codec in _DEFAULT_LABELS else codec)
    return data.decode(detect_charset(data, hints), errors="mailbot-stray")


def _unescape(value: str, hint: str | None = None) -> str:
    """compat32 keeps raw 8-bit header bytes as surrogates; read them as UTF-8, the hint, or detected."""
    if any("\udc80" <= ch <= "\udcff" for ch in value):
        return decode_bytes(value.encode("utf-8", "surrogateescape"), None, hint)
    return value


# --- headers --------------------------------------------------------------------------------------------

def _b64(data: bytes) -> bytes:
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
        return _b64(raw)
    return _QP_BYTE.sub(lambda m: bytes([int(m.group(1), 16)]), raw.replace(b"_", b" "))


def decode_text_header(value, hint: str | None = None) -> str:
    """An unstructured header as text: unfolded, RFC 2047 words decoded (leniently: malformed words, unknown
    charsets, raw 8-bit bytes, a character split across two words), whitespace otherwise kept as sent
    apart from the ends. Line breaks and NULs never survive (the value goes into our own headers)."""
    value = _FOLD.sub("", str(value))
    value = _NEWLINES.sub(" ", value).replace("\x00", "")
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
            text = _unescape(data, hint)
            if i == 0:
                text = text.lstrip(" \t")
            if i == len(pieces) - 1:
                text = text.rstrip(" \t")
        out.append(text)
    return "".join(out).replace("\r", " ").replace("\n", " ").replace("\x00", "")


def raw_headers(msg: Message, name: str) -> list[str]:
    """Header values as they arrived: compat32 would wrap raw 8-bit bytes in a Header that loses them."""
    name = name.lower()
    return [v if isinstance(v, str) else str(v) for k, v in msg.raw_items() if k.lower() == name]


def raw_header(msg: Message, name: str) -> str | None:
    values = raw_headers(msg, name)
    return values[0] if values else None


def _split_params(value: str) -> list[str]:
    out, cur, quoted, escaped = [], [], False, False
    for ch in value:
        if escaped:
            cur.append(ch)
            escaped = False
        elif ch == "\\" and quoted:
            cur.append(ch)
            escaped = True
        elif ch == '"':
            cur.append(ch)
            quoted = not quoted
        elif ch == ";" and not quoted:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return out


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return re.sub(r"\\(.)", r"\1", value[1:-1])
    return value


def header_params(value: str | None, hint: str | None = None) -> dict[str, str]:
    """The parameters of a Content-Type / Content-Disposition value, decoded: RFC 2231 (charset'lang'
    percent-encoding, continuations name*0*, name*1 ...), quoted strings, and raw 8-bit bytes."""
    if not value:
        return {}
    value = _NEWLINES.sub(" ", _FOLD.sub("", str(value)))
    plain: dict[str, str] = {}
    sections: dict[str, dict[int, tuple[bool, str]]] = {}
    for item in _split_params(value)[1:]:
        key, sep, val = item.partition("=")
        key = key.strip().lower()
        if not sep or not key:
            continue
        m = re.fullmatch(r"([^*]+)\*(?:(\d{1,3})\*?|)", key) if "*" in key else None
        if m:
            sections.setdefault(m.group(1), {})[int(m.group(2) or 0)] = (key.endswith("*"), _unquote(val))
        else:
            plain.setdefault(key, _unquote(val))
    for name, parts in sections.items():
        charset, chunks = None, []
        for index in sorted(parts):
            extended, text = parts[index]
            if extended:
                if index == min(parts) and text.count("'") >= 2:
                    charset, _, text = text.split("'", 2)
                raw = text.encode("utf-8", "surrogateescape")
                chunks.append(re.sub(rb"%([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw))
            else:
                chunks.append(text.encode("utf-8", "surrogateescape"))
        plain[name] = decode_bytes(b"".join(chunks), charset, hint)  # RFC 2231 wins over a plain duplicate
    return {k: _unescape(v, hint) for k, v in plain.items()}


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


def _addresses(msg: Message, name: str, hint: str | None = None) -> list[tuple[str, str]]:
    values = [_unescape(v, hint) for v in raw_headers(msg, name)]
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


def _sender(msg: Message, hint: str | None) -> tuple[str, str]:
    """(display name, address) of the author. Without a usable From address: a bare local part such as
    MAILER-DAEMON, an address written among the name's words, else the Sender or Reply-To address; the From
    display name is kept either way."""
    froms = _addresses(msg, "From", hint)
    if froms:
        return froms[0]
    values = [_unescape(v, hint) for v in raw_headers(msg, "From")]
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
        found = _addresses(msg, other, hint)
        if found:
            return name or found[0][0], found[0][1]
    if not name and values:
        name = decode_text_header(values[0], hint)[:320]
    return name, ""


def _msgids(value) -> list[str]:
    if value is None:
        return []
    ids = _MSGID.findall(_unescape(str(value)))
    if not ids and str(value).strip():
        ids = [str(value).strip().split()[0].strip("<>")]
    return [i[:990] for i in ids]


def _date(msg: Message) -> datetime | None:
    value = raw_header(msg, "Date")
    if not value:
        return None
    try:
        d = parsedate_to_datetime(_unescape(value))
    except Exception:
        return None
    if d is None:
        return None
    return d if d.tzinfo else d.replace(tzinfo=timezone.utc)


# --- parts ----------------------------------------------------------------------------------------------

class _Verbatim(Compat32):
    """Serialises a message with its header lines as they arrived (compat32 would refold them). Like every
    part sent as 7bit/8bit, an attached message is stored with LF line ends."""

    def _fold(self, name, value, sanitize):
        value = _NEWLINES.sub(self.linesep, value if isinstance(value, str) else str(value))
        return f"{name}: {value}{self.linesep}" if value else f"{name}:{self.linesep}"


_VERBATIM = _Verbatim(linesep="\n", max_line_length=0)


def _serialise(msg: Message) -> bytes:
    """A (sub-)message as bytes, LF line ends."""
    if not msg.keys() and not _raw_payload(msg):
        return b""
    try:
        fp = io.BytesIO()
        BytesGenerator(fp, mangle_from_=False, policy=_VERBATIM).flatten(msg)
        # the generator writes an unsplit multipart body (no boundary found) as it was: unify its EOLs too
        return _EOL.sub(b"\n", fp.getvalue())
    except Exception:  # RecursionError on absurd nesting, or a header the generator chokes on
        try:
            return msg.as_bytes()
        except Exception:
            return b""


def _cte(part: Message) -> str:
    value = raw_header(part, "Content-Transfer-Encoding") or ""
    return value.strip().lower().split(";")[0].strip().strip('"')


def _raw_payload(part: Message):
    """The payload as parsed: compat32's get_payload() would decode raw 8-bit bytes with 'replace'."""
    return part._payload  # noqa: SLF001 (the stdlib keeps no public way to the undecoded text)


def _payload(part: Message) -> bytes:
    raw = _raw_payload(part)
    if isinstance(raw, list):
        return b"".join(_serialise(p) for p in raw)
    data = raw.encode("ascii", "surrogateescape") if isinstance(raw, str) else bytes(raw or b"")
    cte = _cte(part)
    if cte == "base64":
        return _b64(data)
    if cte in ("binary",):
        return data
    if cte in ("x-uuencode", "uuencode", "uue", "x-uue"):
        try:
            decoded = part.get_payload(decode=True)
        except Exception:
            decoded = None
        return decoded if decoded is not None else data
    # The transport's line breaks (CRLF in the message, LF or CR as stored) are the content's line breaks:
    # LF. In quoted-printable, a CR or LF that is data is encoded (=0D, =0A) and stays as it is, and in a
    # part that is not text a hard line break is the canonical CRLF (a PDF sent quoted-printable).
    data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    if cte != "quoted-printable":
        return data
    if part.get_content_maintype() not in ("text", "message"):
        data = data.replace(b"\n", b"\r\n")
    return binascii.a2b_qp(data)


def _content_type(part: Message) -> str:
    ctype = part.get_content_type()
    return ctype if re.fullmatch(r"[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+", ctype) else "application/octet-stream"


def _content_id(part: Message) -> str | None:
    value = raw_header(part, "Content-ID")
    return _unescape(value or "").strip().strip("<> \t\r\n")[:990] or None


def _safe_name(name: str) -> str | None:
    name = _UNSAFE_NAME.sub("_", name).strip().strip(".") if name.strip(" .") else ""
    return name[:255] or None


def _filename(part: Message, hint: str | None) -> str | None:
    """The name the sender gave: Content-Disposition filename, else Content-Type name; RFC 2231 and
    encoded words (which clients put in quoted names, against the RFC) both decoded."""
    for header, param in (("Content-Disposition", "filename"), ("Content-Type", "name")):
        value = header_params(raw_header(part, header), hint).get(param)
        if value and value.strip():
            name = _safe_name(decode_text_header(value, hint))
            if name:
                return name
    return None


def _default_name(part: Message, ctype: str, hint: str | None) -> str:
    """A name for a part that has none: an attached message's subject ('Re: offer.eml'), the file name in
    an Outlook-style Content-ID (image001.jpg@...), its Content-Description ('Delivery report.txt'), else
    the type ('image.jpg')."""
    payload = part.get_payload()
    if ctype == "message/rfc822" and isinstance(payload, list) and payload:
        subject = raw_header(payload[0], "Subject")
        name = _safe_name(decode_text_header(subject, hint)[:200]) if subject else None
        if name:
            return f"{name}.eml"
    cid = _CID_NAME.match(_content_id(part) or "")
    if cid and _safe_name(cid.group(1)):
        return _safe_name(cid.group(1))
    ext = "eml" if ctype == "message/rfc822" else "txt" if ctype.startswith("message/") else (
        _EXTENSIONS.get(ctype) or re.sub(r"^x-", "", ctype.partition("/")[2].split("+")[0]) or "bin")
    description = raw_header(part, "Content-Description")
    description = _safe_name(decode_text_header(description, hint)) if description else None
    if description and len(description) <= 100:
        return description if re.search(r"\.[A-Za-z0-9]{1,5}$", description) else f"{description}.{ext}"
    if ctype == "message/rfc822":
        return "message.eml"
    if ctype.startswith("message/") or ctype == "text/rfc822-headers":
        return ctype.replace("/", "-") + ".txt"
    main = ctype.partition("/")[0]
    stem = main if main in ("image", "audio", "video", "text") else "attachment"
    return f"{stem}.{ext}"


def _unique(name: str, used: set) -> str:
    if name not in used:
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    n = 1
    while f"{stem}{n}{dot}{ext}" in used:
        n += 1
    return f"{stem}{n}{dot}{ext}"


def _recover_multipart(part: Message) -> list[Message] | None:
    """The sub-parts of a multipart whose boundary parameter is missing or does not match its body: split
    on the boundary lines the body really has."""
    payload = _raw_payload(part)
    if not isinstance(payload, str):
        return None
    m = _BOUNDARY_LINE.search(_NEWLINES.sub("\n", payload[:65536]))
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


def _walk(msg: Message, texts: list, htmls: list, attachments: list, state: dict, hint: str | None,
          body_hint: str | None) -> None:
    """Sorts the leaves into body text, HTML and attachments. `hint` is the charset for raw 8-bit header
    bytes (file names), `body_hint` the one the message declares for its text."""
    if state["flat"]:  # nesting too deep to split: the body as text, the raw copy keeps the rest
        texts.append(decode_bytes(_payload(msg), None, body_hint))
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
        filename = _filename(part, hint)
        disposition = (raw_header(part, "Content-Disposition") or "").split(";")[0].strip().lower()
        if ctype.startswith("message/") or ctype == "text/rfc822-headers":
            payload = part.get_payload()
            if ctype == "message/rfc822" and isinstance(payload, list):  # as it arrived, with LF line ends
                data = _serialise(payload[0]) if payload else b""
            elif isinstance(payload, list):  # delivery-status: blocks of fields, normalised to LF like text
                data = _serialise(part).split(b"\n\n", 1)[-1] if part.keys() else _serialise(part)
            else:
                data = _payload(part)
            name = _unique(filename or _default_name(part, ctype, hint), used)
            used.add(name)
            attachments.append(Attachment(name, ctype, data, _content_id(part)))
            continue
        is_body = disposition != "attachment" and filename is None
        if is_body and ctype in ("text/plain", "text/html", "text/enriched", "text/richtext"):
            charset = header_params(raw_header(part, "Content-Type")).get("charset")
            text = decode_bytes(_payload(part), charset, body_hint)
            (htmls if ctype == "text/html" else texts).append(text)
            continue
        name = _unique(filename or _default_name(part, ctype, hint), used)
        used.add(name)
        attachments.append(Attachment(name, ctype, _payload(part), _content_id(part)))


# --- the message ----------------------------------------------------------------------------------------

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


def _repair_headers(raw: bytes) -> bytes:
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


def _charset_hint(msg: Message) -> str | None:
    """The first charset the message declares for a text part: raw 8-bit headers are usually in it."""
    for i, part in enumerate(msg.walk()):
        if i > 50:
            break
        if part.get_content_maintype() == "text" or i == 0:
            codec = charset_name(header_params(raw_header(part, "Content-Type")).get("charset"))
            if codec and codec not in ("ascii", "utf_8", "utf-8"):
                return codec
    return None


def _header_charset(msg: Message, hint: str | None) -> str | None:
    """The charset of the raw 8-bit bytes in the top-level headers, judged on all of them together (one
    short display name alone is too little to tell GB2312 from a Central European charset)."""
    raw = b" ".join(v.encode("utf-8", "surrogateescape") for _, v in msg.raw_items()
                    if isinstance(v, str) and any("\udc80" <= ch <= "\udcff" for ch in v))
    if not raw:
        return hint
    return detect_charset(raw, (hint,))


def _structure(raw: bytes) -> tuple[Message, list[str], bool]:
    """The stdlib's parse and its defects; for MIME nested deeper than its recursion allows (a bomb, not
    mail), the headers only, with the body left unsplit (False)."""
    try:
        msg = email.message_from_bytes(raw)
        defects = sorted({type(d).__name__ for i, p in enumerate(msg.walk()) if i < MAX_PARTS for d in p.defects})
        return msg, defects, True
    except RecursionError:
        msg = email.parser.BytesHeaderParser().parsebytes(raw)
        return msg, ["MIME nesting too deep: the body is kept unsplit"], False


def parse(raw: bytes) -> Parsed:
    msg, defects, structured = _structure(_repair_headers(_clean_start(raw)))
    body_hint = _charset_hint(msg) if structured else None
    hint = _header_charset(msg, body_hint)
    texts, htmls, attachments = [], [], []
    state = {"parts": 0, "truncated": False, "recovered": False, "flat": not structured}
    _walk(msg, texts, htmls, attachments, state, hint, body_hint)
    if state["truncated"]:
        defects.append(f"more than {MAX_PARTS} parts: the rest is kept only in the raw message")
    if state["recovered"]:
        defects.append("multipart re-split on the boundary lines found in its body")
    html = "\n".join(htmls) if htmls else None
    text = "\n".join(t.rstrip() for t in texts if t.strip())
    if not text and html:
        text = html_to_text(html)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    sender_name, sender = _sender(msg, hint)
    reply_to = _addresses(msg, "Reply-To", hint)
    return Parsed(
        msg=msg,
        message_id=(_msgids(raw_header(msg, "Message-ID")) or [None])[0],
        in_reply_to=_msgids(raw_header(msg, "In-Reply-To")),
        references=[i for v in raw_headers(msg, "References") for i in _msgids(v)],
        sender=sender[:320], sender_name=sender_name,
        reply_to=reply_to[0][1] if reply_to else None,
        to=[a for _, a in _addresses(msg, "To", hint)], cc=[a for _, a in _addresses(msg, "Cc", hint)],
        subject=decode_text_header(raw_header(msg, "Subject") or "", hint),
        date=_date(msg), text=text, html=html, attachments=attachments, defects=defects, charset_hint=hint)


def run(ctx) -> None:
    ctx.msg = parse(ctx.raw)
