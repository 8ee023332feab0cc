"""persist: what the stages decided is written in the one open transaction, committed together or not at all.

Ticket, message, raw copy (unless the guard said no: tests/privacy/test_guard.py), attachments, the Message-IDs for
threading, audit events and the outbox rows for every mail the message causes; a delivery report about our mail
marks it bounced; time an agent logged before the ticket's category was known follows the category once decided.
"""
import hashlib

from mailbot.pipeline import runner
from mailbot.store.models import (attachments, events, messages, outbox, outbox_raw, parked, raw_messages,
                                  thread_ids, tickets, time_entries)
from tests.helpers import agent_reply, count, mail, open_ticket, rows, send, take

PDF = b"%PDF-1.4 r\xc4\x93\xc4\xb7ins"


def test_time_without_a_category_follows_the_ticket_once_it_is_decided(desk):
    d = desk()
    note = open_ticket(d)
    send(d.port, agent_reply(note, "[20m] [note]", "Meklēju cēloni."), mail_from="ilze@support.test")
    send(d.port, agent_reply(note, "[10m] [free] [note]", "Konsultācija par portālu."), mail_from="ilze@support.test")
    assert [e["category"] for e in rows(d.engine, time_entries)] == ["free", "free"]  # nothing decided yet
    # Seed 000: the category may be known only when the request is solved; the untagged time goes with it.
    send(d.port, agent_reply(note, "[30m] [paid] [resolved]", "Kļūda bija Jūsu iestatījumos."),
         mail_from="ilze@support.test")
    assert [(e["minutes"], e["category"]) for e in rows(d.engine, time_entries)] == [
        (20, "paid"), (10, "free"), (30, "paid")]  # the entry the agent filed as free stays free
    assert any(e["kind"] == "time-refiled" and "1 earlier time entry" in e["detail"] for e in rows(d.engine, events))
    send(d.port, agent_reply(note, "[reopen] [5m] [note]", "Klients zvanīja."), mail_from="ilze@support.test")
    assert rows(d.engine, time_entries)[-1]["category"] == "paid"  # the ticket's category, until it changes
    d.stop()


def test_time_in_a_month_already_stated_stays_as_the_client_was_told(desk):
    from datetime import datetime, timezone
    from mailbot.store.models import statements
    d = desk()
    note = open_ticket(d)
    send(d.port, agent_reply(note, "[20m 2026-10-30] [note]", "Oktobrī sāku."), mail_from="ilze@support.test")
    send(d.port, agent_reply(note, "[15m] [note]", "Turpinu."), mail_from="ilze@support.test")
    client = rows(d.engine, tickets)[0]["client_id"]
    with d.engine.begin() as conn:  # October's statement went out with the 20 minutes as free
        conn.execute(statements.insert().values(client_id=client, period="2026-10", version=1, reason="scheduled",
                                                document="{}", total="0.00", currency="EUR",
                                                created_at=datetime.now(timezone.utc)))
    send(d.port, agent_reply(note, "[paid] [note]", "Izrādījās maksas darbs."), mail_from="ilze@support.test")
    assert [(e["work_date"].isoformat()[:7], e["category"]) for e in rows(d.engine, time_entries)] == [
        ("2026-10", "free"), (rows(d.engine, time_entries)[1]["work_date"].isoformat()[:7], "paid")]
    [refiled] = [e["detail"] for e in rows(d.engine, events) if e["kind"] == "time-refiled"]
    assert refiled.startswith("1 earlier time entry") and "1 kept as filed" in refiled
    d.stop()


def test_a_message_and_all_it_causes_are_committed_together_or_not_at_all(config, engine, monkeypatch):
    def after_persist(ctx):
        raise RuntimeError("a fault after persist wrote everything")
    monkeypatch.setattr(runner, "_STAGES", (*runner._STAGES, after_persist))
    raw = mail(message_id="<all@acme.lv>", attachments=[("rēķins.pdf", PDF, "application/pdf")])
    assert take(config, engine, raw).status == "parked"
    written = (tickets, messages, raw_messages, attachments, thread_ids, events, outbox, outbox_raw)
    assert {t.name: count(engine, t) for t in written} == dict.fromkeys((t.name for t in written), 0)
    assert [bytes(p["raw"]) for p in rows(engine, parked)] == [raw]  # kept whole, for the replay
    monkeypatch.undo()
    [row] = rows(engine, parked)
    assert take(config, engine, row["raw"], retry_of=row["id"]).status == "stored"
    assert {t.name: count(engine, t) for t in written} == {
        "tickets": 1, "messages": 2, "raw_messages": 1, "attachments": 1, "thread_ids": 2, "events": 1,
        "outbox": 1, "outbox_raw": 1}  # the client's message and its receipt, each once


def test_the_raw_message_its_files_and_its_message_id_are_kept(config, engine):
    raw = mail(message_id="<kept@acme.lv>", attachments=[("rēķins.pdf", PDF, "application/pdf")])
    out = take(config, engine, raw)
    [stored] = rows(engine, raw_messages, raw_messages.c.message_id == out.message_row,
                    order=raw_messages.c.message_id)
    assert bytes(stored["raw"]) == raw  # byte for byte
    [a] = rows(engine, attachments)
    assert (a["message_id"], a["filename"], a["content_type"], a["size"], a["sha256"], bytes(a["data"])) == (
        out.message_row, "rēķins.pdf", "application/pdf", len(PDF), hashlib.sha256(PDF).hexdigest(), PDF)
    [receipt] = rows(engine, outbox)
    threads = {r["message_id"]: r["ticket_id"] for r in rows(engine, thread_ids, order=thread_ids.c.message_id)}
    assert threads == {"kept@acme.lv": out.ticket_id, receipt["message_id"]: out.ticket_id}  # what replies answer
    assert [(e["kind"], e["detail"]) for e in rows(engine, events)] == [("created", "from smtp")]
    assert bytes(receipt["raw"]).startswith(b"From: ") and receipt["status"] == "pending"


def test_a_delivery_report_marks_our_mail_bounced_only_when_delivery_failed(config, engine):
    take(config, engine, mail())
    [receipt] = rows(engine, outbox)

    def report(action):
        return mail(verbatim=True, sender="Mail Delivery System <MAILER-DAEMON@mx.acme.lv>",
                    subject="Delivery Status Notification",
                    content_type='multipart/report; report-type=delivery-status; boundary="B"',
                    body="--B\nContent-Type: text/plain\n\nAbout your message.\n"
                         "--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.acme.lv\n\n"
                         f"Final-Recipient: rfc822; janis@acme.lv\nAction: {action}\nStatus: 4.4.1\n"
                         "--B\nContent-Type: text/rfc822-headers\n\n"
                         f"From: help@support.test\nTo: janis@acme.lv\nMessage-ID: <{receipt['message_id']}>\n--B--")
    for action, status in (("delayed", "pending"), ("failed", "bounced")):
        out = take(config, engine, report(action), mail_from="")
        assert (out.status, out.reason, out.ticket_id) == ("stored", "dsn", 1)
        assert rows(engine, outbox)[0]["status"] == status
        assert rows(engine, events)[-1]["detail"] == f"outbox #{receipt['id']}: {action}"
    assert count(engine, tickets) == 1 and count(engine, outbox) == 1
