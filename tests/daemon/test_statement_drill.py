"""Drill: a month-end statement run shared by two daemons on one PostgreSQL, one of them killed with SIGKILL in the
middle of it. The daemon still up finishes the run, the killed daemon's chunk in hand included: every client gets
its statement once — none lost, none stored or mailed twice — and the killed daemon's statement workers leave
with it. The figures are printed (a `DRILL statements {...}` line) for the closing notes; no time is asserted."""
import email
import json
import os
import signal
import socket
import time as clock
from datetime import date, datetime, time, timedelta, timezone
from email import policy
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from mailbot.services.statements import due
from mailbot.store.models import outbox, statement_runs, statements, tickets, time_entries, utcnow
from mailbot.store.plans import register
from tests.helpers import Sink, count, engine_for, free_port, run_cli, run_daemon, wait_listening, wait_until

CLIENTS = int(os.environ.get("MAILBOT_DRILL_CLIENTS", "400"))
TICKETS, ENTRIES = 8, 3  # per client, in the previous month
LANGUAGES = ["lv", "lt", "ro", "ru", "sk", "en"]


def _last_month() -> tuple[date, date]:
    first = utcnow().date().replace(day=1)
    start = (first - timedelta(days=1)).replace(day=1)
    return start, first


def _fill(engine, config) -> None:
    """The previous month's work of every client: TICKETS tickets with ENTRIES time entries each."""
    start, end = _last_month()
    days = (end - start).days
    opened = datetime.combine(start, time(9), timezone.utc)
    with engine.begin() as conn:
        version = register(conn, config.plans[0], opened)
        next_id = 1
        for first in range(0, len(config.clients), 100):
            tk, te = [], []
            for client in config.clients[first:first + 100]:
                for k in range(TICKETS):
                    day = start + timedelta(days=(k * days) // TICKETS)
                    tk.append(dict(id=next_id, mailbox="help@support.test", client_id=client.id,
                                   contact=client.contacts[0], contact_name="Anna", subject=f"Pieprasījums {k}",
                                   base_subject=f"pieprasījums {k}", status="resolved", language=client.language,
                                   created_at=opened, updated_at=opened, category="paid" if k % 3 else "free"))
                    te += [dict(ticket_id=next_id, agent="ilze@support.test", contact=client.contacts[0], work_date=day,
                                minutes=10 + 7 * e + k, category="paid" if (k + e) % 3 else "free",
                                description="Pārbaudīju iestatījumus un izlaboju atskaites formu", created_at=opened,
                                plan_version=version) for e in range(ENTRIES)]
                    next_id += 1
            conn.execute(insert(tickets), tk)
            conn.execute(insert(time_entries), te)


def _issued_by(engine, owner: str) -> int:
    """Statements the run of `owner` (a daemon: its host and pid; its workers add /<pid>) has issued."""
    with engine.connect() as conn:
        mine = (statement_runs.c.owner == owner) | statement_runs.c.owner.startswith(f"{owner}/", autoescape=True)
        return conn.execute(select(func.count()).select_from(statement_runs).where(mine)).scalar()


def _children(pid: int) -> set[int]:
    """The processes whose parent is `pid` (the daemon's statement workers among them)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _alive(pids: set[int]) -> set[int]:
    return {p for p in pids if Path(f"/proc/{p}").exists() and "Z" not in _state(p)}


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"


@pytest.mark.slow
def test_a_statement_run_interrupted_on_one_daemon_is_finished_by_the_other(make_config, pg_url):
    sink = Sink()
    sink.controller.start()
    ports = [free_port(), free_port()]
    clients = [{"id": f"d{i:04d}", "name": f"Klients {i} SIA", "language": LANGUAGES[i % 6],
                "domains": [f"d{i:04d}.test"], "contacts": [f"buh@d{i:04d}.test"], "plan": "basic"}
               for i in range(CLIENTS)]
    paths, config = [], None
    for port in ports:
        config, path = make_config(database={"url": pg_url}, jobs={"enabled": True}, clients=clients,
                                   statements={"workers": 2}, listen={"smtp": {"port": port}, "workers": 1},
                                   outbound={"transport": "smtp", "smtp": {"host": "127.0.0.1", "port": sink.port},
                                             "poll_seconds": 0.2})
        paths.append(path)
    start, _ = _last_month()
    if len(list(due(config, utcnow(), {c.id: [start] for c in config.clients}))) != CLIENTS:
        sink.controller.stop()
        pytest.skip("last month's statements are not due yet (before 07:00 on the month's first working day)")
    engine = engine_for(config)
    _fill(engine, config)
    procs = [run_daemon(path) for path in paths]  # both start their statement run as they start
    killed_owner = f"{socket.gethostname()}-{procs[0].pid}"  # how the first daemon's run signs its claims
    killed_workers: set[int] = set()
    try:
        for port, proc in zip(ports, procs):
            wait_listening(port, proc, timeout=60)
        # In the middle of the run: the first daemon has issued some statements, most are still to come.
        assert wait_until(lambda: _issued_by(engine, killed_owner) > 0 and count(engine, statements) >= CLIENTS // 4,
                          timeout=600, interval=0.02)
        killed_workers = _children(procs[0].pid)
        procs[0].send_signal(signal.SIGKILL)
        procs[0].wait()
        at_kill = count(engine, statements)
        assert at_kill < CLIENTS, "the run was over before the kill: the drill proves nothing"
        wait_until(lambda: not _alive(killed_workers), timeout=30)
        assert wait_until(lambda: count(engine, statement_runs) >= CLIENTS and len(sink.received) >= CLIENTS,
                          timeout=600, interval=0.2), (count(engine, statement_runs), len(sink.received))
        clock.sleep(2)  # any late duplicate
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in procs:
            proc.wait(60)
        sink.controller.stop()
    workers_left = _alive(killed_workers)
    again = run_cli("statement", "run", config_path=paths[1], timeout=300)  # what a cron run would still find
    with engine.connect() as conn:
        issued = conn.execute(select(statements.c.client_id, func.count()).group_by(statements.c.client_id)).all()
        owners = [r.owner for r in conn.execute(select(statement_runs.c.owner, statement_runs.c.status))]
        runs_done = conn.execute(select(func.count()).select_from(statement_runs).where(
            statement_runs.c.status == "done")).scalar()
        queued = conn.execute(select(outbox.c.rcpt).where(outbox.c.kind == "statement")).scalars().all()
    engine.dispose()
    mails: dict[str, set[str]] = {}
    for envelope in sink.received:
        m = email.message_from_bytes(envelope.original_content, policy=policy.default)
        for rcpt in envelope.rcpt_tos:
            mails.setdefault(rcpt, set()).add(m["Message-ID"])
    figures = dict(clients=CLIENTS, statements_at_kill=at_kill, statements=sum(n for _, n in issued),
                   clients_with_statement=len(issued), doubled=sum(n - 1 for _, n in issued),
                   lost=CLIENTS - len(issued), runs_done=runs_done, queued_mails=len(queued),
                   mailed_clients=len(mails), deliveries=len(sink.received),
                   duplicate_deliveries=len(sink.received) - sum(len(ids) for ids in mails.values()),
                   by_killed_daemon=sum(1 for o in owners if o.split("/")[0] == killed_owner),
                   by_other_daemon=sum(1 for o in owners if o.split("/")[0] != killed_owner),
                   killed_daemon_workers=len(killed_workers), workers_left=len(workers_left),
                   left_for_a_later_run=len(again.stdout.decode().splitlines()))
    print("DRILL statements", json.dumps(figures))
    assert again.returncode == 0, again.stderr.decode()[-2000:]
    assert figures["lost"] == 0 and figures["doubled"] == 0 and figures["statements"] == CLIENTS
    assert figures["runs_done"] == CLIENTS and figures["left_for_a_later_run"] == 0
    assert len(queued) == len(set(queued)) == CLIENTS  # one statement mail queued per client
    assert figures["mailed_clients"] == CLIENTS and all(len(ids) == 1 for ids in mails.values())
    assert figures["duplicate_deliveries"] <= 1  # at most the mail in hand when the daemon was killed, resent as it was
    assert figures["by_killed_daemon"] > 0 and figures["by_other_daemon"] > 0  # the run was shared
    assert not workers_left  # the killed daemon's statement workers left with it
