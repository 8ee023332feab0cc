"""The Alembic migrations and the models describe the same schema, on both engines."""
import pytest
from alembic.script import ScriptDirectory

from mailbot.config import Database
from mailbot.store import db
from tests.helpers import schema_diff


def test_schema_head_constant_matches_migrations():
    script = ScriptDirectory.from_config(db.alembic_config(None))
    assert script.get_current_head() == db.SCHEMA_HEAD


def test_sqlite_migrations_match_models(tmp_path):
    engine = db.make_engine(Database(url=f"sqlite:///{tmp_path}/m.db"))
    db.upgrade(engine)
    assert schema_diff(engine) == []


@pytest.mark.postgres
def test_postgres_migrations_match_models(pg_url):
    engine = db.make_engine(Database(url=pg_url))
    before, after = db.upgrade(engine)
    assert (before, after) == (None, db.SCHEMA_HEAD)
    assert schema_diff(engine) == []
    engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_0006_moves_queued_mail_beside_its_row_and_back(backend, tmp_path, request):
    """A daemon upgraded with mail still queued sends that mail as it was; a downgrade gives it back."""
    from datetime import datetime, timezone

    from alembic import command
    from sqlalchemy import text

    url = f"sqlite:///{tmp_path}/m.db" if backend == "sqlite" else request.getfixturevalue("pg_url")
    engine = db.make_engine(Database(url=url))
    cfg = db.alembic_config(engine)
    command.upgrade(cfg, "0005")
    mail = "Subject: Rēķins\r\n\r\nЗдравствуйте\r\n".encode() * 2000
    now = datetime.now(timezone.utc)
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO outbox (kind, auto, message_id, mail_from, rcpt, recipients, raw, status, attempts, "
            "next_attempt_at, created_at) VALUES ('receipt', :t, 'm1@x', 'help@x', 'a@b', 'a@b', :raw, 'pending', "
            "0, :now, :now)"), {"raw": mail, "now": now, "t": True})
    command.upgrade(cfg, "head")
    assert schema_diff(engine) == []
    with engine.connect() as conn:
        assert conn.execute(text("SELECT outbox_id, raw FROM outbox_raw")).all() == [(1, mail)]
    from mailbot.store.outbox import claim
    with engine.begin() as conn:
        [row] = claim(conn, "test", 10, 60)
    assert row.raw == mail and row.message_id == "m1@x"
    command.downgrade(cfg, "0005")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT raw FROM outbox")).scalar() == mail
    engine.dispose()


@pytest.mark.postgres
def test_0007_stores_mail_bytes_uncompressed_on_postgresql(pg_url):
    """Mail, files and queued mail go out of line without pglz (which saved nothing on mail and cost the server
    CPU on every copy); a downgrade gives the columns PostgreSQL's default back."""
    from alembic import command
    from sqlalchemy import text
    engine = db.make_engine(Database(url=pg_url))
    cfg = db.alembic_config(engine)
    query = text("SELECT c.relname || '.' || a.attname, a.attstorage FROM pg_attribute a JOIN pg_class c "
                 "ON c.oid = a.attrelid WHERE (c.relname, a.attname) IN (('raw_messages', 'raw'), "
                 "('attachments', 'data'), ('outbox_raw', 'raw'), ('parked', 'raw')) AND c.relkind = 'r' "
                 "AND c.relnamespace = current_schema()::regnamespace")
    command.upgrade(cfg, "head")
    with engine.connect() as conn:
        assert dict(conn.execute(query).all()) == {
            "raw_messages.raw": "e", "attachments.data": "e", "outbox_raw.raw": "e", "parked.raw": "e"}
    command.downgrade(cfg, "0006")
    with engine.connect() as conn:
        assert set(dict(conn.execute(query).all()).values()) == {"x"}
    command.upgrade(cfg, "head")
    engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_0008_rekeys_stored_messages_so_a_redelivery_is_still_a_duplicate(tmp_path, request, backend):
    """Keys stored before 0008 hashed the recipient in; after the upgrade a redelivery of such a message (or the
    same message to another of our addresses) is still recognised, and a message stored once per address keeps
    one key."""
    import hashlib
    from datetime import datetime, timezone

    from alembic import command
    from sqlalchemy import text

    from mailbot.pipeline.dedupe import idem_key

    def old_key(recipient, message_id):
        return hashlib.sha256(recipient.encode() + b"\0" + f"mid:{message_id}".encode()).hexdigest()

    url = f"sqlite:///{tmp_path}/m.db" if backend == "sqlite" else request.getfixturevalue("pg_url")
    engine = db.make_engine(Database(url=url))
    cfg = db.alembic_config(engine)
    command.upgrade(cfg, "0007")
    now = datetime.now(timezone.utc)
    with engine.begin() as conn:
        for rcpt in ("help@support.test", "suport@support.test"):
            conn.execute(text(
                "INSERT INTO messages (idem_key, direction, source, mailbox, message_id, sender, sender_name, "
                "recipients, subject, disposition, reason, size, defects, created_at) VALUES (:k, 'in', 'smtp', "
                ":rcpt, 'm1@acme.lv', 'janis@acme.lv', '', :rcpts, 'x', 'ticket', '', 1, '', :now)"),
                {"k": old_key(rcpt, "m1@acme.lv"), "rcpt": rcpt, "rcpts": rcpt, "now": now})
    command.upgrade(cfg, "head")
    with engine.connect() as conn:
        keys = [k for (k,) in conn.execute(text("SELECT idem_key FROM messages ORDER BY id"))]
    assert keys == [idem_key(b"", "m1@acme.lv"), None]
    command.downgrade(cfg, "0007")
    engine.dispose()
