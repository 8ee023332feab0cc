"""thread: which ticket does a message belong to?

In order: the Message-IDs it answers (In-Reply-To/References), the ticket reference [#N] in the subject, and for a
reply-prefixed subject from a client's contact that client's open ticket with the same base subject (prefixes and
references removed, case folded: tests/tickets/test_subjects.py). A sender who is neither the ticket's contact, a
contact of its client, nor an agent cannot join a stranger's ticket: that mail opens a new one. A client's reply long
after the ticket was resolved opens a new ticket that follows the old one. (Delivery reports and auto-replies about
our mail: tests/pipeline/test_screen.py and test_loops.py.)
"""
from datetime import timedelta

from sqlalchemy import select, update

from mailbot.store.models import events, messages, outbox, tickets
from tests.helpers import agent_reply, count, mail, mail_with, open_ticket, rows, send, take, text_of


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


def test_resolved_sends_dialogue_and_late_reply_opens_following_ticket(desk):
    d = desk()
    note = open_ticket(d, body="Atskaite rāda nepareizu summu.")
    send(d.port, agent_reply(note, "[resolved] [10m] [free]", "Izlabots versijā 5.2.1."),
         mail_from="ilze@support.test")
    resolved = mail_with(d.sink, "janis@acme.lv", "Izlabots")
    assert resolved is not None
    text = text_of(resolved)
    assert "Atskaite rāda nepareizu summu." in text and "Izlabots versijā 5.2.1." in text  # the whole dialogue
    assert rows(d.engine, tickets)[0]["status"] == "resolved"
    # A reply within the period reopens it ...
    send(d.port, mail(subject="Re: [#1] Rēķins neatveras", body="Joprojām nav pareizi."))
    assert rows(d.engine, tickets)[0]["status"] == "open"
    # ... a reply long after resolution opens a new ticket that remembers the old one.
    send(d.port, agent_reply(note, "[resolved]", "Tagad tiešām izlabots."), mail_from="ilze@support.test")
    [t] = rows(d.engine, tickets)
    with d.engine.begin() as conn:
        conn.execute(update(tickets).values(resolved_at=t["resolved_at"] - timedelta(days=30)))
    send(d.port, mail(subject="Re: [#1] Rēķins neatveras", body="Pēc mēneša atkal."))
    assert count(d.engine, tickets) == 2
    assert rows(d.engine, tickets)[1]["follows"] == 1 and rows(d.engine, tickets)[0]["status"] == "resolved"
    receipt = mail_with(d.sink, "janis@acme.lv", "atbilde uz pieteikumu #1")  # Latvian client: "an answer to ticket #1"
    assert receipt is not None and receipt["Subject"].startswith("[#2]")
    assert "atbilde uz pieteikumu #1" in receipt.get_body(("html",)).get_content()
    told = mail_with(d.sink, "ilze@support.test", "Turpina #1")  # the dispatcher sees where it comes from
    assert told is not None and told["Subject"].startswith("[#2]")
    d.stop()


def test_references_alone_find_the_ticket(config, engine):
    """A mail program that writes no In-Reply-To, under another subject: the References header is enough."""
    first = take(config, engine, mail(subject="Atskaite nestrādā", message_id="<r1@acme.lv>"))
    out = take(config, engine, mail(subject="Cits temats",
                                    headers=[("References", "<zz@elsewhere.test> <r1@acme.lv>")]))
    assert (out.status, out.reason, out.ticket_id) == ("stored", "reply", first.ticket_id)


def test_the_base_subject_joins_only_a_reply_to_the_same_clients_ticket_not_closed(config, engine):
    first = take(config, engine, mail(subject="Atskaite nestrādā"))
    assert take(config, engine, mail(subject="Atskaite nestrādā")).ticket_id != first.ticket_id  # not a reply: new
    other_client = take(config, engine, mail(subject="Re: Atskaite nestrādā", sender="Иван <ivan@krizhik.ru>"),
                        mail_from="ivan@krizhik.ru")
    assert other_client.reason == "ticket"  # another client's request, however alike its subject
    newest = rows(engine, tickets, tickets.c.client_id == "acme")[-1]["id"]
    reply = take(config, engine, mail(subject="RE: atskaite NESTRĀDĀ", sender="anna@acme.lv"),
                 mail_from="anna@acme.lv")
    assert (reply.reason, reply.ticket_id) == ("reply", newest)  # a contact of the client: its newest such ticket
    with engine.begin() as conn:
        conn.execute(update(tickets).values(status="closed"))
    late = take(config, engine, mail(subject="Re: Atskaite nestrādā", sender="anna@acme.lv"),
                mail_from="anna@acme.lv")
    assert late.reason == "ticket" and count(engine, tickets) == 4  # a closed ticket is not found by its subject


def test_a_reference_to_no_ticket_opens_a_new_one(config, engine):
    out = take(config, engine, mail(subject="Re: [#99] Rēķins neatveras"))
    assert (out.status, out.reason, out.ticket_id) == ("stored", "ticket", 1)
    assert rows(engine, tickets)[0]["subject"] == "Re: [#99] Rēķins neatveras"
