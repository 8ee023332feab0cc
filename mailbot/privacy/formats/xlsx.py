"""Excel workbooks (XLSX, XLSM, XLTX, XLTM): the reader and the redactor.

The reader scans every worksheet as rows of TAB-separated cells with the values Excel last computed, dates
as ISO dates and numbers without float noise (`cell_text`), so that a personal code stored as a number or a
birth date stored as a date is found like one typed as text. The redactor rewrites the same values (and
comments, headers and footers, document properties) and drops what cannot be rewritten: formulas, pivot
and chart caches, pictures. Both refuse a file that fails the ZIP and DTD checks before openpyxl sees it.
"""
from __future__ import annotations

import datetime as dt
import io

from mailbot.privacy.formats import Substitute, redact_properties
from mailbot.privacy.formats.text import number_text, one_line
from mailbot.privacy.limits import Ctx, Limits, Lines, Stop, error_name, read_package

# The document's metadata that can hold a name.
_PROPERTIES = ("creator", "lastModifiedBy", "title", "subject", "description", "keywords", "category")


def cell_text(v) -> str:
    """A spreadsheet value as the text that is scanned: ISO dates, numbers without float noise."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return number_text(v)
    if isinstance(v, dt.datetime):
        if (v.hour, v.minute, v.second, v.microsecond) == (0, 0, 0, 0):
            return v.date().isoformat()
        return v.isoformat(sep=" ", timespec="seconds" if not v.microsecond else "auto")
    if isinstance(v, (dt.date, dt.time)):
        return v.isoformat()
    return one_line(str(v))


def read_xlsx(ctx: Ctx, where: str, data: bytes, depth: int) -> None:
    if read_package(ctx, where, data, "XLSX") is None:
        return
    import openpyxl
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception as e:
        ctx.refuse(where, f"damaged XLSX file ({error_name(e)})")
        return
    try:
        for ws in wb.worksheets:
            ctx.check(where)
            if not hasattr(ws, "iter_rows"):  # a chart sheet
                continue
            if hasattr(ws, "reset_dimensions"):  # a wrong <dimension> must not make rows of empty cells
                ws.reset_dimensions()
            lines = Lines(ctx, where)
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
            except Stop:
                raise
            except Exception as e:
                ctx.refuse(where, f"damaged XLSX file ({error_name(e)})")
            finally:
                lines.flush()
    finally:
        wb.close()


# ---------------------------------------------------------------------------------------------------------
# Redactor

def redact_xlsx(filename: str, data: bytes, substitute: Substitute, limits: Limits) -> bytes | None:
    if read_package(Ctx(limits), filename, data, "XLSX") is None:
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
    redact_properties(wb.properties, _PROPERTIES, substitute)
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
