"""What flows through the stages: the envelope, the context they fill in, and the dispositions that stop it."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

SOURCES = ("smtp", "lmtp", "pipe", "imap")


@dataclass(frozen=True)
class ImapRef:
    """Where an IMAP message lives, and what to do with it there once it is committed."""
    folder: str
    uidvalidity: int
    uid: int
    action: str  # move | flag | delete (the mailbox's configured default)


@dataclass(frozen=True)
class Envelope:
    recipient: str  # the mailbox address the transport delivered to
    source: str  # smtp | lmtp | pipe | imap
    mail_from: str | None = None  # '' is the null return path; None: the transport did not say
    imap: ImapRef | None = None


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
    thread: tuple | None = None  # (In-Reply-To, References) when not the message being processed
    attachments: tuple = ()  # parse.Attachment objects to send along


@dataclass
class Ctx:
    raw: bytes
    envelope: Envelope
    config: Any
    conn: Any  # the one open transaction
    now: datetime
    retry_of: int | None = None  # a parked row being replayed
    msg: Any = None  # parse.Parsed
    idem_key: str = ""
    sender: str = ""
    kind: str = "message"  # message | bounce | auto-reply
    no_auto: str | None = None  # why nothing automatic may be sent to this sender
    mailbox: Any = None
    client: Any = None
    agent: Any = None
    ticket: dict | None = None  # the existing ticket it joins, as a row mapping
    refs: list[str] = field(default_factory=list)  # Message-IDs it refers to (bounces: also inside the report)
    bounced_outbox: int | None = None  # the outbox row a delivery report is about
    keep_raw: bool = True  # the personal-data guard may decide not to
    raw_size: int | None = None  # the size as it arrived, when the guard has cut `raw` down to a stub
    privacy: dict | None = None  # what the guard found and did (kinds, counts, where; never values)
    after: str | None = None  # IMAP: override the mailbox's action (the guard chooses "expunge")
    status: str | None = None  # the ticket's new status
    disposition: str = "ticket"  # how the message is recorded: ticket | reply | dsn | auto-reply
    events: list[tuple[str, str]] = field(default_factory=list)
    mails: list[Mail] = field(default_factory=list)
    token: Any = None  # agents.auth.Token: a signed reply address found among the recipients
    scan: tuple | None = None  # ((client id, sender), (report, unscannable)): the guard's reading, done early
    stopped: Exception | None = None  # what stopped it before the transaction; raised after dedupe
    changes: dict = field(default_factory=dict)  # ticket columns to update
    time_entry: dict | None = None
    follows: int | None = None  # a new ticket opened by a late reply to this resolved one
    drafts: list = field(default_factory=list)  # mail rendered before the transaction (outbound.drafts)
    actor: str | None = None  # who the events are by
    ticket_id: int | None = None
    message_row: int | None = None


class Disposition(Exception):
    """Raised by a stage to stop the flow; the runner maps it to an action."""

    def __init__(self, kind: str, reason: str = ""):
        super().__init__(f"{kind}: {reason}" if reason else kind)
        self.kind, self.reason = kind, reason


class Discard(Disposition):
    """Recorded as classified (bounce, auto-reply, loop ...) without a ticket; acknowledged."""


class Duplicate(Disposition):
    """Already taken: a redelivery. Acknowledged, nothing else."""


class Reject(Disposition):
    """A permanent refusal the sender's MTA reports (550 / exit 65)."""


class Park(Disposition):
    """Keep the message aside with its error; acknowledged, replayable."""


@dataclass(frozen=True)
class Outcome:
    status: str  # stored | duplicate | discarded | parked | rejected
    ticket_id: int | None = None
    reason: str = ""
    message_row: int | None = None
    after: str | None = None  # IMAP: what the adapter must now do with the server's copy

    @property
    def accepted(self) -> bool:
        return self.status != "rejected"
