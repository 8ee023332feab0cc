"""The month-end statement run: every due scheduled statement issued exactly once, chunk by chunk.

A chunk is CHUNK clients. Its data is read in a handful of queries (statement_reads.Chunk) and the read ends;
its statements are computed and rendered with no transaction open; then one transaction claims the chunk's
unique (client, period) rows in statement_runs, stores each statement claimed here with its queued mail, and
commits. A second daemon's claim of a pair waits for that commit and finds it taken, so it sends nothing; a
run killed half-way loses only the chunk in hand, whose transaction rolls back claims and all, and the next run
(or another daemon) issues it — never half a statement, never one twice.

On PostgreSQL the daemons that are up share a run. While a run works on a chunk its session holds an advisory
lock on each of the chunk's pairs (store.statements.take): another daemon's run passes them by and goes on
with the next chunk, and at the end of its pass looks again at what it passed by. Once the holder has
committed, those pairs are done; if the holder died (kill -9, a lost host), its session ended and its locks
with it, so they are free at once, not after a lease, and the run still going takes them over. With
`statements.workers` > 1 the chunks are shared among that many processes (rendering is CPU work), which
leave off when the process that started them dies. Memory is one chunk per process: flat in the number of
clients.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from collections import deque
from datetime import datetime

from mailbot.base.drills import failpoint
from mailbot.services.statement_reads import Chunk
from mailbot.services.statements import StatementError, due, prepare, store
from mailbot.store import clients, db
from mailbot.store import statements as statement_rows
from mailbot.store.compiled import later_writes

log = logging.getLogger("mailbot.jobs")

CHUNK = 25  # clients read, rendered and committed together
LOOK_AGAIN_SECONDS = 0.5  # how often a run looks at the pairs another daemon is working on
PATIENCE_SECONDS = 300.0  # ... and how long without any of them done before it leaves them to the next run


def run_due(engine, config, now: datetime, owner: str = "mailbot", workers: int = 1,
            stopping=lambda: False) -> list[tuple[str, str, str]]:
    """Issue every due scheduled statement not yet issued; returns [(client, period, outcome)]. Clients not seen
    before are noted first: their first period is this one. `stopping()` true ends the run between chunks."""
    with engine.begin() as conn:
        clients.register(conn, [c.id for c in config.clients], now)
        served = clients.first_served(conn)
    todo = [(client.id, period) for client, period in due(config, now, served)]
    done: list[tuple[str, str, str]] = []
    runner = _Pool(config, now, owner, workers) if workers > 1 and len(todo) > CHUNK else _Here(
        engine, config, now, owner)
    with runner:
        waited_since = time.monotonic()
        while todo and not stopping():
            elsewhere: list[tuple[str, str]] = []
            for issued, passed in runner.chunks([todo[i:i + CHUNK] for i in range(0, len(todo), CHUNK)], stopping):
                done += issued
                elsewhere += passed
            if len(elsewhere) < len(todo):
                waited_since = time.monotonic()
            todo = elsewhere  # on another daemon now: done when it commits, ours if it died
            if todo and not _nap(LOOK_AGAIN_SECONDS, stopping, waited_since):
                break
    return done


def _nap(seconds: float, stopping, waited_since: float) -> bool:
    """Wait before looking again; False when the run should leave the rest to the next one."""
    if time.monotonic() - waited_since > PATIENCE_SECONDS:
        return False
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if stopping():
            return False
        time.sleep(0.05)
    return True


def issue_chunk(engine, config, now: datetime, owner: str, pairs, plans: dict) -> tuple[list, list]:
    """One chunk: returns ([(client, period, outcome)] issued here, [(client, period)] held by another run).
    `plans`: plan versions read so far (they never change), shared by the run's chunks."""
    with engine.connect() as conn:
        mine = statement_rows.take(conn, pairs)
        try:
            done = _issue(conn, config, now, owner, mine, plans)
        except BaseException:
            _let_go_after_failure(conn, mine)
            raise
        statement_rows.let_go(conn, mine)
        conn.commit()
    taken = set(mine)
    return done, [p for p in pairs if p not in taken]


def _let_go_after_failure(conn, pairs) -> None:
    """Give the pairs back after a fault; a connection that cannot is closed, which ends its session's locks."""
    try:
        conn.rollback()
        statement_rows.let_go(conn, pairs)
        conn.commit()
    except Exception:  # noqa: BLE001 - the fault that brought us here is the one to report
        conn.invalidate()


def _issue(conn, config, now: datetime, owner: str, pairs, plans: dict) -> list:
    issued = statement_rows.runs_of(conn, sorted({c for c, _ in pairs}))
    pairs = [p for p in pairs if p not in issued]  # issued already (the common case when a run looks again)
    reads = Chunk(conn, pairs, plans) if pairs else None
    conn.commit()  # the reading is over: no transaction (on SQLite, no write lock) while computing and rendering
    if not pairs:
        return []
    ready = []
    for client_id, period in pairs:
        client = config.client_by_id(client_id)
        try:
            ready.append((client, period, prepare(None, config, client, period, now, reads), None))
        except StatementError as exc:
            ready.append((client, period, None, str(exc)))
    del reads
    done, finished = [], []
    with conn.begin():
        with later_writes(conn):  # on PostgreSQL, the rows nobody waits for go along with the next statement
            claimed = statement_rows.claim_runs(conn, [(c.id, p) for c, p, _, _ in ready], owner, now)
            for client, period, prepared, problem in ready:
                if (client.id, period) not in claimed:
                    continue  # another run has it
                if prepared is not None:
                    doc = store(conn, prepared, "scheduled", now)
                    finished.append((client.id, period, "done", doc["id"]))
                    done.append((client.id, period, f"sent v{doc['version']}"))
                else:
                    log.warning("statement %s %s not sent: %s", client.id, period, problem)
                    finished.append((client.id, period, "skipped", None))
                    done.append((client.id, period, problem))
                failpoint("statement_before_commit")
            statement_rows.finish_runs(conn, finished)
    failpoint("after_statement")
    return done


class _Here:
    """Chunks issued one after the other in this process."""

    def __init__(self, engine, config, now, owner):
        self.engine, self.config, self.now, self.owner, self.plans = engine, config, now, owner, {}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def chunks(self, chunks, stopping):
        for pairs in chunks:
            if stopping():
                return
            yield issue_chunk(self.engine, self.config, self.now, self.owner, pairs, self.plans)


class _Pool:
    """Chunks shared among `workers` processes, a few handed out at a time (no backlog held in memory)."""

    def __init__(self, config, now, owner, workers: int):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        self.workers = workers
        self.pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_start_worker, initargs=(config, now, owner, os.getpid()))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.pool.shutdown(wait=True, cancel_futures=True)  # the chunks in hand are finished, the rest left
        return False

    def chunks(self, chunks, stopping):
        waiting, running = deque(chunks), deque()
        while waiting or running:
            while waiting and len(running) < 2 * self.workers and not stopping():
                running.append(self.pool.submit(_in_worker, waiting.popleft()))
            if not running:
                return
            yield running.popleft().result()


_WORKER: dict = {}


def _start_worker(config, now, owner, parent: int) -> None:
    _WORKER.update(engine=db.make_engine(config.database), config=config, now=now, owner=f"{owner}/{os.getpid()}",
                   plans={})
    threading.Thread(target=_leave_with, args=(parent,), daemon=True).start()


def _leave_with(parent: int) -> None:
    """A worker ends when the process that started it does (a daemon killed with -9): its chunk's transaction
    rolls back, and the daemons still up take the chunk over."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _in_worker(pairs) -> tuple[list, list]:
    w = _WORKER
    return issue_chunk(w["engine"], w["config"], w["now"], w["owner"], pairs, w["plans"])
