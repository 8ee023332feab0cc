"""PostgreSQL as the multi-node engine: the same flow, and two daemons on one database never double work."""
import asyncio
import threading

import pytest

from mailbot.daemon.app import Runtime
from mailbot.outbound.sender import Sender
from mailbot.pipeline.context import Envelope
from mailbot.pipeline.runner import accept
from mailbot.store.models import messages, outbox, tickets
from tests.helpers import count, engine_for, mail, rows, send, sent_mail

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg(make_config, pg_url):
    config, path = make_config(database={"url": pg_url})
    engine = engine_for(config)
    yield config, engine
    engine.dispose()


def test_smtp_to_ticket_on_postgres(pg, daemon_factory):
    config, engine = pg
    d = daemon_factory(config, engine)
    assert send(d.port, mail(subject="Ошибка 1С", sender="Иван <ivan@krizhik.ru>", message_id="<pg1@k.ru>"))[0] == 250
    assert send(d.port, mail(subject="Отв: ошибка 1с", sender="ivan@krizhik.ru"))[0] == 250
    [t] = rows(engine, tickets)
    assert t["subject"] == "Ошибка 1С" and t["language"] == "ru"
    assert count(engine, messages, messages.c.direction == "in") == 2
    d.stop()


def test_concurrent_redelivery_to_two_daemons_has_one_effect(pg):
    config, engine = pg
    raw = mail(message_id="<race@acme.lv>")
    env = Envelope("help@support.test", "smtp", "janis@acme.lv")
    barrier = threading.Barrier(8)
    results = []

    def worker():
        barrier.wait()
        results.append(accept(raw, env, config, engine).status)
    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["duplicate"] * 7 + ["stored"]
    assert count(engine, tickets) == 1 and count(engine, outbox) == 1


def test_two_senders_never_send_a_row_twice(pg, sink, make_config, pg_url):
    config, engine = pg
    config, _ = make_config(database={"url": pg_url},
                            outbound={"transport": "smtp", "smtp": {"host": "127.0.0.1", "port": sink.port}})
    env = Envelope("help@support.test", "smtp", "x@acme.lv")
    for i in range(40):
        accept(mail(subject=f"Q{i}", sender=f"c{i}@acme.lv"), env, config, engine)

    async def both():
        a, b = Runtime(config, engine), Runtime(config, engine)
        sa, sb = Sender(a), Sender(b)
        total = 0
        while True:
            n = sum(await asyncio.gather(sa.pass_once(), sb.pass_once()))
            total += n
            if not n:
                break
        a.executor.shutdown()
        b.executor.shutdown()
        return total
    assert asyncio.run(both()) == 40
    sent_mail(sink, 40)
    got = sink.received
    ids = [e.original_content.split(b"Message-ID: ")[1].split(b"\r\n")[0] for e in got]
    assert len(ids) == 40 and len(set(ids)) == 40
    assert count(engine, outbox, outbox.c.status == "sent") == 40


def test_daily_limit_holds_under_concurrent_workers(make_config, pg_url):
    config, _ = make_config(database={"url": pg_url}, outbound={"auto_reply_limit_per_day": 3})
    engine = engine_for(config)
    env = Envelope("help@support.test", "smtp", "janis@acme.lv")
    barrier = threading.Barrier(8)

    def worker(i):
        barrier.wait()
        accept(mail(subject=f"Q{i}", sender="janis@acme.lv"), env, config, engine)
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert count(engine, tickets) == 8
    assert count(engine, outbox, outbox.c.kind == "receipt") == 3
    engine.dispose()
