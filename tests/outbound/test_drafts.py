"""Mail rendered ahead of the transaction is exactly the mail rendering in it would give."""
import re
from types import SimpleNamespace

import pytest
from hypothesis import given, settings, strategies as st

from mailbot.outbound import drafts
from mailbot.outbound.render import render
from mailbot.pipeline import runner
from mailbot.pipeline.context import Envelope
from mailbot.store.models import messages
from tests.helpers import engine_for, mail, rows

LANGS = ("lv", "lt", "ro", "sk", "ru", "en")
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=120)


def _values(kind, subject, text, position):
    plan = SimpleNamespace(name="Pamata", reaction=(4, "h"))
    common = dict(original_subject=subject, client=SimpleNamespace(name="SIA Acme"), plan=plan,
                  reaction=plan.reaction, sender_name="Jānis", signature="Atbalsts",
                  response_due="otrdiena, 2026. gada 8. decembris, 10:30 EET")
    if kind == "receipt":
        return common | {"follows": None}
    return common | {"agent_name": "Ilze", "text": text, "queue_position": position, "from_name": "Jānis",
                     "not_attached": [],
                     "from_address": "janis@acme.lv", "is_reply": False, "follows": None}


@settings(max_examples=60, deadline=None)
@given(lang=st.sampled_from(LANGS), kind=st.sampled_from(("receipt", "notification")),
       number=st.integers(1, 10**7), position=st.integers(1, 5000), subject=TEXT, text=TEXT,
       assignee=st.sampled_from([None, "ilze@support.test"]))
def test_a_draft_filled_in_is_what_rendering_gives(lang, kind, number, position, subject, text, assignee):
    ticket = {"id": None, "subject": subject, "assignee": assignee, "language": lang, "status": "new"}
    ahead = _values(kind, subject, text, drafts.QUEUE_POSITION)
    made = drafts.draft(kind, lang, ticket, ahead)
    real_ticket, real = ticket | {"id": number}, _values(kind, subject, text, position)
    expected = render(kind, lang, ticket=real_ticket, **real)
    assert drafts.render_with([made] if made else [], kind, lang, real_ticket, real) == expected
    if made is not None:  # and it was the draft that gave it, not a second rendering
        assert drafts.render_with([made], kind, lang, real_ticket, real) == tuple(
            p.replace(drafts.TICKET_ID, str(number)).replace(drafts.QUEUE_POSITION, str(position))
            for p in made.rendered)


def test_a_draft_for_other_inputs_is_not_used():
    ticket = {"id": None, "subject": "Rēķins", "assignee": None, "language": "lv"}
    made = drafts.draft("receipt", "lv", ticket, _values("receipt", "Rēķins", "", None))
    other = _values("receipt", "Rēķins (labots)", "", None)  # the guard took something out, say
    got = drafts.render_with([made], "receipt", "lv", ticket | {"id": 7}, other)
    assert got == render("receipt", "lv", ticket=ticket | {"id": 7}, **other)
    assert "Rēķins (labots)" in got[1]  # the receipt names the subject the client wrote


@pytest.fixture
def staffed(make_config):
    """A dispatcher gets every notification; acme's requests go to its consultant."""
    config, _ = make_config(agents=[
        {"email": "ilze@support.test", "name": "Ilze Bērziņa", "role": "agent"},
        {"email": "disp@support.test", "name": "Dace", "role": "dispatcher", "language": "ru"}],
        clients=[{"id": "acme", "name": "SIA Acme", "language": "lv", "domains": ["acme.lv"], "plan": "basic",
                  "consultant": "ilze@support.test"},
                 {"id": "krizhik", "name": "ООО Крыжик", "language": "ru", "domains": ["krizhik.ru"],
                  "plan": "tip0"}])
    return config


@pytest.mark.parametrize("sender,body", [
    ("Jānis <janis@acme.lv>", "Labdien, rēķins neatveras."),
    ("Пётр <petr@krizhik.ru>", "Счёт не открывается \ue000 \ue001 — символы из частной области."),
    ("stranger@example.org", "Hello"),
])
def test_the_mail_a_new_ticket_sends_is_rendered_for_that_ticket(staffed, sender, body):
    engine = engine_for(staffed)
    env = Envelope("help@support.test", "smtp", sender.split("<")[-1].strip(">"))
    for n in range(3):  # a few tickets, so that number and queue place are not 1
        out = runner.accept(mail(subject=f"Pieprasījums {n}", body=body, sender=sender), env, staffed, engine)
        assert out.status == "stored"
    sent = rows(engine, messages, messages.c.direction == "out", messages.c.ticket_id == out.ticket_id)
    kinds = sorted(m["disposition"] for m in sent)
    assert kinds == ["notification", "receipt"]
    for m in sent:
        assert f"#{out.ticket_id}" in m["subject"] and f"#{out.ticket_id}" in m["body_text"]
        stand_ins = sum(m["body_text"].count(c) + m["subject"].count(c) for c in drafts._STAND_INS)
        if m["disposition"] == "notification":
            assert body in m["body_text"]  # the sender's own characters, untouched
            assert stand_ins == sum(body.count(c) for c in drafts._STAND_INS)
            assert re.search(r": 3 \(", m["body_text"])  # third in the queue
        else:
            assert stand_ins == 0
    engine.dispose()


def test_a_draft_that_fails_never_stops_the_message(monkeypatch, staffed):
    """Drafting is only a head start: if it breaks, the message is stored and its mail rendered as before."""
    from mailbot.pipeline import draft as draft_stage

    def broken(*a, **kw):
        raise RuntimeError("template exploded")
    monkeypatch.setattr(draft_stage, "draft", broken)
    engine = engine_for(staffed)
    out = runner.accept(mail(subject="Rēķins"), Envelope("help@support.test", "smtp", "janis@acme.lv"),
                        staffed, engine)
    assert out.status == "stored"
    sent = rows(engine, messages, messages.c.direction == "out", messages.c.ticket_id == out.ticket_id)
    assert sorted(m["disposition"] for m in sent) == ["notification", "receipt"]
    engine.dispose()
