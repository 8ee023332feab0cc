"""Bad input through the real listener: each gives a ticket with what could be read, never a dead daemon,
never a half-written ticket, never a parked message."""
import base64
import os

from mailbot.config import Listen
from mailbot.store.models import attachments, messages, outbox, parked, tickets
from tests.helpers import count, engine_for, rows, send

BROKEN = {
    "no_boundary_end": (b"From: a@acme.lv\r\nSubject: broken\r\nMIME-Version: 1.0\r\n"
                        b'Content-Type: multipart/mixed; boundary="Z"\r\n\r\n--Z\r\nContent-Type: text/plain\r\n\r\n'
                        b"text without end\r\n"),
    "no_header_separator": b"From: a@acme.lv\r\nSubject: glued\r\nthis line is not a header\r\nbody\r\n",
    "undeclared_8bit": b"From: a@acme.lv\r\nSubject: R\xc4\x93\xc4\xb7ins\r\n\r\nR\xc4\x93\xc4\xb7ins neatveras\r\n",
    "wrong_charset": (b"From: a@acme.lv\r\nSubject: =?us-ascii?q?r=C4=93=C4=B7ins?=\r\nContent-Type: text/plain; "
                      b"charset=us-ascii\r\n\r\nr\xc4\x93\xc4\xb7ins\r\n"),
    "unknown_charset": b"From: a@acme.lv\r\nSubject: x\r\nContent-Type: text/plain; charset=x-unknown\r\n\r\nhi\xe9\r\n",
    "bad_base64": (b"From: a@acme.lv\r\nSubject: b64\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64"
                   b"\r\n\r\n!!!not base64@@@\r\n"),
    "repeated_headers": b"From: a@acme.lv\r\nFrom: b@acme.lv\r\nSubject: one\r\nSubject: two\r\n\r\nbody\r\n",
    "no_from": b"To: help@support.test\r\nSubject: anonymous\r\n\r\nwho am I\r\n",
    "no_headers": b"just a body line\r\nand another\r\n",
    "nul_bytes": b"From: a@acme.lv\r\nSubject: nul\x00here\r\n\r\nbody\x00with nul\r\n",
    "long_header": b"From: a@acme.lv\r\nSubject: " + b"x" * 5000 + b"\r\n\r\nbody\r\n",
}


def test_malformed_messages_each_become_a_ticket(engine, config, daemon_factory):
    d = daemon_factory(config, engine)
    for name, raw in BROKEN.items():
        code, text = send(d.port, raw, mail_from="a@acme.lv")
        assert code == 250, (name, text)
    assert count(engine, parked) == 0
    assert count(engine, tickets) == len(BROKEN)
    by_subject = {t["subject"]: t for t in rows(engine, tickets)}
    assert "Rēķins" in by_subject  # raw UTF-8 in a header, undeclared
    assert "rēķins" in by_subject  # declared us-ascii, really UTF-8
    no_from = by_subject["anonymous"]
    assert no_from["contact"] == "a@acme.lv"  # the envelope sender stands in
    texts = {m["subject"]: m["body_text"] for m in rows(engine, messages, messages.c.direction == "in")}
    assert "text without end" in texts["broken"]
    assert texts["nulhere"].strip() == "bodywith nul"  # NUL bytes dropped, the rest kept
    d.stop()


def test_no_from_and_no_envelope_sender_still_a_ticket_without_receipt(engine, config, daemon_factory):
    d = daemon_factory(config, engine)
    assert send(d.port, BROKEN["no_from"], mail_from="")[0] == 250
    assert count(engine, tickets) == 1 and count(engine, outbox) == 0
    d.stop()


def test_twenty_megabyte_attachment_and_thousand_parts(make_config, daemon_factory):
    # the shipped limit (conftest makes it small for the other tests): a 20 MB file arrives
    config, _ = make_config(listen={"max_message_size": Listen().max_message_size})
    engine = engine_for(config)
    d = daemon_factory(config, engine)
    payload = os.urandom(20 * 1024 * 1024)
    big = (b"From: a@acme.lv\r\nSubject: big\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n"
           b"--B\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n--B\r\nContent-Type: application/octet-stream; "
           b"name=dump.bak\r\nContent-Transfer-Encoding: base64\r\n\r\n"
           + base64.encodebytes(payload).replace(b"\n", b"\r\n") + b"--B--\r\n")
    assert send(d.port, big)[0] == 250
    [a] = rows(engine, attachments)
    assert a["filename"] == "dump.bak" and a["size"] == len(payload) and bytes(a["data"]) == payload
    parts = b"".join(b"--B\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=p%d.txt\r\n\r\n"
                     b"part %d\r\n" % (i, i) for i in range(1000))
    many = (b"From: a@acme.lv\r\nSubject: many\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=B"
            b"\r\n\r\n" + parts + b"--B--\r\n")
    assert send(d.port, many)[0] == 250
    assert count(engine, attachments) == 1001
    assert count(engine, tickets) == 2
    d.stop()
