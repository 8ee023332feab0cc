"""`mailbot db copy`: a desk's SQLite database moved to PostgreSQL whole (every row, value for value: mail bytes,
non-Latin text, times with their zone, JSON), its ids going on from the largest, a PostgreSQL desk copied back to
a SQLite file; and nothing half done: a target holding data, a running daemon, an interrupted copy."""
import json
import os
from datetime import date, datetime, timezone

import pytest
from alembic import command
from sqlalchemy import func, select

from mailbot.cli import main
from mailbot.config import Database
from mailbot.services.statements import issue
from mailbot.store import copy as db_copy
from mailbot.store import db
from mailbot.store.models import (attachments, events, messages, metadata, once, outbox, raw_messages, statements,
                                  tickets, time_entries)
from tests.helpers import (agent_reply, count, engine_for, free_port, journal, mail, open_ticket, run_cli, send,
                           sent_mail, take)

pytestmark = pytest.mark.postgres

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n" + bytes(range(256)) * 40
PASSWORD = "s3cret-Pa55"


def with_password(url: str) -> str:
    """The test server trusts loopback, so any password is taken; the point is that none is ever printed."""
    return url.replace("postgres@", f"postgres:{PASSWORD}@", 1)


def engine_on(url: str):
    return db.make_engine(Database(url=url))


def every_row(engine) -> dict:
    """Each table's rows as tuples, in the order of their primary keys (sorted here: the engines collate text
    differently)."""
    out = {}
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            key = [table.columns.keys().index(c.name) for c in table.primary_key.columns]
            out[table.name] = sorted((tuple(r) for r in conn.execute(select(table))),
                                     key=lambda r: tuple(r[i] for i in key))
    return out


@pytest.fixture
def filled(desk):
    """A desk on SQLite that has worked: a Latvian request with a PDF, an agent's answer with time and a category,
    a Russian request, a statement with its CSV; the daemon stopped again."""
    d = desk()
    note = open_ticket(d, subject="Rēķins neatveras", body="Labdien! Pielikumā rēķins, kas neatveras.",
                       attachments=[("rēķins.pdf", PDF, "application/pdf")])
    reply = agent_reply(note, "[25m] [paid] [take]", "Labdien! Lūdzu, atjauniniet programmu uz 5.2.")
    assert send(d.port, reply, mail_from="ilze@support.test")[0] == 250
    open_ticket(d, subject="Ошибка 1С при проведении", sender="Иван Петров <ivan@krizhik.ru>",
                body="Здравствуйте! Документ «Реализация» не проводится.")
    assert len(sent_mail(d.sink, 3, to="janis@acme.lv")) == 3  # receipt, work started, the answer
    journal(d.engine, d.config, "stekas", [(date(2026, 11, 3), 40, "paid"), (date(2026, 11, 4), 15, "free")],
            final="paid", subject="Algu aprēķins")
    with d.engine.begin() as conn:
        issue(conn, d.config, d.config.client_by_id("stekas"), "2026-11", "manual",
              datetime(2026, 12, 1, 6, 0, tzinfo=timezone.utc))
    d.stop()
    return d


def test_a_desk_moves_to_postgresql_whole_and_back_to_sqlite(filled, pg_url, make_config, tmp_path):
    source = filled.engine
    before = every_row(source)
    assert before["attachments"] and before["time_entries"] and before["statements"] and before["raw_messages"]
    target = engine_on(pg_url)
    said = []
    done = db_copy.copy(source, target, say=said.append, batch=2)  # small batches: many flushes per table
    assert every_row(target) == before
    assert every_row(source) == before  # the source untouched
    assert [t.table for t in done.tables] == [t.name for t in metadata.sorted_tables]
    assert all(t.source_rows == t.target_rows == len(before[t.table]) for t in done.tables)
    assert "tickets: 3 rows copied" in said and done.schema == db.SCHEMA_HEAD

    # the values themselves, on the server's own types
    with target.connect() as conn:
        [(data, name)] = conn.execute(select(attachments.c.data, attachments.c.filename)).all()
        assert (bytes(data), name) == (PDF, "rēķins.pdf")
        raw = conn.execute(select(raw_messages.c.raw).order_by(raw_messages.c.message_id)).scalars().first()
        assert raw == before["raw_messages"][0][1] and b"%PDF" not in raw[:10]
        text = conn.execute(select(messages.c.body_text).where(messages.c.body_text.contains("Реализация"))).scalar()
        assert "«Реализация» не проводится" in text
        created = conn.execute(select(func.min(tickets.c.created_at))).scalar()
        assert created.utcoffset().total_seconds() == 0
        assert created == before["tickets"][0][tickets.columns.keys().index("created_at")]
        doc = json.loads(conn.execute(select(statements.c.document)).scalar())
        assert doc["client"] == {"id": "stekas", "name": "UAB Stekas klientas"} and doc["period"] == "2026-11"
        assert conn.execute(select(once.c.created_at).where(once.c.key == "sla:since")).scalar() == \
            [r for r in before["once"] if r[0] == "sla:since"][0][1]
        minutes = conn.execute(select(func.sum(time_entries.c.minutes))).scalar()
        assert minutes == 25 + 40 + 15

    # a desk on the copy goes on from the largest ids: its first new ticket collides with nothing
    top = {t: max(r[0] for r in before[t]) for t in ("tickets", "messages", "events", "outbox")}
    assert {t: done.sequences[t] for t in top} == {t: n + 1 for t, n in top.items()}
    config, _ = make_config(database={"url": pg_url})
    outcome = take(config, target, mail(subject="Jauns pieprasījums", body="Vēl viens jautājums."))
    assert outcome.status == "stored" and outcome.ticket_id == top["tickets"] + 1
    with target.connect() as conn:
        assert conn.execute(select(func.max(messages.c.id))).scalar() > top["messages"]
        assert conn.execute(select(func.max(events.c.id))).scalar() > top["events"]
        assert conn.execute(select(func.max(outbox.c.id))).scalar() > top["outbox"]

    # and back: the PostgreSQL desk copied into a new SQLite file for a test copy
    back = engine_on(f"sqlite:///{tmp_path}/test-copy.db")
    db_copy.copy(target, back)
    assert every_row(back) == every_row(target)
    after = every_row(back)
    assert all(set(before[t]) <= set(after[t]) for t in before)  # the old rows as they were, and the new one
    assert len(after["tickets"]) == len(before["tickets"]) + 1
    target.dispose()
    back.dispose()


def test_an_interrupted_copy_leaves_the_target_empty_and_can_be_run_again(filled, pg_url):
    target = engine_on(pg_url)

    def interrupt(line):
        if line.startswith("messages:"):
            raise KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt):
        db_copy.copy(filled.engine, target, say=interrupt)
    assert count(target, tickets) == 0 and count(target, messages) == 0
    assert [r[0] for r in every_row(target)["once"]] == ["sla:since"]  # the schema's own seed, nothing else
    db_copy.copy(filled.engine, target)
    assert every_row(target) == every_row(filled.engine)
    target.dispose()


def test_a_new_database_holds_nothing_but_the_seeds_the_copy_replaces(tmp_path):
    """A migration that writes rows into a new database must name them in store.copy.SEEDS, or every copy into
    a freshly made target would be refused (or collide)."""
    engine = engine_on(f"sqlite:///{tmp_path}/new.db")
    db.ensure_schema(engine)
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            q = select(func.count()).select_from(table)
            if table.name in db_copy.SEEDS:
                q = q.where(~db_copy.SEEDS[table.name])
            assert conn.execute(q).scalar() == 0, table.name
    engine.dispose()


@pytest.fixture
def small(make_config):
    """A SQLite desk with two tickets taken by the pipeline: (config, its file, engine)."""
    config, path = make_config()
    engine = engine_for(config)
    take(config, engine, mail(subject="Rēķins neatveras"))
    take(config, engine, mail(subject="Ошибка", sender="ivan@krizhik.ru"), mail_from="ivan@krizhik.ru")
    yield config, path, engine
    engine.dispose()


def test_the_command_copies_verifies_and_never_prints_the_password(small, pg_url):
    config, path, engine = small
    url = with_password(pg_url)
    r = run_cli("db", "copy", "--to", url, "--json", config_path=path)
    assert r.returncode == os.EX_OK, r.stderr
    out, err = r.stdout.decode(), r.stderr.decode()
    assert PASSWORD not in out + err
    report = json.loads(out)
    assert report["verified"] is True and report["schema"] == db.SCHEMA_HEAD and "***" in report["target"]
    assert {t["table"]: t["target_rows"] for t in report["tables"]}["tickets"] == 2
    assert report["next_ids"]["tickets"] == 3
    assert "tickets: 2 rows copied" in err

    # again: the target holds data now, and nothing is written
    r = run_cli("db", "copy", "--to", url, config_path=path)
    assert r.returncode == os.EX_CANTCREAT
    err = r.stderr.decode()
    assert "holds data already" in err and "in tickets" in err and "drop and create it again" in err
    assert PASSWORD not in err + r.stdout.decode()
    target = engine_on(pg_url)
    assert count(target, tickets) == 2
    target.dispose()


def test_the_command_says_what_it_copied(small, pg_url, capsys):
    config, path, engine = small
    url = with_password(pg_url).replace("postgresql://", "postgres://", 1)  # the short scheme libpq takes too
    assert main(["--config", str(path), "db", "copy", "--to", url]) == os.EX_OK
    out = capsys.readouterr().out
    assert PASSWORD not in out and "postgres:***@" in out
    assert "tickets" in out and "verified: each of the" in out and "set database.url" in out


def test_a_running_daemon_is_stopped_first(make_config, daemon_factory, pg_url):
    port = free_port()
    config, path = make_config(listen={"smtp": {"port": port}})
    daemon_factory(config, engine_for(config))
    r = run_cli("db", "copy", "--to", pg_url, config_path=path)
    assert r.returncode == os.EX_TEMPFAIL
    assert f"SMTP listener on 127.0.0.1:{port} answers" in r.stderr.decode() and "stop it first" in r.stderr.decode()
    target = engine_on(pg_url)
    assert db.current_revision(target) is None  # not even the schema was made
    target.dispose()


def test_what_cannot_be_copied_is_refused_with_its_exit_code(small, pg_url, tmp_path, capsys, make_config):
    config, path, engine = small

    def copy_to(*args, config_path=path):
        code = main(["--config", str(config_path), "db", *args])
        return code, capsys.readouterr().err
    code, err = copy_to("copy")
    assert code == os.EX_USAGE and "needs --to URL" in err
    assert copy_to("current", "--to", pg_url)[0] == os.EX_USAGE
    code, err = copy_to("copy", "--to", "not a database")
    assert code == os.EX_USAGE and "not a database URL" in err
    code, err = copy_to("copy", "--to", f"mysql://root:{PASSWORD}@127.0.0.1/mailbot")
    assert code == os.EX_USAGE and "SQLite or PostgreSQL" in err and PASSWORD not in err
    code, err = copy_to("copy", "--to", config.database.url)
    assert code == os.EX_USAGE and "is the configured database itself" in err
    code, err = copy_to("copy", "--to", f"postgresql://postgres:{PASSWORD}@127.0.0.1:1/mailbot")
    assert code == os.EX_UNAVAILABLE and "127.0.0.1:1" in err and PASSWORD not in err

    # the configured database missing (it is not made by trying), or at an older schema
    missing, missing_path = make_config(database={"url": f"sqlite:///{tmp_path}/nowhere/mailbot.db"})
    code, err = copy_to("copy", "--to", pg_url, config_path=missing_path)
    assert code == os.EX_NOINPUT and "does not exist" in err and not (tmp_path / "nowhere" / "mailbot.db").exists()
    old, old_path = make_config(database={"url": f"sqlite:///{tmp_path}/old.db"})
    old_engine = db.make_engine(old.database)
    command.upgrade(db.alembic_config(old_engine), "0009")
    old_engine.dispose()
    code, err = copy_to("copy", "--to", pg_url, config_path=old_path)
    assert code == os.EX_NOINPUT and "schema 0009" in err and "mailbot db upgrade" in err
