"""Claims whose owner died are free at once: on SQLite a starting daemon frees what an earlier process held; on
PostgreSQL a claim whose owner's session ended is taken over by the next claim, a living owner's is not."""
from datetime import timedelta

from sqlalchemy import insert

from mailbot.store import owners
from mailbot.store.models import outbox, outbox_raw, utcnow
from mailbot.store.outbox import claim
from tests.helpers import engine_for, mail, rows, sent_mail


def _leased(engine, owner: str, n: int = 1) -> None:
    now = utcnow()
    with engine.begin() as conn:
        for i in range(n):
            row = conn.execute(insert(outbox).values(
                kind="receipt", auto=True, message_id=f"{owner}-{i}@support.test", mail_from="help@support.test",
                rcpt="janis@acme.lv", recipients="janis@acme.lv", status="pending", attempts=0,
                next_attempt_at=now, lease_until=now + timedelta(seconds=300), lease_owner=owner,
                created_at=now)).inserted_primary_key[0]
            conn.execute(insert(outbox_raw).values(outbox_id=row, raw=mail(subject=f"r{i}")))


def test_a_dead_owners_mail_is_taken_over_at_once_on_postgresql(make_config, pg_url):
    config, _ = make_config(database={"url": pg_url})
    engine = engine_for(config)
    living = owners.hold(engine, "alive-host:1:aa")
    try:
        _leased(engine, "dead-host:2:bb", 2)
        _leased(engine, "alive-host:1:aa", 1)
        with engine.begin() as conn:
            taken = claim(conn, "me:3:cc", 10, 300)
        assert sorted(r.message_id for r in taken) == ["dead-host:2:bb-0@support.test", "dead-host:2:bb-1@support.test"]
    finally:
        living.close()
    with engine.begin() as conn:  # its session ended: now its mail is free too
        assert [r.message_id for r in claim(conn, "me:3:cc", 10, 300)] == ["alive-host:1:aa-0@support.test"]
    engine.dispose()


def test_a_starting_daemon_sends_what_a_killed_one_had_leased_within_seconds(desk):
    d = desk()
    d.stop()
    _leased(d.engine, "killed-host:9:dd", 3)
    d2 = desk()  # a new daemon on the same database (SQLite: one node)
    d2.engine.dispose()
    assert len(sent_mail(d2.sink, 3, to="janis@acme.lv", timeout=5)) == 3
    assert all(r["status"] == "sent" for r in rows(d.engine, outbox))
