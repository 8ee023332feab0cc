"""Service levels over real mail: the receipt states the response deadline, the clocks follow the ticket's history,
the scheduled check warns once (also with two daemons on PostgreSQL), and an admin can ask a plan when a target
falls due."""
import email
import json
from email import policy
import os
import subprocess
import sys
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from mailbot.outbound.formats import deadline
from mailbot.store.models import events, outbox, tickets, utcnow
from mailbot.store.models import once as once_table
from tests.helpers import ROOT, agent_reply, engine_for, mail, open_ticket, rows, run_cli, send, sent_mail, text_of, wait_until

CALENDARS = [{"name": "moneo", "timezone": "Europe/Riga", "country": "LV", "hours": {"mon-fri": "09:00-17:00"}},
             {"name": "always", "always": True}]
PLANS = [{"name": "fast", "reaction_time": "4h", "calendar": "24/7", "targets": {"resolution": "8h"},
          "priorities": {"P1": {"response": "30m", "resolution": "2h"}}},
         {"name": "moneo-4h", "reaction_time": "4h", "calendar": "moneo", "targets": {"resolution": "2d"}}]
CLIENTS = [{"id": "acme", "name": "SIA Acme", "language": "en", "domains": ["acme.lv"], "plan": "fast"}]


def _show(d, ref):
    out = run_cli("tickets", "show", ref, "--json", config_path=d.path)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_the_receipt_states_the_response_deadline(desk):
    d = desk(calendars=CALENDARS, plans=PLANS, clients=CLIENTS)
    assert send(d.port, mail(subject="Report fails", sender="janis@acme.lv"))[0] == 250
    created = rows(d.engine, tickets)[0]["created_at"]
    receipt = sent_mail(d.sink, 1, to="janis@acme.lv")[0]
    assert deadline(created + timedelta(hours=4), "en", "Europe/Riga") in text_of(receipt)
    shown = _show(d, "1")
    assert datetime.fromisoformat(shown["response_due"]) == created + timedelta(hours=4)
    assert (shown["response_met"], shown["paused"]) == (None, False)


def test_waiting_pauses_the_resolution_clock_and_the_answer_stops_the_response_clock(desk):
    d = desk(calendars=CALENDARS, plans=PLANS, clients=CLIENTS)
    notification = open_ticket(d, subject="Report fails", sender="janis@acme.lv")
    assert send(d.port, agent_reply(notification, "[take] [waiting]", "Which report?"),
                rcpt=notification["Reply-To"])[0] == 250
    shown = wait_until(lambda: (s := _show(d, "1"))["paused"] and s)
    assert shown["response_met"] is True and shown["resolution_due"] is None  # answered; the clock waits
    assert [e["kind"] for e in rows(d.engine, events) if e["kind"] == "responded"] == ["responded"]
    assert send(d.port, mail(subject="Re: [#1] Report fails", body="The VAT report.", sender="janis@acme.lv"))[0] == 250
    resumed = wait_until(lambda: (s := _show(d, "1"))["resolution_due"] and s)
    created = rows(d.engine, tickets)[0]["created_at"]
    paused = [e["at"] for e in rows(d.engine, events) if e["kind"] == "status"]
    waited = paused[-1] - paused[-2]  # from "-> waiting" to "-> open": the clock's due moved on by that much
    assert abs(datetime.fromisoformat(resumed["resolution_due"]) - (created + timedelta(hours=8) + waited)) < \
        timedelta(seconds=1)


def test_the_check_warns_once_then_at_breach(desk):
    d = desk(calendars=CALENDARS, plans=PLANS, clients=CLIENTS)
    open_ticket(d, subject="Report fails", sender="janis@acme.lv")
    created = rows(d.engine, tickets)[0]["created_at"]
    for hours in (1, 3.1, 3.2):  # 25%: nothing; 77%: the warning, once
        run_cli("sla", "check", "--now", (created + timedelta(hours=hours)).isoformat(), config_path=d.path)
    warnings = [r for r in rows(d.engine, outbox) if r["kind"] == "sla-warning"]
    assert [r["rcpt"] for r in warnings] == ["ilze@support.test"]  # unassigned: the dispatcher
    run_cli("sla", "check", "--now", (created + timedelta(hours=4, minutes=5)).isoformat(), config_path=d.path)
    breach = [r["rcpt"] for r in rows(d.engine, outbox) if r["kind"] == "sla-warning"][1:]
    assert sorted(breach) == ["ilze@support.test", "vadim@support.test"]  # dispatchers and heads
    # (queued for the pretended time: read from the outbox) the head reads it in Russian, the target as sold
    raw = [r["raw"] for r in rows(d.engine, outbox) if r["kind"] == "sla-warning" and r["rcpt"] == "vadim@support.test"]
    text = text_of(email.message_from_bytes(raw[0], policy=policy.default))
    assert "#1" in text and "4h" in text


def test_warnings_go_out_once_with_two_daemons_on_postgresql(make_config, pg_url):
    from tests.helpers import AGENTS
    config, path = make_config(calendars=CALENDARS, plans=PLANS, clients=CLIENTS, agents=AGENTS,
                               database={"url": pg_url})
    engine = engine_for(config)
    now = utcnow()
    with engine.begin() as conn:
        for i in range(6):
            conn.execute(tickets.insert().values(mailbox="help@support.test", client_id="acme", contact="j@acme.lv",
                                                 subject=f"T{i}", base_subject=f"t{i}", status="new", language="en",
                                                 created_at=now, updated_at=now))
    later = (now + timedelta(hours=5)).isoformat()
    cmd = [sys.executable, "-m", "mailbot", "--config", str(path), "sla", "check", "--now", later]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    warned = [(r["ticket_id"], r["rcpt"]) for r in rows(engine, outbox) if r["kind"] == "sla-warning"]
    # each ticket's response clock is breached (5 h of 4 h): the dispatcher and the head, once each
    assert len(warned) == len(set(warned)) == 12
    engine.dispose()


def test_an_admin_asks_a_plan_when_a_target_falls_due(make_config):
    _, path = make_config(calendars=CALENDARS, plans=PLANS, clients=CLIENTS)
    out = run_cli("sla", "due", "moneo-4h", "--from", "2026-11-17T15:00+02:00", "--json", config_path=path)
    assert json.loads(out.stdout) == {"plan": "moneo-4h", "calendar": "moneo", "target": "response", "priority": None,
                                      "duration": "4h", "from": "2026-11-17T15:00:00+02:00",
                                      "due": "2026-11-19T11:00:00+02:00"}  # 18 November is a holiday in Latvia
    out = run_cli("sla", "due", "fast", "--from", "2026-10-25T02:30+03:00", "--priority", "P1", "--target",
                  "resolution", config_path=path)
    # 24/7 across the end of summer time in Riga (04:00 EEST is 03:00 EET): two real hours later is 03:30 EET
    assert "-> due 2026-10-25T03:30:00+02:00" in out.stdout.decode()
    bad = run_cli("sla", "due", "nope", "--from", "2026-11-17T15:00+02:00", config_path=path)
    assert bad.returncode == 64 and b"unknown plan" in bad.stderr


def test_a_client_asks_for_the_status_of_their_requests(desk):
    clients = [dict(CLIENTS[0], contacts=["anna@acme.lv"])]
    d = desk(calendars=CALENDARS, plans=PLANS, clients=clients)
    open_ticket(d, subject="Report fails", sender="janis@acme.lv")
    assert send(d.port, mail(subject="[status]", body="?", sender="janis@acme.lv"))[0] == 250
    overview = sent_mail(d.sink, 1, to="anna@acme.lv", text="#1")  # the registered contact, not the asker
    assert overview and "Report fails" in text_of(overview[0])
    assert len(rows(d.engine, tickets)) == 1  # no ticket for the question
    assert not sent_mail(d.sink, 2, to="janis@acme.lv", text="open request", timeout=0.5)


def test_an_urgent_request_gets_the_first_priority_where_the_plan_allows_emergencies(desk):
    plans = [dict(PLANS[0], emergencies=True)]
    d = desk(calendars=CALENDARS, plans=plans, clients=CLIENTS)
    assert send(d.port, mail(subject="STEIDZAMI: algas neaprēķinās", sender="janis@acme.lv"))[0] == 250
    t = rows(d.engine, tickets)[0]
    assert (t["urgency"], t["priority"]) == ("high", "P2")  # medium impact x high urgency
    shown = _show(d, "1")
    assert datetime.fromisoformat(shown["response_due"]) == t["created_at"] + timedelta(hours=4)
    out = json.loads(run_cli("tickets", "list", "--sort", "due", "--json", config_path=d.path).stdout)
    assert [x["ref"] for x in out] == ["#1"]


def test_a_waiting_ticket_reminds_the_client_then_closes(desk):
    d = desk(calendars=CALENDARS, plans=PLANS, clients=CLIENTS,
             sla={"remind_waiting_days": 3, "close_waiting_days": 10, "digest_hour": None})
    notification = open_ticket(d, subject="Report fails", sender="janis@acme.lv")
    assert send(d.port, agent_reply(notification, "[take] [waiting]", "Which report?"),
                rcpt=notification["Reply-To"])[0] == 250
    assert wait_until(lambda: rows(d.engine, tickets)[0]["status"] == "waiting")
    now = utcnow()
    for days in (1, 4, 5):  # one reminder, once
        run_cli("sla", "check", "--now", (now + timedelta(days=days)).isoformat(), config_path=d.path)
    assert [r["rcpt"] for r in rows(d.engine, outbox) if r["kind"] == "waiting-reminder"] == ["janis@acme.lv"]
    run_cli("sla", "check", "--now", (now + timedelta(days=11)).isoformat(), config_path=d.path)
    assert rows(d.engine, tickets)[0]["status"] == "closed"
    assert [r["rcpt"] for r in rows(d.engine, outbox) if r["kind"] == "waiting-closed"] == ["janis@acme.lv"]


def test_the_month_report_gives_the_share_of_targets_met(desk):
    d = desk(calendars=CALENDARS, plans=PLANS, clients=CLIENTS)
    answered = open_ticket(d, subject="Answered", sender="janis@acme.lv")
    assert send(d.port, agent_reply(answered, "[take]", "Done, see the settings."),
                rcpt=answered["Reply-To"])[0] == 250
    open_ticket(d, subject="Still open", sender="janis@acme.lv")
    assert wait_until(lambda: [e for e in rows(d.engine, events) if e["kind"] == "responded"])
    month = rows(d.engine, tickets)[0]["created_at"].astimezone(ZoneInfo("Europe/Riga")).strftime("%Y-%m")
    out = json.loads(run_cli("sla", "report", "--period", month, "--json", config_path=d.path).stdout)
    assert len(out) == 1 and (out[0]["plan"], out[0]["client"], out[0]["tickets"]) == ("fast", "acme", 2)
    assert (out[0]["response_met"], out[0]["response_running"], out[0]["response_share_met"]) == (1, 1, 1.0)
    later = (utcnow() + timedelta(hours=5)).isoformat()  # the second one's 4 hours have passed unanswered
    out = json.loads(run_cli("sla", "report", "--period", month, "--json", "--now", later, config_path=d.path).stdout)
    assert (out[0]["response_met"], out[0]["response_missed"], out[0]["response_share_met"]) == (1, 1, 0.5)


def test_the_statement_shows_each_requests_service_levels(desk):
    clients = [dict(CLIENTS[0], contacts=["anna@acme.lv"])]
    d = desk(calendars=CALENDARS, plans=PLANS, clients=clients)
    notification = open_ticket(d, subject="Report fails", sender="janis@acme.lv")
    assert send(d.port, agent_reply(notification, "[take] [20m] [paid] [resolved]", "Fixed the VAT report."),
                rcpt=notification["Reply-To"])[0] == 250
    assert wait_until(lambda: rows(d.engine, tickets)[0]["status"] == "resolved")
    month = rows(d.engine, tickets)[0]["created_at"].astimezone(ZoneInfo("Europe/Riga")).strftime("%Y-%m")
    shown = json.loads(run_cli("statement", "show", "acme", "--period", month, "--json", config_path=d.path).stdout)
    service = shown["tickets"][0]["service"]
    assert service["response"]["target"] == "4h" and service["response"]["met"] is True
    assert service["resolution"]["target"] == "8h" and service["resolution"]["met"] is True
    assert run_cli("statement", "send", "acme", "--period", month, config_path=d.path).returncode == 0
    statement = sent_mail(d.sink, 1, to="anna@acme.lv", text="Service level")
    assert statement and "target 4h, met" in text_of(statement[0])


def test_tickets_open_before_the_upgrade_are_not_warned_about(desk):
    d = desk(calendars=CALENDARS, plans=PLANS, clients=CLIENTS)
    open_ticket(d, subject="Old request", sender="janis@acme.lv")
    created = rows(d.engine, tickets)[0]["created_at"]
    with d.engine.begin() as conn:  # as if service levels came with an upgrade after it arrived
        conn.execute(once_table.update().where(once_table.c.key == "sla:since").values(
            created_at=created + timedelta(seconds=1)))
    run_cli("sla", "check", "--now", (created + timedelta(hours=5)).isoformat(), config_path=d.path)
    assert not [r for r in rows(d.engine, outbox) if r["kind"] == "sla-warning"]
    assert _show(d, "1")["response_due"] is not None  # its deadline is still shown


def test_a_ticket_solved_without_a_word_or_opened_by_an_agent_owes_no_first_answer(desk):
    d = desk(calendars=CALENDARS, plans=PLANS, clients=[dict(CLIENTS[0], contacts=["anna@acme.lv"])])
    notification = open_ticket(d, subject="Duplicate", sender="janis@acme.lv")
    assert send(d.port, agent_reply(notification, "[take] [closed]", ""), rcpt=notification["Reply-To"])[0] == 250
    assert wait_until(lambda: rows(d.engine, tickets)[0]["status"] == "closed")
    shown = _show(d, "1")
    assert shown["response_met"] is True and shown["resolution_met"] is True
    created = rows(d.engine, tickets)[0]["created_at"]
    run_cli("sla", "check", "--now", (created + timedelta(hours=9)).isoformat(), config_path=d.path)
    assert not [r for r in rows(d.engine, outbox) if r["kind"] == "sla-warning"]


def _morning_zone() -> str:
    """A fixed-offset zone where it is morning now: a 4 h deadline set now falls due that same local day whatever
    the hour the test runs at (in Riga, after 20:00 it would fall due tomorrow)."""
    hour = utcnow().hour
    offset = next(o for o in range(-12, 15) if 2 <= (hour + o) % 24 <= 10)
    return f"Etc/GMT{-offset:+d}" if offset else "UTC"  # the Etc names count the other way round


def test_the_dispatchers_get_the_days_deadlines_once(desk):
    d = desk(calendars=CALENDARS, plans=PLANS, clients=CLIENTS, sla={"digest_hour": 0},
             tickets={"timezone": _morning_zone()})
    open_ticket(d, subject="Due today", sender="janis@acme.lv")
    for _ in range(2):
        run_cli("sla", "check", config_path=d.path)
    digests = [r for r in rows(d.engine, outbox) if r["kind"] == "sla-digest"]
    assert [r["rcpt"] for r in digests] == ["ilze@support.test"]  # the dispatcher, once
    text = text_of(email.message_from_bytes(digests[0]["raw"], policy=policy.default))
    assert "#1" in text and "Due today" in text
