"""A mail someone decided to send, before it is rendered: which templates, to whom, with what values.

The pipeline's stages and the services make these; `mailbot.outbound.outbox` renders one in the reader's
language, fixes its Message-ID and queues it in the caller's transaction (invariant 3).
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Mail:
    """A mail a stage decided to send; rendered (templates/<lang>/<kind>.*) and queued by persist."""
    kind: str  # template set: receipt, notification, relay, started, resolved, command-result, security-alert
    to: str | tuple[str, ...]
    values: dict = field(default_factory=dict)
    lang: str | None = None  # default: the ticket's language
    counted: bool = True  # counts against the per-address daily limit on automatic answers
    auto_submitted: str | None = "auto-replied"  # RFC 3834 header; None for a person's words relayed
    reply_to: str | None = None
    sign_for: str | None = None  # an agent: Reply-To becomes their signed reply address for this ticket
    objection: int | None = None  # with sign_for: the address signs this objection instead (the head's decision)
    thread: tuple | None = None  # (In-Reply-To, References) when not the message being processed
    attachments: tuple = ()  # mime.parts.Attachment objects to send along
    text_only: bool = False  # no HTML alternative: a very long text goes once (outbound.max_message_size)
