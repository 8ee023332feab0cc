"""One module per attachment format, each with its reader and, where one exists, its redactor.

A reader turns a file into text segments for the personal-data guard; a redactor writes a copy of the file
with the personal data replaced. `mailbot.privacy.extract` and `mailbot.privacy.rewrite` pick them from
tables keyed by the kind `mailbot.privacy.kinds.detect_kind` returns; the budgets and the safety checks every
reader works within are in `mailbot.privacy.limits`.

    text     plain text, CSV/TSV, HTML (reader and redactor), and the decoding and conventions all share
    xlsx     Excel workbooks (reader and redactor)
    docx     Word documents (reader and redactor)
    odf      OpenDocument spreadsheets and text (ODS, ODT; readers)
    pdf      PDF: text layer, scanned pages by OCR, form fields, embedded files (reader)
    image    images by OCR, and the OCR that the PDF reader uses too (reader)
    archive  ZIP archives, each member read as what it is (reader)
    message  forwarded messages: subject, text and attachments (reader)
"""
from __future__ import annotations

from typing import Callable

from mailbot.privacy.limits import Ctx, Limits


# reader(ctx, where, data, depth): emits the file's text into ctx and records what it cannot read; `where`
# names the file in findings ("payroll.zip/jan.xlsx"), `depth` is how deep it sits in archives, messages and
# PDFs (only containers use it). Raises Stop when a budget of the whole attachment is spent.
Reader = Callable[[Ctx, str, bytes, int], None]

# The guard's replacement of personal data in a text.
Substitute = Callable[[str], str]

# redactor(filename, data, substitute, limits): the rewritten file, or None when it cannot be redacted.
Redactor = Callable[[str, bytes, Substitute, Limits], "bytes | None"]


def redact_properties(props, names: tuple[str, ...], substitute: Substitute) -> None:
    """A document's metadata (author, title, ...) holds names too: the text ones, substituted in place."""
    for attr in names:
        value = getattr(props, attr, None)
        if isinstance(value, str) and value:
            setattr(props, attr, substitute(value))
