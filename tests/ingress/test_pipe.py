"""`mailbot deliver` as the MTA runs it: a subprocess per message, judged by its exit code (an unexpected exception
too: 75, try later, never a bounce)."""
import pytest

from mailbot.store.models import messages, tickets
from tests.helpers import count, engine_for, free_port, mail, run_cli


def test_direct_delivery_stores_and_is_idempotent(make_config):
    config, path = make_config()
    raw = mail(message_id="<pipe1@acme.lv>")
    r = run_cli("deliver", "--direct", "--recipient", "help@support.test", config_path=path, input=raw)
    assert r.returncode == 0, r.stderr
    r = run_cli("deliver", "--direct", "--recipient", "help@support.test", config_path=path, input=raw)
    assert r.returncode == 0 and b"duplicate" in r.stderr
    e = engine_for(config)
    assert count(e, tickets) == 1
    assert count(e, messages, messages.c.source == "pipe") == 1


def test_permanent_failures_exit_65(make_config):
    config, path = make_config()
    r = run_cli("deliver", "--direct", "--recipient", "nobody@support.test", config_path=path, input=mail())
    assert r.returncode == 65 and b"no mailbox" in r.stderr
    r = run_cli("deliver", "--direct", "--recipient", "help@support.test", config_path=path, input=b"")
    assert r.returncode == 65
    config2, path2 = make_config(unknown_senders={"policy": "reject"})
    r = run_cli("deliver", "--direct", "--recipient", "help@support.test", config_path=path2,
                input=mail(sender="stranger@nowhere.test"))
    assert r.returncode == 65


def test_transient_failures_exit_75(make_config):
    config, path = make_config(database={"url": f"postgresql://postgres@127.0.0.1:{free_port()}/x"})
    r = run_cli("deliver", "--direct", "--recipient", "help@support.test", config_path=path, input=mail())
    assert r.returncode == 75, r.stderr
    # A broken configuration is the operator's to fix: the MTA must keep the mail and retry.
    bad = path.with_name("bad.yaml")
    bad.write_text("mailboxes: [{name: help, address: help@support.test}]\nlisten: {smtp: {prot: 1}}\n")
    r = run_cli("deliver", "--direct", "--recipient", "help@support.test", config_path=bad, input=mail())
    assert r.returncode == 75 and b"listen.smtp.prot" in r.stderr


def test_handoff_to_running_daemon(make_config, daemon_factory):
    config, path = make_config()
    e = engine_for(config)
    d = daemon_factory(config, e)
    # Point the fast path at the daemon's real port.
    env = {"MAILBOT_LISTEN__SMTP__PORT": str(d.port)}
    r = run_cli("deliver", "--recipient", "help@support.test", "--sender", "janis@acme.lv", config_path=path,
                input=mail(message_id="<h1@acme.lv>"), env=env)
    assert r.returncode == 0 and b"accepted by the daemon" in r.stderr
    assert count(e, tickets) == 1 and count(e, messages, messages.c.source == "smtp") == 1
    r = run_cli("deliver", "--recipient", "nobody@support.test", config_path=path, input=mail(), env=env)
    assert r.returncode == 65
    d.stop()


def test_without_a_daemon_deliver_runs_the_pipeline_itself(make_config):
    config, path = make_config(listen={"smtp": {"port": free_port()}})  # nothing listens there
    r = run_cli("deliver", "--recipient", "help@support.test", config_path=path, input=mail())
    assert r.returncode == 0, r.stderr
    assert count(engine_for(config), messages, messages.c.source == "pipe") == 1


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
