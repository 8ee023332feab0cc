"""Read a test-set message back into text, keyed the way labels.json names places.

``texts(raw)`` returns {"subject": ..., "body": ..., "<attachment>": ..., "arhivs.zip/algas.csv": ...,
"fwd.eml": <forwarded message's subject + body>, "fwd.eml/list.xlsx": ...}. Used by the generator (to check
that what it labelled is really there and that clean mail holds no valid personal code) and by
test_set_integrity.py. It is deliberately independent of mailbot's own MIME code.
"""
from __future__ import annotations

import html
import io
import re
import warnings
import zipfile
from email import policy
from email.parser import BytesParser

_INLINE_TAGS = re.compile(r"</?(?:span|b|i|u|em|strong|font|a|small|sup|sub|o:p)(?:\s[^>]*)?>", re.I)
_BLOCK_TAGS = re.compile(r"<(?:br|/p|/div|/tr|/li|/h\d|/table|p|div|tr|li|table)(?:\s[^>]*)?/?>", re.I)
_CELL_TAGS = re.compile(r"</?t[dh](?:\s[^>]*)?>", re.I)
_ANY_TAG = re.compile(r"<[^>]+>")
_DROP = re.compile(r"<(style|script|head)\b.*?</\1\s*>", re.I | re.S)


def html_to_text(s: str) -> str:
    s = _DROP.sub("", s)
    s = re.sub(r"<!--.*?-->", "", s, flags=re.S)
    s = _INLINE_TAGS.sub("", s)
    s = _BLOCK_TAGS.sub("\n", s)
    s = _CELL_TAGS.sub("\t", s)
    s = _ANY_TAG.sub(" ", s)
    return html.unescape(s).replace("\xa0", " ")


_FAMILIES = ["āčēģīķļņšūž", "ąčęėįšųūž", "ăâîșțşţ", "áäčďéíĺľňóôŕšťúýžěřů", "ąćęłńóśźż", "õäöüšž"]


def decode_bytes(data: bytes, charset: str | None = None) -> str:
    """Decode an attachment: BOM, then UTF-8, then the declared charset, else guess the legacy code page
    (Cyrillic when most letters are high bytes; otherwise the Latin code page whose result reads most like
    one of the languages of this set)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if charset:
        try:
            return data.decode(charset, "replace")
        except LookupError:
            pass
    high = sum(1 for b in data if b >= 0xC0)
    ascii_letters = sum(1 for b in data if 65 <= b <= 90 or 97 <= b <= 122)
    if high > 0.4 * (high + ascii_letters):
        lower_1251 = sum(1 for b in data if b >= 0xE0)
        return data.decode("cp1251" if lower_1251 >= high - lower_1251 else "koi8-r", "replace")
    best, best_score = "", None
    for cs in ("cp1257", "cp1250", "iso-8859-2", "iso-8859-13"):
        text = data.decode(cs, "replace")
        low = text.lower()
        fam = max(sum(1 for ch in low if ch in f) for f in _FAMILIES)
        odd = sum(1 for ch in low if ord(ch) > 127 and not any(ch in f for f in _FAMILIES))
        score = fam - 2 * odd
        if best_score is None or score > best_score:
            best, best_score = text, score
    return best


def xlsx_text(data: bytes) -> str:
    import openpyxl
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    out = []
    for ws in wb.worksheets:
        out.append(f"[{ws.title}]")
        for row in ws.iter_rows(values_only=True):
            out.append("\t".join("" if v is None else str(v) for v in row))
    wb.close()
    return "\n".join(out)


def docx_text(data: bytes) -> str:
    import docx
    d = docx.Document(io.BytesIO(data))
    out = [p.text for p in d.paragraphs]
    for t in d.tables:
        for r in t.rows:
            out.append("\t".join(c.text for c in r.cells))
    return "\n".join(out)


def pdf_text(data: bytes) -> str:
    import pypdf
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reader = pypdf.PdfReader(io.BytesIO(data))
        return "\n".join(page.extract_text() or "" for page in reader.pages)


def file_texts(name: str, data: bytes, charset: str | None = None) -> dict[str, str]:
    """{'': text of the file itself, 'member': text, ...} for an attachment called ``name``."""
    low = name.lower()
    if low.endswith(".zip") or data[:4] == b"PK\x03\x04" and not low.endswith((".xlsx", ".docx")):
        out = {"": ""}
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for info in z.infolist():
                if info.is_dir():
                    continue
                for k, v in file_texts(info.filename, z.read(info), None).items():
                    out[info.filename + ("/" + k if k else "")] = v
        return out
    if low.endswith(".xlsx"):
        return {"": xlsx_text(data)}
    if low.endswith(".docx"):
        return {"": docx_text(data)}
    if low.endswith(".pdf"):
        return {"": pdf_text(data)}
    if low.endswith(".eml"):
        msg = BytesParser(policy=policy.default).parsebytes(data)
        out: dict[str, str] = {"": ""}
        inner: dict[str, str] = {}
        _walk(msg, "", "", inner)
        for k, v in inner.items():
            out[k] = out.get(k, "") + v
        out[""] = f"{msg['subject'] or ''}\n" + out.get("", "")
        return out
    if low.endswith((".png", ".jpg", ".jpeg", ".gif")):
        return {"": ""}
    text = decode_bytes(data, charset)
    if low.endswith((".html", ".htm", ".xml")):
        text = html_to_text(text)
    return {"": text}


def _part_text(part) -> str:
    try:
        text = part.get_content()
    except (LookupError, UnicodeError):
        text = decode_bytes(part.get_payload(decode=True) or b"", None)
    if isinstance(text, bytes):
        text = decode_bytes(text, part.get_content_charset())
    return html_to_text(text) if part.get_content_subtype() == "html" else text


def _walk(part, prefix: str, body_key: str, out: dict[str, str]) -> None:
    ctype = part.get_content_type()
    if ctype == "message/rfc822":
        name = part.get_filename() or "message.eml"
        key = prefix + name
        inner = part.get_payload(0)
        out[key] = out.get(key, "") + f"{inner['subject'] or ''}\n"
        _walk(inner, key + "/", key, out)
        return
    if part.is_multipart():
        for sub in part.iter_parts():
            _walk(sub, prefix, body_key, out)
        return
    fname = part.get_filename()
    if fname or part.get_content_disposition() == "attachment":
        key = prefix + (fname or "unnamed")
        data = part.get_payload(decode=True) or b""
        for k, v in file_texts(key, data, part.get_content_charset()).items():
            kk = key + ("/" + k if k else "")
            out[kk] = out.get(kk, "") + v
        return
    if part.get_content_maintype() == "text":
        out[body_key or "body"] = out.get(body_key or "body", "") + _part_text(part) + "\n"


def texts(raw: bytes) -> dict[str, str]:
    msg = BytesParser(policy=policy.default).parsebytes(raw)
    out = {"subject": str(msg["subject"] or ""), "body": ""}
    _walk(msg, "", "body", out)
    return out


def squash(s: str) -> str:
    """Whitespace-free form, for finding a labelled value however the extractor spaced it."""
    return re.sub(r"[\s\u00a0\u200b]+", "", s)
