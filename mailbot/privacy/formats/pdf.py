"""PDF files: the reader. There is no redactor: a PDF with personal data is dropped.

Every page's text layer is scanned with its layout kept (a table's row stays one line); a page with images
and no text is a scan, read by OCR when tesseract is installed and reported otherwise, so that a scanned
payroll is never taken as clean. Form fields and embedded files are read too, the latter through the same
dispatch as the attachment itself, within the nesting limit. Pages beyond `Limits.max_pages` are reported,
not read. An encrypted PDF is read only when it opens with an empty user password.
"""
from __future__ import annotations

import io
import logging

from mailbot.privacy.formats.image import MAX_PIXELS, OcrError, ocr, ocr_unavailable
from mailbot.privacy.formats.text import normalise_newlines, one_line
from mailbot.privacy.limits import Ctx, Lines, Stop, error_name


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
        if w * h > MAX_PIXELS:
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


def read_pdf(ctx: Ctx, where: str, data: bytes, depth: int) -> None:
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
        ctx.refuse(where, f"damaged PDF file ({error_name(e)})")
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
        ctx.refuse(where, f"damaged PDF file ({error_name(e)})")
        return
    limits = ctx.limits
    ocr_reason: str | None = None  # why OCR cannot run, asked at the first page that needs it
    any_text = ocr_errors = False
    scans: list[int] = []      # pages with images and no text
    ocr_pages: set[int] = set()  # ... of which OCR read at least one image
    lines = Lines(ctx, where)
    try:
        for i in range(min(n, limits.max_pages)):
            ctx.check(where)
            try:
                page = reader.pages[i]
                text = (_page_text(page) or "").replace("\x00", "")
            except Stop:
                raise
            except Exception as e:
                ctx.refuse(where, f"page {i + 1} unreadable ({error_name(e)})")
                continue
            if text.strip():
                any_text = True
                lines.add(normalise_newlines(text).strip("\n"))
                continue
            images: list[tuple[str, bytes]] = []
            try:
                found = _pdf_images(page, images)
            except Stop:
                raise
            except Exception:
                found = 0
            if not found:
                continue
            scans.append(i + 1)
            if len(scans) == 1:
                ocr_reason = ocr_unavailable(ctx)
            if ocr_reason:
                continue
            for ext, image in images[:10]:
                try:
                    text = ocr(ctx, image, ext)
                except OcrError as e:
                    ctx.refuse(where, f"page {i + 1}: {e}")
                    ocr_errors = True
                    continue
                ocr_pages.add(i + 1)
                if text.strip():
                    any_text = True
                    lines.add(normalise_newlines(text).strip("\n"))
        try:
            fields = reader.get_form_text_fields() or {}
        except Exception:
            fields = {}
        for name, value in fields.items():
            if isinstance(value, str) and value.strip():
                any_text = True
                lines.add(f"{name}\t{one_line(value)}")
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
            ctx.refuse(member, f"damaged embedded file ({error_name(e)})")
            continue
        for content in contents:
            ctx.spend(member, len(content))
            ctx.nested(member, name, "application/octet-stream", content, depth + 1)
