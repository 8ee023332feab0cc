"""The objection window (seed 000 §8: "in writing within 2 days"): until when a client may dispute a statement.

The days count from the day the statement was sent, as the client counts days (their time zone): calendar
days, or working days of the client's country (weekends and public holidays, from the `holidays` package,
skipped), as the plan says. The window closes at the end of its last day; an objection received later is late.
"""
from __future__ import annotations

from datetime import date, timedelta

from mailbot.billing.periods import working_calendar


def last_day(sent: date, days: int, counting: str = "calendar", country: str = "LV") -> date:
    """The last day an objection to a statement sent on `sent` is on time."""
    if days < 0:
        raise ValueError(f"an objection window cannot be negative ({days} days)")
    if counting == "calendar":
        return sent + timedelta(days=days)
    if counting != "working":
        raise ValueError(f"objection days count 'calendar' or 'working' days, not {counting!r}")
    return working_days_after(sent, days, country)


def working_days_after(day: date, days: int, country: str) -> date:
    """The `days`-th working day of `country` after `day` (`day` itself when 0)."""
    left = days
    while left:
        day += timedelta(days=1)
        if working_calendar(country.upper(), day.year).is_working_day(day):
            left -= 1
    return day


def is_late(received: date, sent: date, days: int, counting: str = "calendar", country: str = "LV") -> bool:
    """Whether an objection received on `received` (the client's local date) misses the window."""
    return received > last_day(sent, days, counting, country)
