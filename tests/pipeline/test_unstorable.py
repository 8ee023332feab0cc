"""Nothing the database cannot store makes mail wait for ever: on SQLite and on PostgreSQL, a 20 KB subject, a
subject of 3,000 tags, NUL in From and Message-ID and a Message-ID of 100 KB are stored (invariant 1), and a fault
that will repeat at every retry parks the message with an error an operator can read (invariant 8)."""
import pytest

from mailbot.pipeline.context import Verdict
from mailbot.pipeline.parking import what_failed
from mailbot.store.models import messages, tickets
from tests.helpers import count, engine_for, mail, rows, take


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, make_config):
    if request.param == "postgresql":
        url = request.getfixturevalue("pg_url")
        config, _ = make_config(database={"url": url})
    else:
        config, _ = make_config()
    engine = engine_for(config)
    yield config, engine
    engine.dispose()


CASES = {
    "20 KB subject": dict(subject="Rēķins " + "ā" * 20_000),
    "3,000 tags": dict(subject=" ".join(f"[tag{i}]" for i in range(3000))),
    "NUL in From": dict(sender="J\x00anis <janis@acme.lv>", verbatim=True),
    "NUL in Message-ID": dict(message_id="<a\x00b@acme.lv>", verbatim=True),
    "100 KB Message-ID": dict(message_id="<" + "x" * 100_000 + "@acme.lv>", verbatim=True),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_hostile_values_are_stored_on_both_engines(store, case):
    config, engine = store
    kw = dict(CASES[case])
    if kw.pop("verbatim", False):
        sender = kw.pop("sender", "Janis <janis@acme.lv>")
        mid = kw.pop("message_id", "<plain@acme.lv>")
        raw = (f"From: {sender}\r\nTo: help@support.test\r\nSubject: Rēķins\r\nMessage-ID: {mid}\r\n"
               "Content-Type: text/plain; charset=utf-8\r\n\r\nLabdien.\r\n").encode("utf-8")
    else:
        raw = mail(**kw)
    outcome = take(config, engine, raw)
    assert outcome.status == Verdict.STORED, outcome
    assert count(engine, tickets) == 1 and count(engine, messages, messages.c.direction == "in") == 1
    # a redelivery is still recognised
    assert take(config, engine, raw).status == Verdict.DUPLICATE
    t = rows(engine, tickets)[0]
    assert "\x00" not in t["subject"] + t["contact"] + t["contact_name"] and len(t["base_subject"]) <= 200


def test_an_error_text_names_the_databases_complaint_not_the_librarys_link():
    from sqlalchemy.exc import OperationalError

    class Orig(Exception):
        sqlstate = "54000"
    exc = OperationalError("INSERT ...", {}, Orig("index row size 3016 exceeds btree version 4 maximum 2704"))
    assert what_failed(exc) == "Orig [54000]: index row size 3016 exceeds btree version 4 maximum 2704"
    assert "Background" not in what_failed(exc)


def test_no_automatic_answer_to_an_address_with_a_control_character(store):
    config, engine = store
    raw = ("From: janis@acme.lv\r\nReply-To: <jan\x01is@acme.lv>\r\nTo: help@support.test\r\nSubject: Rēķins\r\n"
           "Message-ID: <ctl@acme.lv>\r\n\r\nLabdien.\r\n").encode()
    assert take(config, engine, raw).status == Verdict.STORED
    from mailbot.store.models import outbox, events
    assert count(engine, outbox, outbox.c.kind == "receipt") == 0
    assert any(e["kind"] == "receipt-suppressed" for e in rows(engine, events))
