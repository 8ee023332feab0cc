"""Where accept() spends its time, per stage, in-process (no SMTP, one thread): a diagnostic beside ingest.py.

    python bench/stages.py [--n 1000] [--synchronous FULL|NORMAL] [--pg]

Runs mailbot.pipeline.runner.accept() over the benchmark corpus against a fresh database and prints JSON:
the in-process ceiling (messages/s with no transport at all) and mean milliseconds per message for each
stage, for the commit, and for the parts of persist (receipt rendering and composing). Stages are timed by
wrapping the functions in runner._STAGES and a few module attributes of this process only.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

import mailgen  # noqa: E402
from ingest import PG_BASE, Backend, write_config  # noqa: E402

TIMES: dict[str, float] = defaultdict(float)


def timed(name, fn):
    def wrapper(*a, **kw):
        t = time.perf_counter()
        try:
            return fn(*a, **kw)
        finally:
            TIMES[name] += time.perf_counter() - t
    return wrapper


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--synchronous", default="FULL", choices=("FULL", "NORMAL"))
    ap.add_argument("--pg", action="store_true")
    ap.add_argument("--seed", type=int, default=20260302)
    ap.add_argument("--sql", action="store_true", help="also count the round trips to the database per message, by statement")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="mailbot_stages_"))
    backend = Backend("postgresql" if args.pg else "sqlite", tmp, args.synchronous)
    try:
        write_config(tmp / "config.yaml", 2525, backend.db_path, tmp / "outbox", args.synchronous)
        for k, v in backend.env.items():
            os.environ[k] = v
        from mailbot.config import load
        from mailbot.pipeline import runner
        from mailbot.pipeline.context import Envelope
        from mailbot.store import db
        import mailbot.outbound.outbox as outbox_mod
        import mailbot.pipeline.persist as persist_mod

        config = load(tmp / "config.yaml")
        engine = db.make_engine(config.database)
        db.ensure_schema(engine, say=lambda m: None)
        statements: dict[str, int] = defaultdict(int)
        if args.sql:
            from sqlalchemy import event

            @event.listens_for(engine, "before_cursor_execute")
            def _count(conn, cursor, statement, parameters, context, executemany):
                statements[" ".join(statement.split())[:90]] += 1

            from mailbot.store import compiled  # its statements: one round trip per _run, rows held back or not
            fast_path = compiled._run

            def _counted(conn, sql, args, answer):
                statements["(fast path) " + " ".join((sql or "(held-back rows only)").split())[:78]] += 1
                return fast_path(conn, sql, args, answer)
            compiled._run = _counted

        from mailbot.pipeline import PREPARE, STAGES
        runner._STAGES = tuple(timed(f"stage.{name}", fn) for name, fn in zip(STAGES, runner._STAGES))
        runner._DEDUPE = runner._STAGES[len(PREPARE)]
        outbox_mod.render_with = timed("persist.enqueue.render", outbox_mod.render_with)
        outbox_mod.compose = timed("persist.enqueue.compose", outbox_mod.compose)
        persist_mod.enqueue = timed("persist.enqueue", persist_mod.enqueue)
        persist_mod.store_message = timed("persist.store_message", persist_mod.store_message)

        corpus = mailgen.generate(args.n, args.seed, tag="t", min_gap=lambda i: 1)
        ticket_of = {}
        accept_total = 0.0
        statuses = defaultdict(int)
        t0, cpu0 = time.perf_counter(), time.process_time()
        for m in corpus:
            raw = m.materialize(ticket_of)
            raw = raw.replace(b"\r\n..", b"\r\n.")  # undo the dot-stuffing: this is what the listener hands over
            t = time.perf_counter()
            outcome = runner.accept(raw, Envelope(m.rcpt, "smtp", m.mail_from), config, engine)
            accept_total += time.perf_counter() - t
            statuses[outcome.status] += 1
            if outcome.ticket_id:
                ticket_of[m.idx] = outcome.ticket_id
        wall = time.perf_counter() - t0
        n = len(corpus)
        stage_sum = sum(v for k, v in TIMES.items() if k.startswith("stage."))
        out = {
            "backend": backend.kind, "synchronous": args.synchronous, "messages": n, "statuses": dict(statuses),
            "in_process_msgs_per_s": round(n / accept_total, 1),
            "ms_per_message": {
                "accept_total": round(accept_total / n * 1000, 3),
                **{k: round(v / n * 1000, 3) for k, v in sorted(TIMES.items())},
                "begin_commit_and_rest (accept - stages)": round((accept_total - stage_sum) / n * 1000, 3),
            },
            # what holds the database's write lock (SQLite: for every process) and what runs before it
            "ms_per_message_before_transaction": round(sum(TIMES[f"stage.{s}"] for s in PREPARE) / n * 1000, 3),
            "ms_per_message_in_transaction": round(
                (accept_total - sum(TIMES[f"stage.{s}"] for s in PREPARE)) / n * 1000, 3),
            "cpu_ms_per_message": round((time.process_time() - cpu0) / n * 1000, 3),
            "wall_s": round(wall, 2),
        }
        if args.sql:
            # every entry is one round trip to the server (BEGIN and COMMIT not counted); on PostgreSQL rows
            # written with Insert.later ride along with the next one and are not counted
            out["round_trips_per_message"] = round(sum(statements.values()) / n, 2)
            out["sql_by_statement"] = {k: round(v / n, 3) for k, v in sorted(
                statements.items(), key=lambda kv: -kv[1])[:30]}
        print(json.dumps(out, indent=2))
        engine.dispose()
    finally:
        backend.drop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    _ = PG_BASE
    main()
