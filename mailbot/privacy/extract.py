"""Attachments turned into text segments for the personal-data guard, bounded and safe against hostile input.

Every attachment of a client's mail is scanned for personal data before the mail is stored; `extract` turns one
attachment into `Segment`s of text (tables as rows of TAB-separated cells, whatever the format) and lists what
it could not scan and why (`Extraction.unscannable`), so that the caller never mistakes "nothing found" for
"nothing readable".

The format is chosen by file extension and content type (mail often says application/octet-stream), checked
against the file's own signature: a PDF or an Office file is read as what it is whatever it is called, and
garbage called .xlsx is reported, not fed to a library. Hostile input is bounded before any library sees it:
ZIP containers (archives and OOXML/ODF files) are checked entry by entry before anything is unpacked (count,
declared sizes, compression ratio, encryption), every member is read with a bounded read, XML with a DTD or
entity declarations is refused (billion laughs), nesting (zip in zip, message in message) is limited, and a
wall-clock deadline, a text budget and an unpacked-bytes budget are checked between rows, pages and entries.

`extract` never raises and never writes to disk, except a private temporary directory for OCR (tesseract,
when installed), which is removed afterwards.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import logging
import os
import re
import shutil
import subprocess
import tempfile
import time
import warnings
import zipfile
from dataclasses import dataclass, field

from mailbot.mime.charsets import charset_name, detect_charset  # also registers the "mailbot-stray" handler
from mailbot.mime.html import html_to_text


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 50_000_000      # total decompressed bytes read from one attachment (zip members, OOXML parts)
    max_entries: int = 500           # zip entries / OOXML parts
    max_depth: int = 3               # zip in zip / message in message
    max_pages: int = 200             # PDF pages
    max_chars: int = 5_000_000       # text produced per attachment
    max_seconds: float = 10.0        # wall-clock deadline, checked between rows/pages/entries
    ocr: bool = True                 # use tesseract when installed
    ocr_seconds: float = 30.0        # OCR time allowed per attachment (it does not count against max_seconds)


@dataclass(frozen=True)
class Segment:
    where: str   # "payroll.zip/2026/jan.xlsx", "fwd.eml/list.csv"; a forwarded message's own body: "fwd.eml"
    text: str


@dataclass
class Extraction:
    segments: list[Segment] = field(default_factory=list)
    unscannable: list[tuple[str, str]] = field(default_factory=list)   # (where, reason)


# ---------------------------------------------------------------------------------------------------------
# Bookkeeping: budgets and the deadline of one attachment

class _Stop(Exception):
    """A budget of the whole attachment is spent: nothing more is scanned, and (where, reason) says why."""

    def __init__(self, where: str, reason: str):
        super().__init__(reason)
        self.where, self.reason = where, reason


class _Ctx:
    def __init__(self, limits: Limits):
        self.limits = limits
        self.deadline = time.monotonic() + limits.max_seconds
        self.segments: list[Segment] = []
        self.unscannable: list[tuple[str, str]] = []
        self.chars = 0
        self.bytes_left = limits.max_bytes
        self.ocr_left = limits.ocr_seconds

    def check(self, where: str) -> None:
        if time.monotonic() > self.deadline:
            raise _Stop(where, f"took longer than {self.limits.max_seconds:g} s")

    def refuse(self, where: str, reason: str) -> None:
        self.unscannable.append((where, reason))

    def emit(self, where: str, text: str) -> None:
        text = text.replace("\x00", "").strip("\n")
        if not text.strip():
            return
        room = self.limits.max_chars - self.chars
        if len(text) > room:
            if room > 0:
                self.segments.append(Segment(where, text[:room]))
                self.chars += room
            raise _Stop(where, f"more than {self.limits.max_chars} characters of text")
        self.segments.append(Segment(where, text))
        self.chars += len(text)

    def spend(self, where: str, n: int) -> None:
        if n > self.bytes_left:
            self.bytes_left = 0
            raise _Stop(where, f"more than {self.limits.max_bytes} bytes unpacked")
        self.bytes_left -= n


def _why(e: BaseException) -> str:
    """An exception's class name for a reason ("zlib.error" rather than "error")."""
    name = type(e).__name__
    return f"{type(e).__module__}.{name}" if name == "error" else name


class _Lines:
    """One segment built line by line; stays within the text budget and checks the deadline as it grows.
    Use `flush` in a finally: what was read before a budget ran out is still scanned."""

    def __init__(self, ctx: _Ctx, where: str):
        self.ctx, self.where = ctx, where
        self.buf: list[str] = []
        self.n = 0
        self.count = 0

    def add(self, line: str) -> None:
        self.buf.append(line)
        self.n += len(line) + 1
        self.count += 1
        if self.ctx.chars + self.n > self.ctx.limits.max_chars:
            self.flush()  # emits as much as fits and stops
        if self.count % 256 == 0:
            self.ctx.check(self.where)

    def reset(self) -> None:
        self.buf, self.n = [], 0

    def flush(self) -> None:
        buf = self.buf
        self.reset()
        if buf:
            self.ctx.emit(self.where, "\n".join(buf))


# ---------------------------------------------------------------------------------------------------------
# Format detection

_EXTENSIONS = {
    **dict.fromkeys((".txt", ".text", ".log", ".json", ".xml", ".sql", ".md", ".ini", ".cfg", ".conf", ".yaml",
                     ".yml", ".vcf", ".ics", ".ldif", ".svg", ".properties", ".ndjson"), "text"),
    ".csv": "csv", ".tsv": "tsv", ".tab": "tsv",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".eml": "eml",
    **dict.fromkeys((".xlsx", ".xlsm", ".xltx", ".xltm"), "xlsx"),
    **dict.fromkeys((".docx", ".docm", ".dotx", ".dotm"), "docx"),
    ".ods": "ods", ".odt": "odt",
    ".pdf": "pdf", ".zip": "zip",
    **dict.fromkeys((".png", ".jpg", ".jpeg", ".jpe", ".jfif", ".gif", ".tif", ".tiff", ".bmp", ".webp",
                     ".jp2"), "image"),
    ".xls": "xls", ".xlt": "xls", ".xlsb": "xlsb", ".doc": "doc", ".dot": "doc", ".msg": "msg",
}
_CONTENT_TYPES = {
    "text/plain": "text", "text/xml": "text", "application/xml": "text", "application/json": "text",
    "text/x-log": "text", "text/calendar": "text", "text/vcard": "text", "text/x-vcard": "text",
    "application/sql": "text", "text/markdown": "text", "image/svg+xml": "text",
    "text/csv": "csv", "text/comma-separated-values": "csv", "application/csv": "csv", "text/x-csv": "csv",
    "text/tab-separated-values": "tsv",
    "text/html": "html", "application/xhtml+xml": "html",
    "message/rfc822": "eml", "message/global": "eml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.ms-excel.sheet.macroenabled.12": "xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template": "xlsx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.ms-word.document.macroenabled.12": "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template": "docx",
    "application/vnd.oasis.opendocument.spreadsheet": "ods", "application/vnd.oasis.opendocument.text": "odt",
    "application/pdf": "pdf", "application/x-pdf": "pdf",
    "application/zip": "zip", "application/x-zip-compressed": "zip", "application/x-zip": "zip",
    **dict.fromkeys(("image/png", "image/jpeg", "image/jpg", "image/pjpeg", "image/gif", "image/tiff",
                     "image/bmp", "image/x-bmp", "image/x-ms-bmp", "image/webp", "image/jp2"), "image"),
    "application/vnd.ms-excel": "xls", "application/msword": "doc", "application/vnd.ms-outlook": "msg",
}
_ZIP_KINDS = {"xlsx": "XLSX", "docx": "DOCX", "ods": "ODS", "odt": "ODT", "zip": "ZIP"}
_LEGACY = {"xls": "old Excel format", "xlsb": "binary Excel format (.xlsb)", "doc": "old Word format",
           "msg": "Outlook .msg format"}
_IMAGE_MAGIC = ((b"\x89PNG\r\n\x1a\n", ".png"), (b"\xff\xd8\xff", ".jpg"), (b"GIF87a", ".gif"),
                (b"GIF89a", ".gif"), (b"II*\x00", ".tif"), (b"MM\x00*", ".tif"),
                (b"\x00\x00\x00\x0cjP  \r\n\x87\n", ".jp2"))
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HEADER_LINE = re.compile(rb"(?:Received|Return-Path|From|Message-ID|MIME-Version|Date|Subject|Delivered-To|"
                          rb"X-[A-Za-z0-9-]+):[ \t]", re.I)


def _image_ext(data: bytes) -> str | None:
    for magic, ext in _IMAGE_MAGIC:
        if data.startswith(magic):
            return ext
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return ".webp"
    if data[:2] == b"BM" and len(data) >= 26 and int.from_bytes(data[14:18], "little") in (12, 40, 52, 56, 64,
                                                                                           108, 124):
        return ".bmp"
    return None


def _magic(data: bytes) -> str | None:
    if data.startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        return "pdf"
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08"):
        return "zip"
    if data.startswith(_OLE):
        return "ole"
    if _image_ext(data):
        return "image"
    return None


def _zip_flavour(data: bytes) -> str:
    """What a ZIP that was not declared as any ZIP-based format really is: an Office document or an archive."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist()[:10_000])
            if "xl/workbook.xml" in names:
                return "xlsx"
            if "word/document.xml" in names:
                return "docx"
            if "mimetype" in names:
                info = zf.getinfo("mimetype")
                if info.file_size < 200 and not info.flag_bits & 1:
                    mime = zf.read(info)
                    if mime.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
                        return "ods"
                    if mime.startswith(b"application/vnd.oasis.opendocument.text"):
                        return "odt"
    except Exception:
        pass
    return "zip"


def _ext(filename: str) -> str:
    return os.path.splitext((filename or "").strip().rstrip(".").lower())[1]


def _bare_type(content_type: str) -> str:
    return (content_type or "").split(";")[0].strip().lower()


def detect_kind(filename: str, content_type: str, data: bytes) -> tuple[str, str | None]:
    """The format of an attachment: ("text"|"csv"|"tsv"|"html"|"eml"|"xlsx"|"docx"|"ods"|"odt"|"pdf"|"zip"|
    "image", None), or ("refuse", reason) for what cannot be scanned."""
    ctype = _bare_type(content_type)
    declared = _EXTENSIONS.get(_ext(filename)) or _CONTENT_TYPES.get(ctype)
    if declared is None and ctype.startswith("text/"):
        declared = "text"
    magic = _magic(data)
    if magic == "pdf":
        return "pdf", None
    if magic == "zip":
        return (declared if declared in _ZIP_KINDS else _zip_flavour(data)), None
    if magic == "ole":
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e" in data:
            return "refuse", "encrypted Office document"
        return "refuse", _LEGACY.get(declared or "", "old Office format (OLE)")
    if magic == "image":
        return "image", None
    if declared in _ZIP_KINDS:
        return "refuse", f"not a valid {_ZIP_KINDS[declared]} file"
    if declared == "pdf":
        return "refuse", "not a valid PDF file"
    if declared == "image":
        return "refuse", "not a recognised image format"
    if declared in _LEGACY:  # a CSV or an HTML table saved as .xls is common; text is scanned as what it is
        if not _looks_text(data):
            return "refuse", _LEGACY[declared]
        return ("html" if data.lstrip()[:1] == b"<" else "csv" if declared in ("xls", "xlsb") else "text"), None
    if declared is not None:
        return declared, None
    if _looks_text(data):
        return ("eml" if _HEADER_LINE.match(data.lstrip()[:200]) else "text"), None
    return "refuse", f"unknown format ({ctype or 'application/octet-stream'})"


# ---------------------------------------------------------------------------------------------------------
# Text

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


def _looks_text(data: bytes) -> bool:
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


def _normalise_newlines(text: str) -> str:
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
    lines = [line for line in _normalise_newlines(text[:65536]).split("\n")[:200] if line.strip()][:30]
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


def _one_line(cell: str) -> str:
    return cell.replace("\r\n", " ").replace("\n", " ").replace("\r", " ").replace("\t", " ")


def _text(ctx: _Ctx, where: str, data: bytes) -> None:
    ctx.emit(where, _normalise_newlines(decode_text(data)[0]))


def _csv(ctx: _Ctx, where: str, data: bytes, tsv: bool) -> None:
    text = decode_text(data)[0]
    delimiter = "\t" if tsv else _delimiter(text)
    lines = _Lines(ctx, where)
    try:
        try:
            for row in csv.reader(io.StringIO(text), delimiter=delimiter, strict=False):
                lines.add("\t".join(_one_line(c) for c in row))
        except csv.Error:  # a field longer than the csv module takes: the lines as they are
            lines.reset()
            for line in _normalise_newlines(text).split("\n"):
                lines.add(line.replace(delimiter, "\t"))
    finally:
        lines.flush()


def _html(ctx: _Ctx, where: str, data: bytes) -> None:
    ctx.emit(where, html_to_text(decode_text(data, html=True)[0]))


# ---------------------------------------------------------------------------------------------------------
# ZIP containers: archives, OOXML and ODF files

_RATIO_MIN_SIZE = 1 << 20  # smaller entries cannot hurt, whatever their ratio
_MAX_RATIO = 200
_DTD = re.compile(rb"<!(?i:DOCTYPE|ENTITY)|<\x00!\x00[DdEe]\x00|\x00<\x00!\x00[DdEe]")


def _open_zip(ctx: _Ctx, where: str, data: bytes, label: str) -> zipfile.ZipFile | None:
    """The archive, if every entry passes the checks made before anything is unpacked."""
    limits = ctx.limits
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except Exception as e:
        ctx.refuse(where, f"damaged {label} ({_why(e)})")
        return None
    if len(infos) > limits.max_entries:
        ctx.refuse(where, f"more than {limits.max_entries} entries")
        return None
    total = sum(i.file_size for i in infos)
    for info in infos:
        if info.file_size > _RATIO_MIN_SIZE and info.file_size > _MAX_RATIO * max(info.compress_size, 1):
            ctx.refuse(where, f"zip bomb suspected (compression ratio "
                              f"{info.file_size // max(info.compress_size, 1)}:1)")
            return None
    if total > _RATIO_MIN_SIZE and total > _MAX_RATIO * max(len(data), 1):
        ctx.refuse(where, f"zip bomb suspected (unpacks to {total} bytes from {len(data)})")
        return None
    if total > ctx.bytes_left:
        ctx.refuse(where, f"too large: unpacks to {total} bytes, more than {limits.max_bytes}")
        return None
    return zf


def _read_member(ctx: _Ctx, zf: zipfile.ZipFile, info: zipfile.ZipInfo, where: str) -> bytes:
    """A member, read with a bounded read: the declared size is not trusted, the unpacked-bytes budget is."""
    limit = min(info.file_size, ctx.bytes_left)
    with zf.open(info) as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        ctx.spend(where, len(data))  # raises when the budget is spent
        raise zipfile.BadZipFile("member larger than declared")
    ctx.spend(where, len(data))
    return data


def _member_name(info: zipfile.ZipInfo) -> str:
    name = info.filename
    if not info.flag_bits & 0x800:  # not flagged UTF-8, but many tools write UTF-8 anyway
        try:
            name = name.encode("cp437").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    name = "".join(ch for ch in name.replace("\\", "/") if ch.isprintable())
    return "/".join(p for p in name.split("/") if p not in ("", ".", "..")) or "(unnamed)"


def _zip(ctx: _Ctx, where: str, data: bytes, depth: int) -> None:
    if depth >= ctx.limits.max_depth:
        ctx.refuse(where, f"nested deeper than {ctx.limits.max_depth} levels")
        return
    zf = _open_zip(ctx, where, data, "ZIP archive")
    if zf is None:
        return
    with zf:
        for info in zf.infolist():
            ctx.check(where)
            if info.is_dir():
                continue
            name = _member_name(info)
            member = f"{where}/{name}"
            if info.flag_bits & 1:
                ctx.refuse(member, "encrypted archive entry")
                continue
            try:
                content = _read_member(ctx, zf, info, member)
            except _Stop:
                raise
            except Exception as e:
                ctx.refuse(member, f"damaged archive entry ({_why(e)})")
                continue
            _dispatch(ctx, member, name.rsplit("/", 1)[-1], "application/octet-stream", content, depth + 1)


def _read_package(ctx: _Ctx, where: str, data: bytes, label: str) -> dict[str, bytes] | None:
    """The parts of an OOXML or ODF file, when it passes the ZIP checks and none of its parts declares a DTD
    or entities; None (and the reason recorded) otherwise."""
    zf = _open_zip(ctx, where, data, f"{label} file")
    if zf is None:
        return None
    parts: dict[str, bytes] = {}
    with zf:
        for info in zf.infolist():
            ctx.check(where)
            if info.is_dir():
                continue
            if info.flag_bits & 1:
                ctx.refuse(where, f"encrypted {label} part")
                return None
            try:
                part = _read_member(ctx, zf, info, where)
            except _Stop:
                raise
            except Exception as e:
                ctx.refuse(where, f"damaged {label} file ({_why(e)})")
                return None
            if _DTD.search(part):
                ctx.refuse(where, "XML with a DTD/entities")
                return None
            parts[info.filename] = part
    return parts


def _safe_xml_parser():
    from lxml import etree
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


# ---------------------------------------------------------------------------------------------------------
# XLSX

def _number(v: float) -> str:
    if v != v or v in (float("inf"), float("-inf")):
        return str(v)
    if v.is_integer() and abs(v) < 1e21:
        return str(int(v))
    return f"{v:.15g}"


def cell_text(v) -> str:
    """A spreadsheet value as the text that is scanned: ISO dates, numbers without float noise."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return _number(v)
    if isinstance(v, dt.datetime):
        if (v.hour, v.minute, v.second, v.microsecond) == (0, 0, 0, 0):
            return v.date().isoformat()
        return v.isoformat(sep=" ", timespec="seconds" if not v.microsecond else "auto")
    if isinstance(v, (dt.date, dt.time)):
        return v.isoformat()
    return _one_line(str(v))


def _xlsx(ctx: _Ctx, where: str, data: bytes) -> None:
    if _read_package(ctx, where, data, "XLSX") is None:
        return
    import openpyxl
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception as e:
        ctx.refuse(where, f"damaged XLSX file ({_why(e)})")
        return
    try:
        for ws in wb.worksheets:
            ctx.check(where)
            if not hasattr(ws, "iter_rows"):  # a chart sheet
                continue
            if hasattr(ws, "reset_dimensions"):  # a wrong <dimension> must not make rows of empty cells
                ws.reset_dimensions()
            lines = _Lines(ctx, where)
            try:
                for row in ws.iter_rows(values_only=True):
                    cells = [cell_text(v) for v in row]
                    while cells and not cells[-1].strip():
                        cells.pop()
                    if cells:
                        lines.add("\t".join(cells))
                    else:
                        lines.count += 1
                        if lines.count % 256 == 0:
                            ctx.check(where)
            except _Stop:
                raise
            except Exception as e:
                ctx.refuse(where, f"damaged XLSX file ({_why(e)})")
            finally:
                lines.flush()
    finally:
        wb.close()


# ---------------------------------------------------------------------------------------------------------
# DOCX: the text of every story (body, headers, footers, footnotes, endnotes, comments), read from the XML so
# that text boxes, content controls, hyperlinks and tracked changes are not missed.

_W_NS = {"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
         "http://purl.oclc.org/ooxml/wordprocessingml/main"}
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_RUN_TEXT = {"t": None, "delText": None, "tab": "\t", "ptab": "\t", "br": "\n", "cr": "\n", "noBreakHyphen": "-"}
_DOCX_STORIES = [f"application/vnd.openxmlformats-officedocument.wordprocessingml.{k}+xml" for k in (
    "document.main", "header", "footer", "footnotes", "endnotes", "comments")] + [
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml"]


def _wl(el) -> str | None:
    """The local name of a WordprocessingML element, None for anything else."""
    tag = el.tag
    if not isinstance(tag, str) or not tag.startswith("{"):
        return None
    ns, _, local = tag[1:].partition("}")
    return local if ns in _W_NS else None


def run_text(r) -> str:
    out = []
    for c in r:
        local = _wl(c)
        if local in _RUN_TEXT:
            out.append(c.text or "" if _RUN_TEXT[local] is None else _RUN_TEXT[local])
    return "".join(out)


def paragraph_runs(p, out: list | None = None, fallback: bool = False) -> list:
    """The runs of a paragraph as (run, inside an mc:Fallback), without those of nested paragraphs (text
    boxes), which are paragraphs of their own."""
    if out is None:
        out = []
    for c in p:
        if not isinstance(c.tag, str):
            continue
        if c.tag == _FALLBACK:
            paragraph_runs(c, out, True)
            continue
        local = _wl(c)
        if local == "r":
            out.append((c, fallback))
        elif local not in ("p", "tbl", "txbxContent", "pPr", "rPr", "drawing", "pict", "object"):
            paragraph_runs(c, out, fallback)
    return out


def paragraph_text(p) -> str:
    return "".join(run_text(r) for r, fallback in paragraph_runs(p) if not fallback)


def _text_boxes(el, out: list) -> list:
    for c in el:
        if not isinstance(c.tag, str) or c.tag == _FALLBACK:
            continue
        local = _wl(c)
        if local == "txbxContent":
            out.append(c)
        elif local not in ("p", "tbl"):
            _text_boxes(c, out)
    return out


def _story_lines(el, add) -> None:
    for c in el:
        if not isinstance(c.tag, str) or c.tag == _FALLBACK:
            continue
        local = _wl(c)
        if local == "p":
            add(paragraph_text(c))
            for box in _text_boxes(c, []):
                _story_lines(box, add)
        elif local == "tbl":
            _table_lines(c, add)
        elif local not in ("sectPr", "pPr", "rPr", "tblPr", "tblGrid", "trPr", "tcPr"):
            _story_lines(c, add)


def _children(el, wanted: str):
    """Rows of a table or cells of a row, also inside content controls and custom XML."""
    for c in el:
        local = _wl(c)
        if local == wanted:
            yield c
        elif local in ("sdt", "sdtContent", "customXml"):
            yield from _children(c, wanted)


def _table_lines(tbl, add) -> None:
    for tr in _children(tbl, "tr"):
        cells, after = [], []
        for tc in _children(tr, "tc"):
            texts: list[str] = []
            for c in tc:
                local = _wl(c)
                if local == "tbl":
                    _table_lines(c, after.append)
                elif local == "p":
                    texts.append(paragraph_text(c))
                    for box in _text_boxes(c, []):
                        _story_lines(box, after.append)
                elif local != "tcPr":
                    _story_lines(c, texts.append)
            cells.append(_one_line(" ".join(t.strip() for t in texts if t.strip())))
        add("\t".join(cells).rstrip("\t"))
        for line in after:
            add(line)


def open_docx(data: bytes):
    """The python-docx package of a DOCX (also DOCM, DOTX: docx.Document() takes only plain documents)."""
    from docx.package import Package
    return Package.open(io.BytesIO(data))


def docx_stories(package) -> list:
    """(part, root element) of every story of a python-docx package, the body first."""
    from docx.opc.part import XmlPart
    from lxml import etree
    stories = []
    for part in package.iter_parts():
        if part.content_type not in _DOCX_STORIES:
            continue
        root = part.element if isinstance(part, XmlPart) else etree.fromstring(part.blob, _safe_xml_parser())
        stories.append((part, root))
    stories.sort(key=lambda s: "main+xml" not in s[0].content_type)
    return stories


def _docx(ctx: _Ctx, where: str, data: bytes) -> None:
    if _read_package(ctx, where, data, "DOCX") is None:
        return
    try:
        stories = docx_stories(open_docx(data))
    except Exception as e:
        ctx.refuse(where, f"damaged DOCX file ({_why(e)})")
        return
    lines = _Lines(ctx, where)
    try:
        for _, root in stories:
            _story_lines(root, lines.add)
    finally:
        lines.buf = [line.rstrip() for line in lines.buf]
        lines.flush()


# ---------------------------------------------------------------------------------------------------------
# ODS / ODT

_ODF_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_ODF_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_ODF_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_ODF_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_MAX_REPEAT = 50


def _odf_text(el) -> str:
    out: list[str] = []

    def walk(e):
        if e.text:
            out.append(e.text)
        for c in e:
            if isinstance(c.tag, str):
                if c.tag == f"{{{_ODF_TEXT}}}s":
                    out.append(" " * min(int(c.get(f"{{{_ODF_TEXT}}}c", "1") or 1), 100))
                elif c.tag == f"{{{_ODF_TEXT}}}tab":
                    out.append("\t")
                elif c.tag == f"{{{_ODF_TEXT}}}line-break":
                    out.append("\n")
                elif c.tag in (f"{{{_ODF_TEXT}}}p", f"{{{_ODF_TEXT}}}h"):
                    out.append(" ")
                    walk(c)
                else:
                    walk(c)
            if c.tail:
                out.append(c.tail)

    walk(el)
    return "".join(out).strip()


def _ods_cell(cell) -> str:
    kind = cell.get(f"{{{_ODF_OFFICE}}}value-type")
    if kind in ("float", "percentage", "currency"):
        try:
            return _number(float(cell.get(f"{{{_ODF_OFFICE}}}value")))
        except (TypeError, ValueError):
            pass
    elif kind == "date":
        value = cell.get(f"{{{_ODF_OFFICE}}}date-value") or ""
        return value[:10] if value.endswith("T00:00:00") or len(value) == 10 else value.replace("T", " ")
    elif kind == "boolean":
        return (cell.get(f"{{{_ODF_OFFICE}}}boolean-value") or "").upper()
    return _one_line(_odf_text(cell))


def _repeat(el, attr: str) -> int:
    try:
        return max(1, int(el.get(f"{{{_ODF_TABLE}}}{attr}", "1")))
    except ValueError:
        return 1


def _ods(ctx: _Ctx, where: str, data: bytes) -> None:
    parts = _read_package(ctx, where, data, "ODS")
    if parts is None:
        return
    from lxml import etree
    try:
        root = etree.fromstring(parts["content.xml"], _safe_xml_parser())
    except Exception as e:
        ctx.refuse(where, f"damaged ODS file ({_why(e)})")
        return
    for table in root.iter(f"{{{_ODF_TABLE}}}table"):
        lines = _Lines(ctx, where)
        try:
            for row in table.iter(f"{{{_ODF_TABLE}}}table-row"):
                cells: list[str] = []
                for cell in row:
                    if cell.tag not in (f"{{{_ODF_TABLE}}}table-cell", f"{{{_ODF_TABLE}}}covered-table-cell"):
                        continue
                    value = _ods_cell(cell)
                    cells.extend([value] * min(_repeat(cell, "number-columns-repeated"),
                                               _MAX_REPEAT if value else 1024))
                while cells and not cells[-1].strip():
                    cells.pop()
                if cells:
                    for _ in range(min(_repeat(row, "number-rows-repeated"), _MAX_REPEAT)):
                        lines.add("\t".join(cells))
        finally:
            lines.flush()


def _odt_lines(el, add) -> None:
    for c in el:
        if not isinstance(c.tag, str):
            continue
        if c.tag in (f"{{{_ODF_TEXT}}}p", f"{{{_ODF_TEXT}}}h"):
            add(_odf_text(c))
        elif c.tag == f"{{{_ODF_TABLE}}}table":
            for row in c.iter(f"{{{_ODF_TABLE}}}table-row"):
                cells = [_one_line(_odf_text(cell)) for cell in row
                         if cell.tag == f"{{{_ODF_TABLE}}}table-cell"]
                add("\t".join(cells).rstrip("\t"))
        else:
            _odt_lines(c, add)


def _odt(ctx: _Ctx, where: str, data: bytes) -> None:
    parts = _read_package(ctx, where, data, "ODT")
    if parts is None:
        return
    from lxml import etree
    try:
        content = etree.fromstring(parts["content.xml"], _safe_xml_parser())
        styles = etree.fromstring(parts["styles.xml"], _safe_xml_parser()) if "styles.xml" in parts else None
    except Exception as e:
        ctx.refuse(where, f"damaged ODT file ({_why(e)})")
        return
    lines = _Lines(ctx, where)
    try:
        for body in content.iter(f"{{{_ODF_OFFICE}}}body"):
            _odt_lines(body, lines.add)
        if styles is not None:  # headers and footers of the page styles
            for tag in ("header", "footer", "header-left", "footer-left", "header-first", "footer-first"):
                for el in styles.iter(f"{{{_ODF_STYLE}}}{tag}"):
                    _odt_lines(el, lines.add)
    finally:
        lines.flush()


# ---------------------------------------------------------------------------------------------------------
# OCR (tesseract CLI)

_OCR_LANGUAGES = ("lav", "lit", "ron", "slk", "rus", "eng")
_LANG_CACHE: dict[str, str] = {}
_MAX_PIXELS = 100_000_000


class _OcrError(Exception):
    pass


def _tesseract() -> tuple[str, str] | None:
    """(path, languages joined with "+") of the tesseract CLI, None when it is not installed. The language
    list is asked once per binary (installing tesseract later is noticed)."""
    path = shutil.which("tesseract")
    if not path:
        return None
    if path not in _LANG_CACHE:
        try:
            r = subprocess.run([path, "--list-langs"], capture_output=True, timeout=15, stdin=subprocess.DEVNULL)
        except (OSError, subprocess.SubprocessError):
            return None
        have = {line.strip() for line in r.stdout.decode("utf-8", "replace").splitlines()[1:]}
        _LANG_CACHE[path] = "+".join(lang for lang in _OCR_LANGUAGES if lang in have)
    return path, _LANG_CACHE[path]


def _image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from the header of a PNG, GIF, BMP or JPEG (before OCR tries to load it)."""
    try:
        if data.startswith(b"\x89PNG"):
            return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        if data[:4] in (b"GIF8",):
            return int.from_bytes(data[6:8], "little"), int.from_bytes(data[8:10], "little")
        if data[:2] == b"BM":
            return abs(int.from_bytes(data[18:22], "little", signed=True)), \
                abs(int.from_bytes(data[22:26], "little", signed=True))
        if data[:3] == b"\xff\xd8\xff":
            i = 2
            while i + 9 < len(data) and i < 1_000_000:
                if data[i] != 0xFF:
                    return None
                marker = data[i + 1]
                if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
                    return int.from_bytes(data[i + 7:i + 9], "big"), int.from_bytes(data[i + 5:i + 7], "big")
                if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
                    i += 2
                    continue
                i += 2 + int.from_bytes(data[i + 2:i + 4], "big")
    except Exception:
        return None
    return None


def _ocr_unavailable(ctx: _Ctx) -> str | None:
    if not ctx.limits.ocr:
        return "no OCR available"
    tess = _tesseract()
    if tess is None:
        return "no OCR available"
    if not tess[1]:
        return "no OCR languages installed"
    return None


def _ocr(ctx: _Ctx, data: bytes, ext: str) -> str:
    """The text tesseract reads in an image; _OcrError with the reason when it cannot."""
    tess = _tesseract()
    if tess is None or not tess[1]:
        raise _OcrError("no OCR available")
    size = _image_size(data)
    if size and size[0] * size[1] > _MAX_PIXELS:
        raise _OcrError(f"image too large for OCR ({size[0]}x{size[1]} pixels)")
    if ctx.ocr_left <= 0:
        raise _OcrError(f"OCR took longer than {ctx.limits.ocr_seconds:g} s")
    path, langs = tess
    started = time.monotonic()
    try:
        with tempfile.TemporaryDirectory(prefix="mailbot-ocr-") as tmp:
            image = os.path.join(tmp, "image" + ext)
            with open(image, "wb") as f:
                f.write(data)
            r = subprocess.run([path, image, "stdout", "-l", langs], capture_output=True, timeout=ctx.ocr_left,
                               stdin=subprocess.DEVNULL, cwd=tmp, env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    except subprocess.TimeoutExpired:
        ctx.ocr_left = 0
        raise _OcrError(f"OCR took longer than {ctx.limits.ocr_seconds:g} s") from None
    except OSError as e:
        raise _OcrError(f"OCR failed ({_why(e)})") from None
    finally:
        spent = time.monotonic() - started
        ctx.ocr_left -= spent
        ctx.deadline += spent  # OCR has its own budget
    if r.returncode != 0:
        messages = [line for line in r.stderr.decode("utf-8", "replace").splitlines() if line.strip()]
        raise _OcrError(f"OCR failed: {messages[-1][:200] if messages else f'exit status {r.returncode}'}")
    return r.stdout.decode("utf-8", "replace")


def _image(ctx: _Ctx, where: str, data: bytes) -> None:
    reason = _ocr_unavailable(ctx)
    if reason:
        ctx.refuse(where, f"image ({reason})")
        return
    try:
        text = _ocr(ctx, data, _image_ext(data) or ".img")
    except _OcrError as e:
        ctx.refuse(where, str(e))
        return
    ctx.emit(where, text)


# ---------------------------------------------------------------------------------------------------------
# PDF

def _pdf_images(obj, out: list, depth: int = 0) -> int:
    """Images of a page (or form XObject) as (extension, bytes) tesseract reads; returns how many images
    there are in all, supported or not."""
    from pypdf.generic import ArrayObject
    found = 0
    resources = obj.get("/Resources")
    resources = resources.get_object() if resources is not None else None
    xobjects = resources.get("/XObject") if resources is not None else None
    if xobjects is None:
        return 0
    for _, ref in list(xobjects.get_object().items())[:50]:
        x = ref.get_object()
        subtype = x.get("/Subtype")
        if subtype == "/Form" and depth < 2:
            found += _pdf_images(x, out, depth + 1)
            continue
        if subtype != "/Image":
            continue
        w, h = int(x.get("/Width", 0) or 0), int(x.get("/Height", 0) or 0)
        if w * h < 100_000:  # a logo or an icon, not a scanned page
            continue
        found += 1
        if w * h > _MAX_PIXELS:
            continue
        filters = x.get("/Filter")
        filters = [str(f) for f in filters] if isinstance(filters, ArrayObject) else [str(filters)] if filters else []
        last = filters[-1] if filters else None
        if last == "/DCTDecode":
            out.append((".jpg", x.get_data()))
        elif last == "/JPXDecode":
            out.append((".jp2", x.get_data()))
        elif last == "/CCITTFaxDecode":
            out.append((".tif", x.get_data()))
        elif last in (None, "/FlateDecode", "/LZWDecode", "/RunLengthDecode", "/ASCII85Decode", "/ASCIIHexDecode"):
            pnm = _pnm(x, w, h)
            if pnm:
                out.append((".pnm", pnm))
    return found


def _pnm(x, w: int, h: int) -> bytes | None:
    """Raw gray/RGB/bilevel image samples as a PNM file."""
    cs = x.get("/ColorSpace")
    cs = cs.get_object() if cs is not None else None
    comps = None
    if x.get("/ImageMask"):
        comps, bpc = 1, 1
    else:
        bpc = int(x.get("/BitsPerComponent", 8) or 8)
        name = str(cs[0]) if isinstance(cs, list) and cs else str(cs)
        if name in ("/DeviceGray", "/CalGray", "/G"):
            comps = 1
        elif name in ("/DeviceRGB", "/CalRGB", "/RGB"):
            comps = 3
        elif name == "/ICCBased" and len(cs) > 1:
            comps = int(cs[1].get_object().get("/N", 0) or 0)
    if comps not in (1, 3) or bpc not in (1, 8) or (bpc == 1 and comps != 1):
        return None
    raw = x.get_data()
    if bpc == 8:
        size = w * h * comps
        if len(raw) < size:
            return None
        return f"P{5 if comps == 1 else 6}\n{w} {h}\n255\n".encode() + raw[:size]
    size = (w + 7) // 8 * h
    if len(raw) < size:
        return None
    decode = x.get("/Decode")
    inverted = decode is not None and len(decode) == 2 and float(decode[0]) == 1
    # PDF samples: 0 is black (or, for a mask, painted); PBM: 1 is black
    body = raw[:size] if inverted else raw[:size].translate(bytes(255 - b for b in range(256)))
    return f"P4\n{w} {h}\n".encode() + body


def _page_text(page) -> str:
    """A page's text with its layout kept: a table's row stays one line, its columns apart (the detectors
    read tables by their columns); pypdf's plain mode, which gives one line per text run, if that fails."""
    try:
        return page.extract_text(extraction_mode="layout")
    except Exception:
        return page.extract_text()


def _pdf(ctx: _Ctx, where: str, data: bytes, depth: int) -> None:
    from pypdf import PdfReader
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings about damaged files are not ours to log
    if data.rfind(b"%%EOF", max(0, len(data) - 65536)) < 0:
        # pypdf would search the whole file backwards, line by line, for the end marker it lacks
        ctx.refuse(where, "damaged PDF file (no end-of-file marker)")
        return
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
    except Exception as e:
        ctx.refuse(where, f"damaged PDF file ({_why(e)})")
        return
    if encrypted:  # only an owner password (empty user password) still lets us read it
        try:
            readable = bool(reader.decrypt(""))
        except Exception:
            readable = False
        if not readable:
            ctx.refuse(where, "encrypted PDF")
            return
    try:
        n = len(reader.pages)
    except Exception as e:
        ctx.refuse(where, f"damaged PDF file ({_why(e)})")
        return
    limits = ctx.limits
    ocr_reason: str | None = None  # why OCR cannot run, asked at the first page that needs it
    any_text = ocr_errors = False
    scans: list[int] = []      # pages with images and no text
    ocr_pages: set[int] = set()  # ... of which OCR read at least one image
    lines = _Lines(ctx, where)
    try:
        for i in range(min(n, limits.max_pages)):
            ctx.check(where)
            try:
                page = reader.pages[i]
                text = (_page_text(page) or "").replace("\x00", "")
            except _Stop:
                raise
            except Exception as e:
                ctx.refuse(where, f"page {i + 1} unreadable ({_why(e)})")
                continue
            if text.strip():
                any_text = True
                lines.add(_normalise_newlines(text).strip("\n"))
                continue
            images: list[tuple[str, bytes]] = []
            try:
                found = _pdf_images(page, images)
            except _Stop:
                raise
            except Exception:
                found = 0
            if not found:
                continue
            scans.append(i + 1)
            if len(scans) == 1:
                ocr_reason = _ocr_unavailable(ctx)
            if ocr_reason:
                continue
            for ext, image in images[:10]:
                try:
                    text = _ocr(ctx, image, ext)
                except _OcrError as e:
                    ctx.refuse(where, f"page {i + 1}: {e}")
                    ocr_errors = True
                    continue
                ocr_pages.add(i + 1)
                if text.strip():
                    any_text = True
                    lines.add(_normalise_newlines(text).strip("\n"))
        try:
            fields = reader.get_form_text_fields() or {}
        except Exception:
            fields = {}
        for name, value in fields.items():
            if isinstance(value, str) and value.strip():
                any_text = True
                lines.add(f"{name}\t{_one_line(value)}")
    finally:
        lines.flush()
    why = (f" ({ocr_reason})" if ocr_reason else "" if ocr_errors else " (image format not supported by OCR)"
           ) if scans else ""
    unread = [page for page in scans if page not in ocr_pages]
    if not any_text and not ocr_pages and n:
        ctx.refuse(where, "PDF without a text layer" + why)
    elif unread:
        pages = ", ".join(map(str, unread[:20])) + (" ..." if len(unread) > 20 else "")
        ctx.refuse(where, f"pages without a text layer: {pages}{why}")
    if n > limits.max_pages:
        ctx.refuse(where, f"more than {limits.max_pages} pages: pages {limits.max_pages + 1}-{n} not scanned")
    try:
        attachments = reader.attachments
        names = list(attachments.keys())[:limits.max_entries]
    except Exception:
        return
    for name in names:
        ctx.check(where)
        member = f"{where}/{name}"
        if depth >= limits.max_depth:
            ctx.refuse(member, f"nested deeper than {limits.max_depth} levels")
            continue
        try:
            contents = attachments[name]
        except Exception as e:
            ctx.refuse(member, f"damaged embedded file ({_why(e)})")
            continue
        for content in contents:
            ctx.spend(member, len(content))
            _dispatch(ctx, member, name, "application/octet-stream", content, depth + 1)


# ---------------------------------------------------------------------------------------------------------
# Messages

def _eml(ctx: _Ctx, where: str, data: bytes, depth: int) -> None:
    if depth >= ctx.limits.max_depth:
        ctx.refuse(where, f"nested deeper than {ctx.limits.max_depth} levels")
        return
    from mailbot.pipeline.parse import parse
    msg = parse(data)
    ctx.emit(where, "\n".join(t for t in (msg.subject.strip(), msg.text) if t.strip()))
    used: set[str] = set()
    for att in msg.attachments:
        ctx.check(where)
        name = att.filename.replace("/", "_") or "attachment"
        if name in used:  # parse keeps names unique; this is only a guard
            name = f"{len(used)}-{name}"
        used.add(name)
        _dispatch(ctx, f"{where}/{name}", att.filename, att.content_type, att.data, depth + 1)


# ---------------------------------------------------------------------------------------------------------

def _dispatch(ctx: _Ctx, where: str, filename: str, content_type: str, data: bytes, depth: int) -> None:
    ctx.check(where)
    try:
        kind, reason = detect_kind(filename, content_type, data)
        if kind == "refuse":
            ctx.refuse(where, reason or "unknown format")
        elif kind == "text":
            _text(ctx, where, data)
        elif kind in ("csv", "tsv"):
            _csv(ctx, where, data, kind == "tsv")
        elif kind == "html":
            _html(ctx, where, data)
        elif kind == "eml":
            _eml(ctx, where, data, depth)
        elif kind == "xlsx":
            _xlsx(ctx, where, data)
        elif kind == "docx":
            _docx(ctx, where, data)
        elif kind == "ods":
            _ods(ctx, where, data)
        elif kind == "odt":
            _odt(ctx, where, data)
        elif kind == "pdf":
            _pdf(ctx, where, data, depth)
        elif kind == "zip":
            _zip(ctx, where, data, depth)
        elif kind == "image":
            _image(ctx, where, data)
        else:
            ctx.refuse(where, f"unknown format ({_bare_type(content_type) or 'application/octet-stream'})")
    except _Stop:
        raise
    except RecursionError:
        ctx.refuse(where, "nested too deeply (RecursionError)")
    except Exception as e:
        ctx.refuse(where, f"could not be read ({_why(e)})")


def extract(filename: str, content_type: str, data: bytes, limits: Limits = Limits()) -> Extraction:
    """The text of one attachment, as segments to scan, and what could not be scanned. Never raises."""
    ctx = _Ctx(limits)
    where = (filename or "").replace("\n", " ").strip() or "attachment"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _dispatch(ctx, where, filename or "", content_type or "", bytes(data or b""), 0)
    except _Stop as stop:
        ctx.refuse(stop.where, stop.reason)
    except Exception as e:  # never raises: whatever went wrong is reported
        ctx.refuse(where, _why(e))
    return Extraction(ctx.segments, ctx.unscannable)


__all__ = ["Limits", "Segment", "Extraction", "extract", "detect_kind", "decode_text", "cell_text", "open_docx",
           "docx_stories"]
