"""A ticket's life: which status may follow which, and what a client's reply does to a solved ticket.

Seed 000/001: a ticket is worked on, may wait for the client, is resolved with the whole dialogue, and the
requester may send corrections, which reopen it — within `tickets.reopen_days`; later, a reply opens a new
ticket that remembers the old one.
"""
from __future__ import annotations

from datetime import datetime

from mailbot.tickets.vocabulary import Status

# An agent's status tag -> the statuses it may be applied to. "reopen" is a tag, not a status: it makes the
# ticket open again.
REOPEN = "reopen"
TRANSITIONS: dict[str, frozenset[Status]] = {
    Status.WAITING: frozenset({Status.NEW, Status.OPEN}),
    Status.RESOLVED: frozenset({Status.NEW, Status.OPEN, Status.WAITING}),
    Status.CLOSED: frozenset({Status.NEW, Status.OPEN, Status.WAITING, Status.RESOLVED}),
    REOPEN: frozenset({Status.RESOLVED, Status.CLOSED, Status.WAITING}),
}
# A client's answer puts a ticket in these statuses back to work.
REOPENS = frozenset({Status.WAITING, Status.RESOLVED, Status.CLOSED})
# Solved: a client's reply reopens these only within tickets.reopen_days, and "work has started" is no news.
SOLVED = frozenset({Status.RESOLVED, Status.CLOSED})
# Waiting for an agent: the queue whose length a receipt and a notification state.
QUEUED = (Status.NEW, Status.OPEN)


def allowed(tag: str, current: str) -> bool:
    """May an agent's status tag ([waiting], [resolved], [closed], [reopen]) be applied to a ticket that is `current`?"""
    return current in TRANSITIONS[tag]


def after_tag(tag: str) -> Status:
    """The status a status tag leaves the ticket in."""
    return Status.OPEN if tag == REOPEN else Status(tag)


def reply_too_late(status: str, solved_at: datetime, now: datetime, reopen_days: int) -> bool:
    """A client's reply to a ticket solved `reopen_days` or more ago is a new request, not a correction."""
    return status in SOLVED and (now - solved_at).days >= reopen_days
