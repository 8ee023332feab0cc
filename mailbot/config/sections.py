"""The daemon's own sections: database, listeners, outgoing mail, mailboxes, agents and the rules for tickets."""
from __future__ import annotations

import os
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, field_validator

from mailbot.config.base import Language, Strict, email, zone_name

AUTO_WORKERS_MAX = 4


class MailboxRole(StrEnum):
    SUPPORT = "support"  # requests: tickets, receipts, agents' commands
    OBJECTIONS = "objections"  # seed 000's dedicated mailbox for billing disputes (iebildumi@)


class Role(StrEnum):
    """What an agent may do: an agent works tickets; a dispatcher also assigns them and sends [report]s; the head
    of service also grants [pd-allow] and takes what no dispatcher takes."""
    AGENT = "agent"
    DISPATCHER = "dispatcher"
    HEAD = "head"


class Database(Strict):
    url: str = "sqlite:///var/mailbot.db"
    # FULL makes every acknowledged message survive a power cut, not only a process crash.
    sqlite_synchronous: Literal["FULL", "NORMAL"] = "FULL"
    pool_size: int = Field(5, ge=1)


class Listener(Strict):
    enabled: bool = True
    host: str = "127.0.0.1"
    port: int = Field(2525, ge=0, le=65535)
    # A border takes mail straight from the Internet: no MTA of ours has checked it, so an Authentication-Results
    # header in it is the sender's own claim and is never believed (RFC 8601 §5). False: behind an MTA of ours
    # that removes such headers and writes its own (as LMTP, the pipe and IMAP always are).
    border: bool = True


class Http(Strict):
    """The operators' HTTP endpoint: /healthz and /metrics (docs/operations.md, "Watching it"). Off unless asked
    for; it tells whoever reaches it how the desk is doing, so it listens on loopback unless told otherwise."""
    enabled: bool = False
    host: str = "127.0.0.1"
    port: int = Field(9465, ge=0, le=65535)


class Listen(Strict):
    smtp: Listener = Listener()
    lmtp: Listener = Listener(enabled=False, port=2424)
    http: Http = Http()
    # bytes; larger gets 552. 40 MiB: a 25 MB attachment (what the big mail services let a client attach)
    # is about 34 MB once base64-encoded, and it must arrive.
    max_message_size: int = Field(41_943_040, ge=1024)
    hostname: str = "mailbot"
    # Processes taking mail on the same sockets (one core each); auto: one per available core, at most
    # AUTO_WORKERS_MAX (beyond that SQLite's single writer, not the cores, sets the pace).
    workers: Annotated[int, Field(ge=1, le=64)] | Literal["auto"] = "auto"

    @property
    def processes(self) -> int:
        if self.workers != "auto":
            return self.workers
        try:
            cores = len(os.sched_getaffinity(0))
        except (AttributeError, OSError):
            cores = os.cpu_count() or 1
        return max(1, min(cores, AUTO_WORKERS_MAX))


class SmtpRelay(Strict):
    host: str = "127.0.0.1"
    port: int = Field(25, ge=1, le=65535)
    starttls: bool = False
    tls: bool = False  # implicit TLS (port 465)
    username: str | None = None
    password: str | None = None  # environment only: MAILBOT_OUTBOUND__SMTP__PASSWORD
    timeout: float = Field(30.0, gt=0)


class Outbound(Strict):
    enabled: bool = True  # false: nothing is ever sent (rows stay queued)
    transport: Literal["smtp", "maildir"] = "maildir"
    from_: str | None = Field(None, alias="from")
    maildir: str = "var/outbox"
    smtp: SmtpRelay = SmtpRelay()
    max_attempts: int = Field(8, ge=1)
    retry_base_seconds: float = Field(30.0, gt=0)
    retry_max_seconds: float = Field(3600.0, gt=0)
    poll_seconds: float = Field(2.0, gt=0)
    auto_reply_limit_per_day: int = Field(10, ge=0)
    # The largest mail we send (bytes): a notification that would be larger carries the client's text once (no
    # HTML copy) and lists the files that do not fit instead of attaching them. Common relays take 25-35 MB.
    max_message_size: int = Field(20_000_000, ge=100_000)

    @field_validator("from_")
    @classmethod
    def _from(cls, v):
        return None if v is None else email(v)


class Imap(Strict):
    """An existing mailbox mailbot reads (IDLE, with polling as the fallback)."""
    host: str
    port: int | None = Field(None, ge=1, le=65535)  # default: 993 with tls: ssl, else 143
    tls: Literal["ssl", "starttls", "none"] = "ssl"
    verify: bool = True  # check the server's certificate
    ca_file: str | None = None  # a private CA or self-signed certificate to trust
    username: str
    password: str | None = None  # environment only: MAILBOT_MAILBOXES__<n>__IMAP__PASSWORD
    folder: str = "INBOX"
    after: Literal["move", "flag", "delete"] = "move"  # once a message is committed
    move_to: str = "Processed"  # created if missing
    idle: bool = True
    idle_seconds: float = Field(300.0, ge=5, le=1740)  # IDLE is re-issued well before the 29-minute limit
    poll_seconds: float = Field(30.0, gt=0)  # without IDLE
    batch: int = Field(50, ge=1, le=1000)  # messages per FETCH when catching up on a backlog
    lease_seconds: float = Field(90.0, ge=3)  # how long another daemon waits before taking over a silent reader
    timeout: float = Field(30.0, gt=0)

    @property
    def effective_port(self) -> int:
        return self.port or (993 if self.tls == "ssl" else 143)

    @property
    def idle_window(self) -> float:
        """How long one IDLE lasts at most, counted from its start: re-issued well inside the 29-minute limit
        of RFC 2177 and often enough to renew the lease (each renewal also refreshes the status row)."""
        return min(self.idle_seconds, self.lease_seconds / 3)

    @property
    def stale_after(self) -> float:
        """Seconds after which a mailbox's status row counts as stale. A healthy reader refreshes it at least
        once per IDLE window or poll interval (whichever it uses; without IDLE on the server it polls), plus
        the time to end the IDLE and look for mail, each bounded by the command timeout; twice that leaves
        room for one slow round, and a killed or hung daemon shows within a few minutes."""
        interval = max(self.idle_window, self.poll_seconds) if self.idle else self.poll_seconds
        return 2 * (interval + self.timeout)


class Mailbox(Strict):
    name: str
    address: str
    role: MailboxRole = MailboxRole.SUPPORT
    # The language of mail to someone who is not a client's contact, when their own cannot be told from what they
    # wrote (default: unknown_senders.language).
    language: Language | None = None
    display_name: str | None = None
    imap: Imap | None = None

    @field_validator("address")
    @classmethod
    def _addr(cls, v):
        return email(v)


class Agent(Strict):
    email: str
    name: str
    role: Role = Role.AGENT
    language: Language = "en"  # of the notifications and answers mailbot sends them

    @field_validator("email")
    @classmethod
    def _addr(cls, v):
        return email(v)


class UnknownSenders(Strict):
    policy: Literal["accept", "reject"] = "accept"  # accept: an unassigned ticket
    language: Language = "en"


class Commands(Strict):
    """How agents' command mails are authenticated and answered (invariant 6)."""
    auth: Literal["token", "authres", "token_or_authres", "token_and_authres"] = "token"
    trusted_authserv_ids: tuple[str, ...] = ()  # Authentication-Results from these servers are believed
    secret: str | None = None  # environment only: MAILBOT_COMMANDS__SECRET (else generated, kept in the database)
    confirm: Literal["all", "errors"] = "all"  # answer every command, or only the refused ones
    # On a border SMTP listener, check agents' DKIM signatures ourselves (DNS through the system resolver), so that
    # `authres` works there too: our own result is the only Authentication-Results believed there.
    verify_dkim: bool = True


class Tickets(Strict):
    reopen_days: int = Field(14, ge=0)  # a client's reply to a resolved ticket reopens it within this period
    timezone: str = "Europe/Riga"  # work dates of time entries are days in this zone

    @field_validator("timezone")
    @classmethod
    def _zone(cls, v):
        return zone_name(v)


class Jobs(Strict):
    """Scheduled work in the daemon: statements when due, purge of expired pd-allow data, retention."""
    enabled: bool = True


class Retention(Strict):
    """How long the text of mail is kept (docs/retention.md). `months`: a message received that many months ago,
    of a ticket resolved or closed as long ago (or of none), loses its text, raw copy and files; its record stays.
    None keeps mail for ever. `hour`: from this hour (tickets.timezone) the daemon runs it, once a day."""
    months: int | None = None
    hour: int = Field(3, ge=0, le=23)

    @field_validator("months", mode="before")
    @classmethod
    def _months(cls, v):
        if v is not None and (isinstance(v, bool) or not isinstance(v, int) or v < 1):
            raise ValueError(f"{v!r} is no number of months: a whole number, 1 or more (null keeps mail for ever)")
        return v


class Logging(Strict):
    """One line per event on stderr: text for a person reading a terminal or the journal, JSON (one object a line,
    with the event's ids as fields) for a log collector."""
    format: Literal["text", "json"] = "text"


class Health(Strict):
    """When `mailbot health` fails because of outgoing mail (docs/operations.md, "Watching it")."""
    outbox_max_age_minutes: float = Field(15.0, gt=0)  # queued mail older than this: the relay is not taking it
    failed_hours: float = Field(24.0, gt=0)  # a mail given up on within this many hours fails the check


class Parking(Strict):
    max_attempts: int = Field(5, ge=1)
    retry_seconds: float = Field(300.0, gt=0)
