"""guard: personal data is decided before anything is stored (invariant 5, seed 002 STEKAS).

A client's message is scanned (subject, text, every attachment). If it carries third parties' personal data
and the client has no data-processing agreement and the ticket no [pd-allow] exemption, the policy applies:

* discard — nothing of the body or attachments is kept anywhere: not the raw message, not a parked copy (the
  raw bytes become a header-only stub), not the IMAP copy (expunged); the message row keeps a stub with
  sender, date, subject, sizes and the kinds and counts found;
* redact — each finding is replaced by a typed placeholder in the client's language; CSV/XLSX/DOCX files are
  kept as redacted copies, files that cannot be redacted (PDF, images, archives) are dropped.

Either way the client is told what was found (kinds and where, never the values) and the agent in charge
hears of it; the audit event has kinds and counts only. Agents' own mail is not scanned.
"""
from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date
from email.utils import format_datetime

from mailbot.mime.addresses import answerable
from mailbot.outbound.mail import Mail
from mailbot.outbound.render import placeholder
from mailbot.pipeline import scan
from mailbot.pipeline.context import Kind
from mailbot.pipeline.notify import dispatchers
from mailbot.pipeline.persist import language_of
from mailbot.privacy import Finding
from mailbot.privacy.rewrite import redact_file
from mailbot.privacy.scan import Report
from mailbot.privacy.verdict import decide
from mailbot.tickets.vocabulary import Disposition, EventKind

_STUB_HEADERS = ("From", "To", "Cc", "Date", "Message-ID", "In-Reply-To", "References")
STUB_HEADER = "X-Mailbot-Privacy"  # marks the stub that stands in for an original not kept (parked, say)
NOT_KEPT = ("discard", "redact", "drop")  # the actions below that keep no original (ctx.privacy["action"])


def run(ctx) -> None:
    if not scan.wanted(ctx):
        return  # agents' mail, delivery reports, auto-replies, or nothing to decide for this client
    policy = ctx.config.privacy_for(ctx.client)
    report, unscannable = scan.result(ctx)
    decision, _ = decide(policy, report.findings, unscannable)
    if decision in ("clean", "keep"):
        return
    allowed = _allowed_until(ctx)
    if allowed is not None:
        ctx.privacy = dict(action="allowed", until=allowed.isoformat(), found=report.counts())
        ctx.events.append((EventKind.PERSONAL_DATA, f"kept under pd-allow until {allowed}: {report.summary()}"))
        return
    drop = set(unscannable) if policy.unscannable != "keep" else set()
    lang = _language(ctx)
    ctx.keep_raw = False  # the original holds what we must not keep
    ctx.after = "expunge"  # nor may the IMAP server
    ctx.raw_size = len(ctx.raw)
    if decision == "discard":
        _discard(ctx, report, lang)
    else:
        _redact(ctx, report, lang, drop)
    ctx.raw = _stub_raw(ctx)
    detail = f"{ctx.privacy['action']}: {report.summary()}"
    if ctx.privacy.get("dropped"):
        detail += f"; {len(ctx.privacy['dropped'])} attachment(s) not stored"
    ctx.events.append((EventKind.PERSONAL_DATA, detail))
    _tell(ctx, lang)


def _language(ctx) -> str:
    if ctx.ticket is not None:
        return ctx.ticket["language"]
    return language_of(ctx)


def _allowed_until(ctx) -> date | None:
    until = (ctx.ticket or {}).get("pd_allow_until")
    if until is None:
        return None
    return until if until >= ctx.config.today(ctx.now) else None


def _files(msg) -> list[dict]:
    return [dict(name=a.filename, content_type=a.content_type, size=a.size) for a in msg.attachments]


def _discard(ctx, report: Report, lang: str) -> None:
    msg = ctx.msg
    ctx.privacy = dict(action="discard", found=report.counts(), size=ctx.raw_size, attachments=_files(msg),
                       unscannable=[w for w, _ in report.unscannable])
    msg.subject = _redact_text(msg.subject, report, "subject", lang)
    msg.text, msg.html, msg.attachments = "", None, []


def _redact(ctx, report: Report, lang: str, drop: set[str]) -> None:
    msg = ctx.msg
    kept, dropped = [], []
    for att in msg.attachments:
        name = att.filename or "attachment"
        mine = [f for f in report.findings if f.where == name or f.where.startswith(name + "/")]
        if any(w == name or w.startswith(name + "/") for w in drop) or any(f.kind == "unscannable" for f in mine):
            dropped.append(name)
            continue
        if not mine:
            kept.append(att)
            continue
        data = redact_file(name, att.content_type, att.data, _substitute(mine, lang))
        if data is None:
            dropped.append(name)
        else:
            kept.append(replace(att, data=data))
    ctx.privacy = dict(action="redact" if report.findings else "drop", found=report.counts(), size=ctx.raw_size,
                       dropped=dropped, unscannable=[w for w, _ in report.unscannable])
    msg.subject = _redact_text(msg.subject, report, "subject", lang)
    msg.text = _redact_text(msg.text, report, "body", lang)
    msg.html, msg.attachments = None, kept


def _redact_text(text: str, report: Report, where: str, lang: str) -> str:
    """Replace each finding in text (offsets from the scan of this very text) by its placeholder."""
    for f in sorted((f for f in report.findings if f.where == where and f.end > f.start), key=lambda f: -f.start):
        text = text[:f.start] + placeholder(lang, f.kind) + text[f.end:]
    return text


def _substitute(findings: list[Finding], lang: str):
    """A function that replaces the found values wherever they occur in a file's strings."""
    values = {}
    for f in findings:
        if f.value:
            values.setdefault(f.value, placeholder(lang, f.kind))
            digits = re.sub(r"\D", "", f.value)
            if len(digits) >= 9 and digits != f.value:  # a code stored as a number in a spreadsheet
                values.setdefault(digits, placeholder(lang, f.kind))
    if not values:
        return lambda s: s
    pattern = re.compile("|".join(re.escape(v) for v in sorted(values, key=len, reverse=True)))
    return lambda s: pattern.sub(lambda m: values[m.group(0)], s) if s else s


def _stub_raw(ctx) -> bytes:
    """What is left of the raw message: its envelope headers and the redacted subject (for parking)."""
    m = ctx.msg.msg
    lines = [f"{name}: {' '.join(str(m.get(name)).split())}" for name in _STUB_HEADERS if m.get(name) is not None]
    if m.get("Date") is None:
        lines.append(f"Date: {format_datetime(ctx.now)}")
    lines.append(f"Subject: {' '.join(ctx.msg.subject.split())}")
    lines.append("Content-Type: text/plain; charset=utf-8")
    lines.append(f"{STUB_HEADER}: " + json.dumps({k: ctx.privacy[k] for k in ("action", "found")},
                                                 ensure_ascii=True)[:900])
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8", "replace")


def _tell(ctx, lang: str) -> None:
    """The client (unless they are software or a list) and the agent in charge hear what happened."""
    values = {"privacy": ctx.privacy}
    rcpt = ctx.msg.reply_to or ctx.sender
    if ctx.kind == Kind.MESSAGE and not ctx.no_auto and answerable(rcpt) and rcpt not in ctx.config.own_addresses:
        ctx.mails.append(Mail(Disposition.PRIVACY_NOTICE, rcpt, lang=lang, counted=False, values=dict(values, sender=rcpt)))
    config = ctx.config
    assignee = config.agent_for((ctx.ticket or {}).get("assignee") or "") if ctx.ticket else None
    consultant = config.agent_for(ctx.client.consultant) if ctx.client and ctx.client.consultant else None
    targets = [assignee or consultant] if (assignee or consultant) else dispatchers(config)
    for agent in targets:
        ctx.mails.append(Mail(Disposition.PRIVACY_ALERT, agent.email, lang=agent.language, counted=False,
                              auto_submitted="auto-generated", values=dict(
                                  values, agent_name=agent.name, sender=ctx.sender,
                                  client_name=ctx.client.name if ctx.client else "")))
