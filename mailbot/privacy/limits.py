"""The bounds on reading one attachment, and the checks hostile input must pass before any library sees it.

Every reader in `mailbot.privacy.formats` works inside one `Ctx` per attachment: a wall-clock deadline, a text
budget and an unpacked-bytes budget, checked between rows, pages and entries, so that a crafted file costs
bounded time and memory whatever its format. When a budget of the whole attachment is spent, `Stop` ends the
reading and `mailbot.privacy.extract` reports why; what was read before is still scanned.

ZIP containers (archives and OOXML/ODF files) are checked entry by entry before anything is unpacked (count,
declared sizes, compression ratio, encryption), every member is read with a bounded read, and XML with a DTD
or entity declarations is refused (billion laughs). These checks live here, not with one format, because the
archive reader, the XLSX, DOCX, ODS and ODT readers and the XLSX and DOCX redactors all rely on them.
"""
from __future__ import annotations

import io
import re
import time
import zipfile
from dataclasses import dataclass
from typing import Callable


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


# ---------------------------------------------------------------------------------------------------------
# Bookkeeping: budgets and the deadline of one attachment

class Stop(Exception):
    """A budget of the whole attachment is spent: nothing more is scanned, and (where, reason) says why."""

    def __init__(self, where: str, reason: str):
        super().__init__(reason)
        self.where, self.reason = where, reason


# How a container hands on a file found inside it: (ctx, where, filename, content_type, data, depth).
Dispatch = Callable[["Ctx", str, str, str, bytes, int], None]


class Ctx:
    """The reading of one attachment: its limits, the budgets left, the deadline, and what was read (`segments`)
    and what could not be (`unscannable`) so far. `dispatch` is how `nested` reads a file found inside
    another; `mailbot.privacy.extract` gives its own, so that the format modules need not import it."""

    def __init__(self, limits: Limits, dispatch: Dispatch | None = None):
        self.limits = limits
        self.dispatch = dispatch
        self.deadline = time.monotonic() + limits.max_seconds
        self.segments: list[Segment] = []
        self.unscannable: list[tuple[str, str]] = []
        self.chars = 0
        self.bytes_left = limits.max_bytes
        self.ocr_left = limits.ocr_seconds

    def check(self, where: str) -> None:
        if time.monotonic() > self.deadline:
            raise Stop(where, f"took longer than {self.limits.max_seconds:g} s")

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
            raise Stop(where, f"more than {self.limits.max_chars} characters of text")
        self.segments.append(Segment(where, text))
        self.chars += len(text)

    def spend(self, where: str, n: int) -> None:
        if n > self.bytes_left:
            self.bytes_left = 0
            raise Stop(where, f"more than {self.limits.max_bytes} bytes unpacked")
        self.bytes_left -= n

    def nested(self, where: str, filename: str, content_type: str, data: bytes, depth: int) -> None:
        """Reads a file found inside the attachment (a ZIP member, a file embedded in a PDF, an attachment of a
        forwarded message) as its format requires, within the same budgets."""
        if self.dispatch is None:
            raise RuntimeError("this context reads no nested files")
        self.dispatch(self, where, filename, content_type, data, depth)


def error_name(e: BaseException) -> str:
    """An exception's class name for a reason ("zlib.error" rather than "error")."""
    name = type(e).__name__
    return f"{type(e).__module__}.{name}" if name == "error" else name


class Lines:
    """One segment built line by line; stays within the text budget and checks the deadline as it grows.
    Use `flush` in a finally: what was read before a budget ran out is still scanned."""

    def __init__(self, ctx: Ctx, where: str):
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
# ZIP containers: the checks made before an archive, an OOXML or an ODF file is unpacked

_RATIO_MIN_SIZE = 1 << 20  # smaller entries cannot hurt, whatever their ratio
_MAX_RATIO = 200
_DTD = re.compile(rb"<!(?i:DOCTYPE|ENTITY)|<\x00!\x00[DdEe]\x00|\x00<\x00!\x00[DdEe]")


def open_zip(ctx: Ctx, where: str, data: bytes, label: str) -> zipfile.ZipFile | None:
    """The archive, if every entry passes the checks made before anything is unpacked."""
    limits = ctx.limits
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except Exception as e:
        ctx.refuse(where, f"damaged {label} ({error_name(e)})")
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


def read_member(ctx: Ctx, zf: zipfile.ZipFile, info: zipfile.ZipInfo, where: str) -> bytes:
    """A member, read with a bounded read: the declared size is not trusted, the unpacked-bytes budget is."""
    limit = min(info.file_size, ctx.bytes_left)
    with zf.open(info) as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        ctx.spend(where, len(data))  # raises when the budget is spent
        raise zipfile.BadZipFile("member larger than declared")
    ctx.spend(where, len(data))
    return data


def read_package(ctx: Ctx, where: str, data: bytes, label: str) -> dict[str, bytes] | None:
    """The parts of an OOXML or ODF file, when it passes the ZIP checks and none of its parts declares a DTD
    or entities; None (and the reason recorded) otherwise."""
    zf = open_zip(ctx, where, data, f"{label} file")
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
                part = read_member(ctx, zf, info, where)
            except Stop:
                raise
            except Exception as e:
                ctx.refuse(where, f"damaged {label} file ({error_name(e)})")
                return None
            if _DTD.search(part):
                ctx.refuse(where, "XML with a DTD/entities")
                return None
            parts[info.filename] = part
    return parts


def safe_xml_parser():
    from lxml import etree
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
