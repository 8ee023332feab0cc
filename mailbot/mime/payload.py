"""A part's content as bytes: the transfer encoding undone (base64 leniently; a transport line break in a
7bit/8bit/quoted-printable part is a line break of the content, so it is stored as LF whatever the message's
line endings were), and a (sub-)message serialised as it arrived (headers not refolded, LF line ends)."""
from __future__ import annotations

import binascii
import io
import re
from email.generator import BytesGenerator
from email.message import Message
from email.policy import Compat32

from mailbot.mime.headers import NEWLINES, b64decode, raw_header

_EOL = re.compile(rb"\r\n|\r|\n")


class _Verbatim(Compat32):
    """Serialises a message with its header lines as they arrived (compat32 would refold them). Like every
    part sent as 7bit/8bit, an attached message is stored with LF line ends."""

    def _fold(self, name, value, sanitize):
        value = NEWLINES.sub(self.linesep, value if isinstance(value, str) else str(value))
        return f"{name}: {value}{self.linesep}" if value else f"{name}:{self.linesep}"


_VERBATIM = _Verbatim(linesep="\n", max_line_length=0)


def serialise(msg: Message) -> bytes:
    """A (sub-)message as bytes, LF line ends."""
    if not msg.keys() and not raw_payload(msg):
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


def raw_payload(part: Message):
    """The payload as parsed: compat32's get_payload() would decode raw 8-bit bytes with 'replace'."""
    return part._payload  # noqa: SLF001 (the stdlib keeps no public way to the undecoded text)


def decode_payload(part: Message) -> bytes:
    """A part's content with its transfer encoding undone (the sub-parts serialised, for a part that has them)."""
    raw = raw_payload(part)
    if isinstance(raw, list):
        return b"".join(serialise(p) for p in raw)
    data = raw.encode("ascii", "surrogateescape") if isinstance(raw, str) else bytes(raw or b"")
    cte = _cte(part)
    if cte == "base64":
        return b64decode(data)
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
