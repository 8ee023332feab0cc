"""act: what a message does to its ticket, and which automatic mail it causes.

A new ticket from anyone we may answer gets a receipt in the client's language (seed 000: every request is
confirmed); a reply that joins a ticket gets none. A client's answer puts a ticket that waits for them or is solved
back to work. The per-sender daily limit stops two autoresponders from mailing each other forever.
"""
import pytest
from sqlalchemy import update

from mailbot.store.models import events, outbox, tickets, utcnow
from tests.helpers import count, engine_for, mail, rows, send, sent_mail, take


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


@pytest.mark.parametrize("status, after", [
    ("waiting", "open"), ("resolved", "open"), ("closed", "open"),  # back to work
    ("new", "new"), ("open", "open"),  # already in the queue: nothing changes
])
def test_a_clients_answer_reopens_a_ticket_that_waits_or_is_solved(config, engine, status, after):
    first = take(config, engine, mail(subject="Atskaite nestrādā"))
    with engine.begin() as conn:  # as an agent's [waiting], [resolved] or [closed] left it, just now
        conn.execute(update(tickets).values(status=status, resolved_at=utcnow()))
    reply = take(config, engine, mail(subject="Re: [#1] Atskaite nestrādā", body="Joprojām nestrādā."))
    assert (reply.status, reply.reason, reply.ticket_id) == ("stored", "reply", first.ticket_id)
    assert rows(engine, tickets)[0]["status"] == after
    reopened = [e["detail"] for e in rows(engine, events) if e["kind"] == "status"]
    assert reopened == ([f"{status} -> open: the client answered"] if status != after else [])
    assert count(engine, outbox) == 1  # the first one's receipt; a reply gets none


def test_no_receipt_to_an_address_of_our_own(config, engine):
    """A Reply-To that names one of our mailboxes would make us write to ourselves."""
    out = take(config, engine, mail(headers=[("Reply-To", "Vendor Support <help@support.test>")]))
    assert out.status == "stored" and count(engine, outbox) == 0
    assert [(e["kind"], e["detail"]) for e in rows(engine, events) if e["kind"] == "receipt-suppressed"] == [
        ("receipt-suppressed", "no address to answer")]


def test_the_daily_limit_counts_each_address_on_its_own(make_config):
    config, _ = make_config(outbound={"auto_reply_limit_per_day": 1})
    engine = engine_for(config)
    for subject in ("Jautājums", "Vēl viens jautājums"):
        take(config, engine, mail(subject=subject))
    take(config, engine, mail(subject="Mans jautājums", sender="Anna <anna@acme.lv>"), mail_from="anna@acme.lv")
    assert count(engine, tickets) == 3
    assert [r["rcpt"] for r in rows(engine, outbox)] == ["janis@acme.lv", "anna@acme.lv"]
    assert count(engine, events, events.c.kind == "receipt-suppressed") == 1
