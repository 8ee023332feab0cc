"""Mail in the client's language, from the Jinja2 templates in templates/<lang>/.

Code holds no user-facing sentences. Values from incoming mail (subjects, names) are flattened to one line
before they reach a template, so nothing a sender writes can become a header of ours.
"""
from __future__ import annotations

import re
import uuid
from email import charset
from email.header import Header
from email import encoders
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import format_datetime, formataddr
from functools import lru_cache

from babel import Locale
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from mailbot import resource

_LINE = re.compile(r"[\s\x00-\x1f\x7f]+")
_UTF8_QP = charset.Charset("utf-8")
_UTF8_QP.body_encoding = charset.QP  # readable in any mail client's source view, safe for long lines
_CRLF = compat32.clone(linesep="\r\n")


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(loader=FileSystemLoader(str(resource("templates"))),
                       autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def one_line(value: str, limit: int = 400) -> str:
    value = _LINE.sub(" ", value or "").strip()
    return value if len(value) <= limit else value[: limit - 1] + "…"


@lru_cache(maxsize=64)
def plural(lang: str, n: int) -> str:
    """CLDR plural category (one, few, many, other, zero) for the templates' word forms."""
    return Locale.parse(lang).plural_form(n)


def render(kind: str, lang: str, **values) -> tuple[str, str, str]:
    """(subject, text, html) of a template set."""
    env = environment()
    values = {**values, "lang": lang, "plural": lambda n: plural(lang, n)}
    subject = one_line(env.get_template(f"{lang}/{kind}.subject.j2").render(values), 900)
    text = env.get_template(f"{lang}/{kind}.txt.j2").render(values)
    html = env.get_template(f"{lang}/{kind}.html.j2").render(values)
    return subject, text, html


def new_message_id(domain: str) -> str:
    return f"<{uuid.uuid4().hex}@{domain}>"


def compose(*, sender: str, sender_name: str, to: str, subject: str, text: str, html: str, message_id: str,
            date, lang: str, in_reply_to: str | None = None, references: list[str] = (),
            auto_submitted: str | None = "auto-replied", ticket_id: int | None = None, reply_to: str | None = None,
            attachments=()) -> bytes:
    """A multipart/alternative mail (text + HTML), inside multipart/mixed when files go along; CRLF line ends.
    Built with the compat32 MIME classes: the same bytes as the modern API at an eighth of its cost, which
    matters on the ingest path."""
    body = MIMEMultipart("alternative")
    body.attach(MIMEText(text, "plain", _UTF8_QP))
    body.attach(MIMEText(html, "html", _UTF8_QP))
    if attachments:
        msg = MIMEMultipart("mixed")
        msg.attach(body)
        for a in attachments:
            msg.attach(_attachment(a))
    else:
        msg = body
    msg["From"] = formataddr((one_line(sender_name), sender), charset="utf-8")
    msg["To"] = to
    if reply_to:
        msg["Reply-To"] = reply_to
    msg["Subject"] = Header(one_line(subject, 900), "utf-8")
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = message_id
    if in_reply_to:
        msg["In-Reply-To"] = f"<{in_reply_to}>"
    refs = [f"<{r}>" for r in list(references)[-10:]]
    if refs:
        msg["References"] = " ".join(refs)
    if auto_submitted:
        msg["Auto-Submitted"] = auto_submitted  # RFC 3834: tells other robots not to answer us
        msg["X-Auto-Response-Suppress"] = "All"  # the same, in Exchange's dialect
    msg["Content-Language"] = lang
    if ticket_id is not None:
        msg["X-Mailbot-Ticket"] = str(ticket_id)
    return msg.as_bytes(policy=_CRLF)


def _attachment(a) -> MIMEBase:
    main, _, sub = (a.content_type if "/" in a.content_type else "application/octet-stream").partition("/")
    part = MIMEBase(main, sub)
    part.set_payload(a.data)
    encoders.encode_base64(part)
    part.add_header("Content-Disposition", "attachment", filename=("utf-8", "", a.filename))
    return part
