"""How long a month-end statement run takes, and how much memory, for many clients (prints JSON).

    python bench/statements.py [--clients 5000] [--tickets 40] [--entries 3] [--workers 2] [--repeat 1]
                               [--only sqlite,postgresql] [--output FILE]

For each database: a journal of CLIENTS x TICKETS x ENTRIES time entries in October 2026 (several plans:
STEKAS 12-minute entries, MONEO per-ticket minimum, Platphorma allowance and fees, 1C requests), then
`run_due` in a subprocess at 09:00 on 3 November (2 November is a holiday in Lithuania) — every client's
statement computed, stored and its mail (text, HTML, CSV) queued in the outbox, with `--workers` processes
(`statements.workers`). The journal is ANALYZEd after filling, as autovacuum would have done. Each of the
`--repeat` runs starts from a copy of the filled database (SQLite: the file; PostgreSQL: CREATE DATABASE ...
TEMPLATE), and the median run is reported, the others' seconds beside it. Reported: wall seconds, statements
per second, the peak RSS of the run (its parent process and the largest of its worker processes), the RSS
before the run (the configuration with every client, the engine) and the growth during the run. Everything is
done again with a fifth of the clients to show the memory does not grow with the number of clients. Needs
PostgreSQL on 127.0.0.1:5432 (trust auth, user postgres, database `test`) for the PostgreSQL part: it creates
`mailbot_bench_st_<pid>_<n>` databases and drops them at the end.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from datetime import date, datetime, timezone
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, insert, text  # noqa: E402

from mailbot.store.plans import register  # noqa: E402
from mailbot.config import load  # noqa: E402
from mailbot.store import db  # noqa: E402
from mailbot.store.models import tickets, time_entries  # noqa: E402

PG_ADMIN = os.environ.get("MAILBOT_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
PLANS = [
    {"name": "stekas", "reaction_time": "1d", "rounding": {"scope": "entry", "unit": 12},
     "categories": {"free": {}, "paid": {"rate": "30.00"}}},
    {"name": "moneo", "reaction_time": "1d", "rounding": {"scope": "ticket", "unit": 1, "minimum": 15},
     "categories": {"free": {}, "paid": {"rate": "45.00"}}},
    {"name": "expert", "reaction_time": "6h", "rounding": {"scope": "ticket", "unit": 30, "minimum": 30},
     "categories": {"free": {}, "paid": {"rate": "50.00", "over_rate": "50.00"},
                    "programming": {"rate": "60.00", "rounding": {"scope": "entry", "unit": 1}}},
     "allowance": {"units": 10}, "fees": [{"name": "Abonament Expert", "amount": "300.00"},
                                          {"name": "Stație", "amount": "15.00", "per": "workstation"}]},
    {"name": "start", "reaction_time": "30m", "rounding": {"scope": "request"},
     "categories": {"free": {}, "paid": {"rate": "900.00"}}, "currency": "RUB"},
]
LANGS = [("lv", "moneo"), ("lt", "stekas"), ("ro", "expert"), ("ru", "start"), ("sk", "moneo"), ("en", "expert")]
SUBJECTS = ["Algu aprēķins nesakrīt", "Ataskaita neeksportuojama", "Eroare la raportul TVA",
            "Не проводится документ", "Chyba pri zaúčtovaní faktúry", "Invoice print form"]


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def write_config(workdir: Path, url: str, clients: int) -> Path:
    cfg = {
        "database": {"url": url},
        "outbound": {"transport": "maildir", "maildir": str(workdir / "outbox")},
        "mailboxes": [{"name": "help", "address": "help@vendor.test", "role": "support"},
                      {"name": "iebildumi", "address": "iebildumi@vendor.test", "role": "objections"}],
        "agents": [{"email": "ilze@vendor.test", "name": "Ilze Bērziņa", "role": "dispatcher"}],
        "plans": PLANS, "jobs": {"enabled": False},
        "clients": [{"id": f"c{i:05d}", "name": f"Klients {i} SIA", "language": LANGS[i % 6][0],
                     "domains": [f"c{i:05d}.test"], "contacts": [f"buh@c{i:05d}.test"], "plan": LANGS[i % 6][1],
                     "workstations": i % 4} for i in range(clients)],
    }
    path = workdir / f"config-{clients}.yaml"
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def fill(engine, config, clients: int, per_client: int, entries: int, seed: int = 7) -> float:
    """The journal: ticket rows then time entries, in batches; returns seconds taken."""
    rng = random.Random(seed)
    t = time.perf_counter()
    now = datetime(2026, 10, 31, 18, tzinfo=timezone.utc)
    with engine.begin() as conn:
        versions = {p.name: register(conn, p, now) for p in config.plans}
    next_id = 1
    for start in range(0, clients, 250):
        tk, te = [], []
        for i in range(start, min(clients, start + 250)):
            client = config.clients[i]
            for k in range(per_client):
                day = date(2026, 10, 1 + (k * 30) // per_client)
                tk.append(dict(id=next_id, mailbox="help@vendor.test", client_id=client.id,
                               contact=client.contacts[0], contact_name="Anna", subject=SUBJECTS[k % 6],
                               base_subject=SUBJECTS[k % 6].lower(), status="resolved", language=client.language,
                               created_at=now, updated_at=now, category="paid" if k % 3 else "free"))
                cats = tuple(config.plan_for(client).categories)
                for e in range(entries):
                    te.append(dict(ticket_id=next_id, agent="ilze@vendor.test", contact=client.contacts[0],
                                   work_date=day, minutes=rng.randint(3, 95),
                                   category=cats[(k + e) % len(cats)] if e else ("paid" if k % 3 else "free"),
                                   description="Pārbaudīju iestatījumus un izlaboju atskaites formu",
                                   created_at=now, plan_version=versions[client.plan]))
                next_id += 1
        with engine.begin() as conn:
            conn.execute(insert(tickets), tk)
            conn.execute(insert(time_entries), te)
    # A journal that grew over a month has planner statistics (autovacuum gathers them); one written a
    # second ago has none, and PostgreSQL then joins it by scanning every entry for every client.
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    return time.perf_counter() - t


RUN = """
import json, resource, sys, time
from datetime import datetime
from mailbot.services.statements import run_due
from mailbot.config import load
from mailbot.store import db
def status(key):
    return int(next(l for l in open("/proc/self/status") if l.startswith(key)).split()[1]) / 1024
config = load(sys.argv[1], environ={})
engine = db.make_engine(config.database)
with engine.connect() as conn:
    pass
before = status("VmRSS")  # the configuration (every client) and the engine, before the run
t = time.perf_counter()
done = run_due(engine, config, datetime.fromisoformat("2026-11-03T09:00:00+02:00"), workers=int(sys.argv[2]))
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent (this benchmark, grown while filling)
print(json.dumps({"seconds": time.perf_counter() - t, "statements": sum(1 for d in done if d[2].startswith("sent")),
                  "peak_rss_mb": status("VmHWM"), "rss_before_run_mb": before,
                  "worker_peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def run(kind: str, clients: int, args, workdir: Path) -> dict:
    """Fill a database for `clients`, then `--repeat` statement runs, each on a fresh copy of it."""
    admin = create_engine(PG_ADMIN.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT")
    base = f"mailbot_bench_st_{os.getpid()}_{clients}"
    made: list[str] = []

    def database(name: str, template: str | None = None) -> str:
        """A SQLite file or a new PostgreSQL database (a copy of `template` when given); its URL."""
        if kind == "sqlite":
            path = workdir / f"{name}.db"
            if template:
                shutil.copyfile(workdir / f"{template}.db", path)
            return f"sqlite:///{path}"
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            conn.execute(text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
        made.append(name)
        return PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"

    try:
        path = write_config(workdir, database(base), clients)
        config = load(path, environ={})
        engine = db.make_engine(config.database)
        db.ensure_schema(engine, say=lambda m: None)
        log(f"{kind}: filling {clients} x {args.tickets} x {args.entries} entries")
        fill_s = fill(engine, config, clients, args.tickets, args.entries)
        engine.dispose()
        if kind == "sqlite":  # the copies are of the database file alone
            with closing(sqlite3.connect(workdir / f"{base}.db")) as conn:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        runs = []
        for n in range(args.repeat):
            run_path = write_config(workdir, database(f"{base}_r{n}", template=base), clients)
            log(f"{kind}: statement run {n + 1}/{args.repeat} for {clients} clients")
            proc = subprocess.run([sys.executable, "-c", RUN, str(run_path), str(args.workers)], capture_output=True,
                                  text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=3600)
            if proc.returncode:
                raise RuntimeError(proc.stderr[-2000:])
            out = json.loads(proc.stdout)
            out.update(clients=clients, time_entries=clients * args.tickets * args.entries,
                       fill_seconds=round(fill_s, 1), seconds=round(out["seconds"], 1),
                       statements_per_s=round(out["statements"] / out["seconds"], 1),
                       peak_rss_mb=round(out["peak_rss_mb"], 1), worker_peak_rss_mb=round(out["worker_peak_rss_mb"], 1),
                       rss_before_run_mb=round(out["rss_before_run_mb"], 1),
                       run_growth_mb=round(out["peak_rss_mb"] - out["rss_before_run_mb"], 1))
            log(f"  {out}")
            runs.append(out)
            if kind == "sqlite":  # a run's copy goes as soon as it is measured: gigabytes at 5,000 clients
                for suffix in ("", "-wal", "-shm"):
                    (workdir / f"{base}_r{n}.db{suffix}").unlink(missing_ok=True)
            else:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{base}_r{n}" WITH (FORCE)'))
        median = sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]
        return dict(median, runs_seconds=[r["seconds"] for r in runs])
    finally:
        with admin.connect() as conn:
            for name in made:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--clients", type=int, default=5000)
    ap.add_argument("--tickets", type=int, default=40)
    ap.add_argument("--entries", type=int, default=3)
    ap.add_argument("--only", default="sqlite,postgresql")
    ap.add_argument("--workers", type=int, default=2, help="statement run processes (statements.workers)")
    ap.add_argument("--repeat", type=int, default=1, help="runs per size, each on a fresh copy; the median is reported")
    ap.add_argument("--output", type=Path)
    args = ap.parse_args()
    out = {"command": " ".join(["python", "bench/statements.py"] + sys.argv[1:]),
           "params": {"clients": args.clients, "tickets": args.tickets, "entries": args.entries,
                      "workers": args.workers, "repeat": args.repeat}}
    with tempfile.TemporaryDirectory(prefix="mailbot_bench_st_") as tmp:
        for kind in [k.strip() for k in args.only.split(",") if k.strip()]:
            small = run(kind, max(1, args.clients // 5), args, Path(tmp))
            full = run(kind, args.clients, args, Path(tmp))
            rss = lambda r: max(r["peak_rss_mb"], r["worker_peak_rss_mb"])  # noqa: E731
            out[kind] = {"full": full, "fifth": small, "rss_ratio_full_to_fifth": round(rss(full) / rss(small), 2)}
    text_out = json.dumps(out, indent=2)
    print(text_out)
    if args.output:
        args.output.write_text(text_out + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
