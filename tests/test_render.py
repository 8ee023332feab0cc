"""Our outgoing mail as a client's mail program reads it: headers decode to exactly what was rendered."""
import email
import email.policy
from datetime import datetime, timezone

from hypothesis import given, strategies as st

from mailbot.outbound.render import compose, one_line

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
