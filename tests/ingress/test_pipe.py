"""`mailbot deliver` as the MTA runs it: a subprocess per message, judged by its exit code."""
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
