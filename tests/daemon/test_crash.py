"""Crash drills: the daemon killed between commit and acknowledgement, and a graceful SIGTERM. The redelivered
message must have exactly one effect. (A sender that dies before marking its mail sent:
tests/outbound/test_sender.py.)"""
import mailbox
import signal
import smtplib

import pytest

from mailbot.store import db
from mailbot.store.models import messages, outbox, tickets
from tests.helpers import count, mail, run_daemon, send, wait_listening, wait_until


def test_killed_between_commit_and_250_redelivery_has_one_effect(daemon_config):
    config, path, port, maildir = daemon_config
    proc = run_daemon(path, {"MAILBOT_FAILPOINT": "after_commit"})
    wait_listening(port, proc)
    raw = mail(message_id="<crash1@acme.lv>")
    with pytest.raises((smtplib.SMTPServerDisconnected, ConnectionError)):
        send(port, raw)  # the client never hears 250: its MTA will try again
    assert proc.wait(10) == -signal.SIGKILL
    engine = db.make_engine(config.database)
    assert count(engine, tickets) == 1  # committed before the kill
    proc = run_daemon(path)
    wait_listening(port, proc)
    assert send(port, raw)[0] == 250  # the redelivery
    wait_until(lambda: count(engine, outbox, outbox.c.status == "sent") >= 1, interval=0.1)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(20) == 0
    assert count(engine, tickets) == 1
    assert count(engine, messages, messages.c.direction == "in") == 1
    assert count(engine, outbox) == 1
    assert len(mailbox.Maildir(str(maildir), create=False)) == 1  # one receipt, not two


def test_sigterm_finishes_and_flushes(daemon_config):
    config, path, port, maildir = daemon_config
    proc = run_daemon(path)
    wait_listening(port, proc)
    for i in range(5):
        assert send(port, mail(message_id=f"<term{i}@acme.lv>"))[0] == 250
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(20) == 0
    out = proc.log.read_text()
    assert "stopping" in out and "stopped" in out
    engine = db.make_engine(config.database)
    assert count(engine, tickets) == 5
    assert count(engine, outbox, outbox.c.status == "sent") == 5
    assert len(mailbox.Maildir(str(maildir), create=False)) == 5
    # Logs carry Message-IDs, never bodies.
    assert "rēķins neatveras" not in out.lower()
