"""A statement's lines as CSV for spreadsheet programs: UTF-8 with BOM, `;`-separated, local decimal commas, the
column headings and category names in the client's language (templates/<lang>/_statement_csv.j2)."""
from __future__ import annotations

import csv
import io

from mailbot.outbound.formats import local_decimal as _local
from mailbot.outbound.render import words

COLUMNS = ("ticket", "opened", "contact", "subject", "work_date", "agent", "description", "category",
           "minutes_entered", "minutes_billed", "requests", "included", "charged", "rate", "amount", "currency")


def csv_bytes(doc: dict, lang: str) -> bytes:
    said = words("_statement_csv", lang)
    out = io.StringIO()
    w = csv.writer(out, delimiter=";" if lang != "en" else ",", lineterminator="\r\n")
    w.writerow([str(said.heading(key)) for key in COLUMNS])
    free = str(said.not_charged())
    names: dict[str, str] = {}  # each category as the language names it: one macro call each, not one a line
    for t in doc["tickets"]:
        for ln in t["lines"]:
            # A free line is not charged: it says so, rather than a charged figure of 0.00.
            charged, amount = (free, free) if ln["category"] == "free" else (
                ln["charged"], _local(ln["amount"], lang))
            name = names.get(ln["category"])
            if name is None:
                name = names[ln["category"]] = str(said.category(ln["category"]))
            w.writerow([t["ref"], t["opened"], t["contact"], t["subject"], ln["work_date"], ln["agent"],
                        ln["description"], name, ln["entered"], ln["billed"],
                        ln["requests"], ln["included"], charged, _local(ln["rate"], lang), amount, doc["currency"]])
    for fee in doc["fees"]:
        w.writerow(["", "", "", fee["name"], "", "", "", str(said.fee()), "", "", fee["quantity"], "", "", "",
                    _local(fee["amount"], lang), doc["currency"]])
    w.writerow(["", "", "", str(said.total()), "", "", "", "", "", "", "", "", "", "", _local(doc["total"], lang),
                doc["currency"]])
    return "\ufeff".encode() + out.getvalue().encode("utf-8")
