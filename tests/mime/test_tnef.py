"""winmail.dat (Outlook's TNEF): the files inside become the message's attachments, so agents on any mail
client can open them and the personal-data guard reads them; a damaged one is kept as it arrived.

The TNEF streams are built here from the format's own layout (MS-OXTNEF 2.1.3: signature, key, then
attributes of level, id, length, data and a 16-bit checksum), as Outlook writes them."""
from __future__ import annotations

import base64
import random
import struct

from hypothesis import given, settings
from hypothesis import strategies as st

from mailbot.mime.message import parse
from mailbot.privacy.scan import Context, scan_message
from tests.privacy_set import codes

MESSAGE, ATTACHMENT = 1, 2
BYTE, STRING, DWORD = 0x0006, 0x0001, 0x0008


def _attr(level: int, name: int, kind: int, data: bytes) -> bytes:
    return bytes([level]) + struct.pack("<HHI", name, kind, len(data)) + data + struct.pack("<H", sum(data) & 0xFFFF)


def tnef(files=(), body: bytes | None = None, codepage=1257) -> bytes:
    out = struct.pack("<IH", 0x223E9F78, 0x0A1B)
    out += _attr(MESSAGE, 0x9006, DWORD, struct.pack("<I", 0x10000))  # attTnefVersion
    out += _attr(MESSAGE, 0x9007, BYTE, struct.pack("<II", codepage, 0))  # attOemCodepage
    out += _attr(MESSAGE, 0x8008, 0x0007, b"IPM.Microsoft Mail.Note\x00")  # attMessageClass
    if body is not None:
        out += _attr(MESSAGE, 0x800C, 0x0002, body)  # attBody
    for title, data in files:
        out += _attr(ATTACHMENT, 0x9002, BYTE, bytes(14))  # attAttachRendData: a new attachment
        out += _attr(ATTACHMENT, 0x8010, STRING, title + b"\x00")  # attAttachTitle, in the code page
        out += _attr(ATTACHMENT, 0x800F, BYTE, data)  # attAttachData
    return out


def outlook_mail(winmail: bytes, text: str | None = "Labdien, pielikumā algu saraksts.") -> bytes:
    parts = []
    if text is not None:
        parts.append(b"Content-Type: text/plain; charset=windows-1257\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                     + text.encode("cp1257") + b"\r\n")
    parts.append(b'Content-Type: application/ms-tnef; name="winmail.dat"\r\nContent-Disposition: attachment; '
                 b'filename="winmail.dat"\r\nContent-Transfer-Encoding: base64\r\n\r\n' + base64.encodebytes(winmail))
    return (b"From: Ilze <ilze@acme.lv>\r\nTo: help@support.test\r\nSubject: Algas\r\nMessage-ID: <w@acme.lv>\r\n"
            b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=BB\r\n\r\n"
            + b"".join(b"--BB\r\n" + p for p in parts) + b"--BB--\r\n")


CODE = codes.lv_personas_kods(random.Random(7))
CSV = f"Vārds;Uzvārds;Personas kods\r\nJānis;Ozols;{CODE}\r\n".encode("utf-8")
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_the_files_inside_a_winmail_dat_become_the_attachments():
    name = "algas_oktobris_ķēde.csv".encode("cp1257")  # an 8-bit title in the sender's code page
    msg = parse(outlook_mail(tnef([(name, CSV), (b"rekins.pdf", PDF)])))
    assert [(a.filename, a.content_type, a.data) for a in msg.attachments] == [
        ("algas_oktobris_ķēde.csv", "text/csv", CSV), ("rekins.pdf", "application/pdf", PDF)]
    assert msg.text == "Labdien, pielikumā algu saraksts."
    assert not msg.defects


def test_same_names_are_kept_apart_and_unsafe_names_made_safe():
    msg = parse(outlook_mail(tnef([(b"a.txt", b"one"), (b"a.txt", b"two"), (b"..\\..\\boot.ini", b"three")])))
    assert [(a.filename, a.data) for a in msg.attachments] == [("a.txt", b"one"), ("a1.txt", b"two"),
                                                               ("_.._boot.ini", b"three")]


def test_the_guard_reads_a_payroll_sheet_inside_winmail_dat():
    msg = parse(outlook_mail(tnef([(b"algas.csv", CSV)])))
    report = scan_message(msg, Context(sender="ilze@acme.lv", sender_name="Ilze"))
    assert ("lv-personas-kods", "algas.csv", CODE) in {(f.kind, f.where, f.value) for f in report.findings}


def test_the_text_of_a_winmail_dat_is_the_text_of_a_message_without_one():
    msg = parse(outlook_mail(tnef([(b"a.txt", b"xyz")], body="Sveiki! Prašau žiūrėti priedą.".encode("cp1257")),
                             text=None))
    assert msg.text == "Sveiki! Prašau žiūrėti priedą."
    assert [a.filename for a in msg.attachments] == ["a.txt"]


def test_a_winmail_dat_without_files_or_damaged_is_kept_as_it_arrived():
    empty = tnef()
    msg = parse(outlook_mail(empty))
    assert [(a.filename, a.data) for a in msg.attachments] == [("winmail.dat", empty)]
    damaged = b"\x78\x9f\x3e\x22" + b"\x00\x00\x02\x10\x80"  # a signature, then a cut-off attribute
    broken = b"NOT TNEF AT ALL" * 3
    for data in (damaged, broken):
        msg = parse(outlook_mail(data))
        assert [(a.filename, a.content_type, a.data) for a in msg.attachments] == [
            ("winmail.dat", "application/ms-tnef", data)]
        assert msg.text == "Labdien, pielikumā algu saraksts."


def test_names_are_read_in_the_code_page_the_stream_declares():
    """No text part gives a charset hint here: the stream's attOemCodepage (1257, Baltic) decides."""
    msg = parse(outlook_mail(tnef([("ūž_rēķins.txt".encode("cp1257"), b"abc")]), text=None))
    assert [a.filename for a in msg.attachments] == ["ūž_rēķins.txt"]
    russian = parse(outlook_mail(tnef([("Счёт.txt".encode("cp1251"), b"abc")], codepage=1251), text=None))
    assert [a.filename for a in russian.attachments] == ["Счёт.txt"]


def test_a_file_that_cannot_be_taken_out_keeps_the_winmail_dat_beside_the_others():
    """An empty file, or a one-byte file at the very end (tnefparse does not read a last attribute of 12
    bytes), cannot be taken out: the winmail.dat stays too, so nothing is lost, and the defect says so."""
    for files in ([(b"a.pdf", PDF), (b"b.txt", b"x")], [(b"a.pdf", PDF), (b"empty.txt", b""), (b"c.txt", b"abc")]):
        data = tnef(files)
        msg = parse(outlook_mail(data))
        names = [a.filename for a in msg.attachments]
        assert names[0] == "winmail.dat" and msg.attachments[0].data == data, names
        assert "a.pdf" in names and any("not readable" in d for d in msg.defects)


def test_a_winmail_dat_with_too_many_attributes_is_kept_unread():
    """tnefparse copies the rest of the stream per attribute: a crafted stream of many tiny attributes would
    hold up every message behind it. Such a stream is kept as it arrived, at once."""
    data = tnef([(b"a.txt", b"abc")] * 1000)  # 3,000 attributes of a few bytes each
    msg = parse(outlook_mail(data))
    assert [(a.filename, a.data) for a in msg.attachments] == [("winmail.dat", data)]
    assert any("too complex" in d for d in msg.defects)
    few = parse(outlook_mail(tnef([(b"a.txt", b"abc")] * 100)))
    assert len(few.attachments) == 100 and not few.defects


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400), st.booleans())
def test_any_winmail_dat_parses_without_raising_and_loses_no_bytes(tail, signed):
    """Either the winmail.dat is kept as it arrived, or every file tnefparse finds in it is an attachment."""
    data = (struct.pack("<IH", 0x223E9F78, 1) if signed else b"") + tail
    msg = parse(outlook_mail(data))
    assert msg.text == "Labdien, pielikumā algu saraksts."
    kept = [a.data for a in msg.attachments]
    if data not in kept:
        from tnefparse import TNEF
        assert len(kept) == len(TNEF(data, do_checksum=False).attachments) and all(kept)
