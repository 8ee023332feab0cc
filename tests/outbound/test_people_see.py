"""What clients and agents read, end to end over real SMTP: the work description, times in the client's zone,
[waiting] to every agreed contact, subjects with one reference, a stranger answered in their language, and the
statement's plan title and CSV in the client's language."""
import csv
import io
from datetime import date, datetime, timezone

from sqlalchemy import update

from mailbot.services.statements import issue
from mailbot.store.models import messages, outbox_raw, tickets, time_entries
from tests.helpers import agent_reply, mail, mail_with, open_ticket, rows, send, sent_mail, text_of


def test_the_journal_keeps_the_work_not_the_greeting_and_a_work_line_corrects_it(desk):
    d = desk()
    note = open_ticket(d)
    send(d.port, agent_reply(note, "[25m] [paid]", "Labdien, Jāni!\n\nNomainīju rēķina veidni. Lūdzu pārbaudiet.\n"
                                                   "\nAr cieņu,\nIlze"), mail_from="ilze@support.test")
    assert [e["description"] for e in rows(d.engine, time_entries)] == ["Nomainīju rēķina veidni."]
    send(d.port, agent_reply(note, "", "Darbs: rēķina veidnes maiņa un PVN pārbaude"), mail_from="ilze@support.test")
    assert [e["description"] for e in rows(d.engine, time_entries)] == ["rēķina veidnes maiņa un PVN pārbaude"]
    d.stop()


def test_the_resolved_mail_shows_riga_time_in_latvian(desk):
    d = desk()
    note = open_ticket(d, body="Atskaite rāda nepareizu summu.")
    with d.engine.begin() as conn:  # the client wrote at 08:19 UTC, 10:19 in Riga
        conn.execute(update(messages).where(messages.c.direction == "in").values(
            created_at=datetime(2026, 12, 7, 8, 19, tzinfo=timezone.utc)))
    send(d.port, agent_reply(note, "[resolved] [10m] [free]", "Izlabots."), mail_from="ilze@support.test")
    resolved = mail_with(d.sink, "janis@acme.lv", "Izlabots")
    text = text_of(resolved)
    assert "2026. gada 7. dec. 10:19 EET" in text and "08:19" not in text
    d.stop()


def test_waiting_reaches_every_registered_contact(desk):
    clients = [{"id": "acme", "name": "SIA Acme", "language": "lv", "domains": ["acme.lv"], "plan": "basic",
                "contacts": ["janis@acme.lv", "gramatvede@acme.lv"]}]
    d = desk(clients=clients)
    note = open_ticket(d)
    send(d.port, agent_reply(note, "[waiting]", "Kurā datorā tas notiek?"), mail_from="ilze@support.test")
    assert mail_with(d.sink, "gramatvede@acme.lv", "Kurā datorā")  # never wrote on the ticket, agreed contact
    d.stop()


def test_subjects_carry_one_reference_and_a_reply_no_queue_position(desk):
    d = desk()
    note = open_ticket(d)
    assert note["Subject"].count("[#1]") == 1
    send(d.port, mail(subject="Re: [#1] Atb.: Rēķins neatveras", body="Vēl viens jautājums.",
                      message_id="<r2@acme.lv>"))
    told = [m for m in sent_mail(d.sink, 2, to="ilze@support.test") if "Vēl viens" in text_of(m)][0]
    assert told["Subject"].count("[#") == 1 and "Re:" not in told["Subject"] and "Atb.:" not in told["Subject"]
    assert "Rēķins neatveras" in told["Subject"] and "Vieta rindā" not in text_of(told)
    send(d.port, agent_reply(told, "[10m]", "Atbilde."), mail_from="ilze@support.test")
    confirmations = [m for m in sent_mail(d.sink, 3, to="ilze@support.test") if "Izpildīts" in m["Subject"]]
    assert confirmations and confirmations[0]["Subject"] == "[#1] Izpildīts: Rēķins neatveras"
    d.stop()


def test_a_stranger_is_answered_in_the_language_they_wrote(desk):
    d = desk()
    for sender, subject, body, word in (
            ("jonas@nezinomas.lt", "Neveikia programa", "Laba diena, neveikia sąskaitų spausdinimas, ką daryti?",
             "Užklausa gauta"),
            ("ivan@neizvestno.ru", "Не открывается счёт", "Здравствуйте, не открывается счёт в программе.",
             "Обращение получено"),
            ("ion@necunoscut.ro", "Factura nu se tipărește", "Bună ziua, nu pot tipări factura din program.",
             "Solicitare primită")):
        assert send(d.port, mail(subject=subject, body=body, sender=sender,
                                 message_id=f"<{sender}>"), mail_from=sender)[0] == 250
        receipt = sent_mail(d.sink, 1, to=sender)[0]
        assert word in receipt["Subject"], (sender, receipt["Subject"])
    assert [t["language"] for t in rows(d.engine, tickets)] == ["lt", "ru", "ro"]
    d.stop()


def test_an_unsure_language_falls_back_to_the_mailbox(desk):
    d = desk(mailboxes=[{"name": "help", "address": "help@support.test", "role": "support", "language": "lv"}])
    assert send(d.port, mail(subject="?", body="ok", sender="x@nezinams.example", message_id="<q@x>"),
                mail_from="x@nezinams.example")[0] == 250
    assert rows(d.engine, tickets)[0]["language"] == "lv"
    d.stop()


def test_the_statement_names_the_plan_and_its_csv_speaks_the_clients_language(desk):
    plans = [{"name": "moneo-fast-4h", "reaction_time": "4h", "title": {"lv": "Ātrais atbalsts (4 h)", "en": "Fast"},
              "categories": {"free": {}, "paid": {"rate": "60"}}}]
    clients = [{"id": "acme", "name": "SIA Acme", "language": "lv", "domains": ["acme.lv"], "plan": "moneo-fast-4h",
                "contacts": ["janis@acme.lv"]}]
    d = desk(plans=plans, clients=clients)
    note = open_ticket(d)
    send(d.port, agent_reply(note, "[15m] [free]", "Konsultācija par atskaiti."), mail_from="ilze@support.test")
    send(d.port, agent_reply(note, "[30m] [paid]", "Nomainīju veidni."), mail_from="ilze@support.test")
    work_date = rows(d.engine, time_entries)[0]["work_date"]
    with d.engine.begin() as conn:
        doc = issue(conn, d.config, d.config.client_by_id("acme"), work_date.strftime("%Y-%m"), "manual",
                    datetime.now(timezone.utc))
    assert doc["plan_title"] == "Ātrais atbalsts (4 h)"
    raw = rows(d.engine, outbox_raw, order=outbox_raw.c.outbox_id)[-1]["raw"]
    import email
    from email import policy
    m = email.message_from_bytes(raw, policy=policy.default)
    assert "Ātrais atbalsts (4 h)" in m.get_body(("plain",)).get_content() and "moneo-fast-4h" not in str(m)
    [attachment] = list(m.iter_attachments())
    table = list(csv.reader(io.StringIO(attachment.get_content().lstrip("\ufeff")), delimiter=";"))
    assert table[0][:4] == ["Pieteikums", "Atvērts", "Kontaktpersona", "Temats"]
    free = [r for r in table if "bezmaksas" in r]
    assert free and free[0][12] == free[0][14] == "nav jāmaksā"  # charged and amount: not "0,00"
    assert any("maksas" == r[7] for r in table)
    d.stop()
