"""The SMTP listener end to end: a real conversation on loopback, the database, and the receipt that a
real relay receives; its answers when the message is too big, the database is away or the handler fails (451, never
a bounce); LMTP's answer per recipient."""
import smtplib

from sqlalchemy import select

from mailbot.store.models import events, messages, outbox, tickets
from tests.helpers import count, engine_for, free_port, mail, rows, send, sent_mail


def test_new_mail_becomes_ticket_and_client_gets_receipt_in_their_language(desk):
    d = desk(staffed=False)
    engine, sink = d.engine, d.sink
    code, text = send(d.port, mail(subject="Rēķins neatveras", message_id="<m1@acme.lv>"))
    assert code == 250 and b"#1" in text
    t = rows(engine, tickets)
    assert len(t) == 1 and t[0]["client_id"] == "acme" and t[0]["subject"] == "Rēķins neatveras"
    got = sent_mail(sink, 1)
    assert len(got) >= 1, f"expected 1 mails at the relay, got {len(got)}"
    receipt = got[0]
    assert sink.received[0].rcpt_tos == ["janis@acme.lv"]
    assert receipt["Subject"].startswith("[#1] ") and "Rēķins neatveras" in receipt["Subject"]
    assert receipt["Auto-Submitted"] == "auto-replied"
    assert receipt["In-Reply-To"] == "<m1@acme.lv>"
    assert receipt.get_content_type() == "multipart/alternative"
    text_part = receipt.get_body(("plain",)).get_content()
    html_part = receipt.get_body(("html",)).get_content()
    assert "Labdien" in text_part and "4 stundu" in text_part  # Latvian, with the plan's reaction time
    assert "Labdien" in html_part and "<html" in html_part
    # The outbox row is marked sent, with the Message-ID fixed at commit time.
    [row] = rows(engine, outbox)
    assert row["status"] == "sent" and receipt["Message-ID"] == f"<{row['message_id']}>"
    d.stop()


def test_reply_threads_into_ticket_without_new_receipt(engine, config, daemon_factory):
    d = daemon_factory(config, engine)
    send(d.port, mail(subject="Atskaite nestrādā", message_id="<a1@acme.lv>"))
    [receipt] = rows(engine, outbox)
    # By In-Reply-To to our receipt:
    send(d.port, mail(subject="Re: [#1] Atskaite nestrādā", message_id="<a2@acme.lv>",
                      headers=[("In-Reply-To", f"<{receipt['message_id']}>")]))
    # By the reference in the subject alone, with a Latvian prefix:
    send(d.port, mail(subject="Atb.: [#1] Atskaite nestrādā", message_id="<a3@acme.lv>"))
    # By the base subject, from another contact of the same client:
    send(d.port, mail(subject="RE: atskaite NESTRĀDĀ", sender="anna@acme.lv", message_id="<a4@acme.lv>"))
    assert count(engine, tickets) == 1
    assert count(engine, messages, messages.c.direction == "in", messages.c.ticket_id == 1) == 4
    assert count(engine, outbox) == 1
    d.stop()


def test_cyrillic_reply_matches_by_casefolded_subject(engine, config, daemon_factory):
    d = daemon_factory(config, engine)
    send(d.port, mail(subject="Ошибка при проведении документа", sender="Иван <ivan@krizhik.ru>"))
    send(d.port, mail(subject="Отв: ОШИБКА ПРИ ПРОВЕДЕНИИ ДОКУМЕНТА", sender="Иван <ivan@krizhik.ru>"))
    send(d.port, mail(subject="Re[2]: ошибка при проведении документа", sender="petr@krizhik.ru"))
    assert count(engine, tickets) == 1
    assert count(engine, messages, messages.c.direction == "in", messages.c.disposition == "reply") == 2
    d.stop()


def test_stranger_cannot_join_someone_elses_ticket(engine, config, daemon_factory):
    d = daemon_factory(config, engine)
    send(d.port, mail(subject="Algas aprēķins", message_id="<s1@acme.lv>"))
    send(d.port, mail(subject="Re: [#1] Algas aprēķins", sender="mallory@evil.test", message_id="<s2@evil.test>",
                      headers=[("In-Reply-To", "<s1@acme.lv>")]))
    assert count(engine, tickets) == 2
    second = rows(engine, tickets, tickets.c.id == 2)[0]
    assert second["contact"] == "mallory@evil.test" and second["client_id"] is None
    with engine.connect() as conn:
        kinds = [e.kind for e in conn.execute(select(events).where(events.c.ticket_id == 2))]
    assert "join-refused" in kinds
    # The original ticket holds only its own message.
    assert count(engine, messages, messages.c.ticket_id == 1, messages.c.direction == "in") == 1
    d.stop()


def test_agent_may_join_any_ticket(engine, config, daemon_factory):
    d = daemon_factory(config, engine)
    send(d.port, mail(subject="Jautājums", message_id="<j1@acme.lv>"))
    send(d.port, mail(subject="Re: [#1] Jautājums", sender="Ilze <ilze@support.test>"))
    assert count(engine, tickets) == 1
    d.stop()


def test_unknown_recipient_550_and_oversize_552(engine, config, daemon_factory):
    d = daemon_factory(config, engine)
    code, _ = send(d.port, mail(), rcpt="nobody@support.test")
    assert code == 550
    big = mail(body="x" * (config.listen.max_message_size + 10))
    code, _ = send(d.port, big)
    assert code == 552
    assert count(engine, messages) == 0
    d.stop()


def test_redelivery_has_one_effect(engine, config, daemon_factory):
    d = daemon_factory(config, engine)
    raw = mail(message_id="<dup@acme.lv>")
    assert send(d.port, raw)[0] == 250
    assert send(d.port, b"Received: from relay2\r\n" + raw)[0] == 250  # another relay path, same Message-ID
    no_id = mail().replace(b"Message-ID:", b"X-Old-Id:")
    send(d.port, no_id)
    send(d.port, no_id)
    assert count(engine, tickets) == 2
    assert count(engine, outbox) == 2
    d.stop()


def test_one_message_for_two_mailboxes_is_one_request(engine, config, daemon_factory):
    """The MTA delivers a message to help@ and iebildumi@ once per address; it is one request: one ticket, one
    receipt, and each delivery answered 250."""
    d = daemon_factory(config, engine)
    code, _ = send(d.port, mail(subject="Nepiekrītu rēķinam"), rcpt=["help@support.test", "iebildumi@support.test"])
    assert code == 250
    assert [t["mailbox"] for t in rows(engine, tickets)] == ["help@support.test"]
    assert count(engine, outbox, outbox.c.kind == "receipt") == 1
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
