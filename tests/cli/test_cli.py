"""The inspection CLI: `tickets list|show` in text and in the documented JSON shape."""
import json

from mailbot.pipeline.context import Envelope
from mailbot.pipeline.runner import accept
from mailbot.store import db
from tests.helpers import engine_for, mail, run_cli

ATTACHED = (b"From: =?utf-8?q?J=C4=81nis?= <janis@acme.lv>\r\nTo: help@support.test\r\nSubject: Pielikums\r\n"
            b"Message-ID: <att@acme.lv>\r\nMIME-Version: 1.0\r\n"
            b'Content-Type: multipart/mixed; boundary="X"\r\n\r\n--X\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n'
            b"Skat. pielikumu.\r\n--X\r\nContent-Type: application/pdf; name=\"r\xc4\x93\xc4\xb7ins.pdf\"\r\n"
            b"Content-Disposition: attachment; filename*=utf-8''r%C4%93%C4%B7ins.pdf\r\n"
            b"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--X--\r\n")

SUMMARY_FIELDS = {"ref", "id", "status", "mailbox", "client", "contact", "contact_name", "subject", "language",
                  "created_at", "updated_at", "assignee", "category", "priority", "follows",
                  # service levels (docs/service-levels.md)
                  "response_due", "response_target", "response_met", "resolution_due", "resolution_target",
                  "resolution_met", "paused"}


def test_tickets_list_and_show_json(make_config):
    config, path = make_config()
    engine = engine_for(config)
    env = Envelope("help@support.test", "smtp", "janis@acme.lv")
    accept(ATTACHED, env, config, engine)
    accept(mail(subject="Re: [#1] Pielikums", body="Vēl viens jautājums", message_id="<r2@acme.lv>"), env, config,
           engine)
    listed = json.loads(run_cli("tickets", "list", "--json", config_path=path).stdout)
    assert [t["ref"] for t in listed] == ["#1"]
    t = listed[0]
    assert set(t) == SUMMARY_FIELDS  # the shape README.md documents
    assert t["status"] == "new" and t["client"] == {"id": "acme", "name": "SIA Acme"}
    assert t["contact"] == "janis@acme.lv" and t["subject"] == "Pielikums"
    shown = json.loads(run_cli("tickets", "show", "#1", "--json", config_path=path).stdout)
    assert set(shown) == SUMMARY_FIELDS | {"messages", "time_entries", "events"}
    directions = [(m["direction"], m["kind"]) for m in shown["messages"]]
    assert directions == [("in", "ticket"), ("out", "receipt"), ("in", "reply")]
    first = shown["messages"][0]
    assert first["text"].strip() == "Skat. pielikumu."
    assert first["attachments"] == [{"filename": "rēķins.pdf", "content_type": "application/pdf", "size": 9}]
    assert shown["messages"][2]["text"].strip() == "Vēl viens jautājums"
    assert shown["created_at"].endswith("+00:00")
    text = run_cli("tickets", "show", "1", config_path=path).stdout.decode()
    assert "rēķins.pdf" in text and "Vēl viens jautājums" in text
    r = run_cli("tickets", "show", "#99", config_path=path)
    assert r.returncode == 1 and b"no ticket #99" in r.stderr


def test_db_upgrade_command_creates_and_reports(make_config):
    config, path = make_config()
    r = run_cli("db", "upgrade", config_path=path)
    assert r.returncode == 0 and b"(was empty)" in r.stdout
    r = run_cli("db", "upgrade", config_path=path)
    assert b"no change" in r.stdout
    assert run_cli("db", "current", config_path=path).stdout.strip() == db.SCHEMA_HEAD.encode()


def test_config_option_is_taken_after_the_command_too(make_config):
    """`mailbot tickets list --config x.yaml` works as `mailbot --config x.yaml tickets list`; given in both
    places, the one after the command wins."""
    _, path = make_config()
    assert run_cli("db", "upgrade", "--config", str(path)).returncode == 0
    r = run_cli("tickets", "list", "--json", "--config", str(path))
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == []
    r = run_cli("--config", "/nonexistent/config.yaml", "db", "current", "--config", str(path))
    assert r.returncode == 0 and r.stdout.strip() == db.SCHEMA_HEAD.encode()


def test_a_wrong_pipe_command_line_makes_the_mail_wait_not_bounce(make_config):
    """An MTA bounces the mail on any exit but 75 and 71: a mistake in the pipe line of its configuration
    (a missing --recipient, an unknown option) exits 75, so the mail waits in its queue until it is fixed."""
    _, path = make_config()
    message = mail(subject="Rēķins", body="Labdien!")
    for args in (["deliver"], ["deliver", "--recipient", "help@support.test", "--bogus"],
                 ["deliver", "--recipient"]):
        r = run_cli(*args, config_path=path, input=message)
        assert r.returncode == 75, (args, r.returncode, r.stderr)
        assert b"usage: mailbot" in r.stderr
    r = run_cli("--conf", str(path), "deliver", input=message)  # argparse's abbreviation of --config
    assert r.returncode == 75, r.stderr
    # other commands keep argparse's usage error
    assert run_cli("tickets", "lisst", config_path=path).returncode == 2
