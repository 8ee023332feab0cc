"""The receipt a new request gets, in each of the six languages: the reference and the client's own subject
(diacritics and Cyrillic intact), text and HTML, and the plan's reaction time in that language's words, with
the number's grammatical form (1 часа / 2 часов / 21 часа, 1 valandą / 2 valandas / 10 valandų ...)."""
import email
import itertools
from email import policy

import pytest

from mailbot.pipeline.context import Envelope
from mailbot.pipeline.runner import accept
from mailbot.store.models import outbox
from tests.helpers import engine_for, mail, rows

SUBJECTS = {
    "lv": "Rēķins neatveras, ģenerējot pārskatu — kļūda",
    "lt": "Sąskaita neatsidaro: ąčęėįšųūž ĄČĘĖĮŠŲŪŽ",
    "ro": "Factură greșită: ș ț ă î â — Ș Ț",
    "sk": "Účtovná uzávierka: chyba pri ľščťžýáíé",
    "ru": "Счёт не открывается: ошибка «Проведение документа»",
    "en": "Invoice will not open",
}
# The receipt's subject prefix, a greeting, and a phrase found only in the English receipt.
PREFIX = {"lv": "Pieprasījums saņemts", "lt": "Užklausa gauta", "ro": "Solicitare primită",
          "sk": "Požiadavka prijatá", "ru": "Обращение получено", "en": "Request received"}
GREETING = {"lv": "Labdien", "lt": "Laba diena", "ro": "Bună ziua", "sk": "Dobrý deň", "ru": "Здравствуйте",
            "en": "Hello"}
ENGLISH = ("Hello", "We have received", "Request received", "within", "hour", "working day", "reply to this")
# The reaction-time sentence of each language, with a number's correct form (what a native reader expects).
REACTION = {
    "lv": [("4h", "mēs reaģēsim 4 stundu laikā"), ("1h", "mēs reaģēsim 1 stundas laikā"),
           ("21h", "mēs reaģēsim 21 stundas laikā"), ("30m", "mēs reaģēsim 30 minūšu laikā"),
           ("15wd", "mēs reaģēsim 15 darba dienu laikā"), ("1wd", "mēs reaģēsim 1 darba dienas laikā")],
    "lt": [("1h", "sureaguosime per 1 valandą"), ("2h", "sureaguosime per 2 valandas"),
           ("10h", "sureaguosime per 10 valandų"), ("21d", "sureaguosime per 21 dieną"),
           ("15wd", "sureaguosime per 15 darbo dienų"), ("2wd", "sureaguosime per 2 darbo dienas")],
    "ro": [("1h", "vom reacționa în termen de 1 oră"), ("4h", "vom reacționa în termen de 4 ore"),
           ("20h", "vom reacționa în termen de 20 de ore"), ("15wd", "vom reacționa în termen de 15 zile lucrătoare"),
           ("1wd", "vom reacționa în termen de 1 zi lucrătoare")],
    "sk": [("1h", "je 1 hodina."), ("2h", "je 2 hodiny."), ("5h", "je 5 hodín."), ("1d", "je 1 deň."),
           ("15wd", "je 15 pracovných dní."), ("3wd", "je 3 pracovné dni.")],
    "ru": [("1h", "мы отреагируем в течение 1 часа"), ("2h", "мы отреагируем в течение 2 часов"),
           ("5h", "мы отреагируем в течение 5 часов"), ("21h", "мы отреагируем в течение 21 часа"),
           ("30m", "мы отреагируем в течение 30 минут"), ("15wd", "мы отреагируем в течение 15 рабочих дней"),
           ("1wd", "мы отреагируем в течение 1 рабочего дня")],
    "en": [("1h", "we will react within 1 hour"), ("4h", "we will react within 4 hours"),
           ("1d", "we will react within 1 day"), ("15wd", "we will react within 15 working days"),
           ("1wd", "we will react within 1 working day")],
}


def _desk(make_config, cases):
    """A desk with one client (and plan) per (language, reaction time): client `c<i>` writes from c<i>.test."""
    plans = [{"name": f"plāns-{lang}-{rt}", "reaction_time": rt} for lang, rt in cases]
    clients = [{"id": f"c{i}", "name": f"Client {i}", "language": lang, "domains": [f"c{i}.test"],
                "plan": f"plāns-{lang}-{rt}"} for i, (lang, rt) in enumerate(cases)]
    config, _ = make_config(plans=plans, clients=clients)
    engine = engine_for(config)
    return config, engine


def _receipt(config, engine, i, lang):
    """Client c<i> writes a new request; returns (ticket id, its receipt as the client's mail program reads it)."""
    sender = f"c{i}@c{i}.test"
    outcome = accept(mail(subject=SUBJECTS[lang], sender=f"Kontakts {i} <{sender}>", body="…"),
                     Envelope("help@support.test", "smtp", sender), config, engine)
    assert outcome.status == "stored" and outcome.ticket_id
    [row] = rows(engine, outbox, outbox.c.ticket_id == outcome.ticket_id, outbox.c.kind == "receipt")
    assert row["rcpt"] == sender
    return outcome.ticket_id, email.message_from_bytes(row["raw"], policy=policy.default)


def _parts(receipt):
    text, html = receipt.get_body(("plain",)), receipt.get_body(("html",))
    assert text is not None and html is not None, receipt.get_content_type()
    return text.get_content(), html.get_content()


@pytest.mark.parametrize("lang", list(REACTION))
def test_receipt_states_the_reaction_time_in_the_clients_language(make_config, lang):
    cases = [(lang, rt) for rt, _ in REACTION[lang]]
    config, engine = _desk(make_config, cases)
    for i, (rt, phrase) in enumerate(REACTION[lang]):
        ticket, receipt = _receipt(config, engine, i, lang)
        assert receipt["Subject"] == f"[#{ticket}] {PREFIX[lang]}: {SUBJECTS[lang]}"
        assert receipt["Content-Language"] == lang
        text, html = _parts(receipt)
        for body in (text, html):
            assert phrase in body, f"{lang} {rt}: {phrase!r} not in\n{body}"
            assert GREETING[lang] in body and f"#{ticket}" in body and SUBJECTS[lang] in body
            assert f"plāns-{lang}-{rt}" in body  # the plan is named
        if lang != "en":
            assert not [w for w in ENGLISH if w in text], text
    engine.dispose()


def test_the_six_receipts_are_six_translations(make_config):
    """Same plan, same kind of request: with the reference and the subject taken out, no two languages' receipts
    are alike, and each has its own words."""
    langs = list(SUBJECTS)
    config, engine = _desk(make_config, [(lang, "4h") for lang in langs])
    bodies = {}
    for i, lang in enumerate(langs):
        ticket, receipt = _receipt(config, engine, i, lang)
        text, html = _parts(receipt)
        assert GREETING[lang] in text and GREETING[lang] in html
        bodies[lang] = [b.replace(f"#{ticket}", "#N").replace(SUBJECTS[lang], "S").replace(f"plāns-{lang}-4h", "P")
                        for b in (text, html)]
    for a, b in itertools.combinations(langs, 2):
        assert bodies[a][0] != bodies[b][0] and bodies[a][1] != bodies[b][1], (a, b)
        assert GREETING[b] not in bodies[a][0], (a, b)
    engine.dispose()
