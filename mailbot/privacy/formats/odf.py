"""OpenDocument spreadsheets and text documents (ODS, ODT): the readers; they have no redactor, so
`mailbot.privacy.rewrite` drops them when they hold personal data.

ODS sheets are scanned as rows of TAB-separated cells with their typed values (numbers without float noise,
ISO dates). A repeated cell or row is scanned a bounded number of times: a file can declare a row repeated
a million times in a few bytes. ODT documents are scanned paragraph by paragraph, tables as rows, and the
headers and footers of the page styles too. Both refuse a file that fails the ZIP and DTD checks before lxml
sees it.
"""
from __future__ import annotations

from mailbot.privacy.formats.text import number_text, one_line
from mailbot.privacy.limits import Ctx, Lines, error_name, read_package, safe_xml_parser


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
            return number_text(float(cell.get(f"{{{_ODF_OFFICE}}}value")))
        except (TypeError, ValueError):
            pass
    elif kind == "date":
        value = cell.get(f"{{{_ODF_OFFICE}}}date-value") or ""
        return value[:10] if value.endswith("T00:00:00") or len(value) == 10 else value.replace("T", " ")
    elif kind == "boolean":
        return (cell.get(f"{{{_ODF_OFFICE}}}boolean-value") or "").upper()
    return one_line(_odf_text(cell))


def _repeat(el, attr: str) -> int:
    try:
        return max(1, int(el.get(f"{{{_ODF_TABLE}}}{attr}", "1")))
    except ValueError:
        return 1


def read_ods(ctx: Ctx, where: str, data: bytes, depth: int) -> None:
    parts = read_package(ctx, where, data, "ODS")
    if parts is None:
        return
    from lxml import etree
    try:
        root = etree.fromstring(parts["content.xml"], safe_xml_parser())
    except Exception as e:
        ctx.refuse(where, f"damaged ODS file ({error_name(e)})")
        return
    for table in root.iter(f"{{{_ODF_TABLE}}}table"):
        lines = Lines(ctx, where)
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
                cells = [one_line(_odf_text(cell)) for cell in row
                         if cell.tag == f"{{{_ODF_TABLE}}}table-cell"]
                add("\t".join(cells).rstrip("\t"))
        else:
            _odt_lines(c, add)


def read_odt(ctx: Ctx, where: str, data: bytes, depth: int) -> None:
    parts = read_package(ctx, where, data, "ODT")
    if parts is None:
        return
    from lxml import etree
    try:
        content = etree.fromstring(parts["content.xml"], safe_xml_parser())
        styles = etree.fromstring(parts["styles.xml"], safe_xml_parser()) if "styles.xml" in parts else None
    except Exception as e:
        ctx.refuse(where, f"damaged ODT file ({error_name(e)})")
        return
    lines = Lines(ctx, where)
    try:
        for body in content.iter(f"{{{_ODF_OFFICE}}}body"):
            _odt_lines(body, lines.add)
        if styles is not None:  # headers and footers of the page styles
            for tag in ("header", "footer", "header-left", "footer-left", "header-first", "footer-first"):
                for el in styles.iter(f"{{{_ODF_STYLE}}}{tag}"):
                    _odt_lines(el, lines.add)
    finally:
        lines.flush()
