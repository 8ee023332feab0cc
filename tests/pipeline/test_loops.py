"""No loops, no backscatter (invariant 4), through the real listener. (The per-sender daily limit of automatic mail:
test_act.py.)"""
from mailbot.store.models import events, messages, outbox, tickets
from tests.helpers import count, mail, rows, send


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
