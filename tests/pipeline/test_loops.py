"""No loops, no backscatter (invariant 4), through the real listener."""
import email
from email import policy

from mailbot.store.models import events, messages, outbox, tickets
from tests.helpers import count, engine_for, mail, rows, send


def test_odd_header_casing_never_gets_automatic_mail(engine, config, daemon_factory):
    d = daemon_factory(config, engine)
    variants = [("PRECEDENCE", "Bulk"), ("precedence", "JUNK"), ("auto-submitted", "Auto-Generated"),
                ("LIST-ID", "<users.lists.example.org>"), ("list-UNSUBSCRIBE", "<mailto:u@lists.example.org>")]
    for i, (name, value) in enumerate(variants):
        assert send(d.port, mail(subject=f"Notice {i}", headers=[(name, value)]))[0] == 250
    assert count(engine, tickets) == len(variants)  # they are requests, but nobody gets a robot's answer
    assert count(engine, outbox) == 0
    # An auto-reply that answers nothing of ours is classified, not a ticket.
    assert send(d.port, mail(subject="Re: hello", headers=[("x-AUTORESPOND", "yes")]))[0] == 250
    assert count(engine, tickets) == len(variants) and count(engine, outbox) == 0
    assert rows(engine, messages)[-1]["disposition"] == "auto-reply"
    d.stop()


def test_auto_reply_to_our_receipt_joins_ticket_quietly(engine, config, daemon_factory):
    d = daemon_factory(config, engine)
    send(d.port, mail(subject="Palīdzība", message_id="<p1@acme.lv>"))
    [receipt] = rows(engine, outbox)
    ooo = mail(subject="Automātiskā atbilde: [#1] Pieprasījums saņemts", headers=[
        ("auto-submitted", "Auto-Replied"), ("In-Reply-To", f"<{receipt['message_id']}>")])
    assert send(d.port, ooo)[0] == 250
    unrelated_ooo = mail(subject="Out of Office: hello", sender="someone@elsewhere.test",
                         headers=[("X-AUTOREPLY", "yes")])
    assert send(d.port, unrelated_ooo)[0] == 250
    assert count(engine, tickets) == 1
    assert count(engine, outbox) == 1
    assert [m["disposition"] for m in rows(engine, messages, messages.c.direction == "in")] == [
        "ticket", "auto-reply", "auto-reply"]
    d.stop()


def test_mail_from_our_own_address_is_a_loop(engine, config, daemon_factory):
    d = daemon_factory(config, engine)
    assert send(d.port, mail(sender="Vendor Support <help@support.test>"))[0] == 250
    assert count(engine, tickets) == 0 and count(engine, outbox) == 0
    [m] = rows(engine, messages)
    assert m["disposition"] == "loop"
    d.stop()


def test_null_return_path_gets_no_answer(engine, config, daemon_factory):
    d = daemon_factory(config, engine)
    assert send(d.port, mail(subject="Ziņojums"), mail_from="")[0] == 250
    assert count(engine, outbox) == 0
    d.stop()


def test_delivery_report_about_our_receipt_is_recorded_on_its_ticket(engine, config, daemon_factory):
    d = daemon_factory(config, engine)
    send(d.port, mail(subject="Kļūda", sender="typo@acme.lv", message_id="<k1@acme.lv>"))
    [receipt] = rows(engine, outbox)
    dsn = (
        "From: Mail Delivery System <MAILER-DAEMON@mx.acme.lv>\r\n"
        "To: help@support.test\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        "Auto-Submitted: auto-replied\r\nMessage-ID: <dsn1@mx.acme.lv>\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain\r\n\r\nI'm sorry to have to inform you...\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.acme.lv\r\n\r\n"
        "Final-Recipient: rfc822; typo@acme.lv\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        "--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"From: help@support.test\r\nTo: typo@acme.lv\r\nMessage-ID: <{receipt['message_id']}>\r\n"
        "--B--\r\n").encode()
    assert send(d.port, dsn, mail_from="")[0] == 250
    assert count(engine, tickets) == 1  # never a ticket of its own
    assert [m["disposition"] for m in rows(engine, messages, messages.c.direction == "in")] == ["ticket", "dsn"]
    assert rows(engine, outbox)[0]["status"] == "bounced"
    assert any(e["kind"] == "delivery-report" and "failed" in e["detail"] for e in rows(engine, events))
    # A report about something we never sent is classified, not a ticket.
    stray = dsn.replace(receipt["message_id"].encode(), b"unknown@else.where")
    stray = stray.replace(b"<dsn1@", b"<dsn2@")
    assert send(d.port, stray, mail_from="")[0] == 250
    assert count(engine, tickets) == 1
    assert rows(engine, messages)[-1]["disposition"] == "bounce"
    d.stop()


def test_per_sender_daily_limit_on_automatic_mail(make_config, daemon_factory):
    config, _ = make_config(outbound={"auto_reply_limit_per_day": 3})
    engine = engine_for(config)
    d = daemon_factory(config, engine)
    for i in range(5):
        send(d.port, mail(subject=f"Jautājums {i}"))
    assert count(engine, tickets) == 5
    assert count(engine, outbox) == 3
    assert count(engine, events, events.c.kind == "receipt-suppressed") == 2
    d.stop()


def test_crlf_in_subject_is_never_reflected_into_our_headers(engine, config, daemon_factory):
    d = daemon_factory(config, engine)
    raw = (b"From: janis@acme.lv\r\nTo: help@support.test\r\nMessage-ID: <inj@acme.lv>\r\n"
           b"Subject: =?utf-8?q?Hello=0D=0ABcc:_victim@else.where=0D=0AX-Evil:_1?=\r\n\r\nbody\r\n")
    assert send(d.port, raw)[0] == 250
    [row] = rows(engine, outbox)
    receipt = email.message_from_bytes(row["raw"], policy=policy.default)
    assert receipt["Bcc"] is None and receipt["X-Evil"] is None
    assert "\n" not in receipt["Subject"] and "\r" not in receipt["Subject"]
    assert row["recipients"] == "janis@acme.lv"
    d.stop()
