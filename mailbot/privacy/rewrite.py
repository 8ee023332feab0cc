"""Redacted copies of attachments: the personal data the guard found replaced, the rest of the file kept.

`redact_file` rewrites text files (CSV, TXT, HTML, ...), XLSX and DOCX; everything else (PDF, images,
archives, messages, unknown formats) and anything that fails the safety checks of `mailbot.privacy.extract`
gives None, and the caller drops the attachment. A rewritten XLSX or DOCX is only returned when a fresh
extraction of it, and the text of every XML part in it, no longer changes under `substitute`: text we did not
reach (a text box, a footnote, a cached copy) means None rather than a copy that still holds the data.
"""
from __future__ import annotations

import codecs
import dataclasses
import io
import warnings
import zipfile
from typing import Callable

from mailbot.privacy.extract import (Limits, _Ctx, _read_package, _safe_xml_parser, _wl, cell_text, decode_text,
                                     detect_kind, docx_stories, extract, open_docx, paragraph_runs,
                                     run_text)

Substitute = Callable[[str], str]


def redact_file(filename: str, content_type: str, data: bytes, substitute: Substitute,
                limits: Limits = Limits()) -> bytes | None:
    """The file with `substitute` applied to its text, or None when this kind of file cannot be redacted."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            kind, _ = detect_kind(filename or "", content_type or "", data)
            if kind in ("text", "csv", "tsv", "html"):
                return _redact_text(data, substitute, html=kind == "html")
            if kind == "xlsx":
                out = _redact_xlsx(filename, data, substitute, limits)
            elif kind == "docx":
                out = _redact_docx(filename, data, substitute, limits)
            else:
                return None
            if out is None or not _clean(filename, content_type, out, substitute, limits):
                return None
            return out
    except Exception:  # whatever fails, the attachment is dropped rather than stored unredacted
        return None


# ---------------------------------------------------------------------------------------------------------

def _redact_text(data: bytes, substitute: Substitute, html: bool) -> bytes:
    text, codec, bom = decode_text(data, html=html)
    new = substitute(text)
    if new == text:
        return data
    try:
        return bom + new.encode(codec)
    except (UnicodeEncodeError, LookupError):
        # UTF-8 keeps a UTF-8 BOM; an HTML file gets one, or its meta charset would be believed
        return (codecs.BOM_UTF8 if bom == codecs.BOM_UTF8 or html else b"") + new.encode("utf-8")


# ---------------------------------------------------------------------------------------------------------
# XLSX

def _redact_xlsx(filename: str, data: bytes, substitute: Substitute, limits: Limits) -> bytes | None:
    if _read_package(_Ctx(limits), filename, data, "XLSX") is None:
        return None
    import openpyxl
    # data_only: formulas are replaced by their values, or a formula could rebuild what was removed
    wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True, keep_links=False, keep_vba=False)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                _redact_cell(cell, substitute)
        for hf in (ws.oddHeader, ws.oddFooter, ws.evenHeader, ws.evenFooter, ws.firstHeader, ws.firstFooter):
            for part in (hf.left, hf.center, hf.right):
                if part.text:
                    part.text = substitute(part.text)
        # copies of the data that cannot be rewritten: pivot caches, chart caches, pictures
        ws._pivots = []
        ws._charts = []
        ws._images = []
    props = wb.properties
    for attr in ("creator", "lastModifiedBy", "title", "subject", "description", "keywords", "category"):
        value = getattr(props, attr, None)
        if isinstance(value, str) and value:
            setattr(props, attr, substitute(value))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _redact_cell(cell, substitute: Substitute) -> None:
    value = cell.value
    if value is not None:
        # a string as it is; a number or a date as the text extract scanned (personal codes stored as numbers)
        text = value if isinstance(value, str) else cell_text(value)
        new = substitute(text)
        if new != text:
            cell.value = new
            cell.data_type = "s"  # never a formula, whatever the new text starts with
            if not isinstance(value, str):
                cell.number_format = "@"
    if cell.comment is not None:
        comment = cell.comment
        text, author = comment.text or "", comment.author or ""
        if substitute(text) != text or substitute(author) != author:
            from openpyxl.comments import Comment
            cell.comment = Comment(substitute(text), substitute(author))


# ---------------------------------------------------------------------------------------------------------
# DOCX

_TEXT_CHILDREN = {"t", "delText", "tab", "ptab", "br", "cr", "noBreakHyphen", "softHyphen"}


def _redact_docx(filename: str, data: bytes, substitute: Substitute, limits: Limits) -> bytes | None:
    if _read_package(_Ctx(limits), filename, data, "DOCX") is None:
        return None
    from docx.opc.part import XmlPart
    from lxml import etree
    package = open_docx(data)
    for part, root in docx_stories(package):
        if _redact_story(root, substitute) and not isinstance(part, XmlPart):
            part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    props = package.core_properties
    for attr in ("author", "last_modified_by", "title", "subject", "comments", "keywords", "category"):
        value = getattr(props, attr, None)
        if isinstance(value, str) and value:
            setattr(props, attr, substitute(value))
    out = io.BytesIO()
    package.save(out)
    return out.getvalue()


def _redact_story(root, substitute: Substitute) -> bool:
    """Every paragraph (body, tables, nested tables, text boxes) whose text `substitute` changes gets the new
    text in its first run, and its other runs lose their text (their formatting and pictures stay)."""
    changed = False
    paragraphs = [el for el in root.iter() if _wl(el) == "p"]
    for p in paragraphs:
        runs = paragraph_runs(p)
        text = "".join(run_text(r) for r, fallback in runs if not fallback)
        new = substitute(text)
        if new != text:
            _set_text(runs, new)
            changed = True
    for el in list(root.iter()):
        if _wl(el) == "instrText" and el.text:  # field codes: HYPERLINK "mailto:..." and the like
            new = substitute(el.text)
            if new != el.text:
                el.text = new
                changed = True
    return changed


def _set_text(runs: list, text: str) -> None:
    first, index = None, 0
    for r, fallback in runs:
        for i, c in enumerate(list(r)):
            if _wl(c) in _TEXT_CHILDREN:
                if first is None and not fallback:
                    first, index = r, list(r).index(c)
                r.remove(c)
    if first is None:
        if not runs:
            return
        first = runs[0][0]
        index = len(first)
    ns = first.tag[1:].partition("}")[0]
    inside_del = _wl(first.getparent()) == "del" if first.getparent() is not None else False
    for el in reversed(_content(first, ns, text, "delText" if inside_del else "t")):
        first.insert(index, el)


def _content(run, ns: str, text: str, t: str) -> list:
    """Elements for `text` in a run: w:t pieces, w:tab for tabs, w:br for line breaks."""
    out = []
    for n, line in enumerate(text.split("\n")):
        if n:
            out.append(run.makeelement(f"{{{ns}}}br", {}))
        for m, piece in enumerate(line.split("\t")):
            if m:
                out.append(run.makeelement(f"{{{ns}}}tab", {}))
            if piece:
                el = run.makeelement(f"{{{ns}}}{t}", {"{http://www.w3.org/XML/1998/namespace}space": "preserve"})
                el.text = piece
                out.append(el)
    return out


# ---------------------------------------------------------------------------------------------------------
# The check of a rewritten Office file

def _clean(filename: str, content_type: str, out: bytes, substitute: Substitute, limits: Limits) -> bool:
    """Nothing `substitute` would still change: not in what extract reads, not in any XML part's text."""
    check = extract(filename, content_type, out, dataclasses.replace(limits, ocr=False))
    if check.unscannable:
        return False
    if any(substitute(seg.text) != seg.text for seg in check.segments):
        return False
    from lxml import etree
    texts: list[str] = []
    with zipfile.ZipFile(io.BytesIO(out)) as zf:
        for info in zf.infolist():
            if not info.filename.lower().endswith((".xml", ".vml")):
                continue
            root = etree.fromstring(zf.read(info), _safe_xml_parser())
            for el in root.iter():
                if isinstance(el.tag, str) and el.text and el.text.strip():
                    texts.append(el.text)
                if _wl(el) == "p":  # a paragraph's text split over runs
                    texts.append("".join(run_text(r) for r, _ in paragraph_runs(el)))
    joined = "\n".join(texts)
    return substitute(joined) == joined
