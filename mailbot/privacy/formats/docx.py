"""Word documents (DOCX, DOCM, DOTX, DOTM): the reader and the redactor.

Both work on the WordprocessingML of every story (body, headers, footers, footnotes, endnotes, comments)
rather than on python-docx's paragraphs, so that text boxes, content controls, hyperlinks and tracked changes
are neither missed when scanning nor left behind when redacting. Tables are scanned as rows of TAB-separated
cells. The redactor rewrites a paragraph whose text changes into its first run, keeping the formatting and
pictures of the others, and also rewrites field codes and document properties. Both refuse a file that fails
the ZIP and DTD checks before python-docx sees it.
"""
from __future__ import annotations

import io

from mailbot.privacy.formats import Substitute, redact_properties
from mailbot.privacy.formats.text import one_line
from mailbot.privacy.limits import Ctx, Limits, Lines, error_name, read_package, safe_xml_parser

# The document's metadata that can hold a name.
_PROPERTIES = ("author", "last_modified_by", "title", "subject", "comments", "keywords", "category")


_W_NS = {"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
         "http://purl.oclc.org/ooxml/wordprocessingml/main"}
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_RUN_TEXT = {"t": None, "delText": None, "tab": "\t", "ptab": "\t", "br": "\n", "cr": "\n", "noBreakHyphen": "-"}
_DOCX_STORIES = [f"application/vnd.openxmlformats-officedocument.wordprocessingml.{k}+xml" for k in (
    "document.main", "header", "footer", "footnotes", "endnotes", "comments")] + [
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml"]


def wl(el) -> str | None:
    """The local name of a WordprocessingML element, None for anything else."""
    tag = el.tag
    if not isinstance(tag, str) or not tag.startswith("{"):
        return None
    ns, _, local = tag[1:].partition("}")
    return local if ns in _W_NS else None


def run_text(r) -> str:
    out = []
    for c in r:
        local = wl(c)
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
        local = wl(c)
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
        local = wl(c)
        if local == "txbxContent":
            out.append(c)
        elif local not in ("p", "tbl"):
            _text_boxes(c, out)
    return out


def _story_lines(el, add) -> None:
    for c in el:
        if not isinstance(c.tag, str) or c.tag == _FALLBACK:
            continue
        local = wl(c)
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
        local = wl(c)
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
                local = wl(c)
                if local == "tbl":
                    _table_lines(c, after.append)
                elif local == "p":
                    texts.append(paragraph_text(c))
                    for box in _text_boxes(c, []):
                        _story_lines(box, after.append)
                elif local != "tcPr":
                    _story_lines(c, texts.append)
            cells.append(one_line(" ".join(t.strip() for t in texts if t.strip())))
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
        root = part.element if isinstance(part, XmlPart) else etree.fromstring(part.blob, safe_xml_parser())
        stories.append((part, root))
    stories.sort(key=lambda s: "main+xml" not in s[0].content_type)
    return stories


def read_docx(ctx: Ctx, where: str, data: bytes, depth: int) -> None:
    if read_package(ctx, where, data, "DOCX") is None:
        return
    try:
        stories = docx_stories(open_docx(data))
    except Exception as e:
        ctx.refuse(where, f"damaged DOCX file ({error_name(e)})")
        return
    lines = Lines(ctx, where)
    try:
        for _, root in stories:
            _story_lines(root, lines.add)
    finally:
        lines.buf = [line.rstrip() for line in lines.buf]
        lines.flush()


# ---------------------------------------------------------------------------------------------------------
# Redactor

_TEXT_CHILDREN = {"t", "delText", "tab", "ptab", "br", "cr", "noBreakHyphen", "softHyphen"}


def redact_docx(filename: str, data: bytes, substitute: Substitute, limits: Limits) -> bytes | None:
    if read_package(Ctx(limits), filename, data, "DOCX") is None:
        return None
    from docx.opc.part import XmlPart
    from lxml import etree
    package = open_docx(data)
    for part, root in docx_stories(package):
        if _redact_story(root, substitute) and not isinstance(part, XmlPart):
            part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    redact_properties(package.core_properties, _PROPERTIES, substitute)
    out = io.BytesIO()
    package.save(out)
    return out.getvalue()


def _redact_story(root, substitute: Substitute) -> bool:
    """Every paragraph (body, tables, nested tables, text boxes) whose text `substitute` changes gets the new
    text in its first run, and its other runs lose their text (their formatting and pictures stay)."""
    changed = False
    paragraphs = [el for el in root.iter() if wl(el) == "p"]
    for p in paragraphs:
        runs = paragraph_runs(p)
        text = "".join(run_text(r) for r, fallback in runs if not fallback)
        new = substitute(text)
        if new != text:
            _set_text(runs, new)
            changed = True
    for el in list(root.iter()):
        if wl(el) == "instrText" and el.text:  # field codes: HYPERLINK "mailto:..." and the like
            new = substitute(el.text)
            if new != el.text:
                el.text = new
                changed = True
    return changed


def _set_text(runs: list, text: str) -> None:
    first, index = None, 0
    for r, fallback in runs:
        for i, c in enumerate(list(r)):
            if wl(c) in _TEXT_CHILDREN:
                if first is None and not fallback:
                    first, index = r, list(r).index(c)
                r.remove(c)
    if first is None:
        if not runs:
            return
        first = runs[0][0]
        index = len(first)
    ns = first.tag[1:].partition("}")[0]
    inside_del = wl(first.getparent()) == "del" if first.getparent() is not None else False
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
