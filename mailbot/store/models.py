"""The tables. Every change here needs an Alembic migration (tests compare the two)."""
from datetime import datetime, timezone

from sqlalchemy import (BigInteger, Boolean, Column, Date, DateTime, ForeignKey, Index, Integer, LargeBinary, MetaData, String,
                        Table, Text, TypeDecorator, UniqueConstraint, true)

metadata = MetaData(naming_convention={
    "ix": "ix_%(table_name)s_%(column_0_N_name)s", "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s", "pk": "pk_%(table_name)s"})


class UTCDateTime(TypeDecorator):
    """Timezone-aware in Python, UTC in the database (SQLite keeps no zone, so we normalise both ways)."""
    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


tickets = Table(
    "tickets", metadata,
    Column("id", Integer, primary_key=True),
    Column("mailbox", String(320), nullable=False),
    Column("client_id", String(100), nullable=True, index=True),  # statements read a client's tickets
    Column("contact", String(320), nullable=False),
    Column("contact_name", Text, nullable=False, default=""),
    Column("subject", Text, nullable=False, default=""),
    Column("base_subject", Text, nullable=False, default=""),  # case-folded, prefixes removed: reply matching
    Column("status", String(20), nullable=False, default="new"),
    Column("language", String(5), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("assignee", String(320), nullable=True),  # an agent's address
    Column("category", String(50), nullable=True),  # free | paid | a plan's own category
    Column("priority", String(2), nullable=True),  # P1..P4, from impact and urgency or set directly
    Column("impact", String(10), nullable=True),
    Column("urgency", String(10), nullable=True),
    Column("started_at", UTCDateTime, nullable=True),  # an agent put on it, or its consultant's first act
    Column("resolved_at", UTCDateTime, nullable=True),
    Column("follows", Integer, nullable=True),  # the resolved ticket a late reply came back to
    Column("pd_allow_until", Date, nullable=True),  # a head's [pd-allow DATE]: personal data kept until then
    Index("ix_tickets_client_subject", "client_id", "base_subject"),
    Index("ix_tickets_status_assignee", "status", "assignee"),
)

messages = Table(
    "messages", metadata,
    Column("id", Integer, primary_key=True),
    Column("ticket_id", Integer, ForeignKey("tickets.id"), nullable=True, index=True),
    Column("idem_key", String(64), nullable=True, unique=True),  # inbound only: redelivery is a no-op
    Column("direction", String(3), nullable=False),  # in | out
    Column("source", String(10), nullable=False),  # smtp | lmtp | pipe | imap | mailbot
    Column("mailbox", String(320), nullable=True),
    Column("message_id", Text, nullable=True),
    Column("sender", String(320), nullable=False, default=""),
    Column("sender_name", Text, nullable=False, default=""),
    Column("recipients", Text, nullable=False, default=""),
    Column("subject", Text, nullable=False, default=""),
    Column("body_text", Text, nullable=True),
    Column("disposition", String(20), nullable=False),  # ticket | reply | bounce | dsn | auto-reply | loop | receipt
    Column("reason", Text, nullable=False, default=""),
    Column("size", Integer, nullable=False, default=0),
    Column("defects", Text, nullable=False, default=""),
    Column("created_at", UTCDateTime, nullable=False),
    # What the personal-data guard found and did (JSON: action, found kinds/where/counts, attachments, purge
    # date); never a value. A discarded message keeps only this stub.
    Column("privacy", Text, nullable=True),
    Column("objection_id", Integer, nullable=True, index=True),  # mail to the objections mailbox: its objection
    # When retention deleted its text, raw copy, files and sent bytes (mailbot.services.retention); the row stays.
    Column("purged_at", UTCDateTime, nullable=True),
)

raw_messages = Table(
    "raw_messages", metadata,
    Column("message_id", Integer, ForeignKey("messages.id"), primary_key=True),
    Column("raw", LargeBinary, nullable=False),
)

attachments = Table(
    "attachments", metadata,
    Column("id", Integer, primary_key=True),
    Column("message_id", Integer, ForeignKey("messages.id"), nullable=False, index=True),
    Column("filename", Text, nullable=False),
    Column("content_type", String(255), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("content_id", Text, nullable=True),
    Column("data", LargeBinary, nullable=True),  # in the database so every daemon can reach it
)

thread_ids = Table(
    "thread_ids", metadata,  # every Message-ID a ticket has sent or received
    Column("message_id", String(998), primary_key=True),
    Column("ticket_id", Integer, ForeignKey("tickets.id"), primary_key=True),
)

outbox = Table(
    "outbox", metadata,
    Column("id", Integer, primary_key=True),
    Column("ticket_id", Integer, ForeignKey("tickets.id"), nullable=True, index=True),
    Column("kind", String(30), nullable=False),  # receipt | ...
    Column("auto", Boolean, nullable=False, default=True),  # counts against the per-sender limit
    Column("message_id", String(998), nullable=False, unique=True),
    Column("mail_from", String(320), nullable=False),
    Column("rcpt", String(320), nullable=False),  # primary recipient, lower-cased
    Column("recipients", Text, nullable=False),  # all envelope recipients, comma-separated
    Column("status", String(10), nullable=False, default="pending"),  # pending | sent | failed | bounced
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UTCDateTime, nullable=False),
    Column("lease_until", UTCDateTime, nullable=True),
    Column("lease_owner", String(100), nullable=True),
    Column("last_error", Text, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("sent_at", UTCDateTime, nullable=True),
    Column("failed_at", UTCDateTime, nullable=True),  # given up (health, `mailbot outbox retry`)
    Index("ix_outbox_due", "status", "next_attempt_at"),
    Index("ix_outbox_rcpt_created", "rcpt", "created_at"),
)

# The mail itself, beside its outbox row: SQLite rewrites a whole row, blob and all, on every UPDATE, and the
# sender updates the row twice (lease, sent) — for a notification with the client's files that was hundreds
# of kilobytes written to the log per mail.
outbox_raw = Table(
    "outbox_raw", metadata,
    Column("outbox_id", Integer, ForeignKey("outbox.id"), primary_key=True, autoincrement=False),
    Column("raw", LargeBinary, nullable=False),
)

events = Table(
    "events", metadata,  # the audit trail
    Column("id", Integer, primary_key=True),
    Column("ticket_id", Integer, ForeignKey("tickets.id"), nullable=True, index=True),
    Column("at", UTCDateTime, nullable=False),
    Column("kind", String(40), nullable=False),
    Column("detail", Text, nullable=False, default=""),
    Column("actor", String(320), nullable=True),  # who: an agent, a client's address, or none for mailbot
    Column("message_row", Integer, nullable=True),  # from which message
)

time_entries = Table(
    "time_entries", metadata,  # the consultation journal (seed 002 §6): what was entered, exactly
    Column("id", Integer, primary_key=True),
    Column("ticket_id", Integer, ForeignKey("tickets.id"), nullable=False, index=True),
    Column("agent", String(320), nullable=False),
    Column("contact", String(320), nullable=False),  # the client's contact who asked
    Column("work_date", Date, nullable=False),
    Column("minutes", Integer, nullable=False),
    Column("category", String(50), nullable=False),
    # False: the agent gave no category with this time, so it follows the ticket's category as that is decided
    # (seed 000: the category may be known only after the request is solved)
    Column("category_stated", Boolean, nullable=False, default=True, server_default=true()),
    Column("description", Text, nullable=False),
    Column("message_row", Integer, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("plan_version", String(64), nullable=True),  # the client's plan as it was when the work was done
)

plan_versions = Table(
    "plan_versions", metadata,  # every plan's terms as they were: statements bill by these, never by today's
    Column("hash", String(64), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("terms", Text, nullable=False),  # the plan as JSON, amounts as decimal strings
    Column("created_at", UTCDateTime, nullable=False),
)

statements = Table(
    "statements", metadata,  # issued statements: immutable; a correction is a new version
    Column("id", Integer, primary_key=True),
    Column("client_id", String(100), nullable=False),
    Column("period", String(7), nullable=False),  # YYYY-MM
    Column("version", Integer, nullable=False),
    Column("reason", String(20), nullable=False),  # scheduled | request | manual
    Column("document", Text, nullable=False),  # the statement as sent (JSON, amounts as decimal strings)
    Column("total", String(40), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("outbox_id", Integer, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("client_id", "period", "version"),
)

statement_runs = Table(
    "statement_runs", metadata,  # one row per (client, period) a schedule owes: claimed once, ever
    Column("client_id", String(100), primary_key=True),
    Column("period", String(7), primary_key=True),
    Column("status", String(10), nullable=False),  # claimed | done | skipped
    Column("owner", String(100), nullable=True),
    Column("lease_until", UTCDateTime, nullable=True),
    Column("statement_id", Integer, nullable=True),
    Column("updated_at", UTCDateTime, nullable=False),
)

objections = Table(
    "objections", metadata,  # seed 000 §8: a client disputes billed requests in writing; the head decides
    Column("id", Integer, primary_key=True),  # the reference clients and heads see: O-<id>
    Column("client_id", String(100), nullable=True, index=True),  # None: the sender is nobody's contact
    Column("contact", String(320), nullable=False),
    Column("contact_name", Text, nullable=False, default=""),
    Column("subject", Text, nullable=False, default=""),
    Column("reasoning", Text, nullable=False, default=""),  # the client's own words (quotes removed)
    Column("language", String(5), nullable=False),
    Column("received_at", UTCDateTime, nullable=False),
    Column("message_row", Integer, nullable=True),  # the client's mail
    Column("message_id", Text, nullable=True),  # its Message-ID: the decision is threaded under it
    Column("status", String(10), nullable=False),  # open | upheld | rejected | partly | refused
    Column("refusal", String(40), nullable=True),  # why it was refused (not a contact, another client's ticket)
    Column("late", Boolean, nullable=False, default=False),
    Column("deadline", Date, nullable=True),  # the last day it could be made on time (the earliest of its items)
    Column("decided_by", String(320), nullable=True),
    Column("decided_at", UTCDateTime, nullable=True),
)

objection_items = Table(
    "objection_items", metadata,  # what one objection disputes: a ticket as billed in one period
    Column("id", Integer, primary_key=True),
    Column("objection_id", Integer, ForeignKey("objections.id"), nullable=False, index=True),
    Column("ticket_id", Integer, ForeignKey("tickets.id"), nullable=False),
    Column("period", String(7), nullable=True),  # None: the ticket is on no statement sent yet
    Column("statement_id", Integer, nullable=True),  # the version the client was sent when objecting
    Column("category", String(50), nullable=True),  # as billed then (its last line's category)
    Column("late", Boolean, nullable=False, default=False),  # after its statement's window closed
    Column("outcome", String(10), nullable=False),  # open | upheld | rejected
    Column("new_category", String(50), nullable=True),
    Column("explanation", Text, nullable=True),  # the head's words to the client
    Column("decided_by", String(320), nullable=True),
    Column("decided_at", UTCDateTime, nullable=True),
)

corrections = Table(
    "corrections", metadata,  # a billed ticket's category changed by the head: the period's statement is amended
    Column("id", Integer, primary_key=True),
    Column("client_id", String(100), nullable=False),
    Column("period", String(7), nullable=False),
    Column("ticket_id", Integer, ForeignKey("tickets.id"), nullable=False),
    Column("category", String(50), nullable=False),  # the ticket's category in that period from now on
    Column("objection_id", Integer, nullable=True),  # None: the head's own tag on the ticket
    Column("actor", String(320), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("amended_by", Integer, nullable=True),  # the statement that carries it; None: amendment due
    Index("ix_corrections_due", "amended_by", "client_id", "period"),
)

once = Table(
    "once", metadata,  # things that must happen once across every daemon (an SLA warning, a day's digest)
    Column("key", String(200), primary_key=True),  # e.g. "sla:12:response:warn", "digest:2026-12-07"
    Column("created_at", UTCDateTime, nullable=False),
)

job_runs = Table(
    "job_runs", metadata,  # per scheduled job: its last run on any daemon (mailbot.services.health reads it)
    Column("job", String(50), primary_key=True),
    Column("owner", String(100), nullable=False),
    Column("started_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime, nullable=False),
    Column("ok", Boolean, nullable=False),
    Column("detail", Text, nullable=False, default="", server_default=""),
    Column("last_ok_at", UTCDateTime, nullable=True),
)

clients_seen = Table(
    "clients_seen", metadata,  # when the daemon first had each client in its configuration (statements.since)
    Column("client_id", String(100), primary_key=True),
    Column("first_seen", UTCDateTime, nullable=False),
)

settings = Table(
    "settings", metadata,  # installation-wide values every daemon must share (the reply-token secret)
    Column("name", String(100), primary_key=True),
    Column("value", Text, nullable=False),
)

parked = Table(
    "parked", metadata,
    Column("id", Integer, primary_key=True),
    Column("source", String(10), nullable=False),
    Column("mailbox", String(320), nullable=False),
    Column("mail_from", String(320), nullable=False, default=""),
    Column("raw", LargeBinary, nullable=False),
    Column("idem_key", String(64), nullable=False, index=True),
    Column("error", Text, nullable=False),
    Column("attempts", Integer, nullable=False, default=1),
    Column("status", String(10), nullable=False, default="parked"),  # parked | failed | done
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("next_retry_at", UTCDateTime, nullable=True),
)

imap_seen = Table(
    "imap_seen", metadata,  # written in the same transaction as the message's effects (exactly once)
    Column("mailbox", String(320), primary_key=True),
    Column("folder", String(500), primary_key=True),
    Column("uidvalidity", BigInteger, primary_key=True, autoincrement=False),
    Column("uid", BigInteger, primary_key=True, autoincrement=False),
    Column("action", String(10), nullable=False),  # move | flag | delete | expunge: what to do on the server
    Column("done", Boolean, nullable=False, default=False),  # the action was carried out
    Column("created_at", UTCDateTime, nullable=False),
)

imap_status = Table(
    "imap_status", metadata,  # one row per IMAP mailbox: who reads it (a lease) and how it is going
    Column("mailbox", String(320), primary_key=True),
    Column("owner", String(100), nullable=True),
    Column("lease_until", UTCDateTime, nullable=True),
    Column("state", String(10), nullable=False, default="starting"),  # ok | failing | starting
    Column("detail", Text, nullable=False, default=""),
    Column("since", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)
