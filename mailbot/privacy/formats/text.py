"""Plain text, CSV/TSV and HTML attachments: their decoding, their reading and their redaction; and the text
conventions every format's reader shares.

Text files arrive without a declared charset more often than with one, so `decode_text` finds it (BOM,
UTF-16 without a BOM, an HTML meta charset, UTF-8 with a stray bad byte, else the project's charset
detection); kind detection uses the same decoding to tell text from binary (`looks_text`). Whatever the
format, a table is scanned as rows of TAB-separated cells, one row per line (`one_line` keeps a cell on its
line), and numbers without float noise (`number_text`): the detectors read tables by their columns.

A redacted text file keeps its encoding and BOM where the new text can be written in it.
"""
from __future__ import annotations

import codecs
import csv
import io
import re

from mailbot.mime.charsets import charset_name, detect_charset  # also registers the "mailbot-stray" handler
from mailbot.mime.html import html_to_text
from mailbot.privacy.formats import Substitute
from mailbot.privacy.limits import Ctx, Limits, Lines


_META_CHARSET = re.compile(rb"""<meta[^>]{0,300}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:+-]{1,40})""", re.I)


def _utf16_guess(data: bytes) -> str | None:
    """UTF-16 without a BOM (Excel's "Unicode text" and some exports): NULs in every other byte."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def decode_text(data: bytes, html: bool = False) -> tuple[str, str, bytes]:
    """Text of an undeclared text file: (text, codec, BOM). A BOM wins, then (HTML) the meta charset when it
    decodes, ASCII, UTF-8 (even with a stray bad byte), else the project's charset detection."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32-le"),
                       (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                       (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(codec, "replace" if "16" in codec or "32" in codec else "mailbot-stray"), \
                codec, bom
    codec = _utf16_guess(data)
    if codec:
        return data.decode(codec, "replace"), codec, b""
    if html:
        m = _META_CHARSET.search(data[:4096])
        codec = charset_name(m.group(1).decode("ascii")) if m else None
        if codec and "16" not in codec and "32" not in codec:
            try:
                return data.decode(codec), codec, b""
            except (UnicodeDecodeError, LookupError):
                pass
    if data.isascii():
        return data.decode("ascii"), "ascii", b""
    try:
        return data.decode("utf-8"), "utf-8", b""
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    high = sum(1 for b in data[:65536] if b > 127)
    good = sum(1 for ch in text[:65536] if ch > "\x7f" and ch != "\ufffd")
    if bad <= max(1, high // 100) and good >= 2 * bad:  # UTF-8 with a truncated character or two
        return data.decode("utf-8", "mailbot-stray"), "utf-8", b""
    codec = detect_charset(data)
    return data.decode(codec, "mailbot-stray"), codec, b""


def looks_text(data: bytes) -> bool:
    """Mostly printable text after decoding, and no NULs (unless it is UTF-16)."""
    sample = data[:65536]
    if not sample:
        return True
    utf16 = sample[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) or _utf16_guess(sample)
    if b"\x00" in sample and not utf16:
        return False
    text = decode_text(sample)[0]
    if not text:
        return True
    printable = sum(1 for ch in text if ch.isprintable() or ch in "\t\n\r\f")
    return printable > 0.95 * len(text) and "\x00" not in text


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _count_outside_quotes(line: str, delimiter: str) -> int:
    n, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            n += 1
    return n


def _delimiter(text: str) -> str:
    lines = [line for line in normalise_newlines(text[:65536]).split("\n")[:200] if line.strip()][:30]
    best, best_score = ",", (0.0, 0)
    for d in (";", ",", "\t", "|"):
        counts = [_count_outside_quotes(line, d) for line in lines]
        nonzero = [c for c in counts if c]
        if not nonzero:
            continue
        mode = max(set(nonzero), key=nonzero.count)
        score = (counts.count(mode) / len(counts), mode)
        if score > best_score:
            best, best_score = d, score
    return best


def one_line(cell: str) -> str:
    """A cell's text on one line: a table's row must stay one line, its cells apart."""
    return cell.replace("\r\n", " ").replace("\n", " ").replace("\r", " ").replace("\t", " ")


def number_text(v: float) -> str:
    """A spreadsheet number as a person reads it: 1234 rather than 1234.0, no float noise."""
    if v != v or v in (float("inf"), float("-inf")):
        return str(v)
    if v.is_integer() and abs(v) < 1e21:
        return str(int(v))
    return f"{v:.15g}"


# ---------------------------------------------------------------------------------------------------------
# Readers

def read_text(ctx: Ctx, where: str, data: bytes, depth: int) -> None:
    ctx.emit(where, normalise_newlines(decode_text(data)[0]))


def _read_table(ctx: Ctx, where: str, data: bytes, tsv: bool) -> None:
    text = decode_text(data)[0]
    delimiter = "\t" if tsv else _delimiter(text)
    lines = Lines(ctx, where)
    try:
        try:
            for row in csv.reader(io.StringIO(text), delimiter=delimiter, strict=False):
                lines.add("\t".join(one_line(c) for c in row))
        except csv.Error:  # a field longer than the csv module takes: the lines as they are
            lines.reset()
            for line in normalise_newlines(text).split("\n"):
                lines.add(line.replace(delimiter, "\t"))
    finally:
        lines.flush()


def read_csv(ctx: Ctx, where: str, data: bytes, depth: int) -> None:
    _read_table(ctx, where, data, tsv=False)


def read_tsv(ctx: Ctx, where: str, data: bytes, depth: int) -> None:
    _read_table(ctx, where, data, tsv=True)


def read_html(ctx: Ctx, where: str, data: bytes, depth: int) -> None:
    ctx.emit(where, html_to_text(decode_text(data, html=True)[0]))


# ---------------------------------------------------------------------------------------------------------
# Redactor

def _recode(data: bytes, substitute: Substitute, html: bool) -> bytes:
    text, codec, bom = decode_text(data, html=html)
    new = substitute(text)
    if new == text:
        return data
    try:
        return bom + new.encode(codec)
    except (UnicodeEncodeError, LookupError):
        # UTF-8 keeps a UTF-8 BOM; an HTML file gets one, or its meta charset would be believed
        return (codecs.BOM_UTF8 if bom == codecs.BOM_UTF8 or html else b"") + new.encode("utf-8")


def redact_text(filename: str, data: bytes, substitute: Substitute, limits: Limits) -> bytes:
    """A text file (also CSV, TSV) with `substitute` applied to its text, in its own encoding where possible."""
    return _recode(data, substitute, html=False)


def redact_html(filename: str, data: bytes, substitute: Substitute, limits: Limits) -> bytes:
    """An HTML file with `substitute` applied to its source text (tags included), in its own encoding where
    possible, else UTF-8 with a BOM."""
    return _recode(data, substitute, html=True)
