"""Agents work from their own mail client: full round trips over real SMTP on loopback — client mail,
notification, the agent's tagged reply, what the client receives, and what the database holds."""
import pytest

from mailbot.store.models import events, messages, outbox, tickets, time_entries
from tests.helpers import (agent_reply, count, mail, mail_with, open_ticket, rows, send, sent_mail, text_of,
                           wait_until)

CLIENT_KINDS = ("relay", "started", "resolved")


def test_round_trip_notification_reply_relay_and_journal(desk):
    d = desk()
    m = mail(subject="Rēķins neatveras", body="Labdien! Oktobra rēķins neatveras.", message_id="<c1@acme.lv>",
             attachments=[("ekrāns.pdf", b"%PDF-1.4 screenshot", "application/pdf")])
    assert send(d.port, m)[0] == 250

    [note] = sent_mail(d.sink, to="ilze@support.test")
    assert note["Subject"].startswith("[#1] ") and "Rēķins neatveras" in note["Subject"]
    assert note["Reply-To"].startswith("help+mb1.") and note["Reply-To"].endswith("@support.test")
    body = text_of(note)
    assert "Oktobra rēķins neatveras" in body and "SIA Acme" in body and "basic" in body
    assert "1" in body  # queue position
    assert [p.get_filename() for p in note.iter_attachments()] == ["ekrāns.pdf"]

    reply = agent_reply(note, "[25m] [paid] [take]", "Labdien! Lūdzu, atjauniniet programmu uz 5.2.")
    assert send(d.port, reply, mail_from="ilze@support.test")[0] == 250

    client_mail = sent_mail(d.sink, 3, to="janis@acme.lv")  # receipt, work started, the answer
    kinds = [c["Subject"] for c in client_mail]
    relay = [c for c in client_mail if "Lūdzu, atjauniniet" in text_of(c)]
    assert len(relay) == 1, kinds
    relay = relay[0]
    assert relay["Subject"] == "[#1] Rēķins neatveras"  # no tags, no duplicated reference
    assert relay["Auto-Submitted"] is None  # a person's words
    assert "wrote:" not in text_of(relay) and "> " not in text_of(relay)  # our notification stripped
    assert relay["In-Reply-To"] is not None
    assert any("[#1]" in s and s != relay["Subject"] for s in kinds)  # the "work has started" mail

    [entry] = rows(d.engine, time_entries)
    assert (entry["minutes"], entry["category"], entry["agent"], entry["contact"]) == (
        25, "paid", "ilze@support.test", "janis@acme.lv")
    assert entry["description"] == "Lūdzu, atjauniniet programmu uz 5.2."  # the work, not the greeting
    [t] = rows(d.engine, tickets)
    assert t["assignee"] == "ilze@support.test" and t["category"] == "paid" and t["started_at"] is not None
    confirmations = sent_mail(d.sink, 2, to="ilze@support.test")
    assert len(confirmations) == 2 and "25" in text_of(confirmations[1])
    audit = [(e["kind"], e["actor"]) for e in rows(d.engine, events) if e["actor"]]
    assert ("time", "ilze@support.test") in audit and ("assigned", "ilze@support.test") in audit
    d.stop()


def test_waiting_goes_to_all_contacts_and_client_answer_reopens(desk):
    d = desk()
    note = open_ticket(d)
    send(d.port, mail(subject="Re: [#1] Rēķins neatveras", sender="anna@acme.lv", body="Arī man."))
    send(d.port, agent_reply(note, "[waiting]", "Kurā datorā tas notiek?"), mail_from="ilze@support.test")
    for who in ("janis@acme.lv", "anna@acme.lv"):
        assert mail_with(d.sink, who, "Kurā datorā"), who
    assert rows(d.engine, tickets)[0]["status"] == "waiting"
    send(d.port, mail(subject="Re: [#1] Rēķins neatveras", body="Grāmatvedības datorā."))
    assert rows(d.engine, tickets)[0]["status"] == "open"
    d.stop()


@pytest.mark.parametrize("case", ["no-token", "bad-mac", "other-ticket", "other-agent"])
def test_forged_commands_are_refused_recorded_and_reported(desk, case):
    d = desk()
    note1 = open_ticket(d, subject="Pirmais")
    note2 = open_ticket(d, subject="Otrais")
    to = {"no-token": "help@support.test",
          "bad-mac": note1["Reply-To"][:-len("@support.test") - 1] + ("a" if note1["Reply-To"][-14] != "a" else "b")
          + "@support.test",
          "other-ticket": note2["Reply-To"], "other-agent": note1["Reply-To"]}[case]
    sender = "Andrius <andrius@support.test>" if case == "other-agent" else "Ilze <ilze@support.test>"
    forged = agent_reply(note1, "[closed]", "Slēdzam.", sender=sender, to=to,
                         headers=[("Reply-To", "attacker@evil.test")])
    assert send(d.port, forged, mail_from="attacker@evil.test")[0] == 250
    victim = "andrius@support.test" if case == "other-agent" else "ilze@support.test"
    [alert] = rows(d.engine, outbox, outbox.c.kind == "security-alert")
    assert alert["rcpt"] == victim  # the configured address, never the forged Reply-To
    assert wait_until(lambda: rows(d.engine, outbox, outbox.c.id == alert["id"])[0]["status"] == "sent")
    assert not sent_mail(d.sink, 1, to="attacker@evil.test", timeout=0.3)
    assert all(t["status"] == "new" for t in rows(d.engine, tickets))
    assert count(d.engine, outbox, outbox.c.kind.in_(CLIENT_KINDS)) == 0  # nothing for the client
    assert any(e["kind"] == "security" for e in rows(d.engine, events))
    d.stop()


def test_a_forged_authentication_results_header_is_not_believed_on_a_border_listener(desk):
    """Straight from the Internet (the default, listen.smtp.border: true) nobody of ours wrote that header: a stranger
    with an agent's From and `Authentication-Results: <our id>; dmarc=pass` commands nothing."""
    d = desk(commands={"auth": "token_or_authres", "trusted_authserv_ids": ["mx.support.test"]})
    note = open_ticket(d)
    forged = agent_reply(note, "[90m] [paid] [closed]", "Slēdzam.", to="help@support.test", headers=[
        ("Authentication-Results", "mx.support.test; dkim=pass header.d=support.test; dmarc=pass")])
    assert send(d.port, forged, mail_from="ilze@support.test")[0] == 250
    assert count(d.engine, time_entries) == 0 and all(t["status"] == "new" for t in rows(d.engine, tickets))
    assert any(e["kind"] == "security" for e in rows(d.engine, events))


def test_authentication_results_modes(desk):
    # behind our own MTA, which removes such headers and writes its own
    d = desk(commands={"auth": "token_or_authres", "trusted_authserv_ids": ["mx.support.test"]},
             listen={"smtp": {"border": False}})
    note = open_ticket(d)
    ok = agent_reply(note, "[15m]", "Pārbaudīju.", to="help@support.test", headers=[
        ("Authentication-Results", "mx.support.test; dkim=pass header.d=support.test; dmarc=pass")])
    assert send(d.port, ok, mail_from="ilze@support.test")[0] == 250
    assert count(d.engine, time_entries) == 1
    for header in ("mx.support.test; dkim=pass header.d=evil.test; dmarc=fail",
                   "evil.test; dmarc=pass header.from=support.test"):
        bad = agent_reply(note, "[15m]", "Vēlreiz.", to="help@support.test",
                          headers=[("Authentication-Results", header)])
        send(d.port, bad, mail_from="ilze@support.test")
    assert count(d.engine, time_entries) == 1
    assert count(d.engine, events, events.c.kind == "security") == 2
    d.stop()


# Ilze reads Latvian: the reasons come in her language (templates/lv/_notices.j2), the tags as she wrote them.
@pytest.mark.parametrize("tags, why", [
    ("[frobnicate]", "nezināma birka [frobnicate]"),
    ("[1h99x]", "[1h99x]"),
    ("[reopen]", "[reopen] nav iespējams"),
    ("[15m] [programming]", "[programming]"),
    ("[assign andrius] [take]", "nevar lietot kopā"),
    ("[note] [resolved] [10m]", "nevar lietot kopā"),
    ("[note] [waiting]", "nevar lietot kopā"),
])
def test_bad_commands_apply_nothing_and_say_why(desk, tags, why):
    d = desk()
    note = open_ticket(d)
    send(d.port, agent_reply(note, tags, "Teksts klientam."), mail_from="ilze@support.test")
    answers = sent_mail(d.sink, 2, to="ilze@support.test")
    assert len(answers) == 2 and why in text_of(answers[1]), text_of(answers[-1])
    assert count(d.engine, time_entries) == 0
    assert rows(d.engine, tickets)[0]["assignee"] is None
    assert count(d.engine, outbox, outbox.c.kind.in_(CLIENT_KINDS)) == 0
    d.stop()


def test_note_stays_internal_and_agent_roles_are_enforced(desk):
    d = desk()
    note = open_ticket(d)
    send(d.port, agent_reply(note, "[note] [5m]", "Klients zvanīja, gaida."), mail_from="ilze@support.test")
    assert count(d.engine, time_entries) == 1
    assert rows(d.engine, messages, messages.c.disposition == "note")
    # An agent (not a dispatcher) may not assign; a dispatcher may.
    note_a = agent_reply(note, "[assign vadim]", "", sender="Andrius <andrius@support.test>")
    send(d.port, note_a.replace(note["Reply-To"].encode(), b"help@support.test"), mail_from="andrius@support.test")
    assert rows(d.engine, tickets)[0]["assignee"] is None
    send(d.port, agent_reply(note, "[assign andrius]", ""), mail_from="ilze@support.test")
    assert rows(d.engine, tickets)[0]["assignee"] == "andrius@support.test"
    kinds = [r["kind"] for r in rows(d.engine, outbox) if r["rcpt"] == "janis@acme.lv"]
    assert kinds == ["receipt", "started"]  # the note never left; the assignment told the client work started
    d.stop()


def test_agent_opens_ticket_for_a_phone_call(desk):
    d = desk(clients=[{"id": "acme", "name": "SIA Acme", "language": "lv", "domains": ["acme.lv"],
                       "contacts": ["gramatvede@acme.lv"], "plan": "basic"}])
    call = dict(sender="Ilze <ilze@support.test>", subject="Zvans par algu aprēķinu [client acme] [20m] [paid]",
                body="Konsultēju par algu aprēķinu.",
                headers=[("Authentication-Results", "mx.support.test; dmarc=pass")])
    send(d.port, mail(**call, message_id=False), mail_from="ilze@support.test")
    # token mode: no signed address on a fresh mail, so it is refused ...
    assert count(d.engine, time_entries) == 0
    d.stop()
    d = desk(clients=[{"id": "acme", "name": "SIA Acme", "language": "lv", "domains": ["acme.lv"],
                       "contacts": ["gramatvede@acme.lv"], "plan": "basic"}],
             commands={"auth": "token_or_authres", "trusted_authserv_ids": ["mx.support.test"]},
             listen={"smtp": {"border": False}})  # behind our MTA, whose Authentication-Results count
    # a new mail, not a redelivery of the refused one
    send(d.port, mail(**call, message_id="<call-again@support.test>"), mail_from="ilze@support.test")
    [t] = [t for t in rows(d.engine, tickets) if t["client_id"] == "acme"]
    assert t["subject"] == "Zvans par algu aprēķinu" and t["contact"] == "gramatvede@acme.lv"
    [entry] = rows(d.engine, time_entries)
    assert (entry["minutes"], entry["category"]) == (20, "paid")
    assert (entry["agent"], entry["contact"]) == ("ilze@support.test", "gramatvede@acme.lv")  # the client's, not hers
    assert not sent_mail(d.sink, 1, to="gramatvede@acme.lv", timeout=0.5)  # no [notify]: nothing to the client
    # With [notify] the client hears what was agreed on the phone, from the support address, as a person's words.
    call.update(subject="Zvans par atskaitēm [client acme] [10m] [notify]", body="Kā runājām: atskaiti pārsūtīsim rīt.")
    send(d.port, mail(**call, message_id="<call-notify@support.test>"), mail_from="ilze@support.test")
    told = mail_with(d.sink, "gramatvede@acme.lv", "atskaiti pārsūtīsim")
    assert told is not None and told["From"].addresses[0].addr_spec == "help@support.test"
    assert told["Auto-Submitted"] is None and "Zvans par atskaitēm" in told["Subject"] and "[notify]" not in told[
        "Subject"]
    assert count(d.engine, time_entries) == 2
    d.stop()


def consultants_desk(desk):
    """A daemon where acme's requests go to its consultant Andrius; and his notification of one."""
    d = desk(clients=[{"id": "acme", "name": "SIA Acme", "language": "lv", "domains": ["acme.lv"], "plan": "basic",
                       "consultant": "andrius@support.test"}])
    send(d.port, mail())
    [note] = sent_mail(d.sink, to="andrius@support.test")
    return d, note


def test_consultant_gets_the_ticket(desk):
    d, note = consultants_desk(desk)
    assert rows(d.engine, tickets)[0]["assignee"] == "andrius@support.test"
    assert not sent_mail(d.sink, 1, to="ilze@support.test", timeout=0.3)
    assert note["Content-Language"] == "lt"
    # The consultant never needs [take]: their first answer is when work starts (seed 001), once.
    send(d.port, agent_reply(note, "[10m]", "Labdien, pārbaudu.", sender="Andrius <andrius@support.test>"),
         mail_from="andrius@support.test")
    assert mail_with(d.sink, "janis@acme.lv", "pārbaudu")
    [t] = rows(d.engine, tickets)
    assert t["started_at"] is not None
    send(d.port, agent_reply(note, "[5m]", "Vēl mirklis.", sender="Andrius <andrius@support.test>"),
         mail_from="andrius@support.test")
    assert mail_with(d.sink, "janis@acme.lv", "Vēl mirklis")
    kinds = [r["kind"] for r in rows(d.engine, outbox) if r["rcpt"] == "janis@acme.lv"]
    assert kinds == ["receipt", "started", "relay", "relay"]
    assert rows(d.engine, tickets)[0]["started_at"] == t["started_at"]
    d.stop()


def test_a_consultants_note_is_not_news_for_the_client(desk):
    d, note = consultants_desk(desk)
    send(d.port, agent_reply(note, "[note] [10m]", "Jāpārbauda licence.", sender="Andrius <andrius@support.test>"),
         mail_from="andrius@support.test")
    assert count(d.engine, time_entries) == 1
    assert [r["kind"] for r in rows(d.engine, outbox) if r["rcpt"] == "janis@acme.lv"] == ["receipt"]
    assert rows(d.engine, tickets)[0]["started_at"] is None  # the first word to the client will say it
    d.stop()


def test_a_ticket_solved_at_once_gets_the_solution_not_work_started(desk):
    d, note = consultants_desk(desk)
    send(d.port, agent_reply(note, "[resolved] [10m]", "Izlabots.", sender="Andrius <andrius@support.test>"),
         mail_from="andrius@support.test")
    assert mail_with(d.sink, "janis@acme.lv", "Izlabots")
    assert [r["kind"] for r in rows(d.engine, outbox) if r["rcpt"] == "janis@acme.lv"] == ["receipt", "resolved"]
    assert rows(d.engine, tickets)[0]["started_at"] is not None
    d.stop()


def test_cli_filters_and_time_journal(desk):
    import json
    from tests.helpers import run_cli
    d = desk()
    note = open_ticket(d)
    open_ticket(d, subject="Cits jautājums", sender="ivan@krizhik.ru")
    send(d.port, agent_reply(note, "[take] [45m 2026-11-20] [paid]", "Sāku darbu."), mail_from="ilze@support.test")
    assert count(d.engine, time_entries) == 1
    listed = lambda *a: [t["ref"] for t in json.loads(run_cli("tickets", "list", "--json", *a,
                                                              config_path=d.path).stdout)]
    assert listed("--agent", "ilze") == ["#1"]
    assert listed("--unassigned") == ["#2"]
    assert listed("--client", "krizhik") == ["#2"]
    assert listed("--status", "open", "--client", "acme") == ["#1"]  # an agent is on it
    assert listed("--status", "new") == ["#2"]
    shown = json.loads(run_cli("tickets", "show", "1", "--json", config_path=d.path).stdout)
    assert shown["time_entries"] == [{"work_date": "2026-11-20", "agent": "ilze@support.test",
                                      "contact": "janis@acme.lv", "minutes": 45, "category": "paid",
                                      "description": "Sāku darbu."}]
    assert {"kind": "time", "actor": "ilze@support.test"}.items() <= next(
        e for e in shown["events"] if e["kind"] == "time").items()
    text = run_cli("tickets", "show", "1", config_path=d.path).stdout.decode()
    assert "Time journal:" in text and "45 min paid" in text
    d.stop()


def test_agents_out_of_office_is_not_a_command_and_confirmations_can_be_errors_only(desk):
    d = desk(commands={"confirm": "errors"})
    note = open_ticket(d)
    ooo = agent_reply(note, "", "Esmu atvaļinājumā līdz 30. novembrim.", headers=[("Auto-Submitted", "auto-replied")])
    ooo = ooo.replace(b"Subject: Re: ", b"Subject: Automatic reply: ")
    send(d.port, ooo, mail_from="ilze@support.test")
    send(d.port, agent_reply(note, "[15m]", "Pārbaudīju, viss kārtībā."), mail_from="ilze@support.test")
    assert mail_with(d.sink, "janis@acme.lv", "viss kārtībā")
    assert not any("atvaļinājumā" in (m["body_text"] or "") for m in rows(d.engine, messages)
                   if m["direction"] == "out")
    assert count(d.engine, outbox, outbox.c.kind == "command-result") == 0  # errors only, and there were none
    send(d.port, agent_reply(note, "[bogus]", "x"), mail_from="ilze@support.test")
    assert count(d.engine, outbox, outbox.c.kind == "command-result") == 1
    d.stop()


def test_closing_with_a_last_word_relays_it_with_the_agents_files(desk):
    d = desk()
    note = open_ticket(d)
    send(d.port, agent_reply(note, "[closed] [5m]", "Slēdzam: jautājums atrisināts telefoniski.",
                             attachment=("instrukcija.pdf", b"%PDF-1.4 guide")), mail_from="ilze@support.test")
    last = mail_with(d.sink, "janis@acme.lv", "atrisināts telefoniski")
    assert last is not None and [p.get_filename() for p in last.iter_attachments()] == ["instrukcija.pdf"]
    assert rows(d.engine, tickets)[0]["status"] == "closed"
    d.stop()


def test_priority_from_impact_and_urgency_or_stated(desk):
    d = desk()
    note = open_ticket(d)
    send(d.port, agent_reply(note, "[impact high] [urgency high]", ""), mail_from="ilze@support.test")
    [t] = rows(d.engine, tickets)
    assert (t["impact"], t["urgency"], t["priority"]) == ("high", "high", "P1")
    send(d.port, agent_reply(note, "[urgency low]", ""), mail_from="ilze@support.test")
    assert rows(d.engine, tickets)[0]["priority"] == "P3"  # high impact, low urgency
    send(d.port, agent_reply(note, "[prio P4]", ""), mail_from="ilze@support.test")
    assert rows(d.engine, tickets)[0]["priority"] == "P4"
    assert [e["detail"] for e in rows(d.engine, events) if e["kind"] == "priority"] == ["P1", "P3", "P4"]
    assert count(d.engine, outbox, outbox.c.kind.in_(CLIENT_KINDS)) == 0  # no text: nothing for the client
    d.stop()


PASS = ("Authentication-Results", "mx.support.test; dkim=pass header.d=support.test; dmarc=pass")
FAIL = ("Authentication-Results", "mx.support.test; dkim=fail header.d=support.test; dmarc=fail")


@pytest.mark.parametrize("mode, applied", [
    # what reaches us: (signed reply address?, Authentication-Results)
    ("authres", {(True, PASS): True, (False, PASS): True, (True, FAIL): False, (True, None): False}),
    ("token_and_authres", {(True, PASS): True, (False, PASS): False, (True, FAIL): False, (True, None): False}),
    ("token", {(True, PASS): True, (False, PASS): False, (True, FAIL): True, (True, None): True}),
])
def test_each_authentication_mode_over_smtp(desk, mode, applied):
    d = desk(commands={"auth": mode, "trusted_authserv_ids": ["mx.support.test"]},
             listen={"smtp": {"border": False}})  # behind our MTA: its Authentication-Results count
    note = open_ticket(d)
    expected = 0
    for n, ((signed, header), ok) in enumerate(applied.items()):
        reply = agent_reply(note, "[5m]", f"Pārbaude {n}.", to=None if signed else "help@support.test",
                            headers=[header] if header else [])
        assert send(d.port, reply, mail_from="ilze@support.test")[0] == 250
        expected += ok
        assert count(d.engine, time_entries) == expected, (mode, signed, header)
    assert count(d.engine, events, events.c.kind == "security") == len(applied) - expected
    d.stop()


def test_on_a_border_mailbot_checks_the_agents_dkim_signature_itself(desk, monkeypatch):
    """`authres` on a border listener: no header from outside is believed, but an agent's mail that carries a valid
    DKIM signature of their domain proves itself (DNS stubbed here: the key of support.test)."""
    import base64
    import subprocess

    import dkim

    from mailbot.services import dkim_check
    key = subprocess.run(["openssl", "genrsa", "-traditional", "2048"], capture_output=True, check=True).stdout
    public = subprocess.run(["openssl", "rsa", "-pubout", "-outform", "DER"], input=key, capture_output=True,
                            check=True).stdout
    record = b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)
    zone = {b"mb._domainkey.support.test.": record, b"_dmarc.support.test.": b"v=DMARC1; p=reject"}
    monkeypatch.setattr(dkim_check, "DNS", lambda name, timeout=5: zone.get(name))
    d = desk(commands={"auth": "authres", "trusted_authserv_ids": ["mx.support.test"]})
    note = open_ticket(d)

    def signed(text, tamper=False):
        raw = agent_reply(note, "[15m]", text, to="help@support.test").replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        header = dkim.sign(raw, b"mb", b"support.test", key, include_headers=[b"from", b"to", b"subject"])
        return header + (raw.replace(text.encode(), b"Changed on the way.") if tamper else raw)
    assert send(d.port, signed("Tampered.", tamper=True), mail_from="ilze@support.test")[0] == 250
    assert count(d.engine, time_entries) == 0  # the signature does not verify: refused
    assert send(d.port, signed("Pārbaudīju."), mail_from="ilze@support.test")[0] == 250
    assert wait_until(lambda: count(d.engine, time_entries) == 1)
    assert dkim_check.result_header("mx.support.test", signed("Vēlreiz."), "support.test") == \
        "mx.support.test; dkim=pass header.d=support.test; dmarc=pass header.from=support.test"
    assert "dmarc" not in dkim_check.result_header("mx.support.test", signed("Vēlreiz."), "other.test")
