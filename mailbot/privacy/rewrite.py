"""Redacted copies of attachments: the personal data the guard found replaced, the rest of the file kept.

`redact_file` rewrites text files (CSV, TXT, HTML, ...), XLSX and DOCX, with the redactor of each format in
`mailbot.privacy.formats` (`REDACTORS`); everything else (PDF, images, archives, messages, unknown formats)
and anything that fails the safety checks of `mailbot.privacy.limits` gives None, and the caller drops the
attachment. A rewritten XLSX or DOCX is only returned when a fresh extraction of it, and the text of every
XML part in it, no longer changes under `substitute`: text we did not reach (a text box, a footnote, a cached
copy) means None rather than a copy that still holds the data.
"""
from __future__ import annotations

import dataclasses
import io
import warnings
import zipfile

from mailbot.privacy.extract import extract
from mailbot.privacy.formats import Redactor, Substitute
from mailbot.privacy.formats.docx import paragraph_runs, redact_docx, run_text, wl
from mailbot.privacy.formats.text import redact_html, redact_text
from mailbot.privacy.formats.xlsx import redact_xlsx
from mailbot.privacy.kinds import detect_kind
from mailbot.privacy.limits import Limits, safe_xml_parser


# The redactor of each kind `detect_kind` returns, and whether its output must pass `_clean`: a text file is
# rewritten as one text, an Office file part by part, and a part it did not reach would still hold the data.
REDACTORS: dict[str, tuple[Redactor, bool]] = {
    "text": (redact_text, False), "csv": (redact_text, False), "tsv": (redact_text, False),
    "html": (redact_html, False),
    "xlsx": (redact_xlsx, True), "docx": (redact_docx, True),
}


def redact_file(filename: str, content_type: str, data: bytes, substitute: Substitute,
                limits: Limits = Limits()) -> bytes | None:
    """The file with `substitute` applied to its text, or None when this kind of file cannot be redacted."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            kind, _ = detect_kind(filename or "", content_type or "", data)
            if kind not in REDACTORS:
                return None
            redactor, checked = REDACTORS[kind]
            out = redactor(filename, data, substitute, limits)
            if checked and (out is None or not _clean(filename, content_type, out, substitute, limits)):
                return None
            return out
    except Exception:  # whatever fails, the attachment is dropped rather than stored unredacted
        return None


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
            root = etree.fromstring(zf.read(info), safe_xml_parser())
            for el in root.iter():
                if isinstance(el.tag, str) and el.text and el.text.strip():
                    texts.append(el.text)
                if wl(el) == "p":  # a paragraph's text split over runs
                    texts.append("".join(run_text(r) for r, _ in paragraph_runs(el)))
    joined = "\n".join(texts)
    return substitute(joined) == joined
