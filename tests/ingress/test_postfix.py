"""Behind a real Postfix, with the recipes of docs/mail-in.md ("Behind Postfix") read from the page itself: mail
relayed over LMTP and through the pipe command becomes tickets, a message to two of our addresses is one
request, two pipe addresses in one message do not defer it, and a bounce through the pipe gets no receipt."""
import re
import smtplib
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from mailbot.config import load
from mailbot.store.models import outbox, tickets
from tests.helpers import BASE, ROOT, count, engine_for, free_port, mail, merge, wait_until
from tests.postfix import Postfix

PIPE_USER = "nobody"  # Postfix never runs a pipe as root


def recipes() -> dict:
    """The lines docs/mail-in.md recommends: the master.cf pipe service and the main.cf settings."""
    text = (ROOT / "docs" / "mail-in.md").read_text(encoding="utf-8")
    block = text[text.index("**Behind Postfix**"):]
    block = block[block.index("```") + 3:]
    block = block[:block.index("```")]
    service = re.search(r"^mailbot\s+unix.*\n(?:[ \t]+\S.*\n)+", block, re.M).group(0)
    main = dict(re.findall(r"^(message_size_limit|lmtp_destination_concurrency_limit|mailbot_destination_recipient_limit)"
                           r"\s*=\s*(\S+)", block, re.M))
    return {"service": service, "main": main}


def test_the_recipes_are_in_the_documentation():
    r = recipes()
    assert "null_sender=" in r["service"] and "flags=Rq" in r["service"]
    assert r["main"]["mailbot_destination_recipient_limit"] == "1"
    assert int(r["main"]["message_size_limit"]) >= 41_943_040  # mailbot's own listen.max_message_size


@pytest.fixture
def behind_postfix(daemon_factory, sink):
    if subprocess.run([sys.executable, "-c", "import mailbot"], user=PIPE_USER, group="nogroup", extra_groups=[],
                      capture_output=True).returncode:
        pytest.fail(f"user {PIPE_USER} cannot run {sys.executable} with mailbot (the pipe runs as that user): "
                    "make the interpreter's folders reachable (.ci/run does)")
    smtp_port, lmtp_port, listener_port = free_port(), free_port(), free_port()
    r = recipes()
    postfix = None

    def start():
        nonlocal postfix
        # The configuration lives where the pipe's user can read it (beside Postfix's own folders).
        folder = Path(__import__("tempfile").mkdtemp(prefix="mailbot-pf-conf-"))
        folder.chmod(0o755)
        data = merge(BASE, {
            "database": {"url": f"sqlite:///{folder}/mailbot.db"},
            "listen": {"smtp": {"port": listener_port}, "lmtp": {"enabled": True, "port": lmtp_port}},
            "outbound": {"transport": "smtp", "smtp": {"host": "127.0.0.1", "port": sink.port}, "poll_seconds": 0.1},
            "mailboxes": BASE["mailboxes"] + [{"name": "suport", "address": "suport@support.test"},
                                              {"name": "desk", "address": "desk@support.test"}]})
        path = folder / "config.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        path.chmod(0o644)
        config = load(path)
        engine = engine_for(config)
        daemon = daemon_factory(config, engine)
        service = (r["service"].replace("/usr/local/bin/mailbot", f"{sys.executable} -m mailbot")
                   .replace("/etc/mailbot/config.yaml", str(path)).replace("user=mailbot", f"user={PIPE_USER}"))
        postfix = Postfix(smtp_port, main=dict(r["main"], relay_domains="support.test"), services=service,
                          transport=f"help@support.test lmtp:inet:127.0.0.1:{lmtp_port}\n"
                                    "suport@support.test mailbot:\ndesk@support.test mailbot:\n")
        return daemon, engine, postfix
    yield start
    if postfix is not None:
        postfix.stop()


def submit(port, rcpts, subject, mail_from="janis@acme.lv", message_id=None):
    raw = mail(subject=subject, to=", ".join(rcpts), message_id=message_id or f"<{subject.replace(' ', '.')}@acme.lv>")
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as s:
        s.sendmail(mail_from, rcpts, raw)


def test_lmtp_and_pipe_behind_postfix(behind_postfix, sink):
    daemon, engine, postfix = behind_postfix()
    submit(postfix.port, ["help@support.test"], "over LMTP")
    submit(postfix.port, ["suport@support.test"], "through the pipe")
    assert wait_until(lambda: count(engine, tickets) == 2, timeout=60, interval=0.2), \
        f"timed out waiting for two tickets; postfix log: {postfix.log_text()[-1500:]}"
    # one message to two of our addresses, by the two routes: one request, one receipt
    submit(postfix.port, ["help@support.test", "suport@support.test"], "to both")
    # two pipe addresses in one message: one pipe run each (recipient limit 1), nothing deferred
    submit(postfix.port, ["suport@support.test", "desk@support.test"], "two pipe addresses")
    assert wait_until(lambda: count(engine, tickets) == 4 and postfix.queue_is_empty(), timeout=60, interval=0.2), \
        f"timed out waiting for four tickets and an empty queue; postfix log: {postfix.log_text()[-1500:]}"
    assert "unrecognized arguments" not in postfix.log_text()
    assert wait_until(lambda: count(engine, outbox, outbox.c.kind == "receipt", outbox.c.status == "sent") == 4,
                      timeout=60, interval=0.2), "timed out waiting for four receipts sent"


def test_a_bounce_through_the_pipe_gets_no_receipt(behind_postfix, sink):
    daemon, engine, postfix = behind_postfix()
    submit(postfix.port, ["suport@support.test"], "Undelivered Mail Returned to Sender", mail_from="")
    delivered = wait_until(lambda: postfix.queue_is_empty() and "status=sent" in postfix.log_text(), timeout=60,
                           interval=0.2)
    assert delivered, f"timed out waiting for the pipe's delivery; postfix log: {postfix.log_text()[-1500:]}"
    # a second for a receipt that must not come
    wait_until(lambda: count(engine, outbox, outbox.c.kind == "receipt") > 0, timeout=1, interval=0.2)
    assert count(engine, outbox, outbox.c.kind == "receipt") == 0
