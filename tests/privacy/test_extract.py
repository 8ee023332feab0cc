"""Attachments to text for the personal-data guard (mailbot.privacy.extract) and redacted copies
(mailbot.privacy.rewrite). Every fixture is built here, at run time."""
from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import struct
import time
import zipfile
import zlib
from email.message import EmailMessage

import docx
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter

from mailbot.privacy.extract import Extraction, Limits, Segment, extract
from mailbot.privacy.rewrite import redact_file

LV_CODE = "120385-12345"
LT_CODE = "38501011234"
RO_CNP = "1850312123456"
ROWS = [
    ["Vārds, uzvārds", "Personas kods", "Dzimšanas datums", "Alga"],
    ["Jānis Bērziņš", LV_CODE, dt.date(1985, 3, 12), 1450.0],
    ["Ona Žukauskaitė", int(LT_CODE), dt.datetime(1985, 1, 1), 1450.5],
    ["Ștefan Țăranu", RO_CNP, dt.date(1985, 3, 12), 2100],
]
RU_ROWS = [["ФИО", "Телефон"], ["Иванов Иван Иванович", "+7 912 345-67-89"]]


def text_of(ex: Extraction, where: str | None = None) -> str:
    return "\n".join(s.text for s in ex.segments if where is None or s.where == where)


def wheres(ex: Extraction) -> list[str]:
    return [s.where for s in ex.segments]


# ---------------------------------------------------------------------------------------------------------
# fixtures

def make_xlsx() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Algas"
    for row in ROWS:
        ws.append(row)
    ru = wb.create_sheet("Контакты")
    for row in RU_ROWS:
        ru.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def make_docx(code_in_runs: bool = False) -> bytes:
    d = docx.Document()
    p = d.add_paragraph("Darbinieks: Jānis Bērziņš, personas kods ")
    if code_in_runs:  # Word splits text into runs wherever formatting (or a spell check) changes
        p.add_run(LV_CODE[:4]).bold = True
        p.add_run(LV_CODE[4:])
    else:
        p.add_run(LV_CODE)
    d.add_paragraph("Ona Žukauskaitė — darbuotoja")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Vardas", "CNP"
    table.cell(1, 0).text, table.cell(1, 1).text = "Ștefan Țăranu", RO_CNP
    nested = table.cell(0, 0).add_table(rows=1, cols=2)
    nested.cell(0, 0).text, nested.cell(0, 1).text = "Вложенная", "таблица"
    section = d.sections[0]
    section.header.paragraphs[0].text = "Konfidenciāli — Иванов"
    section.footer.paragraphs[0].text = "Lapa 1"
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def make_pdf(pages: list[str], images: list[tuple[int, int, bytes, str]] | None = None) -> bytes:
    """A PDF written by hand: a simple font whose ToUnicode map gives the text layer any characters (Latvian,
    Lithuanian, Romanian, Cyrillic), or, with `images` ((width, height, samples, their filter and colour
    space) for each page), scanned pages without text."""
    chars = sorted({ch for page in pages for ch in page if ch not in "\n "})
    assert len(chars) < 200
    code = {" ": 0x20, **{ch: 0x21 + i for i, ch in enumerate(chars)}}
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    def stream(head: str, data: bytes) -> bytes:
        return f"<< {head} /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream"

    bfchar = [f"<{c:02X}> <{ord(ch):04X}>" for ch, c in code.items()]
    blocks = "".join(f"{len(bfchar[i:i + 100])} beginbfchar\n" + "\n".join(bfchar[i:i + 100]) + "\nendbfchar\n"
                     for i in range(0, len(bfchar), 100))
    cmap = ("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<00> <FF>\n"
            f"endcodespacerange\n{blocks}endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
    tounicode = add(stream("", cmap.encode()))
    widths = " ".join(["556"] * 224)
    font = add(f"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /FirstChar 32 /LastChar 255 "
               f"/Widths [{widths}] /ToUnicode {tounicode} 0 R >>".encode())
    pages_id = len(objects) + 1 + 1  # after the catalog
    catalog = add(f"<< /Type /Catalog /Pages {pages_id} 0 R >>".encode())
    add(b"")  # the page tree, filled in below
    kids = []
    for n, page in enumerate(pages):
        resources = f"/Font << /F1 {font} 0 R >>"
        if images:
            w, h, samples, kind = images[n]
            img = add(stream(f"/Type /XObject /Subtype /Image /Width {w} /Height {h} {kind}", samples))
            resources += f" /XObject << /Im1 {img} 0 R >>"
            content = f"q {w * 72 // 150} 0 0 {h * 72 // 150} 20 300 cm /Im1 Do Q".encode()
        else:
            lines = [b"BT /F1 12 Tf 50 780 Td 16 TL"]
            for line in page.split("\n"):
                lines.append(b"<" + "".join(f"{code[ch]:02X}" for ch in line).encode() + b"> Tj T*")
            lines.append(b"ET")
            content = b"\n".join(lines)
        contents = add(stream("", content))
        kids.append(add(f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 595 842] "
                        f"/Resources << {resources} >> /Contents {contents} 0 R >>".encode()))
    objects[pages_id - 1] = (f"<< /Type /Pages /Count {len(kids)} /Kids [" +
                             " ".join(f"{k} 0 R" for k in kids) + "] >>").encode()
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root {catalog} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def make_zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()


def raw_zip(name: str, compressed: bytes, crc: int, size: int, flags: int = 0, method: int = 8) -> bytes:
    """A one-entry ZIP written by hand, whatever its sizes and flags claim."""
    n = name.encode()
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, flags, method, 0, 0, crc, len(compressed), size,
                        len(n), 0) + n + compressed
    central = struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, flags, method, 0, 0, crc, len(compressed), size,
                          len(n), 0, 0, 0, 0, 0, 0) + n
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, len(central), len(local), 0)
    return local + central + end


def set_flag_bits(data: bytes, name: str, bits: int) -> bytes:
    """Sets general-purpose flag bits of one entry in its local header and in the central directory."""
    out = bytearray(data)
    n = name.encode()
    for sig, flag_at, name_at in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
        i = out.find(sig)
        while i >= 0:
            if out[i + name_at:i + name_at + len(n)] == n:
                flags = struct.unpack_from("<H", out, i + flag_at)[0] | bits
                struct.pack_into("<H", out, i + flag_at, flags)
            i = out.find(sig, i + 4)
    return bytes(out)


def make_eml() -> bytes:
    inner = EmailMessage()
    inner["From"] = "Ona <ona@klientas.lt>"
    inner["To"] = "help@support.test"
    inner["Subject"] = "Darbuotojų sąrašas"
    inner.set_content("Sveiki, siunčiu sąrašą. Ona Žukauskaitė, asmens kodas " + LT_CODE)
    inner.add_attachment("Vardas;Kodas\nŽydrūnas Šaulys;38501011234\n".encode("cp1257"), maintype="text",
                         subtype="csv", filename="darbuotojai.csv")
    outer = EmailMessage()
    outer["From"] = "Jānis <janis@acme.lv>"
    outer["To"] = "help@support.test"
    outer["Subject"] = "Fwd: saraksts"
    outer.set_content("Pārsūtu. Jānis Bērziņš")
    outer.add_attachment(f"Vārds,Kods\nJānis Bērziņš,{LV_CODE}\n".encode(), maintype="text", subtype="csv",
                         filename="list.csv")
    outer.add_attachment(inner, filename="inner.eml")
    return outer.as_bytes()


def ocr_image(text_lines: list[str]) -> tuple[bytes, bytes, tuple[int, int], bytes]:
    """(PNG, grey JPEG, size, 1-bit samples as a PDF stores them) of black text on white, for OCR."""
    from PIL import Image, ImageDraw, ImageFont
    try:
        font = ImageFont.truetype("DejaVuSans.ttf", 40)
    except OSError:
        font = ImageFont.load_default(size=40)
    im = Image.new("L", (1000, 70 * len(text_lines) + 40), 255)
    draw = ImageDraw.Draw(im)
    for i, line in enumerate(text_lines):
        draw.text((30, 20 + 70 * i), line, font=font, fill=0)
    png, jpeg = io.BytesIO(), io.BytesIO()
    im.save(png, "PNG")
    im.save(jpeg, "JPEG", quality=90)
    bilevel = im.point(lambda v: 255 if v > 128 else 0).convert("1").tobytes()  # PIL: 1 = white, as in PDF
    return png.getvalue(), jpeg.getvalue(), im.size, bilevel


# ---------------------------------------------------------------------------------------------------------
# formats

def test_csv_windows_1257_keeps_rows_as_tab_separated_lines():
    data = ("Vārds;Uzvārds;Personas kods;Alga\r\n"
            f"Jānis;Bērziņš;{LV_CODE};1450,50\r\n"
            f"Žydrūnas;Šaulys;{LT_CODE};2100\r\n"
            "\"Ģirts; Ķēniņš\";Ūdris;\"010101-10006\";900\r\n").encode("cp1257")
    ex = extract("algas.csv", "application/octet-stream", data)
    assert ex.unscannable == []
    assert wheres(ex) == ["algas.csv"]
    assert ex.segments[0].text.split("\n") == [
        "Vārds\tUzvārds\tPersonas kods\tAlga", f"Jānis\tBērziņš\t{LV_CODE}\t1450,50",
        f"Žydrūnas\tŠaulys\t{LT_CODE}\t2100", "Ģirts; Ķēniņš\tŪdris\t010101-10006\t900"]


def test_csv_windows_1251_russian():
    data = ("ФИО,Паспорт,Телефон\nИванов Иван Иванович,4509 123456,+7 912 345-67-89\n"
            "Петрова Мария Сергеевна,4510 654321,+7 903 111-22-33\n").encode("cp1251")
    ex = extract("клиенты.csv", "text/csv", data)
    assert ex.unscannable == []
    lines = text_of(ex).split("\n")
    assert lines[1] == "Иванов Иван Иванович\t4509 123456\t+7 912 345-67-89"
    assert lines[2].startswith("Петрова Мария Сергеевна\t")


def test_text_formats_by_extension_and_utf16():
    log = "2026-01-05 Ștefan Țăranu CNP 1850312123456\n".encode("utf-16")  # with a BOM
    assert text_of(extract("export.log", "application/octet-stream", log)) == \
        "2026-01-05 Ștefan Țăranu CNP 1850312123456"
    sql = f"INSERT INTO p VALUES ('Jānis Bērziņš', '{LV_CODE}');".encode()
    assert LV_CODE in text_of(extract("dump.sql", "application/octet-stream", sql))
    # no extension, no useful type: printable text is still text
    assert "Jānis" in text_of(extract("README", "application/octet-stream", "Jānis Bērziņš\n".encode()))


def test_xlsx_rows_dates_and_numbers():
    ex = extract("algas.xlsx", "application/octet-stream", make_xlsx())
    assert ex.unscannable == []
    assert wheres(ex) == ["algas.xlsx", "algas.xlsx"]  # one segment per sheet, named after the file
    assert ex.segments[0].text.split("\n") == [
        "Vārds, uzvārds\tPersonas kods\tDzimšanas datums\tAlga",
        f"Jānis Bērziņš\t{LV_CODE}\t1985-03-12\t1450",
        f"Ona Žukauskaitė\t{LT_CODE}\t1985-01-01\t1450.5",
        f"Ștefan Țăranu\t{RO_CNP}\t1985-03-12\t2100"]
    assert ex.segments[1].text == "ФИО\tТелефон\nИванов Иван Иванович\t+7 912 345-67-89"


def test_old_excel_and_csv_called_xls():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)
    assert extract("old.xls", "application/vnd.ms-excel", ole).unscannable == [("old.xls", "old Excel format")]
    # web applications often send CSV named .xls: it is scanned as what it is
    ex = extract("export.xls", "application/vnd.ms-excel", f"Vārds;Kods\nJānis;{LV_CODE}\n".encode())
    assert text_of(ex) == f"Vārds\tKods\nJānis\t{LV_CODE}"


def test_docx_paragraphs_tables_headers_footers():
    ex = extract("saraksts.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 make_docx(code_in_runs=True))
    assert ex.unscannable == []
    assert wheres(ex) == ["saraksts.docx"]
    lines = ex.segments[0].text.split("\n")
    assert f"Darbinieks: Jānis Bērziņš, personas kods {LV_CODE}" in lines
    assert "Ona Žukauskaitė — darbuotoja" in lines
    assert "Vardas\tCNP" in lines and f"Ștefan Țăranu\t{RO_CNP}" in lines
    assert "Вложенная\tтаблица" in lines  # a table inside a cell
    assert "Konfidenciāli — Иванов" in lines and "Lapa 1" in lines


def test_docm_is_read_and_redacted_too():
    main = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    docm = with_part(make_docx(), "[Content_Types].xml",
                     lambda x: x.replace(main, b"application/vnd.ms-word.document.macroEnabled.main+xml"))
    ex = extract("makro.docm", "application/octet-stream", docm)
    assert ex.unscannable == [] and f"Ștefan Țăranu\t{RO_CNP}" in text_of(ex)
    out = redact_file("makro.docm", "", docm, remove_codes)
    assert out is not None and f"Ștefan Țăranu\t{PLACEHOLDER}" in text_of(extract("makro.docm", "", out))


def test_pdf_text_layer_per_page():
    pdf = make_pdf([f"Jānis Bērziņš {LV_CODE}\nOna Žukauskaitė {LT_CODE}", "Ștefan Țăranu\nИванов Иван"])
    ex = extract("algas.pdf", "application/pdf", pdf)
    assert ex.unscannable == []
    text = text_of(ex, "algas.pdf")
    for s in (f"Jānis Bērziņš {LV_CODE}", f"Ona Žukauskaitė {LT_CODE}", "Ștefan Țăranu", "Иванов Иван"):
        assert s in text
    assert text.index("Bērziņš") < text.index("Иванов")


def test_pdf_embedded_file():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(["Pielikumā saraksts"]))))
    writer.add_attachment("darbinieki.csv", f"Vārds;Kods\nJānis;{LV_CODE}\n".encode())
    out = io.BytesIO()
    writer.write(out)
    ex = extract("a.pdf", "application/pdf", out.getvalue())
    assert [(s.where, s.text) for s in ex.segments] == [
        ("a.pdf", "Pielikumā saraksts"), ("a.pdf/darbinieki.csv", f"Vārds\tKods\nJānis\t{LV_CODE}")]


def test_pdf_page_limit():
    pdf = make_pdf(["Pirmā lapa", "Otrā lapa", "Trešā lapa"])
    ex = extract("x.pdf", "application/pdf", pdf, Limits(max_pages=2))
    assert "Otrā lapa" in text_of(ex) and "Trešā" not in text_of(ex)
    assert ex.unscannable == [("x.pdf", "more than 2 pages: pages 3-3 not scanned")]


def test_encrypted_pdf():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf([f"Jānis {LV_CODE}"]))))
    writer.encrypt(user_password="slepeni", owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    ex = extract("scan.pdf", "application/pdf", out.getvalue())
    assert ex.segments == [] and ex.unscannable == [("scan.pdf", "encrypted PDF")]
    # "protected" with an owner password only: anyone can open it, so it is scanned
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf([f"Jānis {LV_CODE}"]))))
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    assert f"Jānis {LV_CODE}" in text_of(extract("open.pdf", "application/pdf", out.getvalue()))


def test_html_with_declared_charset():
    html = ("<html><head><meta charset='windows-1257'><title>x</title></head><body><p>Darbinieki:</p>"
            f"<table><tr><td>Jānis Bērziņš</td><td>{LV_CODE}</td></tr></table></body></html>").encode("cp1257")
    ex = extract("saraksts.htm", "application/octet-stream", html)
    assert "Darbinieki:" in text_of(ex)
    assert f"Jānis Bērziņš\t{LV_CODE}" in text_of(ex)


def test_zip_members_named_by_path_and_nested():
    inner = make_zip({"deep.txt": "Иванов Иван Иванович".encode("utf-8")})
    data = make_zip({"2026/jan.xlsx": make_xlsx(), "2026/list.csv": f"Vārds,Kods\nJānis,{LV_CODE}\n".encode(),
                     "2026/": b"", "inner.zip": inner})
    ex = extract("payroll.zip", "application/zip", data)
    assert ex.unscannable == []
    assert wheres(ex) == ["payroll.zip/2026/jan.xlsx", "payroll.zip/2026/jan.xlsx", "payroll.zip/2026/list.csv",
                          "payroll.zip/inner.zip/deep.txt"]
    assert f"Jānis Bērziņš\t{LV_CODE}" in text_of(ex, "payroll.zip/2026/jan.xlsx")
    assert text_of(ex, "payroll.zip/inner.zip/deep.txt") == "Иванов Иван Иванович"


def test_zip_nesting_is_limited():
    data = make_zip({"codes.txt": LV_CODE.encode()})
    for level in range(4, 0, -1):
        data = make_zip({f"l{level}.zip": data})
    ex = extract("l0.zip", "application/zip", data)
    assert ex.segments == []
    assert ex.unscannable == [("l0.zip/l1.zip/l2.zip/l3.zip", "nested deeper than 3 levels")]


def test_nested_eml():
    ex = extract("fwd.eml", "message/rfc822", make_eml())
    assert ex.unscannable == []
    assert wheres(ex) == ["fwd.eml", "fwd.eml/list.csv", "fwd.eml/inner.eml", "fwd.eml/inner.eml/darbuotojai.csv"]
    assert text_of(ex, "fwd.eml").startswith("Fwd: saraksts\nPārsūtu. Jānis Bērziņš")
    assert text_of(ex, "fwd.eml/list.csv") == f"Vārds\tKods\nJānis Bērziņš\t{LV_CODE}"
    assert "Darbuotojų sąrašas" in text_of(ex, "fwd.eml/inner.eml")
    assert LT_CODE in text_of(ex, "fwd.eml/inner.eml")
    assert text_of(ex, "fwd.eml/inner.eml/darbuotojai.csv") == f"Vardas\tKodas\nŽydrūnas Šaulys\t{LT_CODE}"


def test_odf_spreadsheet_and_text():
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
               '<table:table table:name="A"><table:table-row>'
               '<table:table-cell office:value-type="string"><text:p>Jānis Bērziņš</text:p></table:table-cell>'
               f'<table:table-cell office:value-type="float" office:value="{LT_CODE}"><text:p>x</text:p>'
               '</table:table-cell><table:table-cell office:value-type="date" office:date-value="1985-03-12">'
               '<text:p>12.03.85</text:p></table:table-cell></table:table-row>'
               '<table:table-row table:number-rows-repeated="1048000"><table:table-cell '
               'table:number-columns-repeated="16384"/></table:table-row></table:table>'
               '</office:spreadsheet></office:body></office:document-content>')
    ods = make_zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": content.encode()})
    ex = extract("a.ods", "application/octet-stream", ods)
    assert ex.unscannable == [] and text_of(ex) == f"Jānis Bērziņš\t{LT_CODE}\t1985-03-12"
    odt_content = content.replace("office:spreadsheet", "office:text").replace(
        "<table:table ", '<text:h>Saraksts</text:h><text:p>Ona<text:s text:c="2"/>Žukauskaitė</text:p><table:table ')
    odt = make_zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": odt_content.encode()})
    lines = text_of(extract("a.odt", "", odt)).split("\n")
    assert lines[:3] == ["Saraksts", "Ona  Žukauskaitė", "Jānis Bērziņš\tx\t12.03.85"]


# ---------------------------------------------------------------------------------------------------------
# hostile input

def test_zip_bomb_is_refused_without_reading_it():
    chunk = bytes(1 << 20)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    c.compress(chunk)
    c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)  # 1 MiB of zeros, byte-aligned, ~1 KB
    crc = 0
    for _ in range(1024):
        crc = zlib.crc32(chunk, crc)
    bomb = raw_zip("zeros.csv", block * 1024 + b"\x03\x00", crc, 1 << 30)  # 1 GiB in ~1 MB
    assert len(bomb) < 1_100_000
    started = time.monotonic()
    ex = extract("bomb.zip", "application/zip", bomb)
    assert time.monotonic() - started < 1
    assert ex.segments == []
    assert len(ex.unscannable) == 1 and ex.unscannable[0][0] == "bomb.zip"
    assert ex.unscannable[0][1].startswith("zip bomb suspected")
    # a smaller one, under the size limit, still has a ratio no document has
    small = make_zip({"a.csv": bytes(10 << 20)})
    assert extract("small.zip", "application/zip", small).unscannable[0][1].startswith("zip bomb suspected")
    # the same as an XLSX
    assert extract("bomb.xlsx", "", raw_zip("xl/worksheets/sheet1.xml", block * 1024 + b"\x03\x00", crc,
                                             1 << 30)).unscannable[0][1].startswith("zip bomb suspected")


def test_zip_sizes_are_not_trusted():
    data = b"A" * (5 << 20)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    compressed = c.compress(data) + c.flush()
    # the directory claims 10 bytes: never more than that is unpacked
    liar = raw_zip("a.txt", compressed, zlib.crc32(data[:10]), 10)
    ex = extract("liar.zip", "application/zip", liar)
    assert sum(len(s.text) for s in ex.segments) <= 10
    # and the total of what is unpacked is limited
    two = make_zip({"a.txt": b"x" * 3000, "b.txt": b"y" * 3000})
    ex = extract("two.zip", "application/zip", two, Limits(max_bytes=4000))
    assert ex.unscannable == [("two.zip", "too large: unpacks to 6000 bytes, more than 4000")]


def test_too_many_entries():
    data = make_zip({f"f{i}.txt": b"x" for i in range(501)})
    ex = extract("a.zip", "application/x-zip-compressed", data)
    assert ex.segments == [] and ex.unscannable == [("a.zip", "more than 500 entries")]


def test_encrypted_zip_entry():
    data = set_flag_bits(make_zip({"codes.csv": LV_CODE.encode(), "readme.txt": "Sveiki!".encode()}),
                         "codes.csv", 1)
    ex = extract("secret.zip", "application/zip", data)
    assert ex.unscannable == [("secret.zip/codes.csv", "encrypted archive entry")]
    assert [(s.where, s.text) for s in ex.segments] == [("secret.zip/readme.txt", "Sveiki!")]


def with_part(ooxml: bytes, name: str, replace) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(ooxml))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            data = src.read(info)
            zf.writestr(info.filename, replace(data) if info.filename == name else data)
    return out.getvalue()


def without_declaration(xml: bytes) -> bytes:
    return re.sub(rb"^\s*<\?xml[^>]*\?>", b"", xml)


def test_xml_with_entities_is_refused():
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>')
    bad = with_part(make_xlsx(), "xl/worksheets/sheet1.xml", lambda d: laughs + without_declaration(d))
    ex = extract("bad.xlsx", "application/octet-stream", bad)
    assert ex.segments == [] and ex.unscannable == [("bad.xlsx", "XML with a DTD/entities")]
    assert redact_file("bad.xlsx", "", bad, lambda s: s) is None
    bad_docx = with_part(make_docx(), "word/document.xml", lambda d: laughs + without_declaration(d))
    assert extract("bad.docx", "", bad_docx).unscannable == [("bad.docx", "XML with a DTD/entities")]


@pytest.mark.parametrize("name", ["a.xlsx", "a.docx", "a.pdf", "a.zip", "a.ods", "a.png", "a.eml", "a.xls"])
def test_garbage_is_unscannable_not_an_exception(name):
    garbage = bytes(range(256)) * 20
    ex = extract(name, "application/octet-stream", garbage)
    assert ex.segments == [] or name == "a.eml"
    assert ex.unscannable or name == "a.eml"
    # truncated files that start right
    for head in (make_xlsx(), make_docx(), make_pdf(["Jānis"])):
        ex = extract(name, "application/octet-stream", head[: len(head) // 2])
        assert isinstance(ex, Extraction)
        if name in ("a.xlsx", "a.docx"):
            assert ex.unscannable


def test_unknown_binary_is_unscannable():
    ex = extract("data.bin", "application/x-whatever", bytes(range(256)) * 4)
    assert ex.unscannable == [("data.bin", "unknown format (application/x-whatever)")]


def test_budgets_text_and_time():
    data = ("Jānis;" + LV_CODE + "\n").encode() * 1000
    ex = extract("big.csv", "text/csv", data, Limits(max_chars=100))
    assert sum(len(s.text) for s in ex.segments) == 100
    assert ex.unscannable == [("big.csv", "more than 100 characters of text")]
    ex = extract("slow.zip", "application/zip", make_zip({"a.txt": b"a"}), Limits(max_seconds=0))
    assert ex.unscannable == [("slow.zip", "took longer than 0 s")]


# ---------------------------------------------------------------------------------------------------------
# OCR: what is asserted depends on whether tesseract is installed, never nothing

def test_images_and_scanned_pdf():
    png, jpeg, (w, h), _ = ocr_image(["Personas kods 120385-12345", "Jānis Bērziņš"])
    _, _, (w2, h2), bilevel = ocr_image(["Asmens kodas 38501011234"])
    scan = make_pdf(["-", "-"], images=[  # a JPEG page and a fax-like 1-bit page
        (w, h, jpeg, "/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode"),
        (w2, h2, zlib.compress(bilevel), "/ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /FlateDecode")])
    off = Limits(ocr=False)
    assert extract("scan.png", "image/png", png, off).unscannable == [("scan.png", "image (no OCR available)")]
    assert extract("scan.pdf", "application/pdf", scan, off).unscannable == [
        ("scan.pdf", "PDF without a text layer (no OCR available)")]
    if shutil.which("tesseract"):
        ex = extract("scan.png", "application/octet-stream", png)
        assert ex.unscannable == [] and LV_CODE in text_of(ex, "scan.png")
        ex = extract("scan.pdf", "application/pdf", scan)
        assert ex.unscannable == [] and LV_CODE in text_of(ex, "scan.pdf") and LT_CODE in text_of(ex, "scan.pdf")
        broken = png[:40] + bytes(200)  # a PNG header over garbage: tesseract fails, and we say so
        ex = extract("broken.png", "image/png", broken)
        assert ex.segments == [] and ex.unscannable[0][0] == "broken.png"
    else:
        assert extract("scan.png", "image/png", png).unscannable == [("scan.png", "image (no OCR available)")]
        assert extract("scan.pdf", "application/pdf", scan).unscannable == [
            ("scan.pdf", "PDF without a text layer (no OCR available)")]


# ---------------------------------------------------------------------------------------------------------
# redaction

PLACEHOLDER = "[personas kods dzēsts]"


def remove_codes(text: str) -> str:
    return text.replace(LV_CODE, PLACEHOLDER).replace(LT_CODE, PLACEHOLDER).replace(RO_CNP, PLACEHOLDER)


def test_redact_csv_keeps_its_encoding():
    data = f"Vārds;Kods\r\nJānis Bērziņš;{LV_CODE}\r\n".encode("cp1257")
    out = redact_file("a.csv", "text/csv", data, remove_codes)
    assert out == f"Vārds;Kods\r\nJānis Bērziņš;{PLACEHOLDER}\r\n".encode("cp1257")
    # a placeholder the file's charset cannot hold: UTF-8 (with the file's BOM, if it had one)
    out = redact_file("a.csv", "text/csv", data, lambda s: s.replace(LV_CODE, "[удалено]"))
    assert out.decode("utf-8") == "Vārds;Kods\r\nJānis Bērziņš;[удалено]\r\n"
    bom = b"\xef\xbb\xbf" + f"Kods\n{LV_CODE}\n".encode()
    assert redact_file("b.txt", "text/plain", bom, remove_codes) == b"\xef\xbb\xbf" + f"Kods\n{PLACEHOLDER}\n".encode()


def test_redact_html():
    html = f"<p>Jānis Bērziņš, {LV_CODE}</p>".encode()
    assert redact_file("a.html", "text/html", html, remove_codes) == f"<p>Jānis Bērziņš, {PLACEHOLDER}</p>".encode()


def test_redact_xlsx_string_and_number_cells():
    out = redact_file("algas.xlsx", "application/octet-stream", make_xlsx(), remove_codes)
    assert out is not None
    ws = openpyxl.load_workbook(io.BytesIO(out))["Algas"]
    assert ws["A2"].value == "Jānis Bērziņš" and ws["B2"].value == PLACEHOLDER
    assert ws["B3"].value == PLACEHOLDER  # the code stored as a number
    assert ws["B4"].value == PLACEHOLDER and ws["D3"].value == 1450.5 and ws["C2"].value == dt.datetime(1985, 3, 12)
    text = text_of(extract("algas.xlsx", "", out))
    assert LV_CODE not in text and LT_CODE not in text and "Ona Žukauskaitė" in text
    assert LT_CODE.encode() not in b"".join(zipfile.ZipFile(io.BytesIO(out)).read(n)
                                            for n in zipfile.ZipFile(io.BytesIO(out)).namelist())


def test_redact_docx_paragraph_and_table_cell():
    out = redact_file("saraksts.docx", "", make_docx(code_in_runs=True), remove_codes)
    assert out is not None
    d = docx.Document(io.BytesIO(out))
    assert d.paragraphs[0].text == f"Darbinieks: Jānis Bērziņš, personas kods {PLACEHOLDER}"
    assert d.tables[0].cell(1, 1).text == PLACEHOLDER and d.tables[0].cell(1, 0).text == "Ștefan Țăranu"
    assert d.sections[0].header.paragraphs[0].text == "Konfidenciāli — Иванов"
    text = text_of(extract("saraksts.docx", "", out))
    assert LV_CODE not in text and RO_CNP not in text and "Ona Žukauskaitė" in text


TEXT_BOX = ('<w:p><w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml" style="width:200pt;height:40pt">'
            '<v:textbox><w:txbxContent><w:p><w:r><w:t>Kods tekstlodziņā: </w:t></w:r><w:r><w:t>' + LV_CODE +
            '</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>')


def docx_with_text_box() -> bytes:
    return with_part(make_docx(), "word/document.xml",
                     lambda d: d.replace(b"<w:sectPr", TEXT_BOX.encode() + b"<w:sectPr", 1))


def test_docx_text_box_is_extracted_and_redacted():
    data = docx_with_text_box()
    assert f"Kods tekstlodziņā: {LV_CODE}" in text_of(extract("a.docx", "", data)).split("\n")
    out = redact_file("a.docx", "", data, remove_codes)
    assert out is not None
    assert f"Kods tekstlodziņā: {PLACEHOLDER}" in text_of(extract("a.docx", "", out)).split("\n")
    assert LV_CODE.encode() not in zipfile.ZipFile(io.BytesIO(out)).read("word/document.xml")


def test_redact_docx_text_it_cannot_reach_gives_none():
    # a code in a part that is not a story (here: a custom XML part) stays in the file: no copy is made
    data = with_part(make_docx(), "customXml/item1.xml",
                     lambda d: re.sub(rb"/>\s*$", f"><b:x>{LV_CODE}</b:x></b:Sources>".encode(), d))
    assert LV_CODE.encode() in zipfile.ZipFile(io.BytesIO(data)).read("customXml/item1.xml")
    assert redact_file("a.docx", "", data, remove_codes) is None


def test_what_cannot_be_redacted():
    png = ocr_image(["x"])[0] if _has_pil() else b"\x89PNG\r\n\x1a\n" + bytes(100)
    assert redact_file("a.pdf", "application/pdf", make_pdf([LV_CODE]), remove_codes) is None
    assert redact_file("a.png", "image/png", png, remove_codes) is None
    assert redact_file("a.zip", "application/zip", make_zip({"a.txt": LV_CODE.encode()}), remove_codes) is None
    assert redact_file("a.eml", "message/rfc822", make_eml(), remove_codes) is None
    assert redact_file("a.bin", "application/octet-stream", bytes(range(256)), remove_codes) is None
    assert redact_file("a.xlsx", "", b"garbage", remove_codes) is None


def _has_pil() -> bool:
    try:
        import PIL  # noqa: F401
    except ImportError:
        return False
    return True


# ---------------------------------------------------------------------------------------------------------
# property: no input raises

NAMES = ["a.xlsx", "a.docx", "a.pdf", "a.zip", "a.csv", "a.txt", "a.html", "a.eml", "a.png", "a.ods", "a.odt",
         "a.xls", "noext", "a.bin"]
TYPES = ["application/octet-stream", "text/plain", "text/csv", "text/html", "message/rfc822", "application/pdf",
         "application/zip", "image/png", "", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]
SEEDS = [make_xlsx(), make_docx(), make_pdf(["Jānis Bērziņš"]), make_zip({"a/b.csv": b"x;y\n1;2\n"}), make_eml()]


@st.composite
def hostile_bytes(draw):
    kind = draw(st.integers(0, 2))
    if kind == 0:
        return draw(st.binary(max_size=3000))
    if kind == 1:
        head = draw(st.sampled_from([b"%PDF-1.4\n", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
                                     b"\x89PNG\r\n\x1a\n", b"From: a@b\n\n", b"<html>", b"\xef\xbb\xbf"]))
        return head + draw(st.binary(max_size=2000))
    seed = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 8))):  # a damaged real file
        i = draw(st.integers(0, len(seed) - 1))
        seed[i] = draw(st.integers(0, 255))
    cut = draw(st.integers(len(seed) // 2, len(seed)))
    return bytes(seed[:cut])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(name=st.sampled_from(NAMES), ctype=st.sampled_from(TYPES), data=hostile_bytes())
def test_extract_never_raises(name, ctype, data):
    ex = extract(name, ctype, data, Limits(ocr=False, max_seconds=5))
    assert isinstance(ex, Extraction)
    assert all(isinstance(s, Segment) and isinstance(s.text, str) for s in ex.segments)
    assert all(isinstance(w, str) and isinstance(r, str) for w, r in ex.unscannable)
