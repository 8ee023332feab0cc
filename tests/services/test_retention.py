"""Retention on both engines: mail taken in through the pipeline and dated back loses its text, raw copy, files, sent
bytes and parked copy; its record, the tickets, the time journal, statements and objections stay; a dry run changes
nothing; open tickets, statement mail and undecided objections are kept; a reply to a purged message still finds
its ticket; the daily job runs once when two daemons race on PostgreSQL, and the daemon runs it by itself."""
import threading
from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert, select, update

from mailbot.config import Retention
from mailbot.jobs import scheduler
from mailbot.services import retention
from mailbot.services.statements import issue
from mailbot.store import db, once
from mailbot.store import outbox as outbox_rows
from mailbot.store.models import (attachments, events, messages, objections, outbox, outbox_raw, parked, raw_messages,
                                  statements, tickets, time_entries, utcnow)
from mailbot.store.parking import park
from mailbot.tickets.vocabulary import EventKind, ObjectionStatus, OutboxStatus, Status
from tests.helpers import count, engine_for, mail, rows, take, wait_until

CLIENTS = [{"id": "acme", "name": "SIA Acme", "language": "lv", "domains": ["acme.lv"], "contacts": ["janis@acme.lv"],
            "plan": "basic"}]
PDF = b"%PDF-1.4\n" + b"0" * 5000
RIGA = ZoneInfo("Europe/Riga")  # tickets.timezone
BODY = "Labdien, pielikumā alga Jānim Bērziņam."  # what must leave no trace


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def make(request, make_config):
    """make(**over) -> (config, engine) on SQLite or a fresh PostgreSQL database, retention 12 months."""
    engines = []

    def build(**over):
        if request.param == "postgresql":
            over["database"] = {"url": request.getfixturevalue("pg_url")}
        config, _ = make_config(clients=CLIENTS, **{"retention": {"months": 12, "hour": 0}, **over})
        engine = engine_for(config)
        engines.append(engine)
        return config, engine
    yield build
    for engine in engines:
        engine.dispose()


def backdate(engine, days: int, ticket_ids=None) -> None:
    """Move every time of the desk's mail (or of these tickets' only) `days` into the past, as if it had been
    taken then."""
    shift = timedelta(days=days)
    with engine.begin() as conn:
        for table, cols, key in ((messages, ("created_at",), messages.c.ticket_id),
                                 (tickets, ("created_at", "updated_at", "resolved_at"), tickets.c.id),
                                 (outbox, ("created_at", "sent_at"), outbox.c.ticket_id),
                                 (parked, ("created_at", "updated_at"), None),
                                 (objections, ("received_at",), None)):
            if ticket_ids is not None and key is None:
                continue
            q = select(table.c.id, *(table.c[c] for c in cols))
            for r in conn.execute(q if ticket_ids is None else q.where(key.in_(ticket_ids))):
                conn.execute(update(table).where(table.c.id == r.id).values(
                    {c: r._mapping[c] - shift for c in cols if r._mapping[c] is not None}))


def resolve(engine, ticket_id: int) -> None:
    now = utcnow()
    with engine.begin() as conn:
        conn.execute(update(tickets).where(tickets.c.id == ticket_id).values(
            status=Status.RESOLVED, resolved_at=now, updated_at=now))


def send_all(engine) -> None:
    """What the sender does with the queue: every mail leased and sent."""
    with engine.begin() as conn:
        sent = outbox_rows.claim(conn, "test", 1000, 60)
        outbox_rows.mark_sent(conn, [r.id for r in sent], "test")


def held(engine) -> dict:
    """Everything that holds a message's content, counted."""
    return {"text": count(engine, messages, messages.c.body_text.is_not(None)),
            "raw": count(engine, raw_messages), "files": count(engine, attachments, attachments.c.data.is_not(None)),
            "sent": count(engine, outbox_raw), "parked": count(engine, parked),
            "purged": count(engine, messages, messages.c.purged_at.is_not(None)), "events": count(engine, events)}


def desk(config, engine):
    """A resolved ticket with a file, a time entry and a sent receipt; an open ticket; a decided and an undecided
    objection; a sent statement; a parked copy — all taken 400 days ago. Returns (resolved, open) ticket ids."""
    done = take(config, engine, mail(subject="Algas", body=BODY, message_id="<algas@acme.lv>",
                                     attachments=[("alga.pdf", PDF, "application/pdf")])).ticket_id
    with engine.begin() as conn:
        conn.execute(insert(time_entries).values(
            ticket_id=done, agent="ilze@support.test", contact="janis@acme.lv", work_date=date(2025, 10, 1),
            minutes=30, category="paid", description="Algu aprēķins", created_at=utcnow()))
    resolve(engine, done)
    still = take(config, engine, mail(subject="Vēl nav atrisināts", body=BODY)).ticket_id
    for n in (1, 2):
        take(config, engine, mail(subject=f"Iebildums {n}", body=f"Iebilstu pret rēķinu {n}.",
                                  to="iebildumi@support.test"), rcpt="iebildumi@support.test")
    with engine.begin() as conn:
        first, second = conn.execute(select(objections.c.id).order_by(objections.c.id)).scalars()
        conn.execute(update(objections).where(objections.c.id == first).values(status=ObjectionStatus.REJECTED))
        conn.execute(update(objections).where(objections.c.id == second).values(status=ObjectionStatus.OPEN))
        issue(conn, config, config.client_by_id("acme"), "2025-10", "manual", utcnow())
        park(conn, source="smtp", mailbox="help@support.test", mail_from="janis@acme.lv", raw=mail(body=BODY),
             idem_key="k" * 64, error="Traceback: boom", now=utcnow(), retry_seconds=300)
    send_all(engine)
    backdate(engine, 400)
    return done, still


def test_old_mail_loses_its_content_and_keeps_its_record(make):
    config, engine = make()
    done, still = desk(config, engine)
    with engine.connect() as conn:
        before_tickets = conn.execute(select(tickets).order_by(tickets.c.id)).all()
        before_journal = conn.execute(select(time_entries)).all()
        before_objections = conn.execute(select(objections).order_by(objections.c.id)).all()
        before_statements = conn.execute(select(statements)).all()
    [first] = rows(engine, messages, messages.c.message_id == "algas@acme.lv")
    was = held(engine)

    now = utcnow()
    dry = retention.run(engine, config, now, dry_run=True)
    assert held(engine) == was  # nothing changed, not even an event
    assert dry.dry_run and dry.messages > 0 and dry.files == 1 and dry.parked == 1 and dry.bytes > len(PDF)

    done_fig = retention.run(engine, config, now)
    assert {k: v for k, v in done_fig.as_data().items() if k != "dry_run"} == {
        k: v for k, v in dry.as_data().items() if k != "dry_run"}

    [after] = rows(engine, messages, messages.c.id == first["id"])
    assert after["body_text"] is None and after["purged_at"] is not None
    assert {k: after[k] for k in ("sender", "subject", "size", "message_id", "created_at", "ticket_id")} == {
        k: first[k] for k in ("sender", "subject", "size", "message_id", "created_at", "ticket_id")}
    assert count(engine, raw_messages, raw_messages.c.message_id == first["id"]) == 0
    [pdf] = rows(engine, attachments, attachments.c.message_id == first["id"])
    assert pdf["data"] is None and (pdf["filename"], pdf["size"]) == ("alga.pdf", len(PDF))
    # our mail on the ticket: its text and the bytes sent are gone, the outbox row stays
    for m in rows(engine, messages, messages.c.ticket_id == done):
        assert m["purged_at"] is not None and m["body_text"] is None
    sent_on_ticket = rows(engine, outbox, outbox.c.ticket_id == done)
    assert sent_on_ticket and all(r["raw"] is None for r in sent_on_ticket)
    # the open ticket's mail is whole
    assert all(m["body_text"] and m["purged_at"] is None for m in rows(engine, messages, messages.c.ticket_id == still))
    # the statement mail is a billing record: whole, and so is the statement
    [statement_mail] = rows(engine, outbox, outbox.c.kind == "statement")
    assert statement_mail["raw"] and count(engine, messages, messages.c.disposition == "statement",
                                           messages.c.body_text.is_not(None)) == 1
    # the undecided objection's mail is whole, the decided one's purged; both objections whole
    decided, undecided = rows(engine, messages, messages.c.objection_id.is_not(None),
                              messages.c.direction == "in", order=messages.c.objection_id)
    assert decided["purged_at"] is not None and decided["body_text"] is None
    assert undecided["purged_at"] is None and "Iebilstu" in undecided["body_text"]
    assert count(engine, parked) == 0
    with engine.connect() as conn:
        assert conn.execute(select(tickets).order_by(tickets.c.id)).all() == before_tickets
        assert conn.execute(select(time_entries)).all() == before_journal
        assert conn.execute(select(objections).order_by(objections.c.id)).all() == before_objections
        assert conn.execute(select(statements)).all() == before_statements
    # the audit: one event on the ticket, one for the run; counts, never content
    [on_ticket] = rows(engine, events, events.c.ticket_id == done, events.c.kind == EventKind.RETENTION)
    assert "1 file(s)" in on_ticket["detail"] and "12 months" in on_ticket["detail"]
    [summary] = rows(engine, events, events.c.ticket_id.is_(None), events.c.kind == EventKind.RETENTION)
    assert "1 parked message(s)" in summary["detail"]
    assert not [e for e in rows(engine, events) if "Bērziņ" in e["detail"] or "alga" in e["detail"].lower()]
    assert count(engine, events, events.c.ticket_id == still, events.c.kind == EventKind.RETENTION) == 0

    again = held(engine)
    assert retention.run(engine, config, utcnow()).messages == 0 and held(engine) == again  # nothing left to do


def test_the_smallest_batches_and_windows_purge_the_same(make, monkeypatch):
    config, engine = make()
    desk(config, engine)
    for n in range(3):  # more tickets and more mail on no ticket than a batch or a window holds
        ticket = take(config, engine, mail(subject=f"Jautājums {n}", body=BODY)).ticket_id
        resolve(engine, ticket)
        take(config, engine, mail(subject="Undeliverable", sender="MAILER-DAEMON@acme.lv", body="Delivery failed."))
    send_all(engine)
    backdate(engine, 400)
    now = utcnow()
    whole = retention.run(engine, config, now, dry_run=True)
    for name, value in (("TICKETS_PER_BATCH", 1), ("TICKET_WINDOW", 2), ("MESSAGES_PER_BATCH", 1),
                        ("MESSAGE_WINDOW", 2)):
        monkeypatch.setattr(retention, name, value)
    assert retention.run(engine, config, now, dry_run=True) == whole
    small = retention.run(engine, config, now)
    assert small.as_data() == whole.as_data() | {"dry_run": False} and small.tickets == 4
    monkeypatch.undo()
    assert retention.run(engine, config, utcnow(), dry_run=True).messages == 0


def test_a_ticket_resolved_lately_keeps_its_old_mail_until_it_is_as_old(make):
    config, engine = make()
    ticket = take(config, engine, mail(subject="Ilgs jautājums", body=BODY)).ticket_id
    send_all(engine)
    backdate(engine, 400)
    resolve(engine, ticket)  # resolved today: it may still be reopened, and its dialogue quoted
    assert retention.run(engine, config, utcnow()).messages == 0
    assert count(engine, messages, messages.c.purged_at.is_not(None)) == 0
    backdate(engine, 400, [ticket])
    assert retention.run(engine, config, utcnow(), months=12).messages == 2  # the request and its receipt


def test_a_reply_to_a_purged_message_finds_its_ticket(make):
    config, engine = make()
    old = take(config, engine, mail(subject="Rēķins neatveras", message_id="<first@acme.lv>")).ticket_id
    resolve(engine, old)
    send_all(engine)
    backdate(engine, 400)
    retention.run(engine, config, utcnow())
    assert count(engine, messages, messages.c.ticket_id == old, messages.c.purged_at.is_(None)) == 0
    new = take(config, engine, mail(subject="Re: Rēķins neatveras", body="Atkal neatveras.",
                                    headers=[("In-Reply-To", "<first@acme.lv>")])).ticket_id
    [t] = rows(engine, tickets, tickets.c.id == new)
    assert new != old and t["follows"] == old  # a new request that remembers the old one (resolved long ago)
    assert count(engine, events, events.c.ticket_id == new, events.c.kind == EventKind.FOLLOWS) == 1


def test_the_daily_run_is_due_from_its_hour_once_a_day(make):
    config, engine = make(retention={"months": 12, "hour": 3})
    ticket = take(config, engine, mail(body=BODY)).ticket_id
    resolve(engine, ticket)
    send_all(engine)
    backdate(engine, 400)
    today = datetime.now(RIGA).date()
    at = {hour: datetime(today.year, today.month, today.day, hour, tzinfo=RIGA) for hour in (2, 3, 5)}
    assert retention.run_due(engine, config, at[2]) is None  # before retention.hour in tickets.timezone
    assert count(engine, messages, messages.c.purged_at.is_not(None)) == 0
    done = retention.run_due(engine, config, at[3])
    assert done is not None and done.messages == 2
    with engine.connect() as conn:
        assert once.when(conn, f"retention:{today.isoformat()}") is not None
    assert retention.run_due(engine, config, at[5]) is None  # claimed for the day
    off = config.model_copy(update={"retention": Retention()})
    assert retention.run_due(engine, off, at[5] + timedelta(days=1)) is None  # months: null keeps mail for ever


def test_the_cut_off_is_the_start_of_the_day_so_many_months_ago():
    assert retention.cut_off(datetime(2026, 12, 7, 1, tzinfo=timezone.utc), 12, "Europe/Riga") == datetime(
        2025, 12, 7, tzinfo=RIGA)
    assert retention.cut_off(datetime(2026, 3, 31, 12, tzinfo=timezone.utc), 1, "Europe/Riga") == datetime(
        2026, 2, 28, tzinfo=RIGA)
    assert retention.cut_off(datetime(2026, 12, 31, 22, 30, tzinfo=timezone.utc), 24, "Europe/Riga") == datetime(
        2025, 1, 1, tzinfo=RIGA)  # already 1 January in Riga


def test_a_stopping_daemon_leaves_the_rest_for_the_next_run(make):
    config, engine = make()
    ticket = take(config, engine, mail(body=BODY)).ticket_id
    resolve(engine, ticket)
    send_all(engine)
    backdate(engine, 400)
    stopped = retention.run(engine, config, utcnow(), stopping=lambda: True)
    assert stopped.stopped and stopped.messages == 0
    assert count(engine, messages, messages.c.purged_at.is_not(None)) == 0


@pytest.mark.postgres
def test_two_daemons_racing_on_postgresql_run_the_days_purge_once(make_config, pg_url, monkeypatch):
    # small batches in small windows: many transactions, so the two runs would overlap if both ran
    monkeypatch.setattr(retention, "TICKETS_PER_BATCH", 4)
    monkeypatch.setattr(retention, "TICKET_WINDOW", 7)
    monkeypatch.setattr(retention, "MESSAGES_PER_BATCH", 3)
    monkeypatch.setattr(retention, "MESSAGE_WINDOW", 5)
    config, _ = make_config(clients=CLIENTS, database={"url": pg_url}, retention={"months": 12, "hour": 0})
    engines = [engine_for(config), db.make_engine(config.database)]
    engine = engines[0]
    made = [take(config, engine, mail(subject=f"Jautājums {n}", body=BODY)).ticket_id for n in range(45)]
    for ticket in made:
        resolve(engine, ticket)
    send_all(engine)
    backdate(engine, 400)
    start, failures = threading.Barrier(2), []

    def daemon(e):
        runtime = SimpleNamespace(engine=e, config=config, stopping=threading.Event())
        start.wait()
        try:
            scheduler.retention_job(runtime)
        except Exception as exc:  # noqa: BLE001 - reported below
            failures.append(exc)
    threads = [threading.Thread(target=daemon, args=(e,)) for e in engines]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures
    assert count(engine, events, events.c.ticket_id.is_(None), events.c.kind == EventKind.RETENTION) == 1
    for ticket in made:  # each ticket purged once
        assert count(engine, events, events.c.ticket_id == ticket, events.c.kind == EventKind.RETENTION) == 1
    assert count(engine, messages, messages.c.purged_at.is_(None)) == 0
    for e in engines:
        e.dispose()


def test_the_daemon_purges_by_itself(make_config, daemon_factory):
    config, _ = make_config(clients=CLIENTS, jobs={"enabled": True}, retention={"months": 12, "hour": 0})
    engine = engine_for(config)
    ticket = take(config, engine, mail(body=BODY, attachments=[("alga.pdf", PDF, "application/pdf")])).ticket_id
    resolve(engine, ticket)
    send_all(engine)
    backdate(engine, 400)
    daemon_factory(config, engine)
    assert wait_until(lambda: count(engine, messages, messages.c.purged_at.is_not(None)) == 2)
    assert count(engine, attachments, attachments.c.data.is_not(None)) == 0
    engine.dispose()


def test_a_failed_mail_whose_bytes_are_purged_is_not_queued_again(make):
    config, engine = make()
    ticket = take(config, engine, mail(body=BODY)).ticket_id
    resolve(engine, ticket)
    with engine.begin() as conn:
        conn.execute(update(outbox).values(status=OutboxStatus.FAILED, failed_at=utcnow()))
    backdate(engine, 400)
    assert retention.run(engine, config, utcnow()).mails == 1
    with engine.begin() as conn:
        assert outbox_rows.requeue(conn, None, utcnow()) == []  # nothing left to send
    [row] = rows(engine, outbox)
    assert row["status"] == OutboxStatus.FAILED and row["raw"] is None
