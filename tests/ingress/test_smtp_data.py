"""DATA read in bulk (mailbot.ingress.data): the message we store is byte for byte what the client sent,
however the bytes arrive, and the size limit still answers 552."""
import asyncio
import smtplib

from hypothesis import given, settings, strategies as st

from mailbot.ingress.data import read_data
from mailbot.store.models import messages, raw_messages
from tests.helpers import count, mail, rows


def _stuff(content: bytes) -> bytes:
    """What a client puts on the wire for `content` (lines ending in CRLF): dot-stuffed, then the end line."""
    lines = content.split(b"\r\n")[:-1] if content else []
    return b"".join((b"." + line if line.startswith(b".") else line) + b"\r\n" for line in lines) + b".\r\n"


def _read(wire: bytes, cuts: list[int], limit=None, limit_bytes=64):
    async def go():
        reader = asyncio.StreamReader(limit=limit_bytes)
        pieces, last = [], 0
        for cut in sorted(c % (len(wire) + 1) for c in cuts) + [len(wire)]:
            pieces.append(wire[last:cut])
            last = max(last, cut)
        for piece in pieces:
            reader.feed_data(piece)
        reader.feed_data(b"QUIT\r\n")  # a pipelined command after the message stays for the next read
        content = await read_data(reader, limit)
        return content, await reader.readline()
    return asyncio.run(go())


LINES = st.lists(st.sampled_from([b"", b".", b"..", b".x", b"Paldies.", b"a.", b"\r", b"x\r.", b"ok", b". .",
                                  "Rēķins neatveras".encode(), b"." * 70, b"x" * 130]), max_size=12)


@settings(max_examples=300)
@given(LINES, st.lists(st.integers(0, 2000), max_size=6), st.sampled_from([8, 64, 65536]))
def test_any_content_in_any_pieces_reads_back_exactly(lines, cuts, limit_bytes):
    content = b"".join(line + b"\r\n" for line in lines)
    got, after = _read(_stuff(content), cuts, limit_bytes=limit_bytes)
    assert got == content and after == b"QUIT\r\n"


def test_over_the_limit_reads_to_the_end_and_keeps_nothing():
    content = b"x" * 500 + b"\r\n" + b".hidden\r\n" * 50
    got, after = _read(_stuff(content), [7, 300], limit=400)
    assert got is None and after == b"QUIT\r\n"
    assert _read(_stuff(content), [], limit=len(_stuff(content)) - 3)[0] == content  # the limit counts the wire


def test_dot_lines_and_empty_messages_through_the_listener(engine, config, daemon_factory):
    d = daemon_factory(config, engine)
    body = ".\n..\n.leading dot\nPaldies.\n.\n"
    sent = mail(body=body, message_id="<dots@acme.lv>")
    with smtplib.SMTP("127.0.0.1", d.port, timeout=30) as s:
        assert s.sendmail("janis@acme.lv", ["help@support.test"], sent) == {}
        too_big = b"Subject: big\r\n\r\n" + b"x" * (config.listen.max_message_size + 10)
        s.mail("janis@acme.lv")  # no SIZE declared: the listener finds out while reading
        s.rcpt("help@support.test")
        assert s.data(too_big)[0] == 552
        s.sendmail("janis@acme.lv", ["help@support.test"], b"Subject: empty\r\n\r\n")  # same connection, still fine
    [first, second] = rows(engine, messages, messages.c.direction == "in")
    stored = rows(engine, raw_messages, raw_messages.c.message_id == first["id"], order=raw_messages.c.message_id)[0]["raw"]
    assert stored.replace(b"\r\n", b"\n") == sent.replace(b"\r\n", b"\n")
    assert first["body_text"].rstrip("\n") == body.rstrip("\n") and second["subject"] == "empty"
    assert count(engine, messages, messages.c.direction == "in") == 2
    d.stop()
