"""Scale-out benchmark: messages/s of two mailbot daemons on one PostgreSQL against one, in the same run.

    python bench/scaleout.py [--n 1000] [--repeat 3] [--concurrency 8] [--workers 1]

Each round, alternating: one daemon on a fresh PostgreSQL database, all connections to it; then two daemons on
one fresh database, the connections and the messages split between them. Closed loop (bench/smtpclient.py), the
corpus of bench/mailgen.py, wall time from the first MAIL FROM to the last 250. The same is done with the floor
server (bench/floor_server.py: parse + one SQLite insert, inline), one instance against two, to show what this
machine allows two processes of anything beside the loader and the database. Every daemon has `--workers`
processes (1: a daemon is one process, so two daemons are two).

Prints one JSON object on stdout: per round and as medians, msg/s of one and of two, `two_over_one` (the target is
1.6), the floor's ratio, the CPU cores used by the loader (this process), the daemons, PostgreSQL and the whole
machine. Progress on stderr. Needs PostgreSQL on 127.0.0.1:5432 (trust auth, user postgres, database test).
"""
from __future__ import annotations

import argparse
import asyncio
import copy
import json
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import ingest  # noqa: E402
import mailgen  # noqa: E402
from smtpclient import Tracker, closed_loop  # noqa: E402


def loader_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


async def spread(ports: list[int], corpus: list, concurrency: int) -> list:
    """The corpus dealt round-robin to the ports, `concurrency` connections in all; one tracker, so a reply
    sent to one daemon waits for its parent's 250 from the other."""
    tracker = Tracker()
    parts = [corpus[i::len(ports)] for i in range(len(ports))]
    per = max(1, concurrency // len(ports))
    results = await asyncio.gather(*(closed_loop("127.0.0.1", port, part, per, tracker)
                                     for port, part in zip(ports, parts)))
    return [r for part in results for r in part]


def measure(ports: list[int], pids: list[int], corpus: list, concurrency: int, with_pg: bool) -> dict:
    ingest.wait_quiet()
    server0 = sum(ingest.tree_cpu(p) for p in pids)
    pg0 = ingest.postgres_cpu() if with_pg else 0.0
    busy0, load0 = ingest.system_cpu(), loader_cpu()
    t0 = time.perf_counter()
    results = asyncio.run(spread(ports, corpus, concurrency))
    wall = time.perf_counter() - t0
    busy1 = ingest.system_cpu()
    accepted = sum(r.ok for r in results)
    return {"messages": len(results), "accepted_250": accepted, "wall_s": round(wall, 2),
            "msgs_per_s": round(accepted / wall, 1),
            "cores": {"loader": round((loader_cpu() - load0) / wall, 2),
                      "servers": round((sum(ingest.tree_cpu(p) for p in pids) - server0) / wall, 2),
                      "postgresql": round((ingest.postgres_cpu() - pg0) / wall, 2) if with_pg else None,
                      "machine": round((busy1[0] - busy0[0]) / wall, 2)}}


def daemons_round(count: int, corpus, args, tmp: Path) -> dict:
    work = Path(tempfile.mkdtemp(prefix=f"scale{count}_", dir=tmp))
    backend = ingest.Backend("postgresql", work)
    daemons = []
    try:
        for i in range(count):
            b = copy.copy(backend)  # the same database, a directory (configuration, log, maildir) of its own
            b.workdir = work / f"d{i}"
            b.workdir.mkdir()
            daemons.append(ingest.Daemon(b).start())
        run = measure([d.port for d in daemons], [d.pid for d in daemons], corpus, args.concurrency, True)
        run["check"] = _stored(backend, len(corpus))
        return run
    finally:
        for d in daemons:
            d.stop()
        backend.drop()
        shutil.rmtree(work, ignore_errors=True)


def _stored(backend, n: int) -> dict:
    got = backend.query("SELECT count(*) FROM messages WHERE direction = 'in'")[0][0]
    return {"stored": got, "ok": got == n}


def floor_round(count: int, corpus, args, tmp: Path) -> dict:
    work = Path(tempfile.mkdtemp(prefix=f"floor{count}_", dir=tmp))
    floors = []
    try:
        for i in range(count):
            d = work / f"f{i}"
            d.mkdir()
            floors.append(ingest.Floor(d, "NORMAL").start())
        return measure([f.port for f in floors], [f.pid for f in floors], corpus, args.concurrency, False)
    finally:
        for f in floors:
            f.stop()
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1000, help="messages per run (default 1000)")
    ap.add_argument("--repeat", type=int, default=3, help="rounds, each one daemon then two (default 3)")
    ap.add_argument("--concurrency", type=int, default=8, help="SMTP connections in all (default 8)")
    ap.add_argument("--workers", type=int, default=1, help="processes per daemon (listen.workers, default 1)")
    ap.add_argument("--no-floor", action="store_true", help="skip the floor server's rounds")
    ap.add_argument("--seed", type=int, default=20261207)
    args = ap.parse_args()
    ingest.WORKERS = args.workers
    ingest.QUIET["max_wait"] = 10.0
    gap = 2 * args.concurrency  # a reply is at least this far behind its parent (as bench/ingest.py)
    corpus = mailgen.generate(args.n, args.seed, tag="s", min_gap=lambda i: gap)
    tmp = Path(tempfile.mkdtemp(prefix="mailbot_scaleout_"))
    rounds = []
    try:
        for rep in range(args.repeat):
            one = daemons_round(1, corpus, args, tmp)
            two = daemons_round(2, corpus, args, tmp)
            r = {"one": one, "two": two, "two_over_one": round(two["msgs_per_s"] / one["msgs_per_s"], 2)}
            if not args.no_floor:
                f1, f2 = floor_round(1, corpus, args, tmp), floor_round(2, corpus, args, tmp)
                r.update(floor_one=f1, floor_two=f2, floor_two_over_one=round(f2["msgs_per_s"] / f1["msgs_per_s"], 2))
            ingest.log(f"round {rep + 1}: one {one['msgs_per_s']} msg/s, two {two['msgs_per_s']} msg/s "
                       f"(x{r['two_over_one']}); loader {two['cores']['loader']} cores, machine "
                       f"{two['cores']['machine']}" + (f"; floor x{r['floor_two_over_one']}" if 'floor_two' in r else ""))
            rounds.append(r)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    def med(key, sub=None):
        vals = [r[key] if sub is None else r[key][sub] for r in rounds if key in r]
        return statistics.median(vals) if vals else None
    out = {"benchmark": "scaleout", "machine": ingest.machine(), "n": args.n, "concurrency": args.concurrency,
           "workers_per_daemon": args.workers, "repeat": args.repeat,
           "median": {"one_msgs_per_s": med("one", "msgs_per_s"), "two_msgs_per_s": med("two", "msgs_per_s"),
                      "two_over_one": med("two_over_one"), "floor_two_over_one": med("floor_two_over_one"),
                      "loader_cores_two": statistics.median(r["two"]["cores"]["loader"] for r in rounds),
                      "machine_cores_two": statistics.median(r["two"]["cores"]["machine"] for r in rounds)},
           "target_two_over_one": 1.6, "counts_ok": all(r[k]["check"]["ok"] for r in rounds for k in ("one", "two")),
           "rounds": rounds}
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
