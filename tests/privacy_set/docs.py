"""Byte-for-byte reproducible renderers for the attachments of the test set (CSV, XLSX, DOCX, PDF, HTML, XML,
ZIP, PNG). Office files are re-packed with fixed timestamps and fixed core properties, PDFs are written with
reportlab's invariant mode, so the same input always gives the same bytes."""
from __future__ import annotations

import datetime
import html
import io
import re
import struct
import zipfile
import zlib
from pathlib import Path

FONT_DIRS = ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF",
             "/usr/local/share/fonts", "/Library/Fonts", "C:/Windows/Fonts"]


def find_font(name: str = "DejaVuSans.ttf") -> Path | None:
    for d in FONT_DIRS:
        p = Path(d) / name
        if p.is_file():
            return p
    return None


# ----------------------------------------------------------------------------- text helpers
_RO_CEDILLA = str.maketrans({"ș": "ş", "ț": "ţ", "Ș": "Ş", "Ț": "Ţ"})


def encode_text(text: str, charset: str) -> tuple[bytes, str]:
    """Encode ``text`` in ``charset`` (Romanian comma-below letters become the cedilla forms that the legacy
    code pages have); fall back to UTF-8 when the text does not fit. Returns (bytes, charset used)."""
    cs = charset.lower()
    if cs in ("utf-8", "utf-8-sig"):
        return text.encode(cs), charset
    if cs in ("windows-1250", "cp1250", "iso-8859-2"):
        text = text.translate(_RO_CEDILLA)
    try:
        return text.encode(cs), charset
    except UnicodeEncodeError:
        return text.encode("utf-8"), "utf-8"


_PUNCT_FOLD = str.maketrans({"«": '"', "»": '"', "„": '"', "“": '"', "”": '"', "—": "-", "–": "-", "№": "N",
                             "…": "...", "→": "->", "€": "EUR", "\u2011": "-", "’": "'"})


def punct_fold(text: str) -> str:
    """What a legacy 8-bit mail program does to typographic punctuation its code page lacks."""
    return text.translate(_PUNCT_FOLD)


def fits(text: str, charset: str) -> bool:
    return encode_text(text, charset)[1] == charset


def fmt_amount(v: float, lang: str, thousands: bool = False) -> str:
    if lang == "en":
        return f"{v:,.2f}" if thousands else f"{v:.2f}"
    if thousands:
        return _eu_thousands(v, lang)
    return f"{v:.2f}".replace(".", ",")


def _eu_thousands(v: float, lang: str) -> str:
    whole, frac = f"{v:.2f}".split(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    sep = "." if lang == "ro" else " "
    return sep.join(groups) + "," + frac


def fmt_date(d: datetime.date, style: str = "dmy") -> str:
    if style == "iso":
        return d.isoformat()
    if style == "dmy/":
        return d.strftime("%d/%m/%Y")
    return d.strftime("%d.%m.%Y")


def cell_text(v, lang: str, dstyle: str = "dmy") -> str:
    if v is None:
        return ""
    if isinstance(v, datetime.date):
        return fmt_date(v, dstyle)
    if isinstance(v, float):
        return fmt_amount(v, lang)
    return str(v)


# ----------------------------------------------------------------------------- plain / html tables
def plain_table(headers: list[str] | None, rows: list[list], lang: str, style: str = "tab", dstyle: str = "dmy") -> str:
    cells = [[cell_text(v, lang, dstyle) for v in r] for r in rows]
    allrows = ([headers] if headers else []) + cells
    if style == "tab":
        return "\n".join("\t".join(r) for r in allrows)
    if style == "semicolon":
        return "\n".join("; ".join(r) for r in allrows)
    widths = [max(len(r[i]) for r in allrows) for i in range(len(allrows[0]))]
    if style == "pipe":
        line = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
        out = [line]
        for j, r in enumerate(allrows):
            out.append("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |")
            if j == 0 and headers:
                out.append(line)
        out.append(line)
        return "\n".join(out)
    # aligned with spaces
    out = []
    for j, r in enumerate(allrows):
        out.append("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
        if j == 0 and headers:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def html_table(headers: list[str] | None, rows: list[list], lang: str, style: str = "outlook", dstyle: str = "dmy") -> str:
    esc = html.escape
    if style == "outlook":
        td = '<td style="border:solid windowtext 1.0pt;padding:0cm 5.4pt"><p class="MsoNormal">{}</p></td>'
        th = '<td style="border:solid windowtext 1.0pt;background:#D9E2F3;padding:0cm 5.4pt"><p class="MsoNormal"><b>{}</b></p></td>'
        out = ['<table class="MsoTableGrid" border="1" cellspacing="0" cellpadding="0" style="border-collapse:collapse">']
    elif style == "gmail":
        td = '<td style="border:1px solid #ccc;padding:2px 6px">{}</td>'
        th = '<th style="border:1px solid #ccc;padding:2px 6px;background:#eee">{}</th>'
        out = ['<table style="border-collapse:collapse;font-family:Arial,sans-serif;font-size:13px">']
    else:
        td = "<td>{}</td>"
        th = "<th>{}</th>"
        out = ['<table border="1">']
    if headers:
        out.append("<tr>" + "".join(th.format(esc(h)) for h in headers) + "</tr>")
    for r in rows:
        out.append("<tr>" + "".join(td.format(esc(cell_text(v, lang, dstyle))) for v in r) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def html_paragraphs(text: str, style: str = "outlook") -> str:
    esc = html.escape
    parts = []
    for para in text.split("\n\n"):
        inner = "<br>\n".join(esc(line) for line in para.split("\n"))
        if style == "outlook":
            parts.append(f'<p class="MsoNormal">{inner}<o:p></o:p></p>')
        elif style == "gmail":
            parts.append(f"<div>{inner}</div><div><br></div>")
        else:
            parts.append(f"<p>{inner}</p>")
    return "\n".join(parts)


def html_wrap(body: str, charset: str, style: str = "outlook", lang: str = "lv") -> str:
    if style == "outlook":
        return ('<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns="http://www.w3.org/TR/REC-html40">\n'
                f'<head><meta http-equiv="Content-Type" content="text/html; charset={charset}">\n'
                '<style><!--p.MsoNormal{margin:0cm;font-size:11.0pt;font-family:"Calibri",sans-serif;}--></style>\n'
                f'</head>\n<body lang="{lang.upper()}" link="#0563C1"><div class="WordSection1">\n{body}\n</div></body></html>\n')
    if style == "gmail":
        return f'<div dir="ltr">{body}</div>\n'
    return (f'<!DOCTYPE html>\n<html><head><meta charset="{charset}"></head>\n'
            f'<body style="font-family:Verdana;font-size:12px">\n{body}\n</body></html>\n')


# ----------------------------------------------------------------------------- CSV
def csv_bytes(headers: list[str] | None, rows: list[list], lang: str, delimiter: str = ";", encoding: str = "utf-8",
              bom: bool = False, quote_all: bool = False, dstyle: str = "dmy", crlf: bool = True) -> tuple[bytes, str]:
    def q(s: str) -> str:
        if quote_all or delimiter in s or '"' in s or "\n" in s:
            return '"' + s.replace('"', '""') + '"'
        return s
    lines = []
    if headers:
        lines.append(delimiter.join(q(h) for h in headers))
    for r in rows:
        vals = []
        for v in r:
            s = cell_text(v, lang, dstyle)
            if isinstance(v, float) and delimiter == ",":
                s = f"{v:.2f}"
            vals.append(q(s))
        lines.append(delimiter.join(vals))
    text = ("\r\n" if crlf else "\n").join(lines) + ("\r\n" if crlf else "\n")
    data, used = encode_text(text, encoding)
    if bom and used.lower().startswith("utf-8"):
        data = b"\xef\xbb\xbf" + data
    return data, used


# ----------------------------------------------------------------------------- OOXML normalisation
_CORE_DATES = re.compile(r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")
_DOCX_DROP = ("word/stylesWithEffects.xml", "docProps/thumbnail.jpeg", "customXml/item1.xml",
              "customXml/_rels/item1.xml.rels", "customXml/itemProps1.xml")


def normalize_ooxml(data: bytes, when: datetime.datetime, author: str = "") -> bytes:
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in _DOCX_DROP:
                continue
            body = src.read(info)
            if info.filename == "docProps/core.xml":
                s = body.decode("utf-8")
                s = _CORE_DATES.sub(lambda m: m.group(1) + stamp + m.group(3), s)
                s = re.sub(r"<dc:creator>[^<]*</dc:creator>", f"<dc:creator>{html.escape(author)}</dc:creator>", s)
                s = re.sub(r"<cp:lastModifiedBy>[^<]*</cp:lastModifiedBy>",
                           f"<cp:lastModifiedBy>{html.escape(author)}</cp:lastModifiedBy>", s)
                body = s.encode("utf-8")
            elif info.filename == "[Content_Types].xml":
                s = body.decode("utf-8")
                for part in _DOCX_DROP:
                    s = re.sub(r'<Override PartName="/' + re.escape(part) + r'"[^>]*/>', "", s)
                body = s.encode("utf-8")
            elif info.filename.endswith(".rels"):
                s = body.decode("utf-8")
                s = re.sub(r'<Relationship [^>]*Target="[^"]*(stylesWithEffects\.xml|thumbnail\.jpeg|customXml/item1\.xml)"[^>]*/>',
                           "", s)
                body = s.encode("utf-8")
            zi = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, body)
    return out.getvalue()


# ----------------------------------------------------------------------------- XLSX
def xlsx_bytes(sheets: list[dict], when: datetime.datetime, author: str = "") -> bytes:
    """sheets: [{"title", "headers", "rows", "pre": [lines above the table], "hidden": bool, "datefmt"}]"""
    import openpyxl
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sh in sheets:
        ws = wb.create_sheet(sh["title"][:31])
        for line in sh.get("pre", []):
            ws.append([line])
            ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
        if sh.get("pre"):
            ws.append([])
        if sh.get("headers"):
            ws.append(sh["headers"])
            for c in ws[ws.max_row]:
                c.font = Font(bold=True)
        for r in sh["rows"]:
            ws.append(list(r))
            for c in ws[ws.max_row]:
                if isinstance(c.value, datetime.date):
                    c.number_format = sh.get("datefmt", "DD.MM.YYYY")
                elif isinstance(c.value, float):
                    c.number_format = "#,##0.00"
                elif isinstance(c.value, int) and c.value > 10**9:
                    c.number_format = "0"
        ncols = max([len(sh.get("headers") or [])] + [len(r) for r in sh["rows"]] + [1])
        for i in range(1, ncols + 1):
            width = max([len(str(sh["headers"][i - 1])) if sh.get("headers") and i <= len(sh["headers"]) else 4]
                        + [len(cell_text(r[i - 1], "lv")) for r in sh["rows"] if i <= len(r)])
            ws.column_dimensions[get_column_letter(i)].width = min(45, width + 2)
        if sh.get("hidden"):
            ws.sheet_state = "hidden"
    wb.properties.creator = author
    wb.properties.lastModifiedBy = author
    wb.properties.created = when.replace(tzinfo=None)
    wb.properties.modified = when.replace(tzinfo=None)
    buf = io.BytesIO()
    wb.save(buf)
    return normalize_ooxml(buf.getvalue(), when, author)


# ----------------------------------------------------------------------------- DOCX
def docx_bytes(title: str, before: list[str], headers: list[str] | None, rows: list[list], after: list[str],
               lang: str, when: datetime.datetime, author: str = "", dstyle: str = "dmy") -> bytes:
    import docx

    d = docx.Document()
    if title:
        d.add_heading(title, level=1)
    for p in before:
        d.add_paragraph(p)
    if rows or headers:
        ncols = len(headers) if headers else len(rows[0])
        t = d.add_table(rows=0, cols=ncols)
        t.style = "Table Grid"
        if headers:
            cells = t.add_row().cells
            for c, h in zip(cells, headers):
                c.text = ""
                c.paragraphs[0].add_run(str(h)).bold = True
        for r in rows:
            cells = t.add_row().cells
            for c, v in zip(cells, r):
                c.text = cell_text(v, lang, dstyle)
    for p in after:
        d.add_paragraph(p)
    cp = d.core_properties
    cp.author = author
    cp.last_modified_by = author
    cp.created = when.replace(tzinfo=None)
    cp.modified = when.replace(tzinfo=None)
    cp.revision = 1
    buf = io.BytesIO()
    d.save(buf)
    return normalize_ooxml(buf.getvalue(), when, author)


# ----------------------------------------------------------------------------- PDF
_PDF_READY = False


def _pdf_fonts() -> None:
    global _PDF_READY
    if _PDF_READY:
        return
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    regular = find_font("DejaVuSansCondensed.ttf") or find_font("DejaVuSans.ttf")
    if regular is None:
        raise RuntimeError("DejaVuSansCondensed.ttf / DejaVuSans.ttf not found (needed for PDFs with Latvian, "
                           "Lithuanian, Romanian, Slovak and Cyrillic letters); install fonts-dejavu-core")
    # one embedded font keeps each PDF near 17 KB; headings are set larger instead of bold
    pdfmetrics.registerFont(TTFont("DejaVu", str(regular)))
    _PDF_READY = True


def pdf_bytes(title: str, before: list[str], headers: list[str] | None, rows: list[list], after: list[str],
              lang: str, author: str = "", dstyle: str = "dmy") -> bytes:
    _pdf_fonts()
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    cells = [[cell_text(v, lang, dstyle) for v in r] for r in rows]
    allrows = ([list(map(str, headers))] if headers else []) + cells
    size = 8.5
    page = A4
    widths = []
    if allrows:
        for fs in (8.5, 7.5, 6.5):
            widths = [max(stringWidth(r[i], "DejaVu", fs) for r in allrows) + 10 for i in range(len(allrows[0]))]
            size = fs
            if sum(widths) <= A4[0] - 80:
                page = A4
                break
            if sum(widths) <= A4[1] - 80:
                page = landscape(A4)
                break
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=page, invariant=1, pageCompression=1)
    c.setAuthor(author)
    c.setTitle(title)
    c.setCreator("Skaitlis report engine")
    w, h = page
    y = h - 50
    c.setFont("DejaVu", 13)
    c.drawString(40, y, title)
    y -= 22
    c.setFont("DejaVu", 9)
    for line in before:
        c.drawString(40, y, line)
        y -= 13
    y -= 6
    for j, r in enumerate(allrows):
        if y < 60:
            c.showPage()
            y = h - 50
        c.setFont("DejaVu" if j == 0 and headers else "DejaVu", size)
        x = 40
        for cell, cw in zip(r, widths):
            c.drawString(x + 3, y, cell)
            x += cw
        c.setLineWidth(0.3)
        c.line(40, y - 3, 40 + sum(widths), y - 3)
        y -= size + 6
    y -= 10
    c.setFont("DejaVu", 9)
    for line in after:
        c.drawString(40, y, line)
        y -= 13
    c.showPage()
    c.save()
    return buf.getvalue()


# ----------------------------------------------------------------------------- HTML / XML documents
def html_document(title: str, before: list[str], headers: list[str] | None, rows: list[list], after: list[str],
                  lang: str, charset: str = "utf-8", dstyle: str = "dmy") -> tuple[bytes, str]:
    esc = html.escape
    body = [f"<h2>{esc(title)}</h2>"] + [f"<p>{esc(p)}</p>" for p in before]
    body.append(html_table(headers, rows, lang, "plain", dstyle))
    body += [f"<p>{esc(p)}</p>" for p in after]
    content = "\n".join(body) + title
    if not fits(content, charset):
        charset = "utf-8"
    text = (f'<!DOCTYPE html>\n<html>\n<head>\n<meta http-equiv="Content-Type" content="text/html; charset={charset}">\n'
            f"<title>{esc(title)}</title>\n<style>table{{border-collapse:collapse}}td,th{{border:1px solid #999;"
            f"padding:2px 4px;font:12px Arial}}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n")
    return encode_text(text, charset)


def xml_bytes(root: str, attrs: dict, record: str, fields: list[str], rows: list[list], lang: str,
              encoding: str = "UTF-8") -> bytes:
    esc = html.escape
    a = "".join(f' {k}="{esc(str(v))}"' for k, v in attrs.items())
    out = [f'<?xml version="1.0" encoding="{encoding}"?>', f"<{root}{a}>"]
    for r in rows:
        out.append(f"  <{record}>")
        for f, v in zip(fields, r):
            if isinstance(v, datetime.date):
                s = v.isoformat()
            elif isinstance(v, float):
                s = f"{v:.2f}"
            else:
                s = str(v)
            out.append(f"    <{f}>{esc(s, quote=False)}</{f}>")
        out.append(f"  </{record}>")
    out.append(f"</{root}>")
    return encode_text("\n".join(out) + "\n", encoding)[0]


# ----------------------------------------------------------------------------- ZIP, PNG
def zip_bytes(members: list[tuple[str, bytes]], when: datetime.datetime) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            zi = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            z.writestr(zi, data)
    return out.getvalue()


def png_bytes(rng, width: int = 360, height: int = 220) -> bytes:
    """A small fake 'screenshot': window frame, a title bar and a few grey bars standing for text rows."""
    bg = (240, 240, 240)
    title = (rng.randint(0, 80), rng.randint(60, 140), rng.randint(150, 220))
    rows = []
    bars = [(20, 40 + 18 * i, 20 + rng.randint(80, 300), 50 + 18 * i) for i in range(rng.randint(4, 8))]
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            if y < 22:
                px = title
            elif x in (0, width - 1) or y == height - 1:
                px = (120, 120, 120)
            elif any(x0 <= x < x1 and y0 <= y < y1 for x0, y0, x1, y1 in bars):
                px = (150, 150, 150)
            else:
                px = bg
            row += bytes(px)
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", raw) + chunk(b"IEND", b""))
