"""IMAP ingress benchmark against a real Dovecot; prints one JSON object.

    python bench/imap.py [--quick]

latency: APPEND on the server -> the message's row committed, with the daemon idling (IDLE), for messages
appended one by one; backlog: how fast the daemon drains messages that were waiting before it started.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from dovecot import Dovecot  # noqa: E402  (the test suite's Dovecot runner)


def message(i: int) -> bytes:
    m = EmailMessage()
    m["From"] = f"Klients {i} <k{i % 50}@acme.lv>"
    m["To"] = "help@vendor.test"
    m["Subject"] = f"Rēķins {i} neatveras"
    m["Message-ID"] = f"<bench-{i}-{time.time_ns()}@acme.lv>"
    m.set_content("Labdien!\n\nOktobra rēķins neatveras, lūdzu palīdziet.\n\nAr cieņu,\nKlients\n")
    return m.as_bytes().replace(b"\n", b"\r\n")


def write_config(tmp: Path, server: Dovecot) -> Path:
    path = tmp / "config.yaml"
    path.write_text(f"""
database: {{url: "sqlite:///{tmp}/mailbot.db"}}
listen: {{smtp: {{enabled: false}}}}
outbound: {{transport: maildir, maildir: "{tmp}/outbox"}}
mailboxes:
  - name: help
    address: help@vendor.test
    imap: {{host: {server.host}, port: {server.port}, tls: none, username: help, batch: 100}}
clients:
  - {{id: acme, name: SIA Acme, language: lv, domains: [acme.lv]}}
""", encoding="utf-8")
    return path


def start_daemon(path: Path, tmp: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MAILBOT_MAILBOXES__0__IMAP__PASSWORD": "pw",
           "MAILBOT_LOG_LEVEL": "WARNING"}
    log = open(tmp / "daemon.log", "ab")
    proc = subprocess.Popen([sys.executable, "-m", "mailbot", "--config", str(path), "run"], env=env, cwd=ROOT,
                            stdout=log, stderr=log)
    log.close()
    return proc


def stop_daemon(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGTERM)
    proc.wait(30)


def db_count(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM messages WHERE direction = 'in'").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


def wait_count(db: Path, n: int, timeout: float, every: float = 0.002) -> float:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if db_count(db) >= n:
            return time.perf_counter()
        time.sleep(every)
    raise TimeoutError(f"{n} messages not committed within {timeout} s ({db_count(db)} were)")


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    n_latency, n_backlog = (40, 400) if args.quick else (200, 2000)
    tmp = Path(tempfile.mkdtemp(prefix="mailbot-bench-imap-"))
    server = Dovecot(tmp / "dovecot", {"help": "pw"})
    server.start()
    result = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version()}}
    try:
        # Latency with IDLE: one message at a time, the daemon idling between them.
        path = write_config(tmp, server)
        db = tmp / "mailbot.db"
        proc = start_daemon(path, tmp)
        server.append("help", message(-1))
        wait_count(db, 1, 60, 0.05)  # the daemon is up and reading
        time.sleep(0.5)
        latencies = []
        for i in range(n_latency):
            t0 = time.perf_counter()
            server.append("help", message(i))
            t1 = wait_count(db, i + 2, 30)
            latencies.append((t1 - t0) * 1000)
            time.sleep(0.02)
        stop_daemon(proc)
        result["idle_latency_ms"] = {"n": n_latency, "p50": round(statistics.median(latencies), 1),
                                     "p95": round(pct(latencies, 95), 1), "max": round(max(latencies), 1)}
        print(f"latency done: {result['idle_latency_ms']}", file=sys.stderr)

        # Backlog: messages waiting before the daemon starts.
        before = db_count(db)
        server.append_many("help", [message(10_000 + i) for i in range(n_backlog)])
        t_start = time.perf_counter()
        proc = start_daemon(path, tmp)
        t_first = wait_count(db, before + 1, 60, 0.01)
        t_last = wait_count(db, before + n_backlog, 600, 0.02)
        stop_daemon(proc)
        left = len(server.uids("help"))
        result["backlog"] = {"n": n_backlog, "messages_per_s": round(n_backlog / (t_last - t_first), 1),
                             "messages_per_s_including_startup": round(n_backlog / (t_last - t_start), 1),
                             "left_in_inbox": left, "moved": len(server.uids("help", "Processed"))}
        print(f"backlog done: {result['backlog']}", file=sys.stderr)
    finally:
        server.stop()
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
