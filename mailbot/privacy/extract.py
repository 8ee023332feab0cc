"""Attachments turned into text segments for the personal-data guard, bounded and safe against hostile input.

Every attachment of a client's mail is scanned for personal data before the mail is stored; `extract` turns one
attachment into `Segment`s of text (tables as rows of TAB-separated cells, whatever the format) and lists what
it could not scan and why (`Extraction.unscannable`), so that the caller never mistakes "nothing found" for
"nothing readable".

This module only dispatches: `mailbot.privacy.kinds` says what format a file really is (by file extension and
content type, checked against the file's own signature), `READERS` maps that kind to its reader in
`mailbot.privacy.formats`, and files found inside others (archive members, a PDF's embedded files, a forwarded
message's attachments) come back through the same dispatch. Hostile input is bounded before any library sees
it (`mailbot.privacy.limits`): ZIP containers are checked entry by entry before anything is unpacked, XML with
a DTD or entity declarations is refused, nesting is limited, and a wall-clock deadline, a text budget and an
unpacked-bytes budget are checked between rows, pages and entries.

`extract` never raises and never writes to disk, except a private temporary directory for OCR (tesseract,
when installed), which is removed afterwards.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field

from mailbot.privacy.formats import Reader
from mailbot.privacy.formats.archive import read_zip
from mailbot.privacy.formats.docx import docx_stories, open_docx, read_docx
from mailbot.privacy.formats.image import read_image
from mailbot.privacy.formats.message import read_message
from mailbot.privacy.formats.odf import read_ods, read_odt
from mailbot.privacy.formats.pdf import read_pdf
from mailbot.privacy.formats.text import decode_text, read_csv, read_html, read_text, read_tsv
from mailbot.privacy.formats.xlsx import cell_text, read_xlsx
from mailbot.privacy.kinds import bare_type, detect_kind
from mailbot.privacy.limits import Ctx, Limits, Segment, Stop, error_name


@dataclass
class Extraction:
    segments: list[Segment] = field(default_factory=list)
    unscannable: list[tuple[str, str]] = field(default_factory=list)   # (where, reason)


# The reader of each kind `detect_kind` returns ("refuse" is not a format: the file is reported unscannable).
READERS: dict[str, Reader] = {
    "text": read_text, "csv": read_csv, "tsv": read_tsv, "html": read_html,
    "eml": read_message,
    "xlsx": read_xlsx, "docx": read_docx,
    "ods": read_ods, "odt": read_odt,
    "pdf": read_pdf,
    "zip": read_zip,
    "image": read_image,
}


def _dispatch(ctx: Ctx, where: str, filename: str, content_type: str, data: bytes, depth: int) -> None:
    ctx.check(where)
    try:
        kind, reason = detect_kind(filename, content_type, data)
        reader = READERS.get(kind)
        if kind == "refuse":
            ctx.refuse(where, reason or "unknown format")
        elif reader is None:
            ctx.refuse(where, f"unknown format ({bare_type(content_type) or 'application/octet-stream'})")
        else:
            reader(ctx, where, data, depth)
    except Stop:
        raise
    except RecursionError:
        ctx.refuse(where, "nested too deeply (RecursionError)")
    except Exception as e:
        ctx.refuse(where, f"could not be read ({error_name(e)})")


def extract(filename: str, content_type: str, data: bytes, limits: Limits = Limits()) -> Extraction:
    """The text of one attachment, as segments to scan, and what could not be scanned. Never raises."""
    ctx = Ctx(limits, _dispatch)
    where = (filename or "").replace("\n", " ").strip() or "attachment"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _dispatch(ctx, where, filename or "", content_type or "", bytes(data or b""), 0)
    except Stop as stop:
        ctx.refuse(stop.where, stop.reason)
    except Exception as e:  # never raises: whatever went wrong is reported
        ctx.refuse(where, error_name(e))
    return Extraction(ctx.segments, ctx.unscannable)


__all__ = ["Limits", "Segment", "Extraction", "extract", "detect_kind", "decode_text", "cell_text", "open_docx",
           "docx_stories"]
