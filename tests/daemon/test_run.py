"""Failure paths a client's MTA or an operator meets: an unexpected exception answers "try later" (451 / exit 75,
never a bounce), the configuration file is found where the README says, `mailbot run` brings an old database
up to date and says so, and SIGTERM lets a message in flight finish."""
import json
import select as selectmod
import signal
import smtplib
import socket
import sqlite3

import pytest
from alembic import command
from sqlalchemy.engine import make_url

from mailbot.pipeline.context import Envelope
from mailbot.pipeline.runner import accept
from mailbot.store import db
from mailbot.store.models import tickets
from tests.helpers import (count, engine_for, free_port, mail, run_cli, run_daemon, schema_diff, send,
                           wait_listening, wait_until)


# 1. The SMTP listener: a handler exception is a temporary failure ---------------------------------------------

def test_unexpected_exception_in_smtp_handler_answers_451_and_the_daemon_goes_on(engine, config, daemon_factory,
                                                                                  monkeypatch):
    """aiosmtpd's own answer to a handler exception is a permanent 500, which makes the client's MTA bounce a good
    request; ours is 451, and the same connection (as an MTA reuses it) and the next one are served as before."""
    from mailbot.ingress import smtp as listener
    d = daemon_factory(config, engine)
    real_handle = listener.Handler.handle_DATA
    faults = [RuntimeError("injected fault")]

    async def handle_failing_once(self, server, session, envelope):  # raises out of the handler, to aiosmtpd
        if faults:
            raise faults.pop()
        return await real_handle(self, server, session, envelope)
    monkeypatch.setattr(listener.Handler, "handle_DATA", handle_failing_once)

    raw = mail(subject="Rēķins neatveras", message_id="<fault1@acme.lv>")
    with smtplib.SMTP("127.0.0.1", d.port, timeout=30) as s:
        s.ehlo()
        assert s.mail("janis@acme.lv")[0] == 250 and s.rcpt("help@support.test")[0] == 250
        code, text = s.data(raw)
        assert code == 451, text  # temporary: the MTA keeps the mail and tries again
        assert text.startswith(b"4.")
        assert count(engine, tickets) == 0
        # The end of DATA ended that transaction (RFC 5321 4.1.1.4): the retry on the same connection is a new
        # transaction, not a "503 nested MAIL command" (a 5xx the MTA would bounce).
        assert s.mail("janis@acme.lv")[0] == 250 and s.rcpt("help@support.test")[0] == 250
        code, text = s.data(raw)
        assert code == 250 and b"#1" in text
    code, text = send(d.port, mail(subject="Vēl viens jautājums", message_id="<fault2@acme.lv>"))
    assert code == 250 and b"#2" in text
    assert count(engine, tickets) == 2
    d.stop()


# 2. `mailbot deliver`: an unexpected exception is EX_TEMPFAIL ------------------------------------------------

BODY = "Payroll: Anna Ozola, gross salary 2150 EUR, personal code 010180-12345."  # one 7-bit line
# Runs the real CLI with `deliver` replaced by one that fails as a bug would (how: $TEST_FAULT).
BROKEN_DELIVER = """
import os
import sys
import mailbot.cli
import mailbot.ingress.pipe as pipe

def deliver(config, engine, recipient, sender, raw):
    if os.environ["TEST_FAULT"] == "quoting":  # quotes its input, as "invalid literal for int(): '...'" does
        int(raw.decode("utf-8").strip().splitlines()[-1])
    raise RuntimeError("injected fault")

pipe.deliver = deliver
sys.exit(mailbot.cli.main(sys.argv[1:]))
"""


@pytest.mark.parametrize("fault", ["plain", "quoting"])
def test_deliver_exits_75_on_an_unexpected_exception(make_config, fault):
    """Postfix retries only 75 (and 71): Python's exit 1 for a crash would bounce the client's mail."""
    config, path = make_config(listen={"smtp": {"port": free_port()}})  # no daemon: the pipeline runs here
    raw = mail(subject="Algas", body=BODY, message_id="<pipefault@acme.lv>")
    r = run_cli("deliver", "--recipient", "help@support.test", "--sender", "janis@acme.lv", config_path=path,
                input=raw, bootstrap=BROKEN_DELIVER, env={"TEST_FAULT": fault})
    assert r.returncode == 75, r.stderr
    assert b"temporary failure" in r.stderr and (fault != "plain" or b"RuntimeError" in r.stderr), r.stderr
    for secret in ("Anna Ozola", "2150", "010180-12345", "Payroll"):
        assert secret.encode() not in r.stderr + r.stdout, r.stderr
    assert count(engine_for(config), tickets) == 0  # nothing stored: the MTA still has the mail


# 3. Where the configuration comes from ---------------------------------------------------------------------

BROKEN = "mailboxes: [{name: help, address: help@support.test}]\nlisten: {smtp: {prot: 25}}\n"


@pytest.fixture
def config_dirs(make_config, tmp_path, monkeypatch):
    """A working directory whose ./config.yaml has a mistake, and a valid configuration elsewhere."""
    monkeypatch.delenv("MAILBOT_CONFIG", raising=False)
    workdir = tmp_path / "work"
    workdir.mkdir()
    (workdir / "config.yaml").write_text(BROKEN, encoding="utf-8")
    _, valid = make_config()  # 2 mailboxes, 1 agent, 3 clients, 2 plans
    return workdir, valid


def test_mailbot_config_names_the_file_to_use(config_dirs):
    workdir, valid = config_dirs
    r = run_cli("config", "check", cwd=workdir, env={"MAILBOT_CONFIG": str(valid)})
    assert r.returncode == 0, r.stderr
    out = r.stdout.decode()
    assert out.startswith(f"{valid}: OK (2 mailboxes") and "3 clients" in out


def test_without_config_or_mailbot_config_the_working_directory_config_yaml_is_read(config_dirs):
    workdir, valid = config_dirs
    r = run_cli("config", "check", cwd=workdir)
    assert r.returncode == 78, r.stdout  # EX_CONFIG
    err = r.stderr.decode()
    assert "config.yaml: invalid configuration" in err and "listen.smtp.prot: unknown key" in err
    (workdir / "config.yaml").write_text(valid.read_text(encoding="utf-8"), encoding="utf-8")
    r = run_cli("config", "check", cwd=workdir)
    assert r.returncode == 0 and r.stdout.decode().startswith("config.yaml: OK (2 mailboxes"), r.stderr


def test_config_option_wins_over_mailbot_config(config_dirs):
    workdir, valid = config_dirs
    r = run_cli("config", "check", config_path=valid, cwd=workdir, env={"MAILBOT_CONFIG": str(workdir / "nope.yaml")})
    assert r.returncode == 0 and r.stdout.decode().startswith(f"{valid}: OK"), r.stderr


def test_a_missing_configuration_file_is_named(config_dirs):
    workdir, _ = config_dirs
    missing = workdir / "etc" / "mailbot.yaml"
    r = run_cli("config", "check", cwd=workdir, env={"MAILBOT_CONFIG": str(missing)})
    assert r.returncode == 78 and r.stdout == b""
    assert f"{missing}: no such configuration file" in r.stderr.decode()
    (workdir / "config.yaml").unlink()
    r = run_cli("config", "check", cwd=workdir)
    assert r.returncode == 78
    assert " config.yaml: no such configuration file" in r.stderr.decode()


# 4. `mailbot run` brings the schema up to date and says so --------------------------------------------------

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


# 6. SIGTERM: no new connections, messages in flight finish ---------------------------------------------------

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
