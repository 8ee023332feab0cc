"""A statement's lines as CSV for spreadsheet programs: UTF-8 with BOM, `;`-separated, local decimal commas."""
from __future__ import annotations

import csv
import io

from mailbot.outbound.formats import local_decimal as _local


def csv_bytes(doc: dict, lang: str) -> bytes:
    out = io.StringIO()
    w = csv.writer(out, delimiter=";" if lang != "en" else ",", lineterminator="\r\n")
    w.writerow(["ticket", "opened", "contact", "subject", "work_date", "agent", "description", "category",
                "minutes_entered", "minutes_billed", "requests", "included", "charged", "rate", "amount", "currency"])
    for t in doc["tickets"]:
        for ln in t["lines"]:
            w.writerow([t["ref"], t["opened"], t["contact"], t["subject"], ln["work_date"], ln["agent"],
                        ln["description"], ln["category"], ln["entered"], ln["billed"], ln["requests"],
                        ln["included"], ln["charged"], _local(ln["rate"], lang), _local(ln["amount"], lang),
                        doc["currency"]])
    for fee in doc["fees"]:
        w.writerow(["", "", "", fee["name"], "", "", "", "fee", "", "", fee["quantity"], "", "", "",
                    _local(fee["amount"], lang), doc["currency"]])
    w.writerow(["", "", "", "total", "", "", "", "", "", "", "", "", "", "", _local(doc["total"], lang),
                doc["currency"]])
    return "\ufeff".encode() + out.getvalue().encode("utf-8")
