"""Service levels of tickets: their clocks against the plan's targets, computed from each ticket's history.

Nothing about a deadline is stored: the plan (its calendar, targets per priority) and the ticket's events (status
changes, the first answer that reached the client) give it, so a changed calendar or target recomputes every
open ticket at once. What is stored is only what must happen once — the warnings (mailbot.store.sla).
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from mailbot.billing.periods import period_bounds

from mailbot.sla import clocks
from mailbot.sla.calendar import from_spec
from mailbot.store import outbox, views
from mailbot.store.audit import history
from mailbot.tickets.lifecycle import SOLVED
from mailbot.tickets.priority import priority_of
from mailbot.tickets.vocabulary import EventKind

log = logging.getLogger("mailbot.jobs")

_NEW_STATUS = re.compile(r"->\s*(\w+)")


@dataclass(frozen=True)
class Levels:
    """A ticket's two clocks, with the calendar's zone to show their times in."""
    response: clocks.Clock
    resolution: clocks.Clock
    zone: str

    @property
    def next_due(self) -> datetime | None:
        """The deadline of a running clock that comes first: what an agent must do next by."""
        running = [c.due for c in (self.response, self.resolution) if c.state == clocks.RUNNING and c.due]
        return min(running) if running else None

    @property
    def paused(self) -> bool:
        return self.resolution.state == clocks.PAUSED

    def local(self, moment: datetime | None) -> str | None:
        """ISO 8601 with the offset of the calendar's zone."""
        return moment.astimezone(ZoneInfo(self.zone)).isoformat() if moment else None

    def as_data(self) -> dict:
        r, s = self.response, self.resolution
        return dict(response_due=self.local(r.due), response_target=r.target, response_met=r.met,
                    resolution_due=self.local(s.due), resolution_target=s.target, resolution_met=s.met,
                    paused=self.paused)


def calendar_of(config, plan):
    return from_spec(config.calendar_spec(plan.calendar) if plan is not None else None)


def zone_of(config, plan) -> str:
    spec = config.calendar_spec(plan.calendar) if plan is not None else None
    return spec.timezone if spec is not None and not spec.always else config.tickets.timezone


def levels(config, ticket, events, now: datetime, answered_by_mail=None) -> Levels:
    """The clocks of one ticket (a row mapping) given its status and responded events, oldest first.
    `answered_by_mail`: when our first answer to the client was queued (tickets from before answers were events)."""
    client = config.client_by_id(ticket["client_id"])
    plan = config.plan_for(client)
    cal = calendar_of(config, plan)
    statuses = [(e.at, m[1]) for e in events if e.kind == EventKind.STATUS and (m := _NEW_STATUS.search(e.detail))]
    if not statuses and ticket["status"] in SOLVED:  # born closed (a [report], a refused command): no clock runs
        statuses = [(ticket["created_at"], str(ticket["status"]))]
    answered = [e.at for e in events if e.kind in (EventKind.RESPONDED, EventKind.OPENED_BY_AGENT)]
    answered += [answered_by_mail] if answered_by_mail else []
    answered += [at for at, status in statuses if status in SOLVED]  # solved without a word: nothing to answer
    priority = ticket["priority"] or priority_of(None, None, config.sla.matrix)
    category = ticket["category"]
    target = (lambda clock: plan.target(clock, priority, category)) if plan is not None else (lambda clock: None)
    created = ticket["created_at"]
    return Levels(clocks.response(cal, target("response"), created, min(answered) if answered else None, now),
                  clocks.resolution(cal, target("resolution"), created, statuses, now), zone_of(config, plan))


CLOCK_EVENTS = (EventKind.STATUS, EventKind.RESPONDED, EventKind.OPENED_BY_AGENT)  # what a ticket's clocks read


def of_tickets(conn, config, rows, now: datetime) -> dict[int, Levels]:
    """The clocks of many tickets, their events read in one go. A ticket whose plan's calendar cannot give a
    deadline (a fault of the configuration) has no deadlines, and is logged, rather than failing the others."""
    rows = list(rows)
    ids = [r["id"] for r in rows]
    return levels_of(config, rows, history(conn, ids, CLOCK_EVENTS), outbox.first_answers(conn, ids), now)


def levels_of(config, rows, found: dict, mailed: dict, now: datetime) -> dict[int, Levels]:
    """of_tickets with the tickets' CLOCK_EVENTS (`found`, by ticket) and first answers by mail (`mailed`) read
    already (a month-end statement run reads them for many clients at once)."""
    out = {}
    for r in rows:
        try:
            out[r["id"]] = levels(config, r, found.get(r["id"], []), now, mailed.get(r["id"]))
        except ValueError as exc:
            log.warning("no service levels for ticket %s: %s", r["id"], exc)
            out[r["id"]] = levels(config, dict(r, client_id=None), [], now)
    return out


def response_target(config, plan, priority: str | None = None) -> str | None:
    """The first-response target a request of this priority has under the plan ("4h"), or None."""
    return plan.target("response", priority or priority_of(None, None, config.sla.matrix)) if plan else None


def response_due(config, client, now: datetime, priority: str | None = None) -> tuple[datetime, str] | None:
    """When a request arriving now must be answered (for its receipt), and the zone the client reads times in;
    None without a target (or when the calendar cannot give one: the receipt then promises no time)."""
    plan = config.plan_for(client)
    target = response_target(config, plan, priority)
    if target is None:
        return None
    try:
        return clocks.deadline(calendar_of(config, plan), now, target), client_zone(config, client, plan)
    except ValueError as exc:
        log.warning("no response deadline for plan %s: %s", plan.name, exc)
        return None


def client_zone(config, client, plan) -> str:
    """The zone a client reads deadlines in: their own (config.client_zone), else the plan's calendar's."""
    return config.client_zone(client)[1] if client is not None else zone_of(config, plan)


def report(conn, config, period: str, now: datetime) -> list[dict]:
    """Per plan and client, how the tickets that arrived in the period (YYYY-MM, the tickets' time zone) did against
    their targets: met, missed, still running, and the share met of those decided."""
    start, end = period_bounds(period)
    tz = ZoneInfo(config.tickets.timezone)
    lo, hi = datetime.combine(start, time(), tz), datetime.combine(end, time(), tz)
    rows = [r for r in views.list_tickets(conn, config, limit=None, rows=True) if lo <= r["created_at"] < hi]
    found = of_tickets(conn, config, rows, now)
    groups: dict[tuple, dict] = {}
    for r in rows:
        plan = config.plan_for(config.client_by_id(r["client_id"]))
        key = (plan.name if plan else None, r["client_id"])
        g = groups.setdefault(key, dict(plan=key[0], client=key[1], tickets=0, **{
            f"{c}_{k}": 0 for c in ("response", "resolution") for k in ("met", "missed", "running")}))
        g["tickets"] += 1
        for clock in (found[r["id"]].response, found[r["id"]].resolution):
            if clock.budget is None:
                continue
            state = "running" if clock.met is None and not clock.breached else "met" if clock.met else "missed"
            g[f"{clock.name}_{state}"] += 1
    for g in groups.values():
        for c in ("response", "resolution"):
            decided = g[f"{c}_met"] + g[f"{c}_missed"]
            g[f"{c}_share_met"] = round(g[f"{c}_met"] / decided, 4) if decided else None
    return sorted(groups.values(), key=lambda g: (g["plan"] or "", g["client"] or ""))
