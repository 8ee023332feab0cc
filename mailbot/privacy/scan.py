"""scan: run every detector over every part of a message and say what personal data it carries.

The subject, the text of the body and the text of every attachment (mailbot.privacy.extract) are scanned
alike; what is the sender's own (their signature, their name, their address) or a registered contact of ours
or the client's is not personal data of a third party. Nothing here stores or logs anything.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from mailbot.privacy import Finding, codes, contacts, people
from mailbot.privacy.layout import Layout

_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*•–·]|\d{1,3}[.)])[ \t]+", re.M)
# A national code, a personal account, a birth date or a salary on a row makes a person of a name beside it.
_EVIDENCE = frozenset(("birth-date", "salary", "iban") + tuple(
    k for k in ("lt-asmens-kodas", "lv-personas-kods", "ro-cnp", "sk-rodne-cislo", "cz-rodne-cislo", "ee-isikukood",
                "pl-pesel", "ru-snils", "ru-inn")))


@dataclass(frozen=True)
class Context:
    """Who wrote, in which language, and whose contacts are known and so not a third party's."""
    language: str | None = None
    sender: str = ""
    sender_name: str = ""
    known: frozenset[str] = frozenset()


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    unscannable: list[tuple[str, str]] = field(default_factory=list)  # (where, reason)

    def counts(self) -> list[dict]:
        """[{kind, where, count}] in order of first appearance; never the values."""
        tally = Counter((f.kind, f.where) for f in self.findings)
        return [dict(kind=k, where=w, count=n) for (k, w), n in tally.items()]

    def summary(self) -> str:
        kinds = Counter(f.kind for f in self.findings)
        return ", ".join(f"{k} x{n}" for k, n in sorted(kinds.items())) or "nothing"


def scan_text(where: str, text: str, ctx: Context, body: bool = False) -> list[Finding]:
    """Findings in one text; `body` marks the sender's own message text, whose signature is theirs."""
    if not text or not text.strip():
        return []
    lay = Layout.of(text, signature=body)
    spans: dict[tuple[int, int], tuple[str, str]] = {}

    def add(kind, start, end, value):
        if not any(a < end and start < b for a, b in spans):
            spans[(start, end)] = (kind, value)

    for kind, start, end, value in codes.find(text, lay, ctx.language):
        add(kind, start, end, value)
    for start, end, value in people.birth_dates(lay):
        add("birth-date", start, end, value)
    names = list(people.table_names(lay))
    for start, end, value in names:
        add("name", start, end, value)
    name_rows = {lay.line_of(s) for s, _, _ in names}
    evidence_rows = {lay.line_of(a) for (a, _), (k, _) in spans.items() if k in _EVIDENCE}
    for start, end, value in contacts.ibans(text):
        if re.sub(r"\s", "", value).upper() in own_ibans(lay):
            continue  # the sender's company account, as in their signature
        row = lay.line_of(start)
        if row in name_rows or row in evidence_rows or contacts.PERSON_WORDS.search(lay.before(start, 80)) \
                or _named_nearby(lay, start):
            add("iban", start, end, value)
            evidence_rows.add(row)
    for row in range(len(lay.starts)):  # salary lines of named (or coded) people
        a, b = lay.line_span(row)
        if row in lay.header_lines or not people.SALARY.search(text, a, b) and not _salary_columns(lay, row) \
                and not (row in name_rows and row in lay.cells):
            continue
        near = range(row, row + 1) if row in lay.cells else range(row - 1, row + 2)
        named = any(r in name_rows or r in evidence_rows for r in near) or any(
            True for _ in people.pairs(text, *lay.window(a), strict=True))
        if named:
            for start, end, value in people.salary_amounts(lay, a, b):
                add("salary", start, end, value)
                evidence_rows.add(row)
    for row in sorted(evidence_rows):  # names next to the evidence
        a, b = lay.window(lay.starts[row])
        for start, end, value in people.pairs(text, a, b, strict=False):
            if not lay.in_table(start) or lay.line_of(start) == row:
                add("name", start, end, value)
                name_rows.add(lay.line_of(start))
    _list_names(lay, add, name_rows)
    sig_a, sig_b = lay.signature
    own = {v.lower() for v in contacts.EMAIL_ONLY.findall(text[sig_a:sig_b])}
    for row in _phone_rows(lay, name_rows | evidence_rows):
        a, b = lay.line_span(row)
        for start, end, value, mobile in contacts.phones(text[a:b], ctx.language):
            start, end = start + a, end + a
            if lay.in_signature(start) or contacts.on_header_line(text, start):
                continue
            if row in name_rows or row in evidence_rows or mobile is not False and (
                    contacts.PERSON_WORDS.search(lay.before(start, 60)) or _named_nearby(lay, start)):
                add("phone", start, end, value)
    for start, end, value, private in contacts.emails(text):
        address = value.lower()
        if address == ctx.sender or address in ctx.known or lay.in_signature(start) \
                or contacts.on_header_line(text, start) or address in own \
                or contacts.FIRST_PERSON.search(text, max(0, start - 40), start) \
                and not contacts.PERSON_WORDS.search(text, max(0, start - 40), start):
            continue
        if private or lay.line_of(start) in name_rows:
            add("email", start, end, value)
    own = _own_name(ctx.sender_name)
    return [Finding(kind, where, a, b, value) for (a, b), (kind, value) in sorted(spans.items())
            if not (kind == "name" and (set(value.lower().split()) <= own and own or lay.in_signature(a)))]


_DIGITS7 = re.compile(r"(?:\d[^\d\n]{0,3}){7}")


def _phone_rows(lay, person_rows: set[int]):
    """Lines that may hold a third party's telephone number: seven digits or more, and a person on the row
    or words or a name near it. phonenumbers is the scan's dearest part, so it reads only these."""
    text = lay.text
    for row in range(len(lay.starts)):
        a, b = lay.line_span(row)
        if not _DIGITS7.search(text, a, b):
            continue
        if row in person_rows or contacts.PERSON_WORDS.search(text, max(0, a - 120), b) \
                or contacts.MOBILE_WORDS_ANY.search(text, a, b) or _named_nearby(lay, a):
            yield row


def _named_nearby(lay, pos: int) -> bool:
    """A person's name (a known given name) on pos's line or the lines next to it, outside the signature."""
    a, b = lay.window(pos)
    return any(not lay.in_signature(s) for s, _, _ in people.pairs(lay.text, a, b, strict=True))


def own_ibans(lay) -> set[str]:
    """Accounts in the sender's signature: their company's."""
    a, b = lay.signature
    return {re.sub(r"\s", "", v).upper() for _, _, v in contacts.ibans(lay.text[a:b])}


def _salary_columns(lay, row) -> bool:
    return any(h and people.SALARY.search(h) for _, _, h in lay.cells.get(row, ()))


def _list_names(lay, add, name_rows) -> None:
    """Names opening the items of a list (two or more items), e.g. "1. Jānis Ozols – grāmatvedis"."""
    text = lay.text
    items = []
    for m in _LIST_ITEM.finditer(text):
        found = people.PAIR.match(text, m.end())
        if found and people.looks_like_name(found.group(0).split()):
            items.append((found.start(), found.end(), found.group(0)))
    if len(items) >= 2:
        for start, end, value in items:
            add("name", start, end, value)
            name_rows.add(lay.line_of(start))


def _own_name(name: str) -> set[str]:
    return {w for w in re.split(r"[\s,]+", (name or "").lower()) if w}


def scan_message(msg, ctx: Context, limits=None) -> Report:
    """Scan a parsed message: its subject, body text and every attachment's text."""
    from mailbot.privacy.extract import Limits, extract
    limits = limits or Limits()
    report = Report()
    report.findings += scan_text("subject", msg.subject or "", ctx)
    report.findings += scan_text("body", msg.text or "", ctx, body=True)
    for att in msg.attachments:
        extraction = extract(att.filename or "attachment", att.content_type or "", att.data or b"", limits)
        report.unscannable += extraction.unscannable
        for segment in extraction.segments:
            report.findings += scan_text(segment.where, segment.text, ctx)
    return report
