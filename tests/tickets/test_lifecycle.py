"""A ticket's life (mailbot.tickets.lifecycle): which status an agent's status tag may be applied to, what it leaves
the ticket in, and when a client's reply to a solved ticket is a correction that reopens it or a new request."""
from datetime import datetime, timedelta, timezone

import pytest

from mailbot.tickets.lifecycle import QUEUED, REOPENS, SOLVED, after_tag, allowed, reply_too_late
from mailbot.tickets.vocabulary import Status

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("tag, applies_to", [
    ("waiting", {Status.NEW, Status.OPEN}),
    ("resolved", {Status.NEW, Status.OPEN, Status.WAITING}),
    ("closed", {Status.NEW, Status.OPEN, Status.WAITING, Status.RESOLVED}),
    ("reopen", {Status.WAITING, Status.RESOLVED, Status.CLOSED}),
])
def test_a_status_tag_applies_only_to_the_statuses_it_can_follow(tag, applies_to):
    assert {status for status in Status if allowed(tag, status)} == applies_to


def test_a_status_tag_leaves_the_ticket_in_its_status_and_reopen_opens_it():
    assert [after_tag(tag) for tag in ("waiting", "resolved", "closed")] == [
        Status.WAITING, Status.RESOLVED, Status.CLOSED]
    assert after_tag("reopen") == Status.OPEN


def test_what_a_clients_answer_reopens_and_what_is_queued():
    assert REOPENS == {Status.WAITING, Status.RESOLVED, Status.CLOSED}  # back to work when the client answers
    assert SOLVED == {Status.RESOLVED, Status.CLOSED}
    assert QUEUED == (Status.NEW, Status.OPEN)  # the queue whose length a receipt states


@pytest.mark.parametrize("status, solved_days_ago, reopen_days, too_late", [
    ("resolved", 13.9, 14, False),  # a correction within the period reopens the ticket
    ("resolved", 14, 14, True),  # from the period's end on, a reply is a new request
    ("closed", 30, 14, True),
    ("closed", 1, 14, False),
    ("resolved", 0, 0, True),  # reopen_days 0: every reply to a solved ticket is a new request
    ("waiting", 365, 14, False),  # what is not solved is never too late to answer
    ("open", 365, 14, False),
    ("new", 365, 14, False),
])
def test_a_reply_to_a_solved_ticket_is_too_late_after_reopen_days(status, solved_days_ago, reopen_days, too_late):
    assert reply_too_late(status, NOW - timedelta(days=solved_days_ago), NOW, reopen_days) is too_late
