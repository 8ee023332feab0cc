"""Correcting a ticket's category in the time journal: what the head of service does by upholding an objection
or by tagging a category on the ticket (seed 000 §8: the head "either explains or changes the category").

Every time entry of the ticket (in one period, or in all) takes the new category, whether the agent tagged it or
not, each change an audit event (who, when, which objection, old -> new). In a period already billed that is a
correction: recorded (mailbot.store.corrections) so that the period's statement is amended once
(mailbot.services.amendments). Nothing else changes billed time of a sent period. An entry made under a plan
version without that category keeps its own (the plan it was done under decides what it can be).
"""
from __future__ import annotations

from dataclasses import dataclass

from mailbot.billing.periods import period_bounds, period_of
from mailbot.store import corrections, journal
from mailbot.store.audit import add_event
from mailbot.store.plans import load
from mailbot.tickets.vocabulary import EventKind


@dataclass(frozen=True)
class Change:
    """What a correction does in one period of the ticket."""
    period: str
    billed: bool  # the period's statement was sent: it will be amended
    entries: tuple[tuple[int, str], ...]  # (entry, old category) of the entries that change
    kept: int  # entries whose plan version has no such category


def plan(conn, client_id: str | None, ticket_id: int, category: str, period: str | None = None) -> list[Change]:
    """What correcting the ticket to `category` would change (reads only): per period, oldest first."""
    start, end = period_bounds(period) if period else (None, None)
    billed = journal.billed_periods(conn, client_id)
    known: dict[str | None, bool] = {}
    by_period: dict[str, list] = {}
    for r in journal.ticket_entries(conn, ticket_id, start, end):
        by_period.setdefault(period_of(r.work_date), []).append(r)
    if period and period not in by_period:
        by_period[period] = []  # no entries, yet its top-up follows the category
    out = []
    for p, rows in sorted(by_period.items()):
        changed, kept = [], 0
        for r in rows:
            if r.category == category:
                continue
            if r.plan_version not in known:
                try:
                    known[r.plan_version] = r.plan_version is None or category in load(conn, r.plan_version).categories
                except LookupError:
                    known[r.plan_version] = False
            if known[r.plan_version]:
                changed.append((r.id, r.category))
            else:
                kept += 1
        out.append(Change(p, p in billed, tuple(changed), kept))
    return out


def apply(conn, client_id: str | None, ticket_id: int, category: str, changes: list[Change], *, actor: str, now,
          objection_id: int | None = None, message_row: int | None = None) -> None:
    """Carry out `plan`'s changes: re-file the entries, an audit event each, a correction per billed period."""
    why = f"objection O-{objection_id}" if objection_id else "the head's correction"
    for change in changes:
        if change.entries:
            journal.refile(conn, [entry for entry, _ in change.entries], category)
        for entry, old in change.entries:
            add_event(conn, ticket_id, EventKind.TIME_CORRECTED, f"entry {entry} ({change.period}): {old} -> "
                      f"{category}, {why}", now, actor=actor, message_row=message_row)
        if change.billed and client_id is not None:
            corrections.add(conn, dict(client_id=client_id, period=change.period, ticket_id=ticket_id,
                                       category=category, objection_id=objection_id, actor=actor, created_at=now))
