"""The sender task against a real relay that misbehaves: retries with backoff, gives up on a permanent
refusal, and records both on the ticket; a sender that dies before marking its mail sent; the maildir transport."""
import pytest

from mailbot.store.models import events, outbox, utcnow
from tests.helpers import count, engine_for, free_port, mail, rows, send, sent_mail, wait_until


def test_temporary_refusal_is_retried_until_it_goes_through(desk, sink):
    sink.answer = "451 4.3.0 try again later"
    d = desk(staffed=False)
    engine = d.engine
    send(d.port, mail())
    assert wait_until(lambda: count(engine, events, events.c.kind == "delivery-retry") >= 2)
    assert rows(engine, outbox)[0]["status"] == "pending"
    sink.answer = None
    assert wait_until(lambda: count(engine, outbox, outbox.c.status == "sent") == 1)
    assert len(sink.received) == 1
    row = rows(engine, outbox)[0]
    assert row["attempts"] >= 3 and row["last_error"] is None
    d.stop()


def test_permanent_refusal_fails_at_once_and_is_recorded_on_the_ticket(desk, sink):
    sink.answer = "550 5.1.1 no such user"
    d = desk(staffed=False)
    engine = d.engine
    send(d.port, mail())
    assert wait_until(lambda: count(engine, outbox, outbox.c.status == "failed") == 1)
    [e] = rows(engine, events, events.c.kind == "delivery-failed")
    assert e["ticket_id"] == 1 and "550" in e["detail"]
    d.stop()


def test_relay_down_gives_up_after_max_attempts(make_config, daemon_factory):
    config, _ = make_config(outbound={"transport": "smtp", "smtp": {"host": "127.0.0.1", "port": free_port()},
                                      "max_attempts": 3, "retry_base_seconds": 0.05, "retry_max_seconds": 0.1})
    engine = engine_for(config)
    d = daemon_factory(config, engine)
    send(d.port, mail())
    assert wait_until(lambda: count(engine, outbox, outbox.c.status == "failed") == 1)
    assert rows(engine, outbox)[0]["attempts"] == 3
    assert count(engine, events, events.c.kind == "delivery-retry") == 2
    d.stop()


def test_outbound_disabled_keeps_mail_queued(desk, sink):
    d = desk(staffed=False, outbound={"enabled": False})
    engine = d.engine
    send(d.port, mail())
    assert sent_mail(sink, 1, timeout=0.5) == []  # nothing reaches the relay in half a second
    assert sink.received == [] and rows(engine, outbox)[0]["status"] == "pending"
    d.stop()


def test_sender_crash_before_marking_sent_resends_the_same_mail(config, engine, sink, make_config):
    """By omission: a sender claims a row and dies before marking it; after the lease, another sends it,
    and the resend carries the same Message-ID."""
    import asyncio
    from mailbot.daemon.app import Runtime
    from mailbot.store.outbox import claim
    from mailbot.outbound.sender import Sender
    from mailbot.pipeline.context import Envelope
    from mailbot.pipeline.runner import accept
    config, _ = make_config(outbound={"transport": "smtp", "smtp": {"host": "127.0.0.1", "port": sink.port}})
    accept(mail(message_id="<omit@acme.lv>"), Envelope("help@support.test", "smtp", "janis@acme.lv"), config, engine)
    with engine.begin() as conn:
        [row] = claim(conn, "dead-daemon", 10, lease_seconds=0.3)
    assert wait_until(lambda: rows(engine, outbox)[0]["lease_until"] < utcnow())  # the dead daemon's lease ran out

    async def one_pass():
        runtime = Runtime(config, engine)
        sent = await Sender(runtime).pass_once()
        runtime.executor.shutdown()
        return sent
    assert asyncio.run(one_pass()) == 1
    sent_mail(sink, 1)
    [got] = sink.received
    assert f"<{row.message_id}>".encode() in got.original_content
    assert count(engine, outbox, outbox.c.status == "sent") == 1


@pytest.mark.parametrize("flush", ["file system", "each file"])
def test_maildir_batch_delivers_whole_files_with_unique_names(tmp_path, monkeypatch, flush):
    import asyncio
    import mailbox
    from types import SimpleNamespace
    from mailbot.outbound import sender
    if flush == "file system":
        if sender.SYNCFS is None:
            pytest.skip("syncfs(2) with error reporting needs Linux 5.8 or later")
        monkeypatch.setattr(sender, "SYNCFS_FROM", 2)
    else:
        monkeypatch.setattr(sender, "SYNCFS_FROM", 10 ** 6)
    transport = sender.MaildirTransport(str(tmp_path / "outbox"))
    raws = [f"Subject: {n}\r\n\r\n{'Ā' * 5000 * n}\r\n".encode() for n in range(1, 6)]
    results = asyncio.run(transport.send_all([SimpleNamespace(raw=r) for r in raws]))
    assert results == [None] * 5
    files = list((tmp_path / "outbox" / "new").iterdir())
    assert sorted(f.read_bytes() for f in files) == sorted(raws)  # byte for byte, CRLF kept
    assert len(mailbox.Maildir(str(tmp_path / "outbox"), create=False)) == 5  # a maildir reader sees them
    assert not list((tmp_path / "outbox" / "tmp").iterdir())  # nothing half-written left behind


def test_maildir_batch_whose_flush_fails_delivers_none_of_it(tmp_path, monkeypatch):
    """A write-back error (a failing disk) on the one flush of a batch: no mail of it is known to be on disk,
    so none is moved into new/ and each is tried again later."""
    import asyncio
    import errno
    from types import SimpleNamespace
    from mailbot.outbound import sender

    def failing_disk(fd):
        raise OSError(errno.EIO, "Input/output error")
    monkeypatch.setattr(sender, "SYNCFS", failing_disk)
    monkeypatch.setattr(sender, "SYNCFS_FROM", 2)
    transport = sender.MaildirTransport(str(tmp_path / "outbox"))
    results = asyncio.run(transport.send_all([SimpleNamespace(raw=b"Subject: x\r\n\r\nx\r\n")] * 3))
    assert [getattr(r, "errno", None) for r in results] == [errno.EIO] * 3
    assert not list((tmp_path / "outbox" / "new").iterdir())
    assert not list((tmp_path / "outbox" / "tmp").iterdir())


def test_maildir_that_cannot_be_written_fails_each_mail_and_leaves_nothing(tmp_path):
    import asyncio
    from types import SimpleNamespace
    from mailbot.outbound.sender import MaildirTransport
    (tmp_path / "outbox").mkdir()
    (tmp_path / "outbox" / "new").write_text("not a directory")
    transport = MaildirTransport(str(tmp_path / "outbox"))
    results = asyncio.run(transport.send_all([SimpleNamespace(raw=b"Subject: x\r\n\r\nx\r\n")] * 2))
    assert len(results) == 2 and all(isinstance(r, OSError) for r in results)
    assert not list((tmp_path / "outbox" / "tmp").iterdir())
