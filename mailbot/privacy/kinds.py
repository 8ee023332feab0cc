"""What format an attachment really is, from its name, its declared content type and its own signature.

Mail often says application/octet-stream, and names lie: the declared format (file extension, then content
type) is checked against the file's signature, so that a PDF or an Office file is read as what it is whatever
it is called, and garbage called .xlsx is reported, not fed to a library. Formats that cannot be scanned (old
binary Office files, encrypted documents, unknown binaries) are named here, so that the reason reaches the
client. `mailbot.privacy.extract` and `mailbot.privacy.rewrite` dispatch on the kind this module returns.
"""
from __future__ import annotations

import io
import os
import re
import zipfile

from mailbot.privacy.formats.text import looks_text


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


def image_ext(data: bytes) -> str | None:
    """The extension of an image format tesseract reads, from the file's signature; None for anything else."""
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
    if image_ext(data):
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


def bare_type(content_type: str) -> str:
    return (content_type or "").split(";")[0].strip().lower()


def detect_kind(filename: str, content_type: str, data: bytes) -> tuple[str, str | None]:
    """The format of an attachment: ("text"|"csv"|"tsv"|"html"|"eml"|"xlsx"|"docx"|"ods"|"odt"|"pdf"|"zip"|
    "image", None), or ("refuse", reason) for what cannot be scanned."""
    ctype = bare_type(content_type)
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
        if not looks_text(data):
            return "refuse", _LEGACY[declared]
        return ("html" if data.lstrip()[:1] == b"<" else "csv" if declared in ("xls", "xlsb") else "text"), None
    if declared is not None:
        return declared, None
    if looks_text(data):
        return ("eml" if _HEADER_LINE.match(data.lstrip()[:200]) else "text"), None
    return "refuse", f"unknown format ({ctype or 'application/octet-stream'})"
