"""Agents read what mailbot tells them in their own language: every notice code (mailbot.agents.notices) has its
phrase in all six languages, and a confirmation, a refusal or a security alert holds no sentence from another."""
import re

import pytest

from mailbot.agents.notices import CODES, notice
from mailbot.outbound.render import render, say

LANGS = ("en", "lv", "lt", "ro", "sk", "ru")
# Values for every code's placeholders: tags as agents write them, ids, dates.
VALUES = dict(raw="[31.02.2026 1h]", keyword="assign", expected="name", field="category", first="[note]",
              second="[resolved]", client="acme", ticket=12, tag="waiting", status="closed", name="janis",
              month="2026-13", date="2026-12-31", category="paid", minutes=30, agent="ilze@vendor.lv",
              priority="P2", period="2026-11", version=2, old="new", new="open", token_ticket=3, subject_ticket=4,
              server="mx.vendor.lv", domain="vendor.lv", domains="esp.example", from_domain="vendor.lv",
              text="fixed the VAT rounding of the invoice form", objection=7, entries=3)


# What is the same in every language: tags, addresses and host names, key=value tokens, numbers and punctuation.
NOT_WORDS = re.compile(r"\[[^\]]*\]|\S+[@.]\S+|\S*=\S*|[\d#.:;,()'„”\"-]+")


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_code_is_said_in_every_language(code):
    phrases = {lang: say([notice(code, **VALUES)], lang)[0] for lang in LANGS}
    for lang, phrase in phrases.items():
        assert phrase.strip() and phrase != code, (lang, phrase)
    # six translations, not one sentence six times (tags and addresses alone may coincide: compare the words)
    words = {lang: NOT_WORDS.sub(" ", p).split() for lang, p in phrases.items()}
    if any(words.values()):
        english = words["en"]
        assert all(words[lang] != english for lang in LANGS[1:] if words[lang]), phrases


def test_unknown_codes_are_refused():
    with pytest.raises(ValueError):
        notice("no-such-code")


ENGLISH = ("unknown tag", "not possible", "together", "reply token", "no Authentication-Results", "opened-by-agent")


@pytest.mark.parametrize("lang", LANGS[1:])
def test_an_agent_reads_no_english(lang):
    ticket = {"id": 12, "subject": "Re: [#12] Printing fails", "language": "lv"}
    errors = [notice("unknown-tag", raw="[frobnicate]"), notice("status-not-possible", tag="reopen", ticket=12,
                                                                    status="new"),
              notice("take-and-assign", first="[take]", second="[assign ilze]")]
    applied = [notice("time", minutes=30, category="paid", date="2026-12-07"), notice("status", old="new", new="open")]
    why = [notice("token-missing"), notice("authres-none")]
    common = dict(ticket=ticket, agent_name="Ilze", agent_subject="Re: [#12] Printing fails [x]")
    for kind, values in (("command-result", dict(errors=errors, applied=[])),
                         ("command-result", dict(errors=[], applied=applied)),
                         ("security-alert", dict(why=why, claimed_from="ilze@vendor.lv", envelope_from=""))):
        subject, text, html = render(kind, lang, **common, **values)
        for phrase in ENGLISH:
            assert phrase not in text and phrase not in html, (lang, kind, phrase, text)


def test_html_escapes_what_the_agent_wrote():
    _, _, html = render("command-result", "en", ticket={"id": 1, "subject": "x"}, agent_name="A", agent_subject="x",
                        errors=[notice("unknown-tag", raw="[<b>x</b>]")], applied=[])
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html
