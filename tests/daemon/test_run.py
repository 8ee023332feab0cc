"""`mailbot run` as the operator runs it, a real process: it brings an old database up to date and says so, and
SIGTERM lets a message in flight finish (no new connections, then exit 0). (The daemon's crash drills are in
test_crash.py; an unexpected exception answering "try later" is in tests/ingress.)"""
import json
import select as selectmod
import signal
import smtplib
import socket
import sqlite3

from alembic import command
from sqlalchemy.engine import make_url

from mailbot.pipeline.context import Envelope
from mailbot.pipeline.runner import accept
from mailbot.store import db
from tests.helpers import mail, run_cli, run_daemon, schema_diff, send, wait_listening, wait_until


# `mailbot run` brings the schema up to date and says so --------------------------------------------------

def _run_once(path, port):
    """Start the daemon, see it listen, stop it with SIGTERM; returns what it logged this time."""
    log = path.with_suffix(".log")
    before = log.stat().st_size if log.exists() else 0  # run_daemon appends
    proc = run_daemon(path)
    try:
        wait_listening(port, proc)
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(20) == 0
    return log.read_bytes()[before:].decode("utf-8")


def test_run_creates_the_schema_of_a_new_database_and_says_so(daemon_config):
    config, path, port, _ = daemon_config
    log = _run_once(path, port)
    assert f"database schema is new; upgrading to {db.SCHEMA_HEAD}" in log
    assert run_cli("db", "current", config_path=path).stdout.strip() == db.SCHEMA_HEAD.encode()
    assert "upgrading" not in _run_once(path, port)  # at head: nothing to do, nothing said


def test_run_upgrades_an_older_database_and_keeps_its_tickets(daemon_config):
    config, path, port, _ = daemon_config
    assert run_cli("db", "upgrade", config_path=path).returncode == 0
    engine = db.make_engine(config.database)
    accept(mail(subject="Vecā shēma", message_id="<old@acme.lv>"), Envelope("help@support.test", "smtp",
                                                                           "janis@acme.lv"), config, engine)
    command.downgrade(db.alembic_config(engine), "0005")  # as a daemon of two releases ago left it
    assert db.current_revision(engine) == "0005"
    engine.dispose()
    proc = run_daemon(path)
    wait_listening(port, proc)
    code, text = send(port, mail(subject="Jaunā shēma", message_id="<new@acme.lv>"))
    assert code == 250 and b"#2" in text
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(20) == 0
    assert f"database schema is at 0005; upgrading to {db.SCHEMA_HEAD}" in proc.log.read_text(encoding="utf-8")
    assert db.current_revision(engine) == db.SCHEMA_HEAD
    assert schema_diff(engine) == []  # the schema the code expects, not just the version number
    listed = json.loads(run_cli("tickets", "list", "--json", config_path=path).stdout)
    assert [(t["ref"], t["subject"]) for t in listed] == [("#2", "Jaunā shēma"), ("#1", "Vecā shēma")]
    engine.dispose()


# SIGTERM: no new connections, messages in flight finish ---------------------------------------------------

def _wait_for_log(proc, needle, timeout=10):
    def logged() -> bool:
        if needle in proc.log.read_text(encoding="utf-8"):
            return True
        assert proc.poll() is None, proc.log.read_text(encoding="utf-8")
        return False
    assert wait_until(logged, timeout), f"{needle!r} not logged:\n{proc.log.read_text(encoding='utf-8')}"


def _open_data(port, raw):
    """An SMTP session that has sent a message's DATA but not its final "." line."""
    s = smtplib.SMTP("127.0.0.1", port, timeout=30)
    s.ehlo()
    assert s.mail("janis@acme.lv")[0] == 250 and s.rcpt("help@support.test")[0] == 250
    s.putcmd("data")
    assert s.getreply()[0] == 354
    assert raw.endswith(b"\r\n") and b"\r\n." not in raw  # nothing to dot-stuff
    s.send(raw)
    return s


def _refused(port, timeout=5):
    """Is a new connection refused (within `timeout`: the listener closes just after "stopping" is logged)?"""
    def refused() -> bool:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=5).close()
        except ConnectionRefusedError:
            return True
        return False
    return wait_until(refused, timeout)


def _ticket_subjects(path):
    r = run_cli("tickets", "list", "--json", config_path=path)
    assert r.returncode == 0, r.stderr
    return [t["subject"] for t in json.loads(r.stdout)]


def test_sigterm_during_data_lets_the_message_finish(daemon_config):
    """SIGTERM arrives while a client is still sending a message: no new connection is taken, but that message
    is finished, committed and answered 250 before the daemon exits 0."""
    config, path, port, _ = daemon_config
    proc = run_daemon(path)
    wait_listening(port, proc)
    s = _open_data(port, mail(subject="Rēķins neatveras", message_id="<term-data@acme.lv>"))
    proc.send_signal(signal.SIGTERM)
    _wait_for_log(proc, "stopping: no new connections")
    assert _refused(port)
    assert proc.poll() is None  # still waiting for the message in flight
    s.send(b".\r\n")
    code, text = s.getreply()
    assert code == 250 and b"#1" in text, text
    s.close()
    assert proc.wait(20) == 0
    assert _ticket_subjects(path) == ["Rēķins neatveras"]


def test_sigterm_during_commit_lets_the_message_finish(daemon_config):
    """The message's commit is waiting for the database (another writer holds SQLite's lock, as the pipe command
    or a second daemon may) when SIGTERM arrives: it is committed and answered 250, then the daemon exits 0."""
    config, path, port, _ = daemon_config
    proc = run_daemon(path)
    wait_listening(port, proc)
    other_writer = sqlite3.connect(make_url(config.database.url).database, isolation_level=None, timeout=10)
    try:
        other_writer.execute("BEGIN IMMEDIATE")
        s = _open_data(port, mail(subject="Счёт не открывается", sender="Иван <ivan@krizhik.ru>",
                                  message_id="<term-commit@krizhik.ru>"))
        s.send(b".\r\n")
        assert selectmod.select([s.sock], [], [], 0.5)[0] == []  # no answer before the commit
        proc.send_signal(signal.SIGTERM)
        _wait_for_log(proc, "stopping: no new connections")
        assert _refused(port)
        assert proc.poll() is None
    finally:
        other_writer.rollback()
        other_writer.close()
    code, text = s.getreply()
    assert code == 250 and b"#1" in text, text
    s.close()
    assert proc.wait(20) == 0
    assert _ticket_subjects(path) == ["Счёт не открывается"]
