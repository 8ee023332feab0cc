"""What a statement is computed from, read in one of two ways.

`Reads` asks the database as the statement is computed: one statement at a time (a client's [report],
`mailbot statement show|send`, an amendment). `Chunk` reads what a month-end run needs for a whole chunk of
clients at once, in a handful of queries whatever the number of clients and tickets — the period's journal, the
tickets with the events their service-level clocks read, the statements already issued, the objections — so
the run then computes and renders with no transaction open (on SQLite: without holding the write lock, so the
run's worker processes render side by side). Both answer the same questions with the same values; only the
number of round trips differs. A chunk holds only its own clients' rows: the run's memory does not grow with
the number of clients.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

from mailbot.billing import periods
from mailbot.services import service_levels
from mailbot.store import corrections, journal
from mailbot.store import objections as objection_rows
from mailbot.store import statements as statement_rows
from mailbot.store import tickets as ticket_rows
from mailbot.store.audit import history
from mailbot.store.outbox import first_answers
from mailbot.store.plans import load


class Reads:
    """Straight from the database, as the statement asks."""

    def __init__(self, conn, plans: dict | None = None):
        self.conn = conn
        self.plans = {} if plans is None else plans  # plan versions never change: kept as long as wanted

    def entries(self, client_id: str, start, end) -> list:
        return journal.period_entries(self.conn, client_id, start, end)

    def plan(self, version: str):
        if version not in self.plans:
            self.plans[version] = load(self.conn, version)
        return self.plans[version]

    def latest(self, client_id: str, period: str):
        return statement_rows.latest(self.conn, client_id, period)

    def corrections(self, client_id: str, period: str) -> dict[int, str]:
        return corrections.categories(self.conn, client_id, period)

    def levels(self, config, ticket_ids, now: datetime) -> dict:
        """The service-level clocks of these tickets (mailbot.services.service_levels), by ticket."""
        found = ticket_rows.for_clocks(self.conn, ticket_ids)
        return service_levels.of_tickets(self.conn, config, [found[t] for t in ticket_ids if t in found], now)

    def objections(self, client_id: str, start: datetime, end: datetime) -> dict[str, int]:
        """The client's objections received in [start, end), counted by status."""
        return objection_rows.received_between(self.conn, client_id, start, end)


class Chunk(Reads):
    """Everything the statements of `pairs` (client, period) read, read now; asked afterwards, it answers from
    memory (its connection may be gone by then)."""

    def __init__(self, conn, pairs: list[tuple[str, str]], plans: dict | None = None):
        super().__init__(conn, plans)
        self._entries: dict[tuple, list] = {}
        by_period: dict[str, list[str]] = {}
        for client_id, period in pairs:
            by_period.setdefault(period, []).append(client_id)
        earliest = latest = None
        for period, client_ids in by_period.items():
            start, end = periods.period_bounds(period)
            for client_id, rows in journal.entries_of(conn, client_ids, start, end).items():
                self._entries[(client_id, start, end)] = rows
            earliest, latest = min(earliest or start, start), max(latest or end, end)
        for version in {r.plan_version for rows in self._entries.values() for r in rows} - {None}:
            self.plan(version)  # read now; computing asks only for those not the client's current terms
        self._latest = statement_rows.latest_of(conn, pairs)
        self._corrections = {pair: corrections.categories(conn, *pair) for pair in self._latest}  # sent before: rare
        ids = sorted({r.ticket_id for rows in self._entries.values() for r in rows})
        self._tickets = ticket_rows.for_clocks(conn, ids)
        self._events = history(conn, ids, service_levels.CLOCK_EVENTS)
        self._mailed = first_answers(conn, ids)
        self._objections: dict[str, list] = {}
        if pairs:  # each client's month is counted in its own time zone: read a day more on either side
            self._objections = objection_rows.received_of(
                conn, sorted({c for c, _ in pairs}),
                datetime.combine(earliest - timedelta(days=1), time(), timezone.utc),
                datetime.combine(latest + timedelta(days=1), time(), timezone.utc))
        self.conn = None

    def entries(self, client_id: str, start, end) -> list:
        return self._entries[(client_id, start, end)]

    def latest(self, client_id: str, period: str):
        return self._latest.get((client_id, period))

    def corrections(self, client_id: str, period: str) -> dict[int, str]:
        return self._corrections.get((client_id, period), {})

    def levels(self, config, ticket_ids, now: datetime) -> dict:
        rows = [self._tickets[t] for t in ticket_ids if t in self._tickets]
        return service_levels.levels_of(config, rows, self._events, self._mailed, now)

    def objections(self, client_id: str, start: datetime, end: datetime) -> dict[str, int]:
        counted: dict[str, int] = {}
        for at, status in self._objections.get(client_id, ()):
            if start <= at < end:
                counted[status] = counted.get(status, 0) + 1
        return counted
