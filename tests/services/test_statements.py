"""Statements: the seeds' worked examples to the cent, the JSON the CLI prints, exactly-once scheduled runs
(a killed run resumes, two daemons on PostgreSQL send one mail per client), [report] on request, versions."""
import email
import json
import os
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from email import policy

import pytest
import yaml
from babel.numbers import format_currency
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, select

from mailbot.store.plans import register
from mailbot.outbound.formats import formatters
from mailbot.services.statements import compute, issue, run_due
from mailbot.config import load
from mailbot.store.models import clients_seen, outbox, statement_runs, statements, tickets, time_entries, utcnow
from tests.helpers import ROOT, count, engine_for, journal, mail, rows, run_cli, send, wait_until

PLANS = [
    {"name": "stekas", "reaction_time": "1d", "rounding": {"scope": "entry", "unit": 12},
     "categories": {"free": {}, "paid": {"rate": "30.00"}}},
    {"name": "expert", "reaction_time": "6h", "rounding": {"scope": "ticket", "unit": 30, "minimum": 30},
     "categories": {"free": {}, "paid": {"rate": "50.00", "over_rate": "50.00"}}, "allowance": {"units": 10},
     "fees": [{"name": "Abonament Expert", "amount": "300.00"},
              {"name": "Stație", "amount": "15.00", "per": "workstation"}]},
    {"name": "moneo", "reaction_time": "1d", "rounding": {"scope": "ticket", "unit": 1, "minimum": 15},
     "categories": {"free": {}, "paid": {"rate": "60.00"}}},
    {"name": "start", "reaction_time": "30m", "rounding": {"scope": "request"},
     "categories": {"free": {}, "paid": {"rate": "900.00"}}, "currency": "RUB"},
]
CLIENTS = [
    {"id": "stekas", "name": "UAB Stekas klientas", "language": "lt", "domains": ["klientas.lt"],
     "contacts": ["buhaltere@klientas.lt"], "plan": "stekas", "statements": {"send": "on_request"}},
    {"id": "carpat", "name": "SC Carpat SRL", "language": "ro", "domains": ["carpat.ro"],
     "contacts": ["maria@carpat.ro"], "plan": "expert", "workstations": 2},
    {"id": "acme", "name": "SIA Acme", "language": "lv", "domains": ["acme.lv"], "contacts": ["anna@acme.lv"],
     "plan": "moneo"},
    {"id": "krylov", "name": "ООО Крылов", "language": "ru", "domains": ["krylov.ru"], "contacts": ["buh@krylov.ru"],
     "plan": "start"},
    {"id": "quiet", "name": "Quiet Ltd", "language": "en", "domains": ["quiet.test"], "contacts": ["q@quiet.test"],
     "statements": {"send": "never"}},
]
NOV_2 = datetime(2026, 11, 2, 6, 30, tzinfo=timezone.utc)  # 08:30 in Riga/Vilnius/Bucharest, 09:30 Moscow


@pytest.fixture
def billing(make_config):
    engines = []

    def make(url=None, **over):
        over = {"plans": PLANS, "clients": CLIENTS, **over, **({"database": {"url": url}} if url else {})}
        config, path = make_config(**over)
        engine = engine_for(config)
        engines.append(engine)
        return config, path, engine
    yield make
    for engine in engines:
        engine.dispose()


def show(path, client, period="2026-10"):
    result = run_cli("statement", "show", client, "--period", period, "--json", config_path=path)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_stekas_rounds_each_entry_up_to_12_minutes(billing):
    config, path, engine = billing()
    journal(engine, config, "stekas", [(date(2026, 10, d), m, "paid") for d, m in ((1, 5), (2, 12), (3, 13), (5, 25))])
    doc = show(path, "stekas")
    [t] = doc["tickets"]
    assert [(ln["entered"], ln["billed"], ln["amount"]) for ln in t["lines"]] == [
        (5, 12, "6.00"), (12, 12, "6.00"), (13, 24, "12.00"), (25, 36, "18.00")]
    assert doc["total"] == "42.00" and doc["currency"] == "EUR"
    line = t["lines"][0]  # the STEKAS journal fields (seed 002 §6)
    assert {"work_date", "agent", "description", "entered"} <= set(line) and t["contact"] and t["opened"]
    assert line["agent"] == "Ilze Bērziņa" and t["subject"] == "Algu aprēķins"


def test_platphorma_expert_allowance_then_25_euro_per_ticket_and_fees(billing):
    config, path, engine = billing()
    for d in range(1, 13):  # twelve requests of 30 minutes: 10 tickets included, 2 over
        journal(engine, config, "carpat", [(date(2026, 10, d), 30, "paid")])
    doc = show(path, "carpat")
    assert doc["allowance"] == {"minutes": 300, "used": 300, "remaining": 0, "over": 60, "unit": 30,
                                "over_units": 2, "requests": 0, "requests_used": 0}
    assert [c for c in doc["categories"] if c["name"] == "paid"][0]["amount"] == "50.00"
    assert doc["fees"] == [{"name": "Abonament Expert", "quantity": 1, "amount": "300.00"},
                           {"name": "Stație", "quantity": 2, "amount": "30.00"}]
    assert doc["total"] == "380.00"
    assert [ln["amount"] for t in doc["tickets"] for ln in t["lines"]][-2:] == ["25.00", "25.00"]


def test_a_platphorma_request_of_5_minutes_costs_one_ticket(billing):
    config, path, engine = billing()
    for d in range(1, 11):
        journal(engine, config, "carpat", [(date(2026, 10, d), 30, "paid")])
    journal(engine, config, "carpat", [(date(2026, 10, 20), 5, "paid")])
    doc = show(path, "carpat")
    last = doc["tickets"][-1]["lines"]
    assert sum(ln["billed"] for ln in last) == 30 and sum(Decimal(ln["amount"]) for ln in last) == Decimal("25.00")


def test_moneo_minimum_15_minutes_tops_up_the_final_category_and_free_is_listed_not_charged(billing):
    config, path, engine = billing()
    journal(engine, config, "acme", [(date(2026, 10, 5), 5, "paid"), (date(2026, 10, 6), 4, "free")], final="paid")
    journal(engine, config, "acme", [(date(2026, 10, 7), 3, "free")], final="free", subject="Licence")
    doc = show(path, "acme")
    cats = {c["name"]: c for c in doc["categories"]}
    assert cats["paid"]["billed"] == 11 and cats["paid"]["amount"] == "11.00"  # 5 + 6 top-up
    assert cats["free"]["billed"] == 4 + 15 and cats["free"]["amount"] == "0.00"
    assert doc["total"] == "11.00"
    assert any(ln["top_up"] for t in doc["tickets"] for ln in t["lines"])


def test_a_client_may_opt_out_of_seeing_free_requests(billing):
    config, path, engine = billing(clients=[dict(CLIENTS[2], statements={"include_free": False})])
    journal(engine, config, "acme", [(date(2026, 10, 5), 20, "paid")], final="paid")
    journal(engine, config, "acme", [(date(2026, 10, 7), 3, "free")], final="free", subject="Licence")
    doc = show(path, "acme")
    assert [t["subject"] for t in doc["tickets"]] == ["Algu aprēķins"]
    assert {c["name"] for c in doc["categories"]} == {"paid"} and doc["total"] == "20.00"


def test_1c_start_counts_requests_not_time(billing):
    config, path, engine = billing()
    journal(engine, config, "krylov", [(date(2026, 10, 5), 50, "paid"), (date(2026, 10, 6), 70, "paid")])
    journal(engine, config, "krylov", [(date(2026, 10, 9), 5, "paid")])
    doc = show(path, "krylov")
    assert [c for c in doc["categories"] if c["name"] == "paid"][0]["requests"] == 2
    assert doc["total"] == "1800.00" and doc["currency"] == "RUB"


def test_work_dates_decide_the_period(billing):
    config, path, engine = billing()
    journal(engine, config, "stekas", [(date(2026, 10, 31), 10, "paid"), (date(2026, 11, 1), 10, "paid")])
    assert show(path, "stekas")["total"] == "6.00" and show(path, "stekas", "2026-11")["total"] == "6.00"


def test_changing_a_plan_never_changes_earlier_work(billing, make_config):
    config, path, engine = billing()
    journal(engine, config, "stekas", [(date(2026, 10, 1), 10, "paid")])
    before = show(path, "stekas")
    dearer = [dict(PLANS[0], categories={"free": {}, "paid": {"rate": "90.00"}}, rounding={"unit": 60})] + PLANS[1:]
    config2, path2 = make_config(plans=dearer, clients=CLIENTS)
    after = show(path2, "stekas")
    assert after["total"] == before["total"] == "6.00"
    journal(engine, config2, "stekas", [(date(2026, 10, 2), 10, "paid")])  # new work: the new terms
    assert show(path2, "stekas")["total"] == "96.00"


def test_sent_statements_are_immutable_and_a_resend_is_a_new_version(billing):
    config, path, engine = billing()
    journal(engine, config, "stekas", [(date(2026, 10, 1), 10, "paid")])
    assert run_cli("statement", "send", "stekas", "--period", "2026-10", config_path=path).returncode == 0
    journal(engine, config, "stekas", [(date(2026, 10, 2), 10, "paid")])
    result = run_cli("statement", "send", "stekas", "--period", "2026-10", config_path=path)
    assert b"v2" in result.stdout
    v1, v2 = rows(engine, statements, order=statements.c.version)
    assert json.loads(v1["document"])["total"] == "6.00" and v2["total"] == "12.00"
    listed = json.loads(run_cli("statement", "list", "--json", config_path=path).stdout)
    assert [(s["version"], s["reason"]) for s in listed] == [(1, "manual"), (2, "manual")]


def test_the_statement_mail_carries_a_csv_with_bom_and_where_to_object(billing):
    config, path, engine = billing()
    journal(engine, config, "acme", [(date(2026, 10, 5), 40, "paid")], final="paid", subject="Rēķins ‘Ļoti’ svarīgs")
    with engine.begin() as conn:
        issue(conn, config, config.client_by_id("acme"), "2026-10", "manual", NOV_2)
    [row] = rows(engine, outbox, outbox.c.kind == "statement")
    m = email.message_from_bytes(row["raw"], policy=policy.default)
    assert m["Auto-Submitted"] == "auto-generated" and row["rcpt"] == "anna@acme.lv"
    [att] = list(m.iter_attachments())
    data = att.get_payload(decode=True)
    assert data.startswith("\ufeff".encode()) and "Rēķins ‘Ļoti’ svarīgs".encode() in data
    text = m.get_body(("plain",)).get_content()
    assert "iebildumi@support.test" in text and "40,00" in text


def test_unknown_client_and_bad_period_are_clear_errors(billing):
    _, path, _ = billing()
    bad = run_cli("statement", "show", "nobody", config_path=path)
    assert bad.returncode == 64 and b"unknown client 'nobody'" in bad.stderr
    bad = run_cli("statement", "show", "acme", "--period", "2026-13", config_path=path)
    assert bad.returncode == 64 and b"--period" in bad.stderr


def _run(path, env=None, now="2026-11-02T08:30:00+02:00"):
    return run_cli("statement", "run", "--now", now, config_path=path, env=env)


def test_scheduled_run_sends_once_per_client_and_a_killed_run_resumes(billing):
    config, path, engine = billing()
    for client in ("carpat", "acme", "krylov"):
        journal(engine, config, client, [(date(2026, 10, 5), 20, "paid")], final="paid")
    early = _run(path, now="2026-11-02T05:59:00+02:00")  # before 07:00 local (Moscow too): nothing due
    assert early.returncode == 0 and count(engine, statements) == 0
    killed = _run(path, env={"MAILBOT_FAILPOINT": "statement_before_commit"})
    assert killed.returncode == -9 and count(engine, statements) == 0 and count(engine, statement_runs) == 0
    killed = _run(path, env={"MAILBOT_FAILPOINT": "after_statement"})  # killed after its commit
    assert killed.returncode == -9 and count(engine, statements) == 3
    assert _run(path).returncode == 0 and _run(path).returncode == 0  # resume: nothing left to do
    sent = [r["rcpt"] for r in rows(engine, outbox, outbox.c.kind == "statement")]
    # scheduled clients only (stekas: on request, quiet: never); the client without work gets one too
    assert sorted(sent) == ["anna@acme.lv", "buh@krylov.ru", "maria@carpat.ro"]
    assert {r["status"] for r in rows(engine, statement_runs, order=statement_runs.c.client_id)} == {"done"}


@pytest.mark.postgres
def test_two_daemons_on_postgresql_send_one_statement_per_client(billing, pg_url):
    config, path, engine = billing(url=pg_url)
    for client in ("carpat", "acme", "krylov"):
        journal(engine, config, client, [(date(2026, 10, 5), 20, "paid")], final="paid")
    cmd = [sys.executable, "-m", "mailbot", "--config", str(path), "statement", "run", "--now",
           "2026-11-02T08:30:00+02:00"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    assert sorted(r["rcpt"] for r in rows(engine, outbox, outbox.c.kind == "statement")) == [
        "anna@acme.lv", "buh@krylov.ru", "maria@carpat.ro"]


def test_a_client_asks_for_a_report_by_mail(billing, daemon_factory):
    config, path, engine = billing()
    journal(engine, config, "stekas", [(date(2026, 10, 1), 10, "paid")])
    d = daemon_factory(config, engine)
    raw = mail(subject="Prašome ataskaitos [report 2026-10]", sender="Rasa <rasa@klientas.lt>")
    assert send(d.port, raw, mail_from="rasa@klientas.lt")[0] == 250
    [row] = rows(engine, outbox, outbox.c.kind == "statement")
    assert row["rcpt"] == "buhaltere@klientas.lt"  # the registered contact, not whoever asked
    [ticket] = rows(engine, tickets, tickets.c.subject.like("%report%"))
    assert ticket["status"] == "closed"
    assert count(engine, outbox, outbox.c.kind == "receipt") == 0


def _last_month() -> date:
    today = utcnow().date()
    return (today.replace(day=1) - timedelta(days=1)).replace(day=15)


def test_the_daemon_issues_due_statements_by_itself(billing, daemon_factory):
    config, path, engine = billing(jobs={"enabled": True})
    for client_id in ("acme", "carpat", "krylov", "quiet", "stekas"):  # served last month
        journal(engine, config, client_id, [(_last_month(), 20, "free")])
    d = daemon_factory(config, engine)
    wait_until(lambda: count(engine, statement_runs) >= 3, timeout=20, interval=0.1)
    d.stop()
    # last month's statements for the three scheduled clients; quiet: never; stekas: on request
    assert sorted(r["client_id"] for r in rows(engine, statements)) == ["acme", "carpat", "krylov"]


def test_no_bill_for_a_month_before_mailbot_served_the_client(billing, daemon_factory):
    """A first start with scheduled clients and no work sends nothing: last month mailbot was not in use. A client
    whose `statements.since` says otherwise gets last month's statement."""
    since = {"statements": {"since": _last_month().strftime("%Y-%m")}}
    config, path, engine = billing(jobs={"enabled": True})
    d = daemon_factory(config, engine)
    wait_until(lambda: count(engine, clients_seen) >= len(config.clients), timeout=20, interval=0.1)
    # a second more for a statement that must not come
    wait_until(lambda: count(engine, statements) or count(engine, statement_runs), timeout=1, interval=0.1)
    d.stop()
    assert count(engine, statements) == 0 and count(engine, statement_runs) == 0
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["clients"] = [dict(c, **since) if c["id"] == "acme" else c for c in data["clients"]]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    config = load(path)
    assert [c for c, _, _ in run_due(engine, config, utcnow())] == ["acme"]


@settings(max_examples=200, deadline=None)
@given(lang=st.sampled_from(["lv", "lt", "ro", "sk", "ru", "en"]), currency=st.sampled_from(["EUR", "RUB", "USD"]),
       amount=st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False))
def test_statement_amounts_read_exactly_as_babel_writes_them(lang, currency, amount):
    assert formatters(lang, currency)["money"](str(amount)) == format_currency(amount, currency, locale=lang)


def test_a_dispatcher_sends_a_clients_report_by_mail(billing, daemon_factory):
    agents = [{"email": "ilze@support.test", "name": "Ilze Bērziņa", "role": "dispatcher", "language": "lv"},
              {"email": "andris@support.test", "name": "Andris Ozols", "role": "agent", "language": "lv"}]
    config, path, engine = billing(agents=agents, commands={"auth": "authres",
                                                            "trusted_authserv_ids": ["mx.support.test"]},
                                   listen={"smtp": {"border": False}})  # behind our MTA
    journal(engine, config, "carpat", [(date(2026, 10, 1), 45, "paid")])
    d = daemon_factory(config, engine)
    passed = [("Authentication-Results", "mx.support.test; dmarc=pass header.from=support.test")]
    refused = mail(subject="[report 2026-10] [client carpat]", sender="Andris <andris@support.test>", headers=passed)
    assert send(d.port, refused, mail_from="andris@support.test")[0] == 250  # an agent may not
    assert count(engine, statements) == 0
    asked = mail(subject="[report 2026-10] [client carpat]", sender="Ilze <ilze@support.test>", headers=passed)
    assert send(d.port, asked, mail_from="ilze@support.test")[0] == 250
    [row] = rows(engine, statements)
    assert (row["client_id"], row["period"], row["reason"]) == ("carpat", "2026-10", "request")
    assert [r["rcpt"] for r in rows(engine, outbox, outbox.c.kind == "statement")] == ["maria@carpat.ro"]


def test_asking_again_for_an_unchanged_statement_resends_it_rather_than_correcting_it(billing):
    config, path, engine = billing()
    journal(engine, config, "stekas", [(date(2026, 10, 1), 10, "paid")])
    for _ in range(2):
        assert run_cli("statement", "send", "stekas", "--period", "2026-10", config_path=path).returncode == 0
    assert [r["version"] for r in rows(engine, statements)] == [1]
    mails = [email.message_from_bytes(r["raw"], policy=policy.default)
             for r in rows(engine, outbox, outbox.c.kind == "statement")]
    assert len(mails) == 2 and mails[0]["Subject"] == mails[1]["Subject"]
    assert "2" not in mails[1]["Subject"].split("2026")[-1]  # no "(corrected, version 2)"
