"""What an operator meets: `--version`, the start-up lines, a port in use, paths beside the configuration, help
on every command, wrong values named, output into `head`, and `health` that sees mail failing to leave and
recovers once `outbox retry` has sent it."""
import argparse
import socket
import subprocess
import sys

import yaml

from mailbot import __version__
from mailbot.cli.parser import build_parser
from mailbot.config import load
from mailbot.pipeline.context import Envelope
from mailbot.pipeline.runner import accept
from mailbot.store.models import outbox
from tests.helpers import BASE, ROOT, count, engine_for, free_port, mail, merge, rows, run_cli, sent_mail, wait_until


def test_version():
    r = run_cli("--version")
    assert r.returncode == 0 and r.stdout.decode().strip() == f"mailbot {__version__}"


def test_relative_paths_are_beside_the_configuration(tmp_path):
    """A service manager starting mailbot in another folder does not move its database or outbox."""
    conf_dir, elsewhere = tmp_path / "etc", tmp_path / "elsewhere"
    conf_dir.mkdir(), elsewhere.mkdir()
    data = merge(BASE, {"database": {"url": "sqlite:///var/mailbot.db"}, "outbound": {"maildir": "var/outbox"}})
    (conf_dir / "config.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    r = run_cli("db", "upgrade", config_path=conf_dir / "config.yaml", cwd=elsewhere)
    assert r.returncode == 0, r.stderr
    assert (conf_dir / "var" / "mailbot.db").is_file() and not (elsewhere / "var").exists()
    assert load(conf_dir / "config.yaml").outbound.maildir == str(conf_dir / "var" / "outbox")


def test_a_port_in_use_is_one_line_and_exit_69(make_config):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        _, path = make_config(listen={"smtp": {"port": port}})
        r = run_cli("run", config_path=path, timeout=60)
    err = r.stderr.decode()
    assert r.returncode == 69, err
    assert f"cannot listen for SMTP on 127.0.0.1:{port}" in err and "Traceback" not in err


def test_start_up_lines_say_what_it_is(make_config):
    _, path = make_config(listen={"smtp": {"port": free_port()}}, jobs={"enabled": True}, env=None)
    proc = subprocess.Popen([sys.executable, "-m", "mailbot", "--config", str(path), "run"], cwd=ROOT,
                            stderr=subprocess.PIPE, text=True)
    lines = []

    def ready_or_ended() -> bool:
        lines.append(proc.stderr.readline())
        return "mailbot ready" in lines[-1] or not lines[-1]
    try:
        wait_until(ready_or_ended, timeout=30, interval=0)  # each call waits for a line
    finally:
        proc.terminate()
        proc.wait(30)
        proc.stderr.close()
    log = "".join(lines)
    assert f"mailbot {__version__}" in log and "database sqlite:///" in log
    assert "mailbox help <help@support.test> (support): SMTP 127.0.0.1" in log
    assert "outbound: maildir " in log and "OCR: " in log
    assert "Added job" not in log  # the scheduler's routine lines are not the operator's news


def _leaves(parser):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _leaves(sub)
    yield parser


def test_every_command_and_option_has_help():
    missing = [f"{p.prog} {a.dest}" for p in _leaves(build_parser()) for a in p._actions
               if a.help is None and not isinstance(a, argparse._SubParsersAction)]
    assert missing == []


def test_a_wrong_status_names_the_valid_ones(make_config):
    _, path = make_config()
    r = run_cli("tickets", "list", "--status", "bogus", config_path=path)
    err = r.stderr.decode()
    assert r.returncode == 2 and "invalid choice: 'bogus'" in err
    assert all(s in err for s in ("new", "open", "waiting", "resolved", "closed"))


def test_output_into_head_ends_quietly(make_config):
    config, path = make_config()
    engine = engine_for(config)
    for i in range(300):
        accept(mail(subject=f"Pieprasījums {i}", message_id=f"<h{i}@acme.lv>"),
               Envelope("help@support.test", "smtp", "janis@acme.lv"), config, engine)
    r = subprocess.run(f"{sys.executable} -m mailbot --config {path} tickets list --limit 300 | head -n 1",
                       shell=True, cwd=ROOT, capture_output=True, timeout=60)
    assert r.stdout.count(b"\n") == 1 and b"Traceback" not in r.stderr and b"BrokenPipe" not in r.stderr


def test_tickets_show_names_who_outgoing_mail_went_to(make_config):
    config, path = make_config()
    engine = engine_for(config)
    accept(mail(), Envelope("help@support.test", "smtp", "janis@acme.lv"), config, engine)
    out = run_cli("tickets", "show", "1", config_path=path).stdout.decode()
    assert "-> " in out and "receipt to janis@acme.lv" in out


def test_health_sees_mail_failing_to_leave_and_recovers_after_retry(desk, sink):
    """The relay refuses for good: the receipt is given up on and `health` fails, naming the outbox; once the
    relay takes mail again, `outbox retry` queues it as it was and `health` is well again."""
    sink.answer = "550 5.7.1 relay refuses"
    daemon = desk(staffed=False, outbound={"max_attempts": 1}, listen={"smtp": {"port": free_port()}})
    config, path, engine = daemon.config, daemon.path, daemon.engine
    accept(mail(), Envelope("help@support.test", "smtp", "janis@acme.lv"), config, engine)
    wait_until(lambda: count(engine, outbox, outbox.c.status == "failed") != 0, timeout=20, interval=0.1)
    [failed] = rows(engine, outbox, outbox.c.status == "failed")
    r = run_cli("health", config_path=path)
    assert r.returncode == 1 and b"given up" in r.stderr and b"outbox retry" in r.stderr, r.stderr
    listed = run_cli("outbox", "list", "--status", "failed", config_path=path).stdout.decode()
    assert "failed" in listed and "relay refuses" in listed
    shown = run_cli("outbox", "show", str(failed["id"]), config_path=path).stdout.decode()
    assert "status: failed" in shown and f"message_id: {failed['message_id']}" in shown
    assert run_cli("outbox", "show", "999", config_path=path).returncode == 1
    sink.answer = None
    r = run_cli("outbox", "retry", config_path=path)
    assert r.returncode == 0 and str(failed["id"]).encode() in r.stdout
    sent_mail(sink, 1)
    wait_until(lambda: count(engine, outbox, outbox.c.status == "sent") != 0, timeout=20, interval=0.1)
    assert [e.original_content.count(failed["message_id"].encode()) for e in sink.received] == [1]  # same mail
    r = run_cli("health", config_path=path)
    assert r.returncode == 0 and b"healthy" in r.stdout, r.stderr
    daemon.stop()


def test_health_fails_when_the_database_is_gone(make_config):
    _, path = make_config(database={"url": f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/gone"})
    out = run_cli("health", config_path=path)
    assert out.returncode == 1 and b"unhealthy: database postgresql" in out.stderr and b"healthy\n" not in out.stdout
