"""What the daemon says when it starts: its version, its database, each mailbox and how mail reaches it, the
outbound transport, the operators' endpoint, retention, and whether OCR is available — the lines an operator reads first when something is wrong.
Logs hold no secrets: the database URL is shown without its password."""
from __future__ import annotations

from pathlib import Path

from mailbot import __version__
from mailbot.privacy.formats.image import ocr_languages


def startup_lines(config, engine) -> list[str]:
    lines = [f"mailbot {__version__}, configuration {config.source or '(built in)'}",
             f"database {engine.url.render_as_string(hide_password=True)}"]
    listeners = [f"{source.upper()} {listener.host}:{listener.port}" for source in ("smtp", "lmtp")
                 if (listener := getattr(config.listen, source)).enabled]
    for m in config.mailboxes:
        if m.imap is not None:
            how = f"IMAP {m.imap.username}@{m.imap.host}:{m.imap.effective_port} folder {m.imap.folder}"
        else:
            how = ", ".join(listeners + ["the pipe command"]) if listeners else "the pipe command only"
        lines.append(f"mailbox {m.name} <{m.address}> ({m.role}): {how}")
    out = config.outbound
    if not out.enabled:
        lines.append("outbound: off (mail stays queued)")
    elif out.transport == "smtp":
        tls = " TLS" if out.smtp.tls else (" STARTTLS" if out.smtp.starttls else "")
        lines.append(f"outbound: SMTP relay {out.smtp.host}:{out.smtp.port}{tls}")
    else:
        lines.append(f"outbound: maildir {Path(out.maildir).resolve()}")
    langs = ocr_languages() if config.privacy.ocr else None
    if not config.privacy.ocr:
        lines.append("OCR: off (privacy.ocr: false)")
    elif langs:
        lines.append(f"OCR: tesseract ({langs})")
    else:
        lines.append("OCR: not available" + (" (tesseract has none of our languages)" if langs == "" else
                                             " (tesseract is not installed): images count as unscannable"))
    if config.listen.http.enabled:
        lines.append(f"HTTP {config.listen.http.host}:{config.listen.http.port}: /healthz, /metrics")
    if config.jobs.enabled:
        months = config.retention.months
        lines.append("retention: " + (f"mail's text and files purged after {months} month(s), daily from "
                                      f"{config.retention.hour:02d}:00" if months else "off (mail is kept)"))
    return lines + warnings(config)


def warnings(config) -> list[str]:
    """What the configuration allows but an operator would not want (`mailbot config check` prints them too)."""
    from mailbot.config.sections import MailboxRole, Role
    found = []
    if any(m.role == MailboxRole.OBJECTIONS for m in config.mailboxes) and not any(
            a.role == Role.HEAD for a in config.agents):
        found.append("warning: an objections mailbox but no agent with role head: objections are recorded and "
                     "acknowledged, but nobody is told of them or can decide them")
    smtp = config.listen.smtp
    if smtp.enabled and smtp.border and config.commands.auth == "authres" and not config.commands.verify_dkim:
        found.append("warning: commands.auth is authres but the SMTP listener is a border (listen.smtp.border: true)"
                     " and commands.verify_dkim is off: Authentication-Results arriving there are not believed, so "
                     "agents' commands by SMTP are refused; turn verify_dkim on, use token, or set border: false")
    return found
