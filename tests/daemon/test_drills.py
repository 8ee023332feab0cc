"""Drill: two daemons on one PostgreSQL, each in turn killed with SIGKILL over and over while an MTA-like loader (it
retries 4xx and dropped connections, on the other daemon) pushes mail. Nothing may be lost or stored twice,
every message gets its receipt, and a kill may resend at most the one receipt in hand. The figures are printed
(offered, acknowledged, stored, receipts, duplicates, lost, worst and p99 receipt delay) for the closing notes;
no time is asserted."""
import email
import json
import os
import signal
import smtplib
import subprocess
import threading
import time
from email import policy

import pytest

from mailbot.store.models import messages, tickets
from tests.helpers import Sink, count, engine_for, free_port, mail, run_daemon, wait_listening, wait_until

N = int(os.environ.get("MAILBOT_DRILL_MESSAGES", "400"))  # 2,000 for the full drill; 400 keeps the suite short


class TimedSink(Sink):
    """The relay, noting when each mail arrived."""

    def __init__(self):
        super().__init__()
        self.times: list[float] = []

    async def handle_DATA(self, server, session, envelope):
        self.times.append(time.monotonic())
        return await super().handle_DATA(server, session, envelope)


def _offer(ports, raw, deadline) -> float | None:
    """Deliver as an MTA does: 4xx or a dropped connection is tried again, on the other daemon; the moment of the
    250 is returned."""
    i = 0
    while time.monotonic() < deadline:
        try:
            with smtplib.SMTP("127.0.0.1", ports[i % 2], timeout=10) as s:
                s.sendmail("client@acme.lv", ["help@support.test"], raw)
                return time.monotonic()
        except (OSError, smtplib.SMTPException):
            i += 1
            time.sleep(0.05)
    return None


def _load(ports, tag: str, acked: dict, done: threading.Event) -> None:
    """The kill drills' loader: N requests from N clients, each offered as an MTA does (_offer); the moment of each
    250 goes into `acked` by Message-ID (`<tag><i>@acme.lv`); `done` is set at the end."""
    deadline = time.monotonic() + 600
    for i in range(N):
        at = _offer(ports, mail(subject=f"Drill {i}", sender=f"Client {i} <c{i}@acme.lv>",
                                message_id=f"<{tag}{i}@acme.lv>"), deadline)
        if at is not None:
            acked[f"{tag}{i}@acme.lv"] = at
    done.set()


def _report_and_check(sink, acked, engine, stored, kills, label=None) -> None:
    """The kill drills' figures (printed for the closing notes), and what must hold: nothing lost or stored twice,
    every acknowledged message answered, at most the receipt in hand resent per kill."""
    receipts = {}
    for envelope, at in zip(sink.received, sink.times):
        m = email.message_from_bytes(envelope.original_content, policy=policy.default)
        receipts.setdefault((m["In-Reply-To"] or "").strip("<> "), []).append(at)
    delays = sorted(min(receipts[k]) - acked[k] for k in acked if k in receipts)
    figures = dict(**(label or {}), offered=N, acknowledged=len(acked), stored=stored,
                   stored_twice=count(engine, messages, messages.c.direction == "in") - stored,
                   receipts=len(sink.received), duplicates=len(sink.received) - len(receipts), kills=kills,
                   lost=N - stored, missing_receipts=len([k for k in acked if k not in receipts]),
                   worst_delay_s=round(delays[-1], 3) if delays else None,
                   p99_delay_s=round(delays[int(len(delays) * 0.99) - 1], 3) if delays else None)
    print("DRILL", json.dumps(figures))
    engine.dispose()
    assert figures["acknowledged"] == N and figures["lost"] == 0 and figures["stored_twice"] == 0
    assert figures["missing_receipts"] == 0
    assert figures["duplicates"] <= kills  # at most the one in hand per kill


@pytest.mark.slow
def test_two_daemons_on_postgresql_one_killed_over_and_over(make_config, pg_url):
    sink = TimedSink()
    sink.controller.start()
    ports = [free_port(), free_port()]
    paths = []
    for port in ports:
        _, path = make_config(database={"url": pg_url}, listen={"smtp": {"port": port}, "workers": 1},
                              outbound={"transport": "smtp", "smtp": {"host": "127.0.0.1", "port": sink.port},
                                        "poll_seconds": 0.2})
        paths.append(path)
    procs = [run_daemon(p) for p in paths]
    for port, proc in zip(ports, procs):
        wait_listening(port, proc, timeout=60)
    engine = engine_for(make_config(database={"url": pg_url})[0])
    acked: dict[str, float] = {}
    kills = 0
    done = threading.Event()

    loader = threading.Thread(target=_load, args=(ports, "drill", acked, done))
    loader.start()
    try:
        while not done.is_set():  # kill -9 one daemon, then the other, each started again, and again
            time.sleep(1.5)
            if done.is_set():
                break
            victim = kills % 2
            procs[victim].send_signal(signal.SIGKILL)
            procs[victim].wait()
            kills += 1
            procs[victim] = run_daemon(paths[victim])
            wait_listening(ports[victim], procs[victim], timeout=60)
        loader.join()
        stored = count(engine, tickets)
        assert wait_until(lambda: len(sink.received) >= stored, timeout=120)
        time.sleep(2)  # any late duplicate
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            proc.wait(60)
        sink.controller.stop()
    _report_and_check(sink, acked, engine, stored, kills)


@pytest.mark.slow
def test_the_relay_down_for_a_while_loses_and_doubles_nothing(desk):
    """The relay answers 451 for 10 seconds while 60 requests arrive; once it is back, every receipt goes out once."""
    d = desk(staffed=False, outbound={"retry_base_seconds": 0.5, "retry_max_seconds": 2, "max_attempts": 50})
    d.sink.answer = "451 4.3.0 relay resting"
    started = time.monotonic()
    for i in range(60):
        assert _offer([d.port, d.port], mail(subject=f"R{i}", sender=f"c{i}@acme.lv", message_id=f"<relay{i}@acme.lv>"),
                      time.monotonic() + 30) is not None
    time.sleep(max(0.0, 10 - (time.monotonic() - started)))
    d.sink.answer = None
    assert wait_until(lambda: len(d.sink.received) >= 60, timeout=60)
    time.sleep(2)
    ids = [e.original_content.split(b"In-Reply-To: ")[1].split(b"\r\n")[0] for e in d.sink.received]
    print("DRILL relay-down", json.dumps(dict(offered=60, receipts=len(ids), distinct=len(set(ids)))))
    assert len(ids) == len(set(ids)) == 60


class Proxy:
    """A TCP relay to PostgreSQL that can be cut: the database goes away for the daemon and comes back."""

    def __init__(self, target_port: int):
        import socket
        self.target, self.down, self.conns = target_port, False, []
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        import socket
        while True:
            client, _ = self.server.accept()
            if self.down:
                client.close()
                continue
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target))
            except OSError:
                client.close()
                continue
            self.conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(a, b):
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                try:
                    s.close()
                except OSError:
                    pass

    def cut(self):
        """As a restarting server does: every connection ended (FIN/RST, not silence), new ones refused."""
        import socket
        self.down = True
        conns, self.conns = self.conns, []
        for s in conns:
            try:
                s.shutdown(socket.SHUT_RDWR)  # wakes the relaying threads' recv(); close() alone would not
            except OSError:
                pass
            try:
                s.close()
            except OSError:
                pass

    def restore(self):
        self.down = False


@pytest.mark.slow
def test_a_database_outage_loses_and_doubles_nothing(make_config, pg_url):
    """PostgreSQL away for eight seconds while 60 requests arrive: the daemon answers 451, the loader retries, and
    once the database is back every message is stored once and answered once."""
    from sqlalchemy.engine import make_url
    url = make_url(pg_url)
    proxy = Proxy(url.port or 5432)
    sink = Sink()
    sink.controller.start()
    port = free_port()
    _, path = make_config(database={"url": url.set(port=proxy.port).render_as_string(hide_password=False)},
                          listen={"smtp": {"port": port}, "workers": 1},
                          outbound={"transport": "smtp", "smtp": {"host": "127.0.0.1", "port": sink.port},
                                    "poll_seconds": 0.2, "retry_base_seconds": 0.5, "retry_max_seconds": 2})
    proc = run_daemon(path)
    wait_listening(port, proc, timeout=60)
    engine = engine_for(make_config(database={"url": pg_url})[0])
    acked = []
    try:
        proxy.cut()
        threading.Timer(8, proxy.restore).start()
        deadline = time.monotonic() + 120
        acked = [_offer([port, port], mail(subject=f"O{i}", sender=f"c{i}@acme.lv", message_id=f"<outage{i}@acme.lv>"),
                        deadline) for i in range(60)]
        assert wait_until(lambda: len(sink.received) >= 60, timeout=60)
        time.sleep(2)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        sink.controller.stop()
        stored, receipts = count(engine, tickets), len(sink.received)
        engine.dispose()
    print("DRILL outage", json.dumps(dict(offered=60, acknowledged=sum(a is not None for a in acked), stored=stored,
                                          receipts=receipts)))
    assert all(a is not None for a in acked) and stored == 60 and receipts == 60


@pytest.mark.slow
def test_one_daemon_on_sqlite_killed_over_and_over(make_config):
    """The single-node default: the daemon killed with SIGKILL every 1.5 s and started again while the loader pushes
    mail (it retries until the daemon answers again). Nothing lost or stored twice, every message answered."""
    sink = TimedSink()
    sink.controller.start()
    port = free_port()
    config, path = make_config(listen={"smtp": {"port": port}, "workers": 1},
                               outbound={"transport": "smtp", "smtp": {"host": "127.0.0.1", "port": sink.port},
                                         "poll_seconds": 0.2})
    proc = run_daemon(path)
    wait_listening(port, proc, timeout=60)
    engine = engine_for(config)
    acked: dict[str, float] = {}
    done = threading.Event()
    kills = 0

    loader = threading.Thread(target=_load, args=([port, port], "sqlite", acked, done))
    loader.start()
    try:
        while not done.is_set():
            time.sleep(1.5)
            if done.is_set():
                break
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            kills += 1
            proc = run_daemon(path)
            wait_listening(port, proc, timeout=60)
        loader.join()
        stored = count(engine, tickets)
        assert wait_until(lambda: len(sink.received) >= stored, timeout=120)
        time.sleep(2)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(60)
        sink.controller.stop()
    _report_and_check(sink, acked, engine, stored, kills, label={"engine": "sqlite"})
