"""IMAP ingress against a real Dovecot: IDLE, backlogs, crashes, restarts, UIDVALIDITY changes, servers
without MOVE, TLS, and three mailboxes at once. Every message is taken exactly once."""
import os
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import select

from conftest import ROOT, count, mail, messages, outbox, rows, run_cli, tickets
from dovecot import Dovecot
from mailbot.store import db
from mailbot.store.models import imap_status

USERS = {"help": "pw-help", "suport": "pw-suport", "iebildumi": "pw-iebildumi"}
ADDRESSES = {"help": "help@support.test", "suport": "suport@support.test", "iebildumi": "iebildumi@support.test"}


def wait_for(predicate, timeout=20.0, every=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(every)
    return predicate()


@pytest.fixture
def dovecot(tmp_path):
    d = Dovecot(tmp_path / "dovecot", USERS)
    d.start()
    yield d
    d.stop()


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


def test_message_arriving_during_idle_becomes_a_ticket_and_is_moved(make_config, dovecot, daemon_factory):
    config, _, _ = imap_config(make_config, dovecot)
    engine, d = start(config, daemon_factory)
    assert wait_for(lambda: _state(engine, "help@support.test") == "ok")
    time.sleep(0.3)  # the reader is now idling
    dovecot.append("help", mail(subject="Rēķins neatveras", message_id="<idle1@acme.lv>"))
    assert wait_for(lambda: count(engine, tickets) == 1, 10)
    assert wait_for(lambda: dovecot.uids("help") == [] and len(dovecot.uids("help", "Processed")) == 1, 10)
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
    assert wait_for(lambda: count(engine, tickets) == 500, 120, 0.2)
    assert wait_for(lambda: dovecot.uids("help") == [], 20)
    assert len(dovecot.uids("help", "Processed")) == 500
    assert count(engine, messages, messages.c.direction == "in") == 500
    d.stop()


def test_killed_between_commit_and_move_takes_the_message_once(make_config, dovecot, tmp_path):
    config, path, env = imap_config(make_config, dovecot, lease_seconds=3)
    dovecot.append("help", mail(subject="Avārija", message_id="<crash@acme.lv>"))
    base = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    log = tmp_path / "daemon.log"
    with open(log, "ab") as out:
        proc = subprocess.Popen([sys.executable, "-m", "mailbot", "--config", str(path), "run"], cwd=ROOT,
                                env={**base, "MAILBOT_FAILPOINT": "after_commit"}, stdout=out, stderr=out)
    assert proc.wait(30) == -signal.SIGKILL, log.read_text()
    engine = db.make_engine(config.database)
    assert count(engine, tickets) == 1
    assert len(dovecot.uids("help")) == 1  # committed, but still on the server
    with open(log, "ab") as out:
        proc = subprocess.Popen([sys.executable, "-m", "mailbot", "--config", str(path), "run"], cwd=ROOT,
                                env=base, stdout=out, stderr=out)
    try:
        # The lease of the killed daemon must expire first; until then the new one waits its turn.
        assert wait_for(lambda: dovecot.uids("help") == [], 30, 0.2), log.read_text()
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(20) == 0
    assert len(dovecot.uids("help", "Processed")) == 1
    assert count(engine, tickets) == 1 and count(engine, outbox) == 1
    assert count(engine, messages, messages.c.direction == "in") == 1


def test_server_restart_and_login_failure_reconnect_and_report(make_config, dovecot, daemon_factory):
    config, path, env = imap_config(make_config, dovecot)
    engine, d = start(config, daemon_factory)
    assert wait_for(lambda: _state(engine, "help@support.test") == "ok")
    dovecot.stop()
    assert wait_for(lambda: _state(engine, "help@support.test") == "failing", 30)
    r = run_cli("health", config_path=path, env=env)
    assert r.returncode == 1 and b"IMAP help <help@support.test>: failing" in r.stderr
    dovecot.start()
    dovecot.append("help", mail(subject="Pēc restarta", message_id="<after@acme.lv>"))
    assert wait_for(lambda: count(engine, tickets) == 1, 30)
    assert wait_for(lambda: _state(engine, "help@support.test") == "ok", 10)
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
    assert wait_for(lambda: count(engine, tickets) == 3)
    assert wait_for(lambda: all("\\Seen" in dovecot.flags("help", u, "Support") for u in dovecot.uids("help", "Support")))
    d.stop()
    before = dovecot.uidvalidity("help", "Support")
    dovecot.reset_folder("help", "Support")
    assert dovecot.uidvalidity("help", "Support") != before
    dovecot.append_many("help", raws + [mail(subject="Jauns", message_id="<uv-new@acme.lv>")], folder="Support")
    d = daemon_factory(config, engine)
    assert wait_for(lambda: all("\\Seen" in dovecot.flags("help", u, "Support")
                                for u in dovecot.uids("help", "Support")), 20)
    assert count(engine, tickets) == 4  # the three old ones were recognised, one is new
    assert len(dovecot.uids("help", "Support")) == 4  # flag mode leaves them in place
    d.stop()


def test_server_without_move_uses_copy_and_expunge(make_config, tmp_path, daemon_factory):
    server = Dovecot(tmp_path / "nomove", USERS, capability_without=("MOVE",))
    server.start()
    try:
        config, _, _ = imap_config(make_config, server)
        engine, d = start(config, daemon_factory)
        server.append("help", mail(message_id="<nm@acme.lv>"))
        assert wait_for(lambda: server.uids("help") == [] and len(server.uids("help", "Processed")) == 1)
        assert count(engine, tickets) == 1
        d.stop()
    finally:
        server.stop()


def test_delete_mode_expunges(make_config, dovecot, daemon_factory):
    config, _, _ = imap_config(make_config, dovecot, after="delete")
    engine, d = start(config, daemon_factory)
    dovecot.append("help", mail(message_id="<del@acme.lv>"))
    assert wait_for(lambda: count(engine, tickets) == 1 and dovecot.uids("help") == [])
    assert "Processed" not in dovecot.folders("help")
    d.stop()


def test_three_mailboxes_at_once(make_config, dovecot, daemon_factory):
    config, _, _ = imap_config(make_config, dovecot, users=("help", "suport", "iebildumi"))
    engine, d = start(config, daemon_factory)
    for user in USERS:
        for i in range(3):
            dovecot.append(user, mail(subject=f"{user} {i}", message_id=f"<{user}{i}@acme.lv>"))
    assert wait_for(lambda: count(engine, tickets) == 9, 30)
    by_box = {}
    for t in rows(engine, tickets):
        by_box[t["mailbox"]] = by_box.get(t["mailbox"], 0) + 1
    assert by_box == {a: 3 for a in ADDRESSES.values()}
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
        assert wait_for(lambda: count(engine, tickets) == 1 and server.uids("help") == [], 20)
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
    assert wait_for(lambda: dovecot.uids("help") == [], 20)
    assert len(dovecot.uids("help", "Processed")) == 2  # the ordinary one and the parked one; not the expunged
    from mailbot.store.models import parked
    assert count(engine, parked) == 1 and count(engine, tickets) == 2
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
    assert wait_for(lambda: dovecot.uids("help") == [], 20)
    assert len(dovecot.uids("help", "Processed")) == 1  # the clean one; the other is gone from the server
    stubs = [json.loads(m["privacy"]) for m in rows(engine, messages, messages.c.direction == "in") if m["privacy"]]
    assert [s["action"] for s in stubs] == ["discard"] and count(engine, raw_messages) == 1
    d.stop()
