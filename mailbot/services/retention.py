"""Retention: the text, raw copies and files of mail older than `retention.months` are deleted; its record stays.

Data protection in the countries the desk serves (LV, LT, RO, SK, RU) expects mail not to be kept longer than
its purpose needs. What is due is the store's rule (mailbot.store.retention): mail from before the cut-off, of
tickets resolved or closed since before it too (or of no ticket), never statement mail nor an undecided
objection's. Tickets, the time journal, statements, objections and the audit trail are never touched, and each
message's row stays (sender, date, subject, size, Message-ID), marked purged: threading and history still work.
Parked copies of mail from before the cut-off are deleted too, whatever became of them.

The work goes in batches of one short transaction each (SQLite's single writer is let go between them, and no
message is ever half purged): a few tickets with all their due messages, then the messages on no ticket, then
the parked copies, each looked for in a window of numbers so that no transaction reads a whole table. Each
ticket gets one audit event saying what went (counts and bytes, never content), the run one summary event (on no
ticket) and the daemon one log line.

The daemon runs it once a day (`run_due`, from `retention.hour` in tickets.timezone): the day's key
`retention:YYYY-MM-DD` is claimed (mailbot.store.once) before anything is done, so of several daemons on one
database only one purges: another's claim waits for that commit and fails. A run cut short (the daemon stopping)
leaves the rest to the next day's. `mailbot retention run` runs it by hand; `--dry-run` counts.
"""
from __future__ import annotations

import calendar
from dataclasses import asdict, dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from mailbot.store import once
from mailbot.store import retention as due
from mailbot.store.audit import add_event
from mailbot.tickets.vocabulary import EventKind

# One transaction purges at most a batch, found in a window of numbers: short whatever the database holds.
TICKETS_PER_BATCH, TICKET_WINDOW = 20, 1000
MESSAGES_PER_BATCH, MESSAGE_WINDOW = 200, 5000


@dataclass
class Figures:
    """What a run purged (or, dry, would purge): messages, the files and sent copies among them, parked copies,
    and the bytes of all of it."""
    months: int
    cutoff: datetime
    dry_run: bool = False
    tickets: int = 0
    messages: int = 0
    files: int = 0
    mails: int = 0
    parked: int = 0
    bytes: int = 0
    stopped: bool = False  # the daemon stopped before the end: the rest is the next run's

    def as_data(self) -> dict:
        return asdict(self) | {"cutoff": self.cutoff.isoformat()}

    def line(self) -> str:
        return (f"{self.messages} message(s) ({self.tickets} ticket(s) touched), {self.files} file(s), {self.mails} "
                f"sent mail(s), {self.parked} parked message(s); {self.bytes} bytes")


def cut_off(now: datetime, months: int, zone: str) -> datetime:
    """The start of the day `months` calendar months before today in `zone` (31 March less one month: the last
    day of February): mail from before it is due."""
    tz = ZoneInfo(zone)
    today = now.astimezone(tz).date()
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    day = min(today.day, calendar.monthrange(year, month + 1)[1])
    return datetime(year, month + 1, day, tzinfo=tz)


def run_due(engine, config, now: datetime, stopping=lambda: False) -> Figures | None:
    """The daemon's daily run; None when none is due (retention off, before the hour, or today's already claimed,
    here or by another daemon)."""
    if config.retention.months is None:
        return None
    local = now.astimezone(ZoneInfo(config.tickets.timezone))
    if local.hour < config.retention.hour:
        return None
    key = f"retention:{local.date().isoformat()}"
    with engine.connect() as conn:
        if once.when(conn, key) is not None:
            return None
    return run(engine, config, now, claim=key, stopping=stopping)


def run(engine, config, now: datetime, *, months: int | None = None, dry_run: bool = False,
        claim: str | None = None, stopping=lambda: False) -> Figures | None:
    """Purge what is due (`dry_run`: only count it, changing nothing); `months` overrides retention.months.
    `claim`: a key of mailbot.store.once taken before anything is done; None when another run has it."""
    months = months or config.retention.months
    if not months:
        raise ValueError("retention.months is not set: mail is kept for ever")
    fig = Figures(months, cut_off(now, months, config.tickets.timezone), dry_run)
    cutoff, lock = fig.cutoff, not dry_run
    with _transaction(engine, dry_run) as conn:
        if claim is not None and not once.claim(conn, claim, now):
            return None
        last_ticket, last_message, last_parked = due.last_ids(conn)
    phases = (  # (how far, window, batch, what is due in a window, what is done with it)
        (last_ticket, TICKET_WINDOW, TICKETS_PER_BATCH, lambda c, a, u, n: due.tickets_due(c, cutoff, a, u, n),
         lambda c, ids: _purge(c, due.on_tickets(c, cutoff, ids, lock), fig, now)),
        (last_message, MESSAGE_WINDOW, MESSAGES_PER_BATCH,
         lambda c, a, u, n: due.loose_due(c, cutoff, a, u, n, lock), lambda c, ids: _purge(c, ids, fig, now)),
        (last_parked, MESSAGE_WINDOW, MESSAGES_PER_BATCH, lambda c, a, u, n: due.parked_due(c, cutoff, a, u, n),
         lambda c, ids: _drop_parked(c, ids, fig)))
    for last, window, batch, find, act in phases:
        after = 0
        while after < last:
            if stopping():
                fig.stopped = True
                return _summary(engine, fig, now)
            upto = min(after + window, last)
            with _transaction(engine, dry_run) as conn:
                ids = find(conn, after, upto, batch)
                if ids:
                    act(conn, ids)
            after = ids[-1] if len(ids) == batch else upto
    return _summary(engine, fig, now)


def _transaction(engine, dry_run: bool):
    return engine.connect() if dry_run else engine.begin()


def _purge(conn, ids: list[int], fig: Figures, now) -> None:
    """One batch: what these messages hold counted into `fig`, deleted unless dry, one event per ticket."""
    if not ids:
        return
    found = due.held(conn, ids)
    if not fig.dry_run:
        due.purge(conn, ids, now)
    tickets: dict[int, dict] = {}
    for h in found:
        fig.messages += 1
        fig.files += h["files"]
        fig.mails += h["mails"]
        fig.bytes += h["bytes"]
        if h["ticket_id"] is not None:
            t = tickets.setdefault(h["ticket_id"], dict(messages=0, files=0, bytes=0))
            t["messages"] += 1
            t["files"] += h["files"]
            t["bytes"] += h["bytes"]
    fig.tickets += len(tickets)
    if fig.dry_run:
        return
    for ticket_id, t in tickets.items():
        add_event(conn, ticket_id, EventKind.RETENTION,
                  f"purged the text, raw copy and files of {t['messages']} message(s) from before "
                  f"{fig.cutoff.date().isoformat()} ({fig.months} months kept): {t['files']} file(s), "
                  f"{t['bytes']} bytes; sender, date, subject and sizes stay", now)


def _drop_parked(conn, ids: list[int], fig: Figures) -> None:
    fig.parked += len(ids)
    fig.bytes += due.parked_size(conn, ids)
    if not fig.dry_run:
        due.drop_parked(conn, ids)


def _summary(engine, fig: Figures, now) -> Figures:
    """The run's own event (on no ticket), when it purged anything."""
    if not fig.dry_run and (fig.messages or fig.parked):
        with engine.begin() as conn:
            add_event(conn, None, EventKind.RETENTION, f"retention ({fig.months} months, mail from before "
                      f"{fig.cutoff.date().isoformat()}): purged {fig.line()}" + (
                          "; stopped before the end" if fig.stopped else ""), now)
    return fig
