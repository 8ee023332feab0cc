"""Our outgoing mail as a client's mail program reads it: headers decode to exactly what was rendered, and nothing
of a client's subject (an encoded CR LF, say) becomes a header of our receipt."""
import email
import email.policy
from email import policy
from datetime import datetime, timezone

from hypothesis import given, strategies as st

from mailbot.outbound.render import compose, one_line
from mailbot.store.models import outbox
from tests.helpers import rows, send

SAMPLES = ["Rēķins neatveras", "Prašome padėti: sąskaita", "Factură greșită — ș ț ă", "Ďakujem, účtovníctvo",
           "Счёт не открывается", "plain ASCII subject", "😀 emoji and Ω"]


def _mail(subject: str, name: str = "Atbalsts — Jānis") -> email.message.EmailMessage:
    raw = compose(sender="help@vendor.lv", sender_name=name, to="janis@acme.lv", subject=subject, text="t",
                  html="<p>t</p>", message_id="<x@vendor.lv>", date=datetime(2026, 12, 2, tzinfo=timezone.utc),
                  lang="lv")
    for line in raw.split(b"\r\n\r\n", 1)[0].split(b"\r\n"):
        assert len(line) <= 78, line  # RFC 5322's line length, including folded encoded words
    return email.message_from_bytes(raw, policy=email.policy.default)


def test_subjects_in_every_language_decode_exactly():
    for text in SAMPLES:
        subject = f"[#1234] Pieprasījums saņemts: {text} " * 6
        msg = _mail(subject)
        assert msg["Subject"] == one_line(subject, 900)
        assert msg["From"].addresses[0].display_name == "Atbalsts — Jānis"


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=300))
def test_any_subject_round_trips_and_stays_one_header(text):
    msg = _mail(text)
    assert msg["Subject"] == one_line(text, 900)
    assert len(msg.get_all("Subject")) == 1 and msg.get_all("Bcc") is None


def _words_by_character(value: str, lead: int = 0) -> list[bytes]:
    """The rule, one character at a time: as many whole characters as fit each word's budget of bytes."""
    words, chunk, size = [], [], 0
    budget = max(3, (76 - lead - 12) // 4 * 3)
    for ch in value:
        n = len(ch.encode("utf-8", "replace"))
        if chunk and size + n > budget:
            words.append("".join(chunk).encode("utf-8", "replace"))
            chunk, size, budget = [], 0, 45
        chunk.append(ch)
        size += n
    words.append("".join(chunk).encode("utf-8", "replace"))
    return words


@given(st.text(min_size=0, max_size=400), st.integers(min_value=0, max_value=30))
def test_encoded_words_hold_whole_characters_within_their_length(text, lead):
    """Any text (lone surrogates too: they become '?'), any header name before it (up to 30 characters with its colon): each word decodes on its own
    to whole characters, the words are exactly the character-by-character cut, and no line passes 76."""
    import base64
    import re
    from mailbot.outbound.render import encoded_words
    folded = encoded_words(text, lead)
    lines = folded.split("\r\n ")
    words = [base64.b64decode(re.fullmatch(r"=\?utf-8\?b\?([A-Za-z0-9+/=]*)\?=", w).group(1)) for w in lines]
    assert words == _words_by_character(text, lead)
    assert b"".join(words).decode("utf-8") == text.encode("utf-8", "replace").decode("utf-8")
    assert lead + len(lines[0]) <= 76 and all(len(line) <= 75 for line in lines[1:])


def test_crlf_in_subject_is_never_reflected_into_our_headers(engine, config, daemon_factory):
    d = daemon_factory(config, engine)
    raw = (b"From: janis@acme.lv\r\nTo: help@support.test\r\nMessage-ID: <inj@acme.lv>\r\n"
           b"Subject: =?utf-8?q?Hello=0D=0ABcc:_victim@else.where=0D=0AX-Evil:_1?=\r\n\r\nbody\r\n")
    assert send(d.port, raw)[0] == 250
    [row] = rows(engine, outbox)
    receipt = email.message_from_bytes(row["raw"], policy=policy.default)
    assert receipt["Bcc"] is None and receipt["X-Evil"] is None
    assert "\n" not in receipt["Subject"] and "\r" not in receipt["Subject"]
    assert row["recipients"] == "janis@acme.lv"
    d.stop()
