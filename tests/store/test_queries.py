"""Insert (the hot rows' fast path) writes exactly what SQLAlchemy's own INSERT writes, on both engines."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from mailbot.config import Database
from mailbot.store import db
from mailbot.store.models import events, messages, thread_ids, tickets
from mailbot.store.audit import add_event
from mailbot.store.compiled import Insert, Scalar, later_writes
from mailbot.store.tickets import remember_message_id

RIGA = timezone(timedelta(hours=2))


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path):
    url = f"sqlite:///{tmp_path}/q.db" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    engine = db.make_engine(Database(url=url))
    db.upgrade(engine)
    yield engine
    engine.dispose()


def _ticket(conn, now):
    return Insert(tickets)(conn, dict(mailbox="help@x.lv", contact="a@b.lv", subject="Rēķins №5 — Ошибка",
                                      language="lv", created_at=now, updated_at=now))


def test_rows_read_back_as_sqlalchemy_writes_them(engine):
    now = datetime(2026, 12, 3, 9, 30, 15, 123456, tzinfo=RIGA)
    with engine.begin() as conn:
        ours = _ticket(conn, now)
        theirs = conn.execute(insert(tickets).values(mailbox="help@x.lv", contact="a@b.lv",
                                                     subject="Rēķins №5 — Ошибка", language="lv", created_at=now,
                                                     updated_at=now)).inserted_primary_key[0]
        assert ours is not None and theirs == ours + 1
        a, b = (conn.execute(select(tickets).where(tickets.c.id == i)).one()._asdict() for i in (ours, theirs))
        assert {k: v for k, v in a.items() if k != "id"} == {k: v for k, v in b.items() if k != "id"}
        assert a["status"] == "new" and a["base_subject"] == ""  # the table's defaults
        assert a["created_at"] == now  # timezone-aware, the same instant
        add_event(conn, ours, "created", "from smtp", now)
        assert conn.execute(select(events.c.detail, events.c.at)).one() == ("from smtp", now)


def test_ignore_and_integrity_errors_behave_as_sqlalchemy_s(engine):
    now = datetime.now(timezone.utc)
    with engine.begin() as conn:
        t = _ticket(conn, now)
        remember_message_id(conn, "abc@x", t)
        remember_message_id(conn, "abc@x", t)  # already known: nothing happens
        assert conn.execute(select(thread_ids.c.ticket_id)).scalars().all() == [t]
    row = dict(ticket_id=None, idem_key="k1", direction="in", source="smtp", mailbox="help@x.lv", disposition="ticket",
               created_at=now)
    with engine.begin() as conn:
        Insert(messages)(conn, row)
    with pytest.raises(IntegrityError):  # what the runner tells a concurrent duplicate by
        with engine.begin() as conn:
            Insert(messages)(conn, row)


def test_outside_a_transaction_it_begins_one_the_caller_commits(engine):
    now = datetime.now(timezone.utc)
    with engine.connect() as conn:
        _ticket(conn, now)
        conn.rollback()
    with engine.connect() as conn:
        assert conn.execute(select(tickets.c.id)).all() == []


def test_scalar_answers_as_sqlalchemy_does(engine):
    """Scalar (the hot lookups' fast path): literals, named parameters and datetimes bound as SQLAlchemy binds
    them, and None where there is no row."""
    from sqlalchemy import bindparam, func
    from mailbot.store.compiled import Scalar
    now = datetime(2026, 12, 3, 9, 30, 15, 123456, tzinfo=RIGA)
    with engine.begin() as conn:
        ids = [_ticket(conn, now + timedelta(minutes=i)) for i in range(4)]
        conn.execute(tickets.update().where(tickets.c.id == ids[1]).values(status="open"))
        conn.execute(tickets.update().where(tickets.c.id == ids[2]).values(status="resolved"))
        waiting = select(func.count()).select_from(tickets).where(
            (tickets.c.status == "new") | (tickets.c.status == "open"))
        since = select(func.count()).select_from(tickets).where(
            tickets.c.created_at > bindparam("since"), tickets.c.status != "resolved")
        first = select(tickets.c.id).where(tickets.c.contact == bindparam("who")).order_by(tickets.c.id).limit(1)
        for stmt, params in [(waiting, None), (since, {"since": now}), (since, {"since": now + timedelta(days=1)}),
                             (first, {"who": "a@b.lv"}), (first, {"who": "nobody@b.lv"})]:
            assert Scalar(stmt)(conn, params) == conn.execute(stmt, params or {}).scalar()
        assert Scalar(waiting)(conn) == 3 and Scalar(since)(conn, {"since": now}) == 2
        assert Scalar(first)(conn, {"who": "nobody@b.lv"}) is None
        with pytest.raises(ValueError, match="IN lists"):
            Scalar(select(tickets.c.id).where(tickets.c.status.in_(("new", "open"))))(conn)


def test_rows_read_as_sqlalchemy_mappings_do(engine):
    """Rows (threading's lookups on the driver's cursor): every column through its type as SQLAlchemy reads it
    (aware datetimes, a date, a boolean, None), rows in the statement's order, none where nothing matches."""
    from datetime import date
    from sqlalchemy import bindparam
    from mailbot.store.models import outbox
    from mailbot.store.compiled import Insert, Rows
    now = datetime(2026, 12, 3, 9, 30, 15, 123456, tzinfo=RIGA)
    with engine.begin() as conn:
        ids = [_ticket(conn, now + timedelta(minutes=i)) for i in range(3)]
        conn.execute(tickets.update().where(tickets.c.id == ids[1]).values(
            status="resolved", resolved_at=now, pd_allow_until=date(2027, 1, 31), assignee="aija@x.lv"))
        Insert(outbox)(conn, dict(ticket_id=ids[0], kind="receipt", auto=True, message_id="m1@x", mail_from="h@x.lv",
                                  rcpt="a@b.lv", recipients="a@b.lv", status="pending", attempts=0,
                                  next_attempt_at=now, created_at=now))
        by_id = select(tickets).where(tickets.c.id == bindparam("id"))
        newest = select(tickets.c.id, tickets.c.created_at).where(
            tickets.c.status != "closed", tickets.c.contact == bindparam("who")).order_by(tickets.c.id.desc())
        mail = select(outbox).where(outbox.c.ticket_id == bindparam("t"))
        for stmt, params in [(by_id, {"id": ids[1]}), (by_id, {"id": ids[0]}), (by_id, {"id": -1}),
                             (newest, {"who": "a@b.lv"}), (newest, {"who": "nobody@b.lv"}), (mail, {"t": ids[0]})]:
            theirs = [dict(r) for r in conn.execute(stmt, params).mappings()]
            assert Rows(stmt).all(conn, params) == theirs
            assert Rows(stmt).first(conn, params) == (theirs[0] if theirs else None)
        row = Rows(by_id).first(conn, {"id": ids[1]})
        assert row["resolved_at"] == now and row["resolved_at"].tzinfo is not None
        assert row["pd_allow_until"] == date(2027, 1, 31) and row["subject"] == "Rēķins №5 — Ошибка"
        assert Rows(mail).first(conn, {"t": ids[0]})["auto"] is True
        with pytest.raises(ValueError, match="IN lists"):
            Rows(select(tickets.c.id).where(tickets.c.status.in_(("new", "open")))).all(conn)


@pytest.mark.parametrize("asked", [2, 3, 64, 65, 150])
def test_threading_finds_tickets_among_any_number_of_message_ids(engine, asked):
    """A reply's References may run long: every ticket any of them belongs to is found, newest first, once."""
    from mailbot.store.tickets import tickets_of as _tickets_of
    now = datetime.now(timezone.utc)
    with engine.begin() as conn:
        a, b = _ticket(conn, now), _ticket(conn, now)
        remember_message_id(conn, "first@x", a)
        remember_message_id(conn, "last@x", b)
        remember_message_id(conn, "also-last@x", b)
        refs = [f"unknown-{i}@x" for i in range(asked)]
        assert _tickets_of(conn, refs) == []
        refs[0], refs[-1] = "first@x", "last@x"
        assert _tickets_of(conn, refs + ["also-last@x"]) == [b, a]
        assert _tickets_of(conn, refs[:1]) == [a]


def _details(conn):
    return conn.execute(select(events.c.detail).order_by(events.c.id)).scalars().all()


def test_rows_held_back_are_seen_by_every_statement_after_them_and_kept_in_order(engine):
    """PostgreSQL sends rows written with .later together with the next statement; no reader may tell."""
    now = datetime.now(timezone.utc)
    count = Scalar(select(func.count()).select_from(events))
    with engine.begin() as conn, later_writes(conn):
        t = _ticket(conn, now)
        for i in range(3):
            add_event(conn, t, "note", f"e{i}", now)
        assert count(conn) == 3  # the fast path's own statements
        add_event(conn, t, "note", "e3", now)
        assert _details(conn) == ["e0", "e1", "e2", "e3"]  # statements SQLAlchemy runs
        remember_message_id(conn, "held@x", t)
        add_event(conn, t, "note", "e4", now)  # sent when the block ends, before the commit
    with engine.connect() as conn:
        assert _details(conn) == ["e0", "e1", "e2", "e3", "e4"]
        assert conn.execute(select(thread_ids.c.ticket_id)).scalars().all() == [t]


def test_a_held_back_row_that_fails_undoes_the_transaction_and_leaves_nothing_behind(engine):
    now = datetime.now(timezone.utc)
    row = dict(ticket_id=None, idem_key="k1", direction="in", source="smtp", mailbox="help@x.lv",
               disposition="ticket", created_at=now)
    with engine.begin() as conn:
        Insert(messages)(conn, row)
    with pytest.raises(IntegrityError):  # at the latest when the block sends what it held back
        with engine.begin() as conn, later_writes(conn):
            t = _ticket(conn, now)
            add_event(conn, t, "note", "before", now)
            Insert(messages).later(conn, row)  # the same idempotency key again
            add_event(conn, t, "note", "after", now)
    with pytest.raises(RuntimeError):
        with engine.begin() as conn, later_writes(conn):
            add_event(conn, None, "note", "abandoned", now)
            raise RuntimeError("a stage failed")
    with engine.begin() as conn, later_writes(conn):  # the pooled connection carries nothing over
        add_event(conn, None, "note", "next", now)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(tickets)).scalar() == 0
        assert _details(conn) == ["next"]
