"""Corrections of billed time and amended statements: only the head changes a sent period, every entry of the ticket
follows, the statement is amended once (two daemons on PostgreSQL too), per-unit prices read as the terms say."""
import email
import json
from email import policy
import os
import subprocess
import sys
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from mailbot.agents.auth import reply_address
from mailbot.services import amendments
from mailbot.services.statements import compute, issue
from mailbot.store.models import corrections, events, outbox, statements, tickets, time_entries
from mailbot.store.secrets import reply_secret
from tests.helpers import ROOT, engine_for, journal, mail, rows, take

MONEO = {"name": "moneo", "reaction_time": "4h", "rounding": {"scope": "ticket", "unit": 1, "minimum": 15},
         "categories": {"free": {}, "paid": {"rate": "60.00"}}}
# Platphorma "Expert": a ticket is 30 indivisible minutes at 25 EUR, at least one per request.
EXPERT = {"name": "expert", "reaction_time": "6h", "rounding": {"scope": "ticket", "unit": 30, "minimum": 30},
          "categories": {"free": {}, "paid": {"per_unit": "25.00"}}}
CLIENTS = [{"id": "acme", "name": "SIA Acme", "language": "en", "domains": ["acme.lv"], "contacts": ["anna@acme.lv"],
            "plan": "moneo"},
           {"id": "carpat", "name": "SC Carpat SRL", "language": "en", "domains": ["carpat.ro"],
            "contacts": ["maria@carpat.ro"], "plan": "expert"}]
AGENTS = [{"email": "ilze@support.test", "name": "Ilze", "role": "dispatcher", "language": "en"},
          {"email": "vadim@support.test", "name": "Vadim", "role": "head", "language": "en"}]
DEC_1 = datetime(2026, 12, 1, 6, 0, tzinfo=timezone.utc)


@pytest.fixture
def desk_db(make_config):
    made = []

    def make(url=None):
        over = {"plans": [MONEO, EXPERT], "clients": CLIENTS, "agents": AGENTS}
        config, path = make_config(**over, **({"database": {"url": url}} if url else {}))
        engine = engine_for(config)
        made.append(engine)
        return config, path, engine
    yield make
    for engine in made:
        engine.dispose()


def _tagged(config, engine, ticket, agent, tags, body="Done."):
    """An agent's reply to the ticket's notification (its signed address) with `tags` in the subject."""
    with engine.begin() as conn:
        to = reply_address("help@support.test", ticket, agent, reply_secret(conn, config.commands.secret))
    return take(config, engine, mail(subject=f"Re: [#{ticket}] Atskaite {tags}", body=body, sender=agent, to=to),
                rcpt=to, mail_from=agent)


def test_a_heads_category_tag_corrects_a_billed_ticket_and_the_statement_is_amended_once(desk_db):
    config, _, engine = desk_db()
    ticket = journal(engine, config, "acme", [(date(2026, 11, 5), 30, "paid"), (date(2026, 11, 6), 10, "paid")],
                     final="paid")
    other = journal(engine, config, "acme", [(date(2026, 11, 9), 20, "paid")], final="paid")
    with engine.begin() as conn:
        first = issue(conn, config, config.client_by_id("acme"), "2026-11", "scheduled", DEC_1)
    assert first["total"] == "60.00"
    # An agent's [free] on the billed ticket: the ticket's category changes, the billed month does not.
    _tagged(config, engine, ticket, "ilze@support.test", "[free]")
    with engine.connect() as conn:
        assert compute(conn, config, config.client_by_id("acme"), "2026-11", DEC_1)["total"] == "60.00"
    assert not rows(engine, corrections) and amendments.run_due(engine, config, DEC_1) == []
    # The head's [free]: every entry of the ticket follows (an audit event each), and the month is amended.
    _tagged(config, engine, ticket, "vadim@support.test", "[free]")
    assert [e["category"] for e in rows(engine, time_entries) if e["ticket_id"] == ticket] == ["free", "free"]
    corrected = [e for e in rows(engine, events) if e["kind"] == "time-corrected"]
    assert len(corrected) == 2 and all(e["actor"] == "vadim@support.test" for e in corrected)
    assert all("paid -> free" in e["detail"] for e in corrected)
    done = amendments.run_due(engine, config, DEC_1)
    assert done == [("acme", "2026-11", "amended v2: 60.00 -> 20.00 EUR")]
    assert amendments.run_due(engine, config, DEC_1) == []
    v2 = json.loads(rows(engine, statements)[-1]["document"])
    assert v2["number"] == "ST-2026-11-2" and v2["amends"]["number"] == "ST-2026-11-1"
    assert sorted((c["ticket"], c["old"]["amount"], c["new"]["amount"]) for c in v2["amends"]["changes"]) == [
        (ticket, "10.00", "0.00"), (ticket, "30.00", "0.00")]
    assert other not in {c["ticket"] for c in v2["amends"]["changes"]}
    statement_mail = [r for r in rows(engine, outbox) if r["kind"] == "statement"]
    assert len(statement_mail) == 2


def test_time_cannot_be_logged_into_a_billed_month(desk_db):
    config, _, engine = desk_db()
    ticket = journal(engine, config, "acme", [(date(2026, 11, 5), 30, "paid")], final="paid")
    with engine.begin() as conn:
        issue(conn, config, config.client_by_id("acme"), "2026-11", "scheduled", DEC_1)
    _tagged(config, engine, ticket, "ilze@support.test", "[20m 2026-11-20]")
    assert len(rows(engine, time_entries)) == 1
    refused = [e["detail"] for e in rows(engine, events) if e["kind"] == "command-refused"]
    assert refused and "whose statement was sent" in refused[-1]


def test_an_interim_statement_does_not_close_the_month(desk_db):
    config, _, engine = desk_db()
    ticket = journal(engine, config, "acme", [(date(2026, 11, 5), 30, "paid")], final="paid")
    with engine.begin() as conn:  # asked for on 20 November: the month is not over
        issue(conn, config, config.client_by_id("acme"), "2026-11", "request", datetime(2026, 11, 20, tzinfo=timezone.utc))
    _tagged(config, engine, ticket, "ilze@support.test", "[20m 2026-11-19]")
    assert len(rows(engine, time_entries)) == 2


def test_a_per_unit_price_is_billed_and_shown_in_units(desk_db):
    config, _, engine = desk_db()
    journal(engine, config, "carpat", [(date(2026, 11, 5), 40, "paid")], final="paid")  # 2 tickets of 30 min
    journal(engine, config, "carpat", [(date(2026, 11, 6), 5, "paid")], final="paid")  # at least 1 ticket
    with engine.connect() as conn:
        doc = compute(conn, config, config.client_by_id("carpat"), "2026-11", DEC_1)
    assert Decimal(doc["total"]) == Decimal("75.00")
    lines = [ln for t in doc["tickets"] for ln in t["lines"]]
    assert [(ln["billed"], ln["units"], ln["rate"], ln["per"]) for ln in lines if not ln["top_up"]] == [
        (60, 2, "25.00", 30), (30, 1, "25.00", 30)]
    # MONEO's minimum: a 10-minute request is topped up to 15, and the line says what it is
    journal(engine, config, "acme", [(date(2026, 11, 5), 10, "paid")], final="paid")
    with engine.connect() as conn:
        moneo = compute(conn, config, config.client_by_id("acme"), "2026-11", DEC_1)
    assert [(ln["billed"], ln["minimum"]) for t in moneo["tickets"] for ln in t["lines"] if ln["top_up"]] == [(5, 15)]
    with engine.begin() as conn:
        issue(conn, config, config.client_by_id("carpat"), "2026-11", "scheduled", DEC_1)
    raw = email.message_from_bytes(rows(engine, outbox)[-1]["raw"], policy=policy.default)
    text = raw.get_body(("plain",)).get_content()
    assert "1:00 = 2 units" in text and "0:30 = 1 unit" in text


def test_two_daemons_on_postgresql_issue_the_amendment_once(desk_db, pg_url):
    config, path, engine = desk_db(url=pg_url)
    ticket = journal(engine, config, "acme", [(date(2026, 11, 5), 30, "paid")], final="paid")
    with engine.begin() as conn:
        issue(conn, config, config.client_by_id("acme"), "2026-11", "scheduled", DEC_1)
    _tagged(config, engine, ticket, "vadim@support.test", "[free]")
    assert len(rows(engine, corrections)) == 1
    cmd = [sys.executable, "-m", "mailbot", "--config", str(path), "statement", "amend"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for _ in range(3):  # start them together, several times: however they interleave, one amendment
        procs = [subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                 for _ in range(2)]
        outs = [p.communicate(timeout=120) for p in procs]
        assert all(p.returncode == 0 for p in procs), outs
    assert [s["version"] for s in rows(engine, statements)] == [1, 2]
    assert len([r for r in rows(engine, outbox) if r["kind"] == "statement"]) == 2
    assert rows(engine, corrections)[0]["amended_by"] == rows(engine, statements)[-1]["id"]
    assert rows(engine, tickets)[0]["category"] == "free"
