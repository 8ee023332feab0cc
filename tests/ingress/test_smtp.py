"""The SMTP and LMTP listeners end to end, a real conversation on loopback: their answers when the mailbox is not
ours (550), the message is too big (552), the database is away or the handler fails (451, never a bounce), and LMTP's
answer per recipient. What a message does once taken is tested with its stage (tests/pipeline)."""
import smtplib

from mailbot.store.models import messages, tickets
from tests.helpers import count, engine_for, free_port, mail, send


def test_unknown_recipient_550_and_oversize_552(engine, config, daemon_factory):
    d = daemon_factory(config, engine)
    code, _ = send(d.port, mail(), rcpt="nobody@support.test")
    assert code == 550
    big = mail(body="x" * (config.listen.max_message_size + 10))
    code, _ = send(d.port, big)
    assert code == 552
    assert count(engine, messages) == 0
    d.stop()


def test_database_unavailable_answers_451(make_config, daemon_factory, free_port_pg=None):
    from mailbot.store import db
    config, _ = make_config(database={"url": f"postgresql://postgres@127.0.0.1:{free_port()}/none"})
    engine = db.make_engine(config.database)  # nothing listens there: every commit fails
    d = daemon_factory(config, engine)
    code, text = send(d.port, mail())
    assert code == 451, text
    d.stop()


def test_lmtp_listener_answers_per_recipient(make_config, daemon_factory):
    import smtplib
    config, _ = make_config(listen={"smtp": {"enabled": False}, "lmtp": {"enabled": True, "port": 0}})
    engine = engine_for(config)
    d = daemon_factory(config, engine)
    client = smtplib.LMTP("127.0.0.1", d.port)
    refused = client.sendmail("janis@acme.lv", ["help@support.test", "iebildumi@support.test"], mail())
    client.quit()
    assert refused == {}
    assert count(engine, tickets) == 1  # one message, one request, whichever of our addresses it reached
    d.stop()


def _lmtp_session(port: int, rcpts: list[str], content: bytes) -> list[bytes]:
    """A raw LMTP conversation (smtplib.LMTP reads one answer to DATA, not one per recipient): the replies
    after the end of data, one line each."""
    import socket
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s, s.makefile("rb") as f:

        def reply() -> bytes:
            while True:
                line = f.readline()
                if line[3:4] != b"-":
                    return line.rstrip()
        reply()
        s.sendall(b"LHLO test\r\n")
        reply()
        s.sendall(b"MAIL FROM:<janis@acme.lv>\r\n" + b"".join(b"RCPT TO:<%s>\r\n" % r.encode() for r in rcpts)
                  + b"DATA\r\n")
        assert [reply() for _ in range(len(rcpts) + 2)][-1].startswith(b"354")  # MAIL, RCPTs, DATA
        s.sendall(content.replace(b"\r\n.", b"\r\n..") + b"\r\n.\r\n")
        answers = [reply() for _ in rcpts]
        s.sendall(b"NOOP\r\n")
        assert reply().startswith(b"250")  # still in step: nothing more was owed
        return answers


def test_lmtp_answers_each_recipient_when_the_message_is_too_big_or_fails(make_config, daemon_factory,
                                                                        monkeypatch):
    config, _ = make_config(listen={"smtp": {"enabled": False}, "lmtp": {"enabled": True, "port": 0},
                                    "max_message_size": 4096})
    engine = engine_for(config)
    d = daemon_factory(config, engine)
    rcpts = ["help@support.test", "iebildumi@support.test"]
    answers = _lmtp_session(d.port, rcpts, mail(body="x" * 5000))
    assert [a[:3] for a in answers] == [b"552", b"552"]

    async def broken(*args, **kwargs):
        raise RuntimeError("injected")
    monkeypatch.setattr(d.runtime, "accept", broken)
    answers = _lmtp_session(d.port, rcpts, mail())
    assert [a[:3] for a in answers] == [b"451", b"451"]
    monkeypatch.undo()
    answers = _lmtp_session(d.port, rcpts, mail())
    assert [a[:3] for a in answers] == [b"250", b"250"]
    assert count(engine, tickets) == 1  # one message, one request
    d.stop()


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
