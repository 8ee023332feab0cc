"""Any mail we compose is valid mail: it parses back without defects, no line passes RFC 5322's 998 octets, a
file's name comes back as it was (RFC 2231 continuations), and References keep the thread's root and its latest."""
import email
from datetime import datetime, timezone
from email import policy

from hypothesis import given, settings
from hypothesis import strategies as st

from mailbot.mime.parts import Attachment
from mailbot.outbound.render import compose

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=300)
IDS = st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789.-", min_size=1, max_size=1200)
               .map(lambda s: f"{s}@client.test"), max_size=30)


@settings(max_examples=80, deadline=None)
@given(subject=TEXT, name=TEXT, filename=TEXT.filter(lambda s: s == s.strip()), references=IDS,
       text=st.text(max_size=2000))
def test_what_we_compose_parses_back_without_defects(subject, name, filename, references, text):
    raw = compose(sender="help@support.test", sender_name=name, to="janis@acme.lv", subject=subject, text=text,
                  html=f"<p>{text}</p>", message_id="<abc@support.test>", date=datetime.now(timezone.utc),
                  lang="lv", in_reply_to=references[-1] if references else None, references=references,
                  attachments=(Attachment(filename, "application/pdf", b"%PDF-1.4 data"),))
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998
    msg = email.message_from_bytes(raw, policy=policy.default)
    parts = list(msg.walk())
    assert not msg.defects and not any(p.defects for p in parts)
    [attached] = [p for p in parts if p.get_content_disposition() == "attachment"]
    assert attached.get_filename() == filename
    kept = msg["References"].split() if msg["References"] else []
    short = [f"<{r}>" for r in references if len(r) <= 900]
    assert kept == (short if len(short) <= 10 else short[:1] + short[-9:])


def test_a_200_character_cyrillic_file_name_is_split_into_continuations():
    name = "Отчёт о зарплате " + "я" * 200 + ".xlsx"
    raw = compose(sender="help@support.test", sender_name="Atbalsts", to="ilze@support.test", subject="S",
                  text="t", html="<p>t</p>", message_id="<x@support.test>", date=datetime.now(timezone.utc),
                  lang="ru", attachments=(Attachment(name, "application/octet-stream", b"x"),))
    assert b"filename*0*=utf-8''" in raw and b"filename*1*=" in raw
    assert max(len(line) for line in raw.split(b"\r\n")) <= 78 * 2
    msg = email.message_from_bytes(raw, policy=policy.default)
    assert [p.get_filename() for p in msg.iter_attachments()] == [name]


def test_a_notification_stays_under_the_relays_limit(make_config):
    from mailbot.store.models import outbox
    from tests.helpers import AGENTS, engine_for, mail, rows, take
    config, _ = make_config(agents=AGENTS, outbound={"max_message_size": 300_000})
    engine = engine_for(config)
    raw = mail(subject="Lieli faili", body="Labdien! " + "Teksts. " * 20_000,  # 160 KB of text
               attachments=[("small.pdf", b"%PDF" + b"x" * 5_000, "application/pdf"),
                            ("huge.pdf", b"%PDF" + b"x" * 400_000, "application/pdf")])
    take(config, engine, raw)
    [note] = [r for r in rows(engine, outbox) if r["kind"] == "notification"]
    assert len(note["raw"]) <= 300_000
    msg = email.message_from_bytes(note["raw"], policy=policy.default)
    assert [p.get_filename() for p in msg.iter_attachments()] == ["small.pdf"]
    body = msg.get_body(("plain",)).get_content()
    assert "huge.pdf" in body and body.count("Teksts.") >= 20_000  # listed; the text once, whole
    assert msg.get_body(("html",)) is None or msg.get_body(("html",)).get_content_type() != "text/html"
    engine.dispose()
