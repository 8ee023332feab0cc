"""The two clocks of a ticket, derived from its history so that a changed calendar recomputes every open ticket.

* **response** runs from the ticket's arrival until an agent's first answer reaches the client.
* **resolution** runs from arrival until the ticket is resolved or closed; it pauses while the ticket waits for
  the client and resumes when they answer; reopening resumes it.

A target is working time of the plan's calendar: `30m`, `6h`, or days (`15wd`: the same time of day that many
working days later, `2d`: two days — working days on a business calendar, 48 hours on 24/7). Paused time does
not count; the due moment moves on by what the pause took. Pure: the history comes in as (moment, status) pairs.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mailbot.config.service_levels import duration
from mailbot.sla.calendar import Calendar, add, add_days, between, next_open

RUNNING, PAUSED, STOPPED = "running", "paused", "stopped"
WAITS = ("waiting",)
ENDS = ("resolved", "closed")


@dataclass(frozen=True)
class Clock:
    name: str  # response | resolution
    target: str | None  # as the plan says it ("4h"); None: the plan promises nothing here
    state: str  # running | paused | stopped
    due: datetime | None  # when the target is reached if the clock keeps running (None: no target, or paused)
    stopped_at: datetime | None
    used: float  # working minutes counted so far (or until it stopped)
    budget: float | None  # working minutes the target allows, measured from the start

    @property
    def met(self) -> bool | None:
        """Stopped within the target: True/False; None while it runs, or without a target."""
        if self.budget is None or self.state != STOPPED:
            return None
        return self.used <= self.budget + 1e-9

    @property
    def share(self) -> float | None:
        return None if not self.budget else self.used / self.budget

    @property
    def breached(self) -> bool:
        return self.budget is not None and self.used > self.budget + 1e-9


def budget(cal: Calendar, start: datetime, target: str) -> float:
    """The working minutes a target allows from `start` (days are measured on the calendar from there)."""
    n, unit = duration(target)
    if unit == "m":
        return float(n)
    if unit == "h":
        return n * 60.0
    if unit == "d" and cal.always:
        return n * 24 * 60.0
    begin = next_open(cal, start)
    return between(cal, begin, add_days(cal, begin, n))


def deadline(cal: Calendar, start: datetime, target: str) -> datetime:
    """When a target set at `start` falls due if nothing pauses it."""
    n, unit = duration(target)
    if unit in ("wd", "d") and not cal.always:
        return add_days(cal, start, n)
    return add(cal, start, budget(cal, start, target))


def run(cal: Calendar, name: str, target: str | None, spans: list[tuple[datetime, datetime | None]],
        state: str, now: datetime) -> Clock:
    """A clock over its running spans (the last may be open: None, up to `now`) in the state it is in now."""
    start = spans[0][0]
    allowed = budget(cal, start, target) if target else None
    used, due = 0.0, None
    for begin, end in spans:
        used += between(cal, begin, end or now)
    if allowed is not None and state == RUNNING:
        left = allowed - sum(between(cal, b, e) for b, e in spans[:-1])
        last = spans[-1][0]
        due = deadline(cal, last, target) if len(spans) == 1 else add(cal, last, max(left, 0.0))
        if left < 0:  # overdue already before this span: it fell due inside an earlier one
            due = _fell_due(cal, spans, allowed)
    elif allowed is not None and state == STOPPED:
        due = _fell_due(cal, spans, allowed) or add(cal, spans[-1][1] or now, max(allowed - used, 0.0))
    stopped_at = spans[-1][1] if state == STOPPED else None
    return Clock(name, target, state, due, stopped_at, used, allowed)


def _fell_due(cal: Calendar, spans, allowed: float) -> datetime | None:
    left = allowed
    for begin, end in spans:
        if end is None:
            return add(cal, begin, left)
        here = between(cal, begin, end)
        if left <= here:
            return add(cal, begin, left)
        left -= here
    return None


def response(cal: Calendar, target: str | None, created: datetime, answered: datetime | None,
             now: datetime) -> Clock:
    return run(cal, "response", target, [(created, answered)], STOPPED if answered else RUNNING, now)


def resolution(cal: Calendar, target: str | None, created: datetime, history: list[tuple[datetime, str]],
               now: datetime) -> Clock:
    """`history`: (moment, new status) in order, as the ticket's status events record them."""
    spans: list[list] = [[created, None]]
    state = RUNNING
    for at, status in history:
        if status in WAITS and state == RUNNING:
            spans[-1][1], state = at, PAUSED
        elif status in ENDS and state != STOPPED:
            if state == RUNNING:
                spans[-1][1] = at
            state = STOPPED
        elif status not in WAITS + ENDS and state != RUNNING:
            spans.append([at, None])
            state = RUNNING
    return run(cal, "resolution", target, [tuple(s) for s in spans], state, now)
