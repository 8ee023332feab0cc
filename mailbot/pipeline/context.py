"""What flows through the stages: the envelope, the context they fill in, and the stops that end the flow.

A stage ends a message's flow only by raising one of `Discard`, `Duplicate` or `Reject`; anything else it raises
is a fault, and the runner parks the message with it (invariant 8). The runner maps each to an `Outcome`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from mailbot.outbound.mail import Mail
from mailbot.tickets.vocabulary import Disposition


class Source(StrEnum):
    """The transport a message came by."""
    SMTP = "smtp"
    LMTP = "lmtp"
    PIPE = "pipe"
    IMAP = "imap"


class Kind(StrEnum):
    """What the screen stage found a message to be."""
    MESSAGE = "message"  # a person's mail
    BOUNCE = "bounce"  # a delivery report
    AUTO_REPLY = "auto-reply"  # an out-of-office, a read receipt, a challenge


class Verdict(StrEnum):
    """What became of a message (`Outcome.status`)."""
    STORED = "stored"
    DUPLICATE = "duplicate"
    DISCARDED = "discarded"
    PARKED = "parked"
    REJECTED = "rejected"


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
class Ctx:
    raw: bytes
    envelope: Envelope
    config: Any
    conn: Any  # the one open transaction
    now: datetime
    retry_of: int | None = None  # a parked row being replayed
    msg: Any = None  # mime.message.Parsed
    idem_key: str = ""
    sender: str = ""
    kind: Kind = Kind.MESSAGE
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
    status: str | None = None  # the ticket's new status (a tickets.vocabulary.Status)
    disposition: Disposition = Disposition.TICKET  # how the message is recorded
    events: list[tuple[str, str]] = field(default_factory=list)
    mails: list[Mail] = field(default_factory=list)
    token: Any = None  # agents.auth.Token: a signed reply address found among the recipients
    own_authres: str | None = None  # a border listener's own DKIM result for an agent's mail (services.dkim_check)
    scan: tuple | None = None  # ((client id, sender), (report, unscannable)): the guard's reading, done early
    stopped: Exception | None = None  # what stopped it before the transaction; raised after dedupe
    changes: dict = field(default_factory=dict)  # ticket columns to update
    time_entry: dict | None = None
    language: str | None = None  # the language detected for a sender who is not a client's contact
    redescribe: str | None = None  # an agent's "Work: ..." without time: the new description of their latest entry
    follows: int | None = None  # a new ticket opened by a late reply to this resolved one
    no_ticket: bool = False  # recorded and answered without a ticket (a client's [status])
    correct: tuple | None = None  # the head's category on a ticket: (category, services.corrections.plan)
    objection: dict | None = None  # mail to the objections mailbox: what the objection stage recorded
    drafts: list = field(default_factory=list)
    deadlines: dict = field(default_factory=dict)  # a new ticket's response deadline, worked out once (persist)  # mail rendered before the transaction (outbound.drafts)
    actor: str | None = None  # who the events are by
    ticket_id: int | None = None
    message_row: int | None = None


class Stop(Exception):
    """Raised by a stage to end the flow; the runner maps it to an outcome."""

    def __init__(self, kind: str, reason: str = ""):
        super().__init__(f"{kind}: {reason}" if reason else kind)
        self.kind, self.reason = kind, reason


class Discard(Stop):
    """Recorded as classified (bounce, auto-reply, loop ...) without a ticket; acknowledged."""


class Duplicate(Stop):
    """Already taken: a redelivery. Acknowledged, nothing else."""


class Reject(Stop):
    """A permanent refusal the sender's MTA reports (550 / exit 65)."""


@dataclass(frozen=True)
class Outcome:
    status: Verdict
    ticket_id: int | None = None
    reason: str = ""
    message_row: int | None = None
    after: str | None = None  # IMAP: what the adapter must now do with the server's copy

    @property
    def accepted(self) -> bool:
        return self.status != Verdict.REJECTED
