"""Objections (seed 000 §8) end to end over real SMTP: a statement is sent, the client objects to the objections
mailbox on time and late, the head of service upholds one request and rejects another by e-mail, the billed time
is corrected and the amended statement — exact new totals — is mailed once."""
import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from mailbot.store.models import corrections, events, objection_items, objections, statements, time_entries, utcnow
from mailbot.store.models import tickets as tickets_table
from tests.helpers import agent_reply, count, mail, open_ticket, rows, run_cli, send, sent_mail, text_of, wait_until

# MONEO (seed 000): at least 15 minutes registered per request; paid work at 60.00 EUR an hour; objections within
# two days of the statement, to iebildumi@.
MONEO = {"name": "moneo", "reaction_time": "4h", "title": {"lv": "MONEO Standarta", "en": "MONEO Standard"},
         "rounding": {"scope": "ticket", "unit": 1, "minimum": 15},
         "categories": {"free": {}, "paid": {"rate": "60.00"}}, "objection_days": 2}
CLIENTS = [
    {"id": "acme", "name": "SIA Acme", "language": "lv", "domains": ["acme.lv"], "contacts": ["anna@acme.lv"],
     "plan": "moneo"},
    {"id": "beta", "name": "SIA Beta", "language": "lv", "domains": ["beta.lv"], "contacts": ["juris@beta.lv"],
     "plan": "moneo"},
]
HEAD = "vadim@support.test"


def _period() -> tuple[str, date]:
    """A month that is over (its statement may be sent today) and the day in it the work was done."""
    day = (date.today() - timedelta(days=5)).replace(day=1) - timedelta(days=1)
    return f"{day.year:04d}-{day.month:02d}", day.replace(day=5)


@pytest.fixture
def moneo(desk):
    return desk(plans=[MONEO], clients=CLIENTS)


def _days_ago(d, days: int) -> None:
    """Make the statements issued `days` ago: the client now writes on day `days` after them."""
    with d.engine.begin() as conn:
        for row in conn.execute(select(statements.c.id)).all():
            conn.execute(update(statements).where(statements.c.id == row.id).values(
                created_at=utcnow() - timedelta(days=days)))


def _work(d, subject, tags, followups=()):
    """A client's request, answered by the dispatcher with `tags`; then more replies with `followups`."""
    notification = open_ticket(d, subject=subject, sender="Anna Ozola <anna@acme.lv>")
    assert send(d.port, agent_reply(notification, tags, "Izdarīts."))[0] == 250
    for more in followups:
        assert send(d.port, agent_reply(notification, more, "Vēl."))[0] == 250
    return notification


def _statement(d, period, client="acme"):
    result = run_cli("statement", "send", client, "--period", period, config_path=d.path)
    assert result.returncode == 0, result.stderr
    found = sent_mail(d.sink, 1, to=CLIENTS[0]["contacts"][0] if client == "acme" else "juris@beta.lv",
                      text="ST-" + period)
    assert found, "the statement did not reach the client"
    return found[-1]


def _notice(d, ref):
    found = wait_until(lambda: [m for m in sent_mail(d.sink, 0, to=HEAD, timeout=0)
                                if m["Subject"].startswith(f"[{ref}]") and m["Reply-To"]])
    assert found, f"the head heard nothing of {ref}"
    return found[0]


def _decide(d, notice, tags, text, sender="Vadim Petrov <vadim@support.test>"):
    """The head answers the objection's notification from their mail program (to its signed Reply-To)."""
    reply = agent_reply(notice, tags, text, sender=sender)
    assert send(d.port, reply, rcpt=notice["Reply-To"], mail_from=sender.split("<")[-1].rstrip(">"))[0] == 250


def _show(d, ref):
    result = run_cli("objections", "show", ref, "--json", config_path=d.path)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_objections_on_time_and_late_upheld_and_rejected_then_one_amended_statement(moneo):
    d = moneo
    period, day = _period()
    # #1: 30 min tagged paid, then 10 min untagged (follows the ticket's category: paid) -> 40 min, 40.00
    _work(d, "Atskaite neveidojas", f"[take] [30m {day}] [paid]", [f"[10m {day}]"])
    # #2: 10 min paid -> topped up to the 15-minute minimum: 15.00
    _work(d, "Drukas forma", f"[take] [10m {day}] [paid]")
    # #3: 20 min free, listed, not charged
    _work(d, "Kļūda programmā", f"[take] [20m {day}] [free]")
    wait_until(lambda: count(d.engine, time_entries) == 4)
    statement = _statement(d, period)
    assert statement["Reply-To"] == "iebildumi@support.test"
    sent = json.loads(rows(d.engine, statements)[-1]["document"])
    assert sent["total"] == "55.00" and sent["number"] == f"ST-{period}-1"

    # Day 1: Anna answers the statement itself, naming #1 in her own words: on time.
    _days_ago(d, 1)
    objection = mail(subject=f"Re: {statement['Subject']}", sender="Anna Ozola <anna@acme.lv>",
                     to="iebildumi@support.test", headers=[("In-Reply-To", statement["Message-ID"])],
                     body="Pieprasījums #1 bija programmas kļūda, lūdzu to nepiestādīt.\n\n> " +
                     text_of(statement).replace("\n", "\n> "))
    assert send(d.port, objection, rcpt="iebildumi@support.test")[0] == 250
    ack = sent_mail(d.sink, 1, to="anna@acme.lv", text="O-1")
    assert ack and "[O-1]" in ack[0]["Subject"], "the client got no acknowledgement with the reference"
    first = _show(d, "O-1")
    assert (first["late"], first["status"], [i["ticket"] for i in first["items"]]) == (False, "open", [1])
    assert first["items"][0]["category"] == "paid" and first["items"][0]["period"] == period
    assert count(d.engine, objections) == 1 and rows(d.engine, objection_items)[0]["statement_id"] is not None

    # Two days later (day 3): she objects to #2 as well, in a new mail: late (the window closed at the end of day 2);
    # the plan has late objections reviewed.
    _days_ago(d, 3)
    assert send(d.port, mail(subject="Iebildums par #2", body="Arī #2 nebija maksas darbs.",
                             sender="Anna Ozola <anna@acme.lv>", to="iebildumi@support.test"),
                rcpt="iebildumi@support.test")[0] == 250
    second = _show(d, "O-2")
    assert (second["late"], second["status"], [i["ticket"] for i in second["items"]]) == (True, "open", [2])
    late_notice = _notice(d, "O-2")
    assert "ПОСЛЕ СРОКА" in text_of(late_notice)  # the head (who reads Russian) sees that it is late

    # The head upholds O-1 (all its items, made free) and rejects O-2, each with an explanation.
    _decide(d, _notice(d, "O-1"), "[upheld]", "Tā tiešām bija programmas kļūda.")
    _decide(d, _notice(d, "O-2"), "[rejected]", "Drukas formas maiņa ir maksas darbs.")
    decision = sent_mail(d.sink, 1, to="anna@acme.lv", text="Tā tiešām bija programmas kļūda.")
    assert decision and "[O-1]" in decision[0]["Subject"]
    assert sent_mail(d.sink, 1, to="anna@acme.lv", text="Drukas formas maiņa ir maksas darbs.")
    assert _show(d, "O-1")["status"] == "upheld" and _show(d, "O-2")["status"] == "rejected"
    # both entries of #1 re-filed, the tagged one and the one that only followed the ticket: an event each
    assert [e["category"] for e in rows(d.engine, time_entries) if e["ticket_id"] == 1] == ["free", "free"]
    assert len([e for e in rows(d.engine, events) if e["kind"] == "time-corrected"]) == 2
    assert [c["ticket_id"] for c in rows(d.engine, corrections)] == [1]

    # statement show: the issued figure, and the pending amendment beside it, never silently another total
    shown = json.loads(run_cli("statement", "show", "acme", "--period", period, "--json", config_path=d.path).stdout)
    assert (shown["total"], shown["version"], shown["pending"]["total"]) == ("55.00", 1, "15.00")

    # The amendment: issued once, however often the job runs.
    for _ in range(2):
        assert run_cli("statement", "amend", config_path=d.path).returncode == 0
    versions = rows(d.engine, statements)
    assert [s["version"] for s in versions] == [1, 2] and versions[1]["reason"] == "amended"
    amended = json.loads(versions[1]["document"])
    assert Decimal(amended["total"]) == Decimal("15.00") and amended["amends"]["total"] == "55.00"
    changed = {(c["ticket"], c["old"]["category"], c["new"]["category"], c["old"]["amount"], c["new"]["amount"])
               for c in amended["amends"]["changes"]}
    assert changed == {(1, "paid", "free", "30.00", "0.00"), (1, "paid", "free", "10.00", "0.00")}
    mails = sent_mail(d.sink, 1, to="anna@acme.lv", text=f"ST-{period}-2")
    assert len(mails) == 1 and "15,00" in text_of(mails[0]) and "55,00" in text_of(mails[0])
    assert wait_until(lambda: not sent_mail(d.sink, 2, to="anna@acme.lv", text=f"ST-{period}-2", timeout=1)[1:])
    shown = json.loads(run_cli("statement", "show", "acme", "--period", period, "--json", config_path=d.path).stdout)
    assert (shown["version"], shown["total"], shown["pending"]) == (2, "15.00", None)


def test_a_forged_decision_is_refused_and_changes_nothing(moneo):
    d = moneo
    period, day = _period()
    _work(d, "Atskaite", f"[take] [30m {day}] [paid]")
    wait_until(lambda: count(d.engine, time_entries) == 1)
    _statement(d, period)
    assert send(d.port, mail(subject="Iebildums #1", sender="anna@acme.lv", to="iebildumi@support.test"),
                rcpt="iebildumi@support.test")[0] == 250
    _notice(d, "O-1")
    # the head's address in From, but no signed reply address and no trusted Authentication-Results
    forged = mail(subject="Re: [O-1] [upheld]", body="ok", sender="Vadim Petrov <vadim@support.test>",
                  to="iebildumi@support.test")
    assert send(d.port, forged, rcpt="iebildumi@support.test")[0] == 250
    alert = wait_until(lambda: [m for m in sent_mail(d.sink, 0, to=HEAD, timeout=0) if "O-1" in m["Subject"]
                                and not m["Reply-To"]])
    assert alert, "the real head was not told"
    assert _show(d, "O-1")["status"] == "open"
    assert [e["category"] for e in rows(d.engine, time_entries)] == ["paid"] and count(d.engine, corrections) == 0
    assert not sent_mail(d.sink, 1, to="anna@acme.lv", text="upheld", timeout=0.5)


def test_an_agent_who_is_not_the_head_cannot_decide(moneo):
    d = moneo
    period, day = _period()
    _work(d, "Atskaite", f"[take] [30m {day}] [paid]")
    wait_until(lambda: count(d.engine, time_entries) == 1)
    _statement(d, period)
    assert send(d.port, mail(subject="Iebildums #1", sender="anna@acme.lv", to="iebildumi@support.test"),
                rcpt="iebildumi@support.test")[0] == 250
    notice = _notice(d, "O-1")
    # the dispatcher forwards herself the notice and answers from her own address: not a head, not her token
    _decide(d, notice, "[upheld]", "Labi.", sender="Ilze Bērziņa <ilze@support.test>")
    assert wait_until(lambda: [m for m in sent_mail(d.sink, 0, to="ilze@support.test", timeout=0)
                               if "O-1" in m["Subject"]])
    assert _show(d, "O-1")["status"] == "open" and count(d.engine, corrections) == 0


def test_objections_naming_another_clients_ticket_or_from_a_stranger_are_refused_and_recorded(moneo):
    d = moneo
    period, day = _period()
    _work(d, "Atskaite", f"[take] [30m {day}] [paid]")  # acme's #1
    assert send(d.port, mail(subject="Iebildums par #1", sender="Juris <juris@beta.lv>",
                             to="iebildumi@support.test"), rcpt="iebildumi@support.test")[0] == 250
    refusal = sent_mail(d.sink, 1, to="juris@beta.lv", text="#1")
    assert refusal and "O-" not in refusal[0]["Subject"]
    assert send(d.port, mail(subject="Iebildums", sender="someone@elsewhere.test", to="iebildumi@support.test"),
                rcpt="iebildumi@support.test")[0] == 250
    assert sent_mail(d.sink, 1, to="someone@elsewhere.test")
    listed = json.loads(run_cli("objections", "list", "--json", config_path=d.path).stdout)
    assert [(o["status"], o["refusal"]) for o in listed] == [("refused", "not-a-contact"),
                                                            ("refused", "not-your-ticket")]
    assert not [m for m in sent_mail(d.sink, 0, to=HEAD, timeout=0.5) if "O-" in m["Subject"]]
    assert json.loads(run_cli("objections", "list", "--open", "--json", config_path=d.path).stdout) == []


def test_one_objection_for_two_requests_decided_one_by_one(moneo):
    d = moneo
    period, day = _period()
    _work(d, "Atskaite", f"[take] [30m {day}] [paid]")
    _work(d, "Drukas forma", f"[take] [20m {day}] [paid]")
    wait_until(lambda: count(d.engine, time_entries) == 2)
    _statement(d, period)
    assert send(d.port, mail(subject=f"Iebildums par ST-{period}-1", body="Abi pieprasījumi nav maksas darbs.",
                             sender="anna@acme.lv", to="iebildumi@support.test"), rcpt="iebildumi@support.test")[0] == 250
    # naming the statement alone disputes every request charged on it
    assert [i["ticket"] for i in _show(d, "O-1")["items"]] == [1, 2]
    _decide(d, _notice(d, "O-1"), "[upheld #2 free] [rejected]", "Drukas formas kļūda bija mūsu.")
    shown = _show(d, "O-1")
    assert shown["status"] == "partly"
    assert [(i["ticket"], i["outcome"], i["new_category"]) for i in shown["items"]] == [
        (1, "rejected", None), (2, "upheld", "free")]
    # the head cannot decide it twice
    _decide(d, _notice(d, "O-1"), "[upheld]", "Tomēr.")
    refused = wait_until(lambda: [m for m in sent_mail(d.sink, 0, to=HEAD, timeout=0) if "O-1" in m["Subject"]
                                  and "не применено" in m["Subject"]])
    assert refused and _show(d, "O-1")["items"][0]["outcome"] == "rejected"
    # this month's statement counts the objection received in it
    month = date.today().strftime("%Y-%m")
    now = json.loads(run_cli("statement", "show", "acme", "--period", month, "--json", config_path=d.path).stdout)
    assert now["objections_received"] == {"received": 1, "upheld": 1, "rejected": 0, "open": 0}


def test_a_plan_that_rejects_late_objections_answers_them_too_late(desk):
    d = desk(plans=[dict(MONEO, objection_late="reject")], clients=CLIENTS)
    period, day = _period()
    _work(d, "Atskaite", f"[take] [30m {day}] [paid]")
    wait_until(lambda: count(d.engine, time_entries) == 1)
    _statement(d, period)
    _days_ago(d, 5)
    assert send(d.port, mail(subject="Iebildums #1", sender="anna@acme.lv", to="iebildumi@support.test"),
                rcpt="iebildumi@support.test")[0] == 250
    shown = _show(d, "O-1")
    assert (shown["late"], shown["status"], shown["items"][0]["outcome"]) == (True, "rejected", "rejected")
    assert sent_mail(d.sink, 1, to="anna@acme.lv", text="O-1")
    assert count(d.engine, corrections) == 0


def _working_only_day(country="LV") -> int:
    """How many days ago a statement must have been issued for a 2-day window to have closed in calendar days but
    still be open in working days (a weekend or a public holiday in between)."""
    from mailbot.billing.objections import last_day
    today = date.today()
    for back in range(3, 12):
        sent = today - timedelta(days=back)
        if last_day(sent, 2, "calendar") < today <= last_day(sent, 2, "working", country):
            return back
    raise AssertionError("no weekend in twelve days")


def test_a_working_day_window_runs_over_the_weekend_and_holidays(desk):
    d = desk(plans=[dict(MONEO, objection_counting="working")], clients=CLIENTS)
    period, day = _period()
    _work(d, "Atskaite", f"[take] [30m {day}] [paid]")
    wait_until(lambda: count(d.engine, time_entries) == 1)
    _statement(d, period)
    _days_ago(d, _working_only_day())
    assert send(d.port, mail(subject="Iebildums #1", sender="anna@acme.lv", to="iebildumi@support.test"),
                rcpt="iebildumi@support.test")[0] == 250
    assert _show(d, "O-1")["late"] is False


def test_config_check_warns_of_an_objections_mailbox_nobody_decides(make_config):
    _, without_head = make_config()  # BASE: an objections mailbox, one plain agent
    out = run_cli("config", "check", config_path=without_head)
    assert out.returncode == 0 and b"no agent with role head" in out.stdout
    _, with_head = make_config(agents=[{"email": "vadim@support.test", "name": "Vadim", "role": "head"}])
    assert b"warning" not in run_cli("config", "check", config_path=with_head).stdout


def test_a_reply_all_to_help_and_iebildumi_is_the_objection_it_was_written_as(moneo):
    d = moneo
    period, day = _period()
    _work(d, "Atskaite", f"[take] [30m {day}] [paid]")
    wait_until(lambda: count(d.engine, time_entries) == 1)
    _statement(d, period)
    raw = mail(subject=f"Iebildums par ST-{period}-1, rēķins #20261105", body="Nepiekrītam.",
               sender="anna@acme.lv", to="help@support.test", headers=[("Cc", "iebildumi@support.test")])
    assert send(d.port, raw, rcpt=["help@support.test", "iebildumi@support.test"])[0] == 250
    shown = _show(d, "O-1")  # the invoice number is nobody's ticket: it refuses nothing
    assert (shown["status"], shown["refusal"], [i["ticket"] for i in shown["items"]]) == ("open", None, [1])
    assert count(d.engine, objections) == 1 and count(d.engine, tickets_table) == 1  # no second ticket
    # the client adds something: it joins O-1, the head hears of it, the client is acknowledged
    assert send(d.port, mail(subject="Re: [O-1] Iebildums", body="Pielikumā paskaidrojums.", sender="anna@acme.lv",
                             to="iebildumi@support.test"), rcpt="iebildumi@support.test")[0] == 250
    assert wait_until(lambda: len(_show(d, "O-1")["messages"]) == 2)
    assert len(sent_mail(d.sink, 2, to="anna@acme.lv", text="O-1")) == 2
    assert wait_until(lambda: len([m for m in sent_mail(d.sink, 0, to=HEAD, timeout=0) if "[O-1]" in m["Subject"]]) == 2)


def test_an_interim_report_starts_no_objection_window(moneo):
    d = moneo
    today = date.today()
    _work(d, "Atskaite", f"[take] [30m {today}] [paid]")
    wait_until(lambda: count(d.engine, time_entries) == 1)
    _statement(d, today.strftime("%Y-%m"))  # this month so far: an interim statement
    _days_ago(d, 5)
    assert send(d.port, mail(subject="Iebildums #1", sender="anna@acme.lv", to="iebildumi@support.test"),
                rcpt="iebildumi@support.test")[0] == 250
    shown = _show(d, "O-1")
    assert (shown["late"], shown["items"][0]["period"]) == (False, None)
