"""The Dovecot test helper (tests/dovecot.py) itself: a real IMAP server on loopback."""
import imaplib
import socket
import ssl
import time

import pytest

from tests.dovecot import Dovecot, make_dovecot

MAIL = b"From: Janis <janis@acme.lv>\nTo: help@support.test\nSubject: Test\n\nLabdien!\n"


def _refused(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return False
    except ConnectionRefusedError:
        return True


def test_start_stop(tmp_path):
    d = Dovecot(tmp_path / "dv", {"help": "pw1"})
    t = time.monotonic()
    d.start()
    assert time.monotonic() - t < 5
    assert d.running and d.host == "127.0.0.1"
    with imaplib.IMAP4(d.host, d.port, timeout=10) as c:
        assert c.welcome.startswith(b"* OK")
        c.login("help", "pw1")
    t = time.monotonic()
    for attempt in range(2):  # no escalating auth penalty: each failure answers in ~0.5 s
        with imaplib.IMAP4(d.host, d.port, timeout=10) as c:
            with pytest.raises(imaplib.IMAP4.error, match="AUTHENTICATIONFAILED"):
                c.login("help", f"wrong{attempt}")
    assert time.monotonic() - t < 3
    d.stop()
    assert not d.running and _refused(d.port)
    d.stop()  # idempotent


def test_append_uids_flags_folders(dovecot):
    uid = dovecot.append("help", MAIL)
    assert dovecot.uids("help") == [uid]
    assert dovecot.flags("help", uid) == set()
    uid2 = dovecot.append("help", MAIL.replace(b"Test", b"Otrs"), flags=("\\Seen", "$Forwarded"))
    assert uid2 > uid and dovecot.uids("help") == [uid, uid2]
    assert dovecot.flags("help", uid2) == {"\\Seen", "$Forwarded"}
    dovecot.set_flags("help", uid, "\\Answered")
    assert dovecot.flags("help", uid) == {"\\Answered"}
    dovecot.set_flags("help", uid, "\\Deleted")
    assert dovecot.uids("help") == [uid2]  # \Deleted messages are left out
    with pytest.raises(KeyError):
        dovecot.flags("help", 999)
    # the message reached the server with CRLF line endings
    with dovecot.connect("help") as c:
        c.select("INBOX", readonly=True)
        typ, dat = c.uid("FETCH", str(uid2), "(BODY.PEEK[])")
        assert typ == "OK" and dat[0][1] == MAIL.replace(b"Test", b"Otrs").replace(b"\n", b"\r\n")
    # other users are separate; folders are created on demand, non-ASCII names work
    assert dovecot.uids("suport") == []
    uid3 = dovecot.append("suport", MAIL, folder="Apstrādāts")
    assert dovecot.uids("suport", "Apstrādāts") == [uid3]
    dovecot.create_folder("suport", "Two words")
    assert dovecot.folders("suport") == ["Apstrādāts", "INBOX", "Two words"]
    assert dovecot.folders("help") == ["INBOX"]


def test_append_many_is_fast(dovecot):
    raws = [MAIL.replace(b"Test", b"Msg %d" % i) for i in range(500)]
    t = time.monotonic()
    uids = dovecot.append_many("iebildumi", raws)
    assert time.monotonic() - t < 5  # typically ~0.3 s
    assert uids == list(range(uids[0], uids[0] + 500))
    assert dovecot.uids("iebildumi") == uids
    # a missing folder is created; flags apply to every message; single appends continue the UIDs
    more = dovecot.append_many("iebildumi", raws[:3], folder="Imports", flags=("\\Seen",))
    assert more == [1, 2, 3] and dovecot.flags("iebildumi", 2, "Imports") == {"\\Seen"}
    assert dovecot.append("iebildumi", raws[3], folder="Imports") == 4
    assert dovecot.append_many("iebildumi", []) == []


def test_restart_keeps_data_and_port(dovecot):
    uid = dovecot.append("help", MAIL, folder="Archive")
    port, validity = dovecot.port, dovecot.uidvalidity("help", "Archive")
    with dovecot.connect("help") as c:  # an open session ends with the old server
        c.select("Archive")
        dovecot.restart()
        with pytest.raises((imaplib.IMAP4.abort, OSError)):
            c.noop()
    assert dovecot.port == port and dovecot.running
    assert dovecot.uids("help", "Archive") == [uid]
    assert dovecot.uidvalidity("help", "Archive") == validity
    assert dovecot.append("help", MAIL, folder="Archive") == uid + 1


def test_reset_folder_changes_uidvalidity(dovecot):
    dovecot.append_many("help", [MAIL, MAIL], folder="Work")
    before = dovecot.uidvalidity("help", "Work")
    dovecot.reset_folder("help", "Work")
    assert dovecot.uidvalidity("help", "Work") != before
    assert dovecot.uids("help", "Work") == []
    assert dovecot.append("help", MAIL, folder="Work") == 1
    dovecot.reset_folder("help", "Fresh")  # a missing folder is simply created
    assert "Fresh" in dovecot.folders("help")
    with pytest.raises(ValueError):
        dovecot.reset_folder("help", "inbox")


def test_capability_without_hides_move(tmp_path):
    with make_dovecot(tmp_path, {"help": "pw1"}, capability_without=("MOVE",)) as d:
        with imaplib.IMAP4(d.host, d.port, timeout=10) as c:
            c.login("help", "pw1")
            typ, dat = c.capability()
            caps = dat[-1].decode().upper().split()
        assert typ == "OK" and "MOVE" not in caps
        assert {"IMAP4REV1", "UIDPLUS", "IDLE"} <= set(caps)
        # the LOGIN reply's [CAPABILITY ...] code (which clients may use instead) agrees
        with socket.create_connection((d.host, d.port), timeout=10) as s, s.makefile("rb") as f:
            f.readline()
            s.sendall(b"a LOGIN help pw1\r\n")
            reply = f.readline()
            s.sendall(b"b LOGOUT\r\n")
        assert reply.startswith(b"a OK [CAPABILITY IMAP4rev1") and b" MOVE" not in reply
        assert b"UIDPLUS" in reply
        d.restart()
        assert "MOVE" not in d.capabilities("help")
    with make_dovecot(tmp_path, {"help": "pw1"}, name="plain") as d:
        assert "MOVE" in d.capabilities("help")
    with pytest.raises(ValueError):
        make_dovecot(tmp_path, {"help": "pw1"}, name="typo", capability_without=("NOSUCHCAP",))


def test_ssl(dovecot_factory):
    d = dovecot_factory(tls="ssl")
    ctx = ssl.create_default_context(cafile=str(d.ca_file))
    with imaplib.IMAP4_SSL("localhost", d.port, ssl_context=ctx, timeout=10) as c:
        c.login("help", "pw1")
        assert c.sock.version().startswith("TLS")
    with imaplib.IMAP4_SSL(d.host, d.port, ssl_context=ctx, timeout=10) as c:  # IP SAN: 127.0.0.1 verifies too
        c.login("suport", "pw2")
    with pytest.raises(ssl.SSLCertVerificationError):  # not trusted without the CA file
        imaplib.IMAP4_SSL(d.host, d.port, ssl_context=ssl.create_default_context(), timeout=10)
    assert _refused_plain(d)
    uid = d.append("help", MAIL)
    assert d.append_many("help", [MAIL, MAIL]) == [uid + 1, uid + 2]
    d.restart()
    assert d.uids("help") == [uid, uid + 1, uid + 2]


def _refused_plain(d) -> bool:
    """An implicit-TLS server has no plain IMAP greeting on its port."""
    with socket.create_connection((d.host, d.port), timeout=10) as s:
        s.settimeout(0.3)
        try:
            return not s.recv(10).startswith(b"* OK")
        except TimeoutError:
            return True


def test_starttls(dovecot_factory):
    d = dovecot_factory(tls="starttls", capability_without=("MOVE",))
    ctx = ssl.create_default_context(cafile=str(d.ca_file))
    seen = len(d.logins())
    with imaplib.IMAP4(d.host, d.port, timeout=10) as c:
        assert "STARTTLS" in c.capabilities
        c.starttls(ssl_context=ctx)
        c.login("help", "pw1")
        assert "MOVE" not in c.capability()[1][-1].decode().split()
    assert d.logins(at_least=seen + 1)[-1] == {"user": "help", "method": "PLAIN", "tls": True}
    # on 127.0.0.1 Dovecot counts the connection as secure (same IP both ends): LOGIN works without TLS,
    # and logins() tells the two apart
    with imaplib.IMAP4(d.host, d.port, timeout=10) as c:
        c.login("suport", "pw2")
    assert d.logins(at_least=seen + 2)[-1] == {"user": "suport", "method": "PLAIN", "tls": False}
    assert d.uids("help", "INBOX") == []
    assert d.append("help", MAIL) == 1


def test_starttls_enforced_off_same_ip(dovecot_factory):
    d = dovecot_factory(tls="starttls", host="127.0.0.2")
    ctx = ssl.create_default_context(cafile=str(d.ca_file))
    with imaplib.IMAP4(d.host, d.port, timeout=10) as c:
        assert "STARTTLS" in c.capabilities and "LOGINDISABLED" in c.capabilities
        with pytest.raises(imaplib.IMAP4.error, match="PRIVACYREQUIRED"):
            c.login("help", "pw1")
    with imaplib.IMAP4(d.host, d.port, timeout=10) as c:
        c.starttls(ssl_context=ctx)  # the certificate names 127.0.0.2 too
        c.login("help", "pw1")
    assert d.append("help", MAIL) == 1
