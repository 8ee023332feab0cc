"""The personal-data guard end to end: real SMTP in, real SQLite, real relay out.

What a user would notice: a discarded message leaves no trace of its content anywhere (database file, logs,
outbox, parked queue); a redacted one keeps placeholders and redacted copies of its files; the client is
told in their language what was found (never the values); a head's [pd-allow] keeps data until its date,
after which the purge removes it.
"""
import io
import json
import logging
import random
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import update

from mailbot.store.models import attachments, events, messages, parked, raw_messages, tickets
from tests.helpers import agent_reply, count, mail, rows, run_cli, send, sent_mail, text_of
from tests.privacy_set import codes as gen

RNG = random.Random(20261122)
LT_CODE = gen.lt_asmens_kodas(RNG)
LV_CODE = gen.fmt("lv-personas-kods", gen.lv_personas_kods(RNG))


def payroll_xlsx() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Vardas", "Pavardė", "Asmens kodas", "Atlyginimas"])
    ws.append(["Ona", "Kazlauskienė", LT_CODE, 1450])
    ws.append(["Petras", "Petraitis", int(LT_CODE[:-1] + "0") if False else LT_CODE, 1720])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def text_pdf(text: str) -> bytes:
    """A one-page PDF with a text layer (ASCII), written out by hand with a correct cross-reference table."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
               b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Resources<</Font<</F1 4 0 R>>>>/Contents 5 0 R>>",
               b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
               b"<</Length %d>>stream\n%s\nendstream" % (len(stream), stream)]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def client_mail(subject="Darbo užmokesčio klaida", body=None, files=(), sender="Rasa <rasa@klientas.lt>"):
    text = (f"Laba diena,\nneteisingai paskaičiuotas atlyginimas darbuotojui, asmens kodas {LT_CODE}.\n"
            "\nPagarbiai,\nRasa\n")
    return mail(subject=subject, sender=sender, body=body or text,
                attachments=[(name, data, ctype) for name, ctype, data in files])


@pytest.fixture
def guarded(desk):
    """The desk, staffed, with stekas's privacy settings `privacy` (and the trusted server's DMARC pass counting)."""
    def start(**privacy):
        clients = [{"id": "stekas", "name": "UAB Stekas klientas", "language": "lt", "domains": ["klientas.lt"],
                    "plan": "basic", **({"privacy": privacy} if privacy else {})},
                   {"id": "acme", "name": "SIA Acme", "language": "lv", "domains": ["acme.lv"], "plan": "basic"}]
        return desk(clients=clients, commands={"auth": "token_or_authres", "trusted_authserv_ids": ["mx.support.test"]},
                    listen={"smtp": {"border": False}})  # behind our MTA: its Authentication-Results count
    return start


def database_bytes(config) -> bytes:
    path = Path(config.database.url.removeprefix("sqlite:///"))
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


def test_discard_keeps_only_a_stub_and_tells_the_client_and_the_dispatcher(guarded, caplog):
    d = guarded(action="discard")
    caplog.set_level(logging.DEBUG, logger="mailbot")
    raw = client_mail(files=[("algos.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                              payroll_xlsx())])
    assert send(d.port, raw, mail_from="rasa@klientas.lt")[0] == 250
    notice = sent_mail(d.sink, to="rasa@klientas.lt")[0]
    alert = sent_mail(d.sink, 2, to="ilze@support.test")
    assert notice["Auto-Submitted"] == "auto-replied"
    body = text_of(notice)
    assert "asmens kodas (Lietuva)" in body and "algos.xlsx" in body and "sunaikint" in body
    assert LT_CODE not in body and "Kazlauskienė" not in body
    [alert] = [m for m in alert if "personas dati" in m["Subject"].lower() or "personas dat" in text_of(m)]
    assert "Rasa" not in alert["Subject"] and LT_CODE not in text_of(alert)
    [msg] = rows(d.engine, messages, messages.c.direction == "in")
    stub = json.loads(msg["privacy"])
    assert stub["action"] == "discard" and stub["size"] == len(raw)
    kinds = {(f["kind"], f["where"]) for f in stub["found"]}
    assert ("lt-asmens-kodas", "body") in kinds and ("name", "algos.xlsx") in kinds
    assert stub["attachments"][0]["name"] == "algos.xlsx"
    assert msg["body_text"] == "" and count(d.engine, raw_messages) == 0 and count(d.engine, attachments) == 0
    [ticket] = rows(d.engine, tickets)
    assert ticket["subject"] == "Darbo užmokesčio klaida" and ticket["client_id"] == "stekas"
    [event] = rows(d.engine, events, events.c.kind == "personal-data")
    assert event["detail"].startswith("discard: ") and LT_CODE not in event["detail"]
    d.stop()
    for value in (LT_CODE, "Kazlauskienė", "Petraitis"):
        assert value.encode() not in database_bytes(d.config)
        assert value not in caplog.text


def test_redact_keeps_placeholders_and_a_redacted_spreadsheet_and_drops_the_pdf(guarded):
    d = guarded(action="redact")
    pdf = text_pdf(f"Petras Petraitis, asmens kodas {LT_CODE}")
    raw = client_mail(files=[("algos.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                              payroll_xlsx()), ("israsas.pdf", "application/pdf", pdf)])
    assert send(d.port, raw, mail_from="rasa@klientas.lt")[0] == 250
    notice = sent_mail(d.sink, to="rasa@klientas.lt")[0]
    assert "israsas.pdf" in text_of(notice)
    [msg] = rows(d.engine, messages, messages.c.direction == "in")
    assert LT_CODE not in msg["body_text"] and "[asmens kodas pašalintas]" in msg["body_text"]
    assert json.loads(msg["privacy"])["dropped"] == ["israsas.pdf"]
    [att] = rows(d.engine, attachments)
    assert att["filename"] == "algos.xlsx"
    cells = [c.value for row in openpyxl.load_workbook(io.BytesIO(att["data"])).active.iter_rows() for c in row]
    assert "Ona" not in cells and "Kazlauskienė" not in cells and LT_CODE not in map(str, cells)
    assert "Atlyginimas" in cells  # the header stays: the agent still sees what the file was
    assert count(d.engine, raw_messages) == 0
    d.stop()
    assert LT_CODE.encode() not in database_bytes(d.config)


def test_clean_mail_is_stored_whole(guarded):
    d = guarded(action="discard")
    raw = client_mail(body="Laba diena,\nataskaita neeksportuojama, klaida 0x80004005, versija 7.3.1145.\n"
                           "Sąskaita SF-000123 iš 2026-11-20, suma 123,45 EUR.\n\nPagarbiai,\nRasa\n+370 612 34567\n")
    assert send(d.port, raw, mail_from="rasa@klientas.lt")[0] == 250
    receipt = sent_mail(d.sink, to="rasa@klientas.lt")[0]
    assert "Personal" not in receipt["Subject"]
    [msg] = rows(d.engine, messages, messages.c.direction == "in")
    assert msg["privacy"] is None and count(d.engine, raw_messages) == 1


def test_a_client_with_a_data_processing_agreement_keeps_everything(guarded):
    d = guarded(action="discard", dpa=True)
    assert send(d.port, client_mail(), mail_from="rasa@klientas.lt")[0] == 250
    sent_mail(d.sink, to="rasa@klientas.lt")
    [msg] = rows(d.engine, messages, messages.c.direction == "in")
    assert LT_CODE in msg["body_text"] and msg["privacy"] is None


def test_pd_allow_keeps_data_until_its_date_then_the_purge_removes_it(guarded):
    d = guarded(action="discard")
    assert send(d.port, client_mail(body="Laba diena,\nataskaita neveikia.\n"), mail_from="rasa@klientas.lt")[0] == 250
    [note] = [m for m in sent_mail(d.sink, to="ilze@support.test") if "Darbo" in m["Subject"]]
    until = date.today() + timedelta(days=30)
    # The dispatcher may not grant it; the head may (authenticated by the trusted server's DMARC pass).
    send(d.port, agent_reply(note, f"[pd-allow {until}]", "Gavome formą."), mail_from="ilze@support.test")
    headers = [("Authentication-Results", "mx.support.test; dmarc=pass header.from=support.test")]
    head = agent_reply(note, f"[pd-allow {until}]", "Gavome prašymo formą.", sender="Vadim <vadim@support.test>",
                       to="help@support.test", headers=headers)
    assert send(d.port, head, mail_from="vadim@support.test")[0] == 250
    assert rows(d.engine, tickets)[0]["pd_allow_until"] == until
    refused = [e["detail"] for e in rows(d.engine, events, events.c.kind == "command-refused")]
    assert any("only the head of service" in r for r in refused)
    assert send(d.port, client_mail(subject=f"Re: [#1] Darbo užmokesčio klaida"), mail_from="rasa@klientas.lt")[0] == 250
    kept = [m for m in rows(d.engine, messages, messages.c.direction == "in") if m["privacy"]]
    assert len(kept) == 1 and LT_CODE in kept[0]["body_text"]
    assert json.loads(kept[0]["privacy"])["action"] == "allowed"
    with d.engine.begin() as conn:  # the exemption runs out
        conn.execute(update(tickets).values(pd_allow_until=date.today() - timedelta(days=1)))
    result = run_cli("privacy", "purge", config_path=d.path)
    assert result.returncode == 0, result.stderr
    assert b"purged 1" in result.stdout
    [purged] = [m for m in rows(d.engine, messages, messages.c.direction == "in") if m["id"] == kept[0]["id"]]
    assert purged["body_text"] is None and json.loads(purged["privacy"])["action"] == "purged"
    assert count(d.engine, raw_messages, raw_messages.c.message_id == purged["id"]) == 0


def test_a_discarded_message_that_fails_later_is_parked_as_a_stub_only(guarded, monkeypatch):
    from mailbot.pipeline import runner

    def broken(ctx):
        raise RuntimeError("drill: a stage after the guard fails")
    stages = list(runner._STAGES)
    stages.insert(stages.index(runner.importlib.import_module("mailbot.pipeline.guard").run) + 1, broken)
    monkeypatch.setattr(runner, "_STAGES", tuple(stages))
    d = guarded(action="discard")
    assert send(d.port, client_mail(), mail_from="rasa@klientas.lt")[0] == 250
    [row] = rows(d.engine, parked)
    assert LT_CODE.encode() not in row["raw"] and b"Darbo" in row["raw"]


def test_privacy_scan_command_shows_kinds_and_values_only_when_asked(guarded, tmp_path):
    d = guarded(action="discard")
    d.stop()
    path = tmp_path / "m.eml"
    path.write_bytes(client_mail())
    result = run_cli("privacy", "scan", str(path), "--json", config_path=d.path)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["decision"] == "discard" and out["client"] == "stekas"
    assert {"kind": "lt-asmens-kodas", "where": "body"} in out["findings"]
    assert LT_CODE.encode() not in result.stdout
    shown = run_cli("privacy", "scan", str(path), "--show-values", config_path=d.path)
    assert LT_CODE.encode() in shown.stdout and b"decision: discard" in shown.stdout
    assert count(d.engine, messages) == 0
