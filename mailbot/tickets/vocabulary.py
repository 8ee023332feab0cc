"""The fixed words of the record: ticket statuses, how a message is recorded (disposition), audit event kinds, and
the states of outgoing and parked mail.

They are `StrEnum`s so that they compare equal to, and are stored as, the plain strings already in every database
and in the JSON of `mailbot tickets show`; code names them, never spells them.
"""
from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """Where a ticket is in its life (seeds 000 and 001); see `mailbot.tickets.lifecycle` for the moves."""
    NEW = "new"  # nobody has touched it yet: in the queue
    OPEN = "open"  # an agent is on it
    WAITING = "waiting"  # waiting for the client's answer
    RESOLVED = "resolved"  # the solution went to the client with the whole dialogue
    CLOSED = "closed"  # done, or a record that never was a request (a refused command, a [report] asked for)


class Disposition(StrEnum):
    """How a message (in or out) is recorded on its ticket: the `messages.disposition` column."""
    # mail that came in
    TICKET = "ticket"  # opened a ticket
    REPLY = "reply"  # joined one
    DSN = "dsn"  # a delivery report about mail we sent
    AUTO_REPLY = "auto-reply"  # an out-of-office or read receipt, kept on the ticket it answers
    REPORT_REQUEST = "report-request"  # a client's [report]: the statement went out, the record is closed
    STATUS_REQUEST = "status-request"  # a client's [status]: their open tickets went out; no ticket
    AGENT_REPLY = "agent-reply"  # an agent's answer, relayed to the client
    NOTE = "note"  # an agent's [note]: kept, never sent to the client
    AGENT_OPENED = "agent-opened"  # a ticket an agent opened for a client ([client ID])
    COMMAND_REFUSED = "command-refused"  # an agent's command with a fault: nothing applied
    FORGED_COMMAND = "forged-command"  # a command that did not prove to come from the agent
    # mail recorded without a ticket: classified and acknowledged, never answered
    BOUNCE = "bounce"  # a delivery report not about mail we sent
    LOOP = "loop"  # sent from one of our own addresses
    FEEDBACK_REPORT = "feedback-report"  # an abuse or complaint report (ARF, SES, JMRP)
    REJECTED = "rejected"  # refused (IMAP: nobody to refuse it to, so recorded)
    # mail to the objections mailbox: recorded on its objection, not on a ticket
    OBJECTION = "objection"  # a client's objection (or its follow-up)
    DECISION = "decision"  # the head of service's decision on one
    # mail we sent: the kind of template it was rendered from
    RECEIPT = "receipt"
    NOTIFICATION = "notification"
    RELAY = "relay"
    STARTED = "started"
    RESOLVED = "resolved"
    COMMAND_RESULT = "command-result"
    SECURITY_ALERT = "security-alert"
    PRIVACY_NOTICE = "privacy-notice"
    PRIVACY_ALERT = "privacy-alert"
    STATEMENT = "statement"
    OBJECTION_RECEIVED = "objection-received"  # to the client: acknowledged (on time, late, or refused)
    OBJECTION_NOTICE = "objection-notice"  # to the heads: the disputed lines, to decide by reply
    OBJECTION_DECISION = "objection-decision"  # to the client: the head's decision and explanation
    DECISION_RESULT = "decision-result"  # to the head: what their decision did, or why nothing was done
    SLA_WARNING = "sla-warning"  # to agents: a deadline near, or passed
    SLA_DIGEST = "sla-digest"  # to dispatchers: what falls due today
    STATUS_REPORT = "status-report"  # to a client's registered contacts: their open tickets
    WAITING_REMINDER = "waiting-reminder"  # to a client: the ticket still waits for their answer
    WAITING_CLOSED = "waiting-closed"  # to a client: closed, their answer never came
    PAID_ANALYSIS = "paid-analysis"  # to a client (1C): past the resolution time, analysis is paid once agreed


# What the client saw of a ticket, in the order written: their messages and our answers to them.
CLIENT_DIALOGUE = (Disposition.TICKET, Disposition.REPLY, Disposition.RELAY, Disposition.RESOLVED)
# The client's own messages on a ticket.
FROM_CLIENT = (Disposition.TICKET, Disposition.REPLY)
# The messages of a ticket a client's mail program threads our answers under.
CLIENT_THREAD = (Disposition.TICKET, Disposition.REPLY, Disposition.RECEIPT, Disposition.RELAY,
                 Disposition.STARTED)


class EventKind(StrEnum):
    """The audit trail's kinds (`events.kind`): every change to a ticket, and why mail was or was not sent."""
    CREATED = "created"
    STATUS = "status"
    CATEGORY = "category"
    TIME = "time"
    TIME_REFILED = "time-refiled"
    DESCRIPTION = "description"  # a time entry's description corrected
    ASSIGNED = "assigned"
    STARTED = "started"
    PRIORITY = "priority"
    OPENED_BY_AGENT = "opened-by-agent"
    COMMAND_REFUSED = "command-refused"
    SECURITY = "security"
    NOT_RELAYED = "not-relayed"
    JOIN_REFUSED = "join-refused"
    FOLLOWS = "follows"
    RECEIPT_SUPPRESSED = "receipt-suppressed"
    DELIVERY_REPORT = "delivery-report"
    DELIVERY_RETRY = "delivery-retry"
    DELIVERY_FAILED = "delivery-failed"
    DELIVERY_REQUEUED = "delivery-requeued"
    PERSONAL_DATA = "personal-data"
    PD_ALLOW = "pd-allow"
    STATEMENT = "statement"
    STATEMENT_REFUSED = "statement-refused"
    OBJECTION = "objection"  # an objection received, refused or followed up
    OBJECTION_DECIDED = "objection-decided"  # the head's decision on a disputed ticket
    TIME_CORRECTED = "time-corrected"  # a billed entry's category changed by the head (old -> new)
    RESPONDED = "responded"  # an agent's words reached the client (the response clock stops at the first)
    SLA_WARNING = "sla-warning"  # a clock reached the warning share of its target, or its breach
    STATUS_REPORT = "status-report"  # a client's [status] answered (no ticket)
    RETENTION = "retention"  # the text, raw copies and files of old messages purged (docs/retention.md)


class ObjectionStatus(StrEnum):
    """An objection (seed 000 §8) and each of its items: open until the head decides."""
    OPEN = "open"
    UPHELD = "upheld"  # the category was changed
    REJECTED = "rejected"  # explained, left as it was (or late, where the plan rejects late objections)
    PARTLY = "partly"  # some items upheld, some rejected
    REFUSED = "refused"  # not from a contact of the client, or naming another client's tickets


class OutboxStatus(StrEnum):
    PENDING = "pending"  # waiting to be sent (or to be retried)
    SENT = "sent"
    FAILED = "failed"  # given up: refused for good, or too many attempts
    BOUNCED = "bounced"  # a delivery report said it did not arrive


class ParkedStatus(StrEnum):
    """A parked message: waiting for its next replay, given up (replayed by hand), or stored by a replay."""
    PARKED = "parked"
    FAILED = "failed"
    DONE = "done"
