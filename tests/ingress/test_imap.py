"""IMAP ingress against a real Dovecot: IDLE, polling, backlogs, crashes, restarts, UIDVALIDITY changes,
servers without MOVE or UIDPLUS, TLS, three mailboxes at once, reconnect backoff and health. Every message is
taken exactly once."""
import logging
import signal
import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
from aioimaplib import Response
from sqlalchemy import select

from mailbot.config import Imap
from mailbot.ingress import imap, imap_client
from mailbot.services import health
from mailbot.store import db
from mailbot.store.models import imap_status, messages, objections, outbox, tickets, utcnow
from tests.dovecot import DEFAULT_USERS as USERS, Dovecot
from tests.helpers import count, mail, rows, run_cli, run_daemon, wait_until

ADDRESSES = {"help": "help@support.test", "suport": "suport@support.test", "iebildumi": "iebildumi@support.test"}


def imap_config(make_config, server, users=("help",), over=None, **imap):
    boxes, env = [], {}
    for i, user in enumerate(users):
        block = {"host": server.host, "port": server.port, "tls": "none", "username": user, "poll_seconds": 0.5}
        block.update(imap)
        boxes.append({"name": user, "address": ADDRESSES[user], "role": "objections" if user == "iebildumi"
                      else "support", "imap": block})
        env[f"MAILBOT_MAILBOXES__{i}__IMAP__PASSWORD"] = USERS[user]
    config, path = make_config(env=env, mailboxes=boxes, listen={"smtp": {"enabled": False}}, **(over or {}))
    return config, path, env


def start(config, daemon_factory):
    engine = db.make_engine(config.database)
    db.ensure_schema(engine)
    return engine, daemon_factory(config, engine)


def test_message_arriving_during_idle_becomes_a_ticket_and_is_moved(make_config, dovecot, daemon_factory, caplog):
    caplog.set_level(logging.DEBUG, logger="aioimaplib")
    config, _, _ = imap_config(make_config, dovecot)
    engine, d = start(config, daemon_factory)
    assert wait_until(lambda: _state(engine, "help@support.test") == "ok", 20)
    # the reader is now idling (the server has answered its IDLE)
    assert wait_until(lambda: any("IDLE is active" in r.getMessage() for r in list(caplog.records)), 20)
    dovecot.append("help", mail(subject="Rēķins neatveras", message_id="<idle1@acme.lv>"))
    assert wait_until(lambda: count(engine, tickets) == 1, 10)
    assert wait_until(lambda: dovecot.uids("help") == [] and len(dovecot.uids("help", "Processed")) == 1, 10)
    [t] = rows(engine, tickets)
    assert t["mailbox"] == "help@support.test" and t["client_id"] == "acme"
    assert count(engine, outbox) == 1  # the receipt
    [m] = rows(engine, messages, messages.c.direction == "in")
    assert m["source"] == "imap"
    d.stop()


def test_backlog_of_500_is_taken_exactly_once(make_config, dovecot, daemon_factory):
    dovecot.append_many("help", [mail(subject=f"Pieprasījums {i}", sender=f"c{i}@acme.lv",
                                      message_id=f"<bk{i}@acme.lv>") for i in range(500)])
    config, _, _ = imap_config(make_config, dovecot, batch=100)
    engine, d = start(config, daemon_factory)
    assert wait_until(lambda: count(engine, tickets) == 500, 120, 0.2)
    assert wait_until(lambda: dovecot.uids("help") == [], 20)
    assert len(dovecot.uids("help", "Processed")) == 500
    assert count(engine, messages, messages.c.direction == "in") == 500
    d.stop()


def test_killed_between_commit_and_move_takes_the_message_once(make_config, dovecot):
    config, path, env = imap_config(make_config, dovecot, lease_seconds=3)
    uid = dovecot.append("help", mail(subject="Avārija", message_id="<crash@acme.lv>"))
    proc = run_daemon(path, {**env, "MAILBOT_FAILPOINT": "after_commit"})
    assert proc.wait(30) == -signal.SIGKILL, proc.log.read_text()
    engine = db.make_engine(config.database)
    assert count(engine, tickets) == 1
    assert dovecot.uids("help") == [uid]  # committed, but still on the server...
    assert "\\Seen" not in dovecot.flags("help", uid)  # ...and not marked read: BODY.PEEK[] until committed
    proc = run_daemon(path, env)
    try:
        # The lease of the killed daemon must expire first; until then the new one waits its turn.
        assert wait_until(lambda: dovecot.uids("help") == [], 30, 0.2), proc.log.read_text()
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(20) == 0
    assert len(dovecot.uids("help", "Processed")) == 1
    assert count(engine, tickets) == 1 and count(engine, outbox) == 1
    assert count(engine, messages, messages.c.direction == "in") == 1


def test_server_restart_and_login_failure_reconnect_and_report(make_config, dovecot, daemon_factory):
    config, path, env = imap_config(make_config, dovecot)
    engine, d = start(config, daemon_factory)
    assert wait_until(lambda: _state(engine, "help@support.test") == "ok", 20)
    dovecot.stop()
    assert wait_until(lambda: _state(engine, "help@support.test") == "failing", 30)
    r = run_cli("health", config_path=path, env=env)
    assert r.returncode == 1 and b"IMAP help <help@support.test>: failing" in r.stderr
    dovecot.start()
    dovecot.append("help", mail(subject="Pēc restarta", message_id="<after@acme.lv>"))
    assert wait_until(lambda: count(engine, tickets) == 1, 30)
    assert wait_until(lambda: _state(engine, "help@support.test") == "ok", 10)
    d.stop()
    # A wrong password: a clear status, and `imap check` says what failed.
    bad_env = {k: "wrong" for k in env}
    r = run_cli("imap", "check", config_path=path, env=bad_env)
    assert r.returncode == 1 and b"FAIL help" in r.stdout and b"login" in r.stdout
    r = run_cli("imap", "check", config_path=path, env=env)
    assert r.returncode == 0 and b"ok   help" in r.stdout and b"UIDVALIDITY" in r.stdout


def test_uidvalidity_change_rescans_without_duplicates(make_config, dovecot, daemon_factory):
    raws = [mail(subject=f"Jautājums {i}", message_id=f"<uv{i}@acme.lv>") for i in range(3)]
    dovecot.reset_folder("help", "Support")
    dovecot.append_many("help", raws, folder="Support")
    config, _, _ = imap_config(make_config, dovecot, folder="Support", after="flag")
    engine, d = start(config, daemon_factory)
    assert wait_until(lambda: count(engine, tickets) == 3, 20)
    assert wait_until(lambda: all("\\Seen" in dovecot.flags("help", u, "Support")
                                  for u in dovecot.uids("help", "Support")), 20)
    d.stop()
    before = dovecot.uidvalidity("help", "Support")
    dovecot.reset_folder("help", "Support")
    assert dovecot.uidvalidity("help", "Support") != before
    dovecot.append_many("help", raws + [mail(subject="Jauns", message_id="<uv-new@acme.lv>")], folder="Support")
    d = daemon_factory(config, engine)
    assert wait_until(lambda: all("\\Seen" in dovecot.flags("help", u, "Support")
                                for u in dovecot.uids("help", "Support")), 20)
    assert count(engine, tickets) == 4  # the three old ones were recognised, one is new
    assert len(dovecot.uids("help", "Support")) == 4  # flag mode leaves them in place
    d.stop()


@pytest.mark.parametrize("hidden", [("MOVE",), ("MOVE", "UIDPLUS")], ids=["no-move", "no-move-no-uidplus"])
def test_server_without_move_uses_copy_and_expunge(make_config, dovecot_factory, daemon_factory, hidden):
    """COPY + \\Deleted, then UID EXPUNGE, or a plain EXPUNGE where the server has no UIDPLUS."""
    server = dovecot_factory(USERS, capability_without=hidden)
    config, _, _ = imap_config(make_config, server)
    engine, d = start(config, daemon_factory)
    server.append_many("help", [mail(message_id=f"<nm{i}@acme.lv>") for i in range(2)])
    assert wait_until(lambda: server.uids("help") == [] and len(server.uids("help", "Processed")) == 2, 20)
    assert count(engine, tickets) == 2
    d.stop()


def test_delete_mode_expunges(make_config, dovecot, daemon_factory):
    config, _, _ = imap_config(make_config, dovecot, after="delete")
    engine, d = start(config, daemon_factory)
    dovecot.append("help", mail(message_id="<del@acme.lv>"))
    assert wait_until(lambda: count(engine, tickets) == 1 and dovecot.uids("help") == [], 20)
    assert "Processed" not in dovecot.folders("help")
    d.stop()


def test_three_mailboxes_at_once(make_config, dovecot, daemon_factory):
    config, _, _ = imap_config(make_config, dovecot, users=("help", "suport", "iebildumi"))
    engine, d = start(config, daemon_factory)
    for user in USERS:
        for i in range(3):
            dovecot.append(user, mail(subject=f"{user} {i}", message_id=f"<{user}{i}@acme.lv>"))
    # the objections mailbox makes objections, not tickets (tests/objections)
    assert wait_until(lambda: count(engine, tickets) == 6 and count(engine, objections) == 3, 30)
    by_box = {}
    for t in rows(engine, tickets):
        by_box[t["mailbox"]] = by_box.get(t["mailbox"], 0) + 1
    assert by_box == {a: 3 for u, a in ADDRESSES.items() if u != "iebildumi"}
    assert all(dovecot.uids(u) == [] for u in USERS)
    d.stop()


@pytest.mark.parametrize("tls", ["ssl", "starttls"])
def test_tls_modes(make_config, tmp_path, daemon_factory, tls):
    server = Dovecot(tmp_path / tls, USERS, tls=tls)
    server.start()
    try:
        # Verified against the server's self-signed certificate, whose name is localhost.
        config, _, _ = imap_config(make_config, server, tls=tls, ca_file=str(server.ca_file), host="localhost")
        engine, d = start(config, daemon_factory)
        server.append("help", mail(message_id=f"<tls-{tls}@acme.lv>"))
        assert wait_until(lambda: count(engine, tickets) == 1 and server.uids("help") == [], 20)
        d.stop()
    finally:
        server.stop()


def _state(engine, mailbox):
    with engine.connect() as conn:
        row = conn.execute(select(imap_status.c.state).where(imap_status.c.mailbox == mailbox)).first()
    return row.state if row else None


def test_guard_can_choose_to_expunge_and_failures_are_parked_not_retried(make_config, dovecot, daemon_factory,
                                                                        monkeypatch):
    """The after-commit action is the pipeline's choice: a stage (the personal-data guard) may ask for the
    server's copy to be expunged instead of moved; a message that fails is parked and moved like the rest."""
    from mailbot.pipeline import runner

    def guard_like(ctx):
        if "personas kods" in ctx.msg.text:
            ctx.after = "expunge"
        if "BOOM" in ctx.msg.subject:
            raise RuntimeError("stage failed")
    stages = list(runner._STAGES)
    stages.insert(3, guard_like)
    monkeypatch.setattr(runner, "_STAGES", tuple(stages))
    config, _, _ = imap_config(make_config, dovecot)
    engine, d = start(config, daemon_factory)
    dovecot.append("help", mail(subject="Darbinieki", body="Jānis, personas kods 010190-12345",
                                message_id="<pd@acme.lv>"))
    dovecot.append("help", mail(subject="BOOM", message_id="<boom@acme.lv>"))
    dovecot.append("help", mail(subject="Parasts", message_id="<ok@acme.lv>"))
    # the guard chose to expunge, then a later stage failed: parked, and still expunged, never moved
    dovecot.append("help", mail(subject="BOOM ar kodu", body="Jānis, personas kods 010190-12345",
                                message_id="<pdboom@acme.lv>"))
    assert wait_until(lambda: dovecot.uids("help") == [], 20)
    assert len(dovecot.uids("help", "Processed")) == 2  # the ordinary one and the parked one; not the expunged
    from mailbot.store.models import parked
    assert count(engine, parked) == 2 and count(engine, tickets) == 2
    d.stop()


def test_a_discarded_message_is_expunged_from_the_server_not_moved(make_config, dovecot, daemon_factory):
    """Invariant 5 reaches IMAP: the personal-data guard's discard leaves no copy on the server either."""
    import json
    import random
    from mailbot.store.models import raw_messages
    from tests.privacy_set.codes import lt_asmens_kodas
    code = lt_asmens_kodas(random.Random(5))
    config, _, _ = imap_config(make_config, dovecot, over={"privacy": {"action": "discard"}})
    engine, d = start(config, daemon_factory)
    dovecot.append("help", mail(subject="Atlyginimas", sender="Rasa <rasa@klientas.lt>", message_id="<pd@klientas.lt>",
                                body=f"Darbuotojo asmens kodas {code}, prašome patikrinti."))
    dovecot.append("help", mail(subject="Ataskaita", sender="Rasa <rasa@klientas.lt>", message_id="<ok@klientas.lt>"))
    assert wait_until(lambda: dovecot.uids("help") == [], 20)
    assert len(dovecot.uids("help", "Processed")) == 1  # the clean one; the other is gone from the server
    stubs = [json.loads(m["privacy"]) for m in rows(engine, messages, messages.c.direction == "in") if m["privacy"]]
    assert [s["action"] for s in stubs] == ["discard"] and count(engine, raw_messages) == 1
    # The client sends it again (same Message-ID): a duplicate, and no more kept on the server than the first
    dovecot.append("help", mail(subject="Atlyginimas", sender="Rasa <rasa@klientas.lt>", message_id="<pd@klientas.lt>",
                                body=f"Darbuotojo asmens kodas {code}, prašome patikrinti."))
    dovecot.append("help", mail(subject="Ataskaita", sender="Rasa <rasa@klientas.lt>", message_id="<ok@klientas.lt>"))
    assert wait_until(lambda: dovecot.uids("help") == [], 20)
    assert len(dovecot.uids("help", "Processed")) == 2  # the clean one's duplicate is moved like the first
    assert count(engine, raw_messages) == 1 and count(engine, messages, messages.c.direction == "in") == 2
    d.stop()


def test_a_second_copy_of_a_parked_discarded_message_is_expunged_too(make_config, dovecot, daemon_factory,
                                                                      monkeypatch):
    """The guard discarded a message and a later stage failed: only its stub is parked and the server's copy is
    expunged. The client sends it again: a duplicate of the parked one, taken off the server the same way."""
    import random
    from mailbot.pipeline import runner
    from mailbot.store.models import parked
    from tests.privacy_set.codes import lt_asmens_kodas

    def fails(ctx):
        if "BOOM" in ctx.msg.subject:
            raise RuntimeError("stage failed")
    stages = list(runner._STAGES)
    stages.insert(len(stages) - 1, fails)  # just before persist, after the guard
    monkeypatch.setattr(runner, "_STAGES", tuple(stages))
    code = lt_asmens_kodas(random.Random(7))
    config, _, _ = imap_config(make_config, dovecot, over={"privacy": {"action": "discard"}})
    engine, d = start(config, daemon_factory)
    pd = mail(subject="BOOM atlyginimai", sender="Rasa <rasa@klientas.lt>", message_id="<pdboom@klientas.lt>",
              body=f"Darbuotojo asmens kodas {code}.")
    dovecot.append("help", pd)
    assert wait_until(lambda: dovecot.uids("help") == [] and count(engine, parked) == 1, 20)
    assert code.encode() not in rows(engine, parked)[0]["raw"]  # a stub
    dovecot.append("help", pd)
    dovecot.append("help", mail(subject="Ataskaita", sender="Rasa <rasa@klientas.lt>", message_id="<ok2@klientas.lt>"))
    assert wait_until(lambda: dovecot.uids("help") == [], 20)
    assert len(dovecot.uids("help", "Processed")) == 1 and count(engine, parked) == 1  # only the clean one moved
    d.stop()


@pytest.mark.parametrize("how", ["idle-off", "server-without-idle"])
def test_polling_fallback_takes_mail_within_the_poll_interval(make_config, dovecot_factory, daemon_factory,
                                                              caplog, how):
    caplog.set_level(logging.INFO, logger="mailbot.ingress")
    server = dovecot_factory(USERS, capability_without=("IDLE",) if how == "server-without-idle" else ())
    config, _, _ = imap_config(make_config, server, poll_seconds=1, idle=how != "idle-off")
    engine, d = start(config, daemon_factory)
    assert wait_until(lambda: any("polling every 1 s" in r.getMessage() for r in caplog.records), 10)
    t = time.monotonic()
    server.append("help", mail(message_id=f"<poll-{how}@acme.lv>"))
    assert wait_until(lambda: count(engine, tickets) == 1, 10, 0.02)
    assert time.monotonic() - t < 1.5  # one poll interval (1 s), not two
    assert wait_until(lambda: server.uids("help") == [], 5)
    d.stop()


def test_idle_is_reissued_on_time_however_chatty_the_server(make_config, dovecot_factory, daemon_factory):
    """Dovecot says "* OK Still here" every second; each such push used to restart the wait for the whole
    window, so the IDLE never ended and neither the lease nor the status row was renewed."""
    server = dovecot_factory(USERS, idle_notify_seconds=1)
    config, _, _ = imap_config(make_config, server, idle_seconds=5, lease_seconds=15, timeout=5)
    engine, d = start(config, daemon_factory)
    assert wait_until(lambda: _state(engine, "help@support.test") == "ok", 20)
    first = _row(engine, "help@support.test").updated_at
    assert wait_until(lambda: _row(engine, "help@support.test").updated_at > first + timedelta(seconds=3), 12)
    with engine.connect() as conn:
        assert health.imap_problems(config, conn) == []
    server.append("help", mail(message_id="<chatty@acme.lv>"))  # and the re-issued IDLE still hears news
    assert wait_until(lambda: count(engine, tickets) == 1, 5)
    d.stop()


def test_a_brief_drop_after_a_long_outage_reconnects_at_once(make_config, dovecot, daemon_factory, monkeypatch,
                                                            caplog):
    """The backoff grows to 5 minutes during an outage, and starts again at 1 s once a session got in
    (login and SELECT), not only when a session ends without an error (it never does)."""
    real_nap = imap.nap
    monkeypatch.setattr(imap, "nap", lambda stop, seconds, *also: real_nap(stop, min(seconds, 0.02), *also))

    def reconnects():
        return [r.getMessage() for r in list(caplog.records) if "reconnecting in" in r.getMessage()]
    config, _, _ = imap_config(make_config, dovecot)
    dovecot.stop()
    engine, d = start(config, daemon_factory)
    assert wait_until(lambda: any(m.endswith("reconnecting in 300 s") for m in reconnects()), 20)
    dovecot.start()
    assert wait_until(lambda: _state(engine, "help@support.test") == "ok", 10)
    seen = len(reconnects())
    dovecot.stop()
    assert wait_until(lambda: len(reconnects()) > seen, 10)
    assert reconnects()[seen].endswith("reconnecting in 1 s")
    d.stop()


def test_health_reports_failing_unread_and_stale_mailboxes_not_fresh_ones(make_config):
    """A SIGKILLed or hung daemon leaves its row at "ok": the row's age tells it is dead."""
    config, _, _ = imap_config(make_config, SimpleNamespace(host="127.0.0.1", port=143),
                               users=("help", "suport", "iebildumi"))
    engine = db.make_engine(config.database)
    db.ensure_schema(engine)
    now = utcnow()
    bound = config.mailboxes[0].imap.stale_after
    row = dict(owner="host:1:abc", lease_until=now, detail="INBOX UIDVALIDITY 1", since=now - timedelta(hours=1))
    with engine.begin() as conn:
        conn.execute(imap_status.insert(), [
            {**row, "mailbox": "help@support.test", "state": "ok", "updated_at": now - timedelta(seconds=bound - 1)},
            {**row, "mailbox": "suport@support.test", "state": "ok", "updated_at": now - timedelta(seconds=bound + 1)},
        ])
    with engine.connect() as conn:
        problems = health.imap_problems(config, conn, now)
    assert len(problems) == 2
    assert problems[0].startswith("IMAP suport <suport@support.test>: no word from its reader since ")
    assert "is the daemon running?" in problems[0]
    assert problems[1] == "IMAP iebildumi <iebildumi@support.test>: not read yet"
    with engine.begin() as conn:
        conn.execute(imap_status.insert(), {**row, "detail": "ConnectionRefusedError: [Errno 111]",
                                            "mailbox": "iebildumi@support.test", "state": "failing", "updated_at": now})
    with engine.connect() as conn:
        problems = health.imap_problems(config, conn, now)
    since = f"{now - timedelta(hours=1):%Y-%m-%d %H:%M:%S}Z"
    assert problems[1] == (f"IMAP iebildumi <iebildumi@support.test>: failing since {since}: "
                           "ConnectionRefusedError: [Errno 111]")
    with engine.connect() as conn:  # a healthy reader reports well within the bound
        assert health.imap_problems(config, conn, now - timedelta(seconds=5)) == [problems[1]]
    # With the defaults (IDLE, 90 s lease, 30 s timeout) a dead daemon shows within a few minutes.
    assert 60 <= Imap(host="mail.vendor.lv", username="help").stale_after <= 300
    engine.dispose()


def test_search_reads_only_search_lines():
    """Untagged data the server mixes into the reply (EXISTS, flag updates, EXPUNGE) holds numbers too."""
    r = Response("OK", [b"4 EXISTS", b"1 FETCH (UID 9 FLAGS (\\Seen))", b"5 7", b"2 EXPUNGE", b"SEARCH 8",
                        b"", b"Search completed (0.001 + 0.000 secs)."])
    assert imap_client.search_uids(r) == [5, 7, 8]


def _row(engine, mailbox):
    with engine.connect() as conn:
        return conn.execute(select(imap_status).where(imap_status.c.mailbox == mailbox)).first()


@pytest.mark.slow
def test_drill_dovecot_restarted_and_the_reader_killed_mid_backlog(make_config, dovecot):
    """300 messages waiting; Dovecot restarted under the reader; then the reading daemon killed with SIGKILL and
    started again: it reads again within seconds (its predecessor's lease is its own on SQLite), nothing is lost or
    taken twice."""
    config, path, env = imap_config(make_config, dovecot, timeout=5)  # the default 90 s lease
    n = 300
    dovecot.append_many("help", [mail(subject=f"Backlog {i}", message_id=f"<backlog{i}@acme.lv>") for i in range(n)])
    engine = db.make_engine(config.database)
    db.ensure_schema(engine)
    proc = run_daemon(path, env)
    try:
        assert wait_until(lambda: count(engine, tickets) >= 40, 60), proc.log.read_text()
        dovecot.restart()
        assert wait_until(lambda: count(engine, tickets) >= 120, 60), proc.log.read_text()
        proc.send_signal(signal.SIGKILL)
        proc.wait(20)
        before = count(engine, tickets)
        killed_at = time.monotonic()
        proc = run_daemon(path, env)
        assert wait_until(lambda: count(engine, tickets) > before, 30), proc.log.read_text()
        resumed = time.monotonic() - killed_at
        assert wait_until(lambda: dovecot.uids("help") == [], 120), proc.log.read_text()
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)
    stored = count(engine, messages, messages.c.direction == "in")
    print(f"DRILL imap {{\"offered\": {n}, \"stored\": {stored}, \"tickets\": {count(engine, tickets)}, "
          f"\"processed\": {len(dovecot.uids('help', 'Processed'))}, \"resumed_after_kill_s\": {resumed:.2f}}}")
    assert count(engine, tickets) == stored == n and len(dovecot.uids("help", "Processed")) == n


@pytest.mark.slow
@pytest.mark.postgres
def test_drill_two_daemons_on_postgresql_the_reader_killed_and_taken_over(make_config, dovecot, pg_url):
    """Two daemons on one PostgreSQL configured with the same mailbox: one reads it, the other waits. The reader is
    killed with SIGKILL mid-backlog: the other takes the mailbox over within seconds (the dead one's advisory lock
    is gone with its session; its 90 s lease is not waited for), and every message is stored once."""
    config, path, env = imap_config(make_config, dovecot, timeout=5, over={"database": {"url": pg_url}})
    n = 300
    dovecot.append_many("help", [mail(subject=f"Backlog {i}", message_id=f"<takeover{i}@acme.lv>") for i in range(n)])
    engine = db.make_engine(config.database)
    db.ensure_schema(engine)
    procs = [run_daemon(path, env), run_daemon(path, env)]
    try:
        assert wait_until(lambda: count(engine, tickets) >= 60, 60), procs[0].log.read_text()
        holder = _row(engine, "help@support.test").owner
        reader = next(p for p in procs if f":{p.pid}:" in holder)
        waiting = next(p for p in procs if p is not reader)
        reader.send_signal(signal.SIGKILL)
        reader.wait(20)
        before = count(engine, tickets)
        killed_at = time.monotonic()
        assert wait_until(lambda: count(engine, tickets) > before, 30), waiting.log.read_text()
        taken_over = time.monotonic() - killed_at
        assert wait_until(lambda: dovecot.uids("help") == [], 120), waiting.log.read_text()
        assert f":{waiting.pid}:" in _row(engine, "help@support.test").owner
        stored, opened = count(engine, messages, messages.c.direction == "in"), count(engine, tickets)
    finally:
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
                p.wait(30)
        engine.dispose()
    print(f"DRILL imap-takeover {{\"offered\": {n}, \"stored\": {stored}, \"tickets\": {opened}, "
          f"\"processed\": {len(dovecot.uids('help', 'Processed'))}, \"taken_over_after_kill_s\": {taken_over:.2f}}}")
    assert opened == stored == n and len(dovecot.uids("help", "Processed")) == n
