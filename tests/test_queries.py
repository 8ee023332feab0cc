"""Insert (the hot rows' fast path) writes exactly what SQLAlchemy's own INSERT writes, on both engines."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from mailbot.config import Database
from mailbot.store import db
from mailbot.store.models import events, messages, thread_ids, tickets
from mailbot.store.queries import Insert, add_event, remember_message_id

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
    from mailbot.store.queries import Scalar
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
