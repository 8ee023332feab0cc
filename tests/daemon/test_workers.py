"""listen.workers: several processes take mail on the same port; they start, stop and die together, and a
worker that dies is replaced. Real `mailbot run` processes, real SMTP."""
import mailbox
import os
import signal
import socket
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from mailbot.store import db
from mailbot.store.models import outbox, tickets
from tests.helpers import count, free_port, mail, run_daemon, send, wait_listening, wait_until


def _children(pid: int) -> list[int]:
    kids = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == pid and b"--worker" in (d / "cmdline").read_bytes():
                kids.append(int(d.name))
    return kids


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state == "Z"  # exited, not yet reaped by its parent


def _port_free(port: int) -> bool:
    """Nobody listens there any more (connections are refused)."""
    with socket.socket() as s:
        try:
            s.connect(("127.0.0.1", port))
        except ConnectionRefusedError:
            return True
    return False


@pytest.fixture
def workers_daemon(make_config, tmp_path):
    port = free_port()
    config, path = make_config(listen={"smtp": {"port": port}, "workers": 3})
    proc = run_daemon(path)
    wait_listening(port, proc)  # a worker may answer before the others are up: wait for all of them
    assert wait_until(lambda: "mailbot ready" in proc.log.read_text(), timeout=60), proc.log.read_text()
    yield config, proc, port, tmp_path / "outbox"
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def test_workers_share_the_port_take_mail_once_and_stop_together(workers_daemon):
    config, proc, port, maildir = workers_daemon
    kids = _children(proc.pid)
    assert len(kids) == 2  # listen.workers: 3 is the first process and two more
    raws = [mail(subject=f"Pieprasījums {i}", sender=f"Klients {i} <k{i}@acme.lv>", message_id=f"<w{i}@acme.lv>")
            for i in range(24)]
    with ThreadPoolExecutor(6) as pool:
        codes = [r[0] for r in pool.map(lambda raw: send(port, raw), raws)]
    assert codes == [250] * 24
    assert send(port, raws[0])[0] == 250  # a redelivery, whichever process it reaches
    engine = db.make_engine(config.database)
    assert count(engine, tickets) == 24
    assert count(engine, outbox, outbox.c.kind == "receipt") == 24
    assert wait_until(lambda: count(engine, outbox, outbox.c.status == "sent") == count(engine, outbox),
                      timeout=15)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(30) == 0
    assert all(_gone(k) for k in kids) and _port_free(port)
    assert len(mailbox.Maildir(str(maildir), create=False)) == count(engine, outbox)  # each mail sent once


def test_a_killed_daemon_takes_its_workers_along(workers_daemon):
    """A worker must never outlive the daemon and keep its port: the next start would find it taken."""
    _, proc, port, _ = workers_daemon
    kids = _children(proc.pid)
    proc.kill()
    proc.wait()
    assert wait_until(lambda: all(_gone(k) for k in kids), timeout=15)
    assert wait_until(lambda: _port_free(port), timeout=15)


def test_a_worker_that_dies_is_replaced(workers_daemon):
    config, proc, port, _ = workers_daemon
    [first, second] = _children(proc.pid)
    os.kill(first, signal.SIGKILL)
    assert wait_until(lambda: len(_children(proc.pid)) == 2 and first not in _children(proc.pid), timeout=15)
    assert wait_until(lambda: "restarting" in proc.log.read_text(), timeout=15)
    for i in range(6):
        assert send(port, mail(message_id=f"<r{i}@acme.lv>"))[0] == 250
    assert count(db.make_engine(config.database), tickets) == 6


def test_long_lived_connections_are_shared_among_the_processes(workers_daemon):
    """An MTA opens its connections at once and keeps them: each process must get its share of them, or one
    process works while the others idle."""
    import re
    import smtplib
    _, proc, port, _ = workers_daemon
    # every process listens
    assert wait_until(lambda: "mailbot ready (3 processes)" in proc.log.read_text(), timeout=15)
    conns = []
    for _ in range(9):  # opened together, before any mail, as a relay starting its queue run does
        c = smtplib.SMTP("127.0.0.1", port, timeout=10)
        c.ehlo("relay.test")
        conns.append(c)
    for i, c in enumerate(conns):
        c.sendmail(f"k{i}@acme.lv", ["help@support.test"],
                   mail(subject=f"Savienojums {i}", sender=f"k{i}@acme.lv", message_id=f"<c{i}@acme.lv>"))
        c.quit()
    lines = re.findall(r"\[(\d+)\] message c\d+@acme\.lv ", proc.log.read_text())  # logged before the 250
    per_process = {pid: lines.count(pid) for pid in set(lines)}
    assert len(lines) == 9 and len(per_process) == 3, per_process
    assert min(per_process.values()) >= 2, per_process
