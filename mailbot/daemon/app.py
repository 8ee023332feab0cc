"""The daemon: listeners, the sender task and the parked-message retries, wired on one asyncio loop.

Database work runs in a small thread pool (one thread for SQLite, whose writers queue anyway), so the loop
keeps answering SMTP while a commit waits for the disk.
"""
from __future__ import annotations

import asyncio
import gc
import logging
import signal
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from mailbot.base.sleep import nap
from mailbot.daemon import observe, workers
from mailbot.daemon.banner import startup_lines
from mailbot.store import owners
from mailbot.ingress import smtp
from mailbot.ingress.imap import MailboxReader
from mailbot.mime import language
from mailbot.jobs.scheduler import start as scheduler_start
from mailbot.outbound.sender import Sender
from mailbot.pipeline import parking
from mailbot.pipeline.context import Envelope, Verdict
from mailbot.pipeline.runner import Job, TempFail, accept_batch

log = logging.getLogger("mailbot")
DRAIN_SECONDS = 30
PARKED_SCAN_SECONDS = 60
# The event loop and the database thread share one GIL. Python's default 5 ms switch interval makes them trade
# it hundreds of times a second under load; 20 ms measured +25% throughput and p99 224 -> 55 ms at 100 msg/s
# (bench/ingest.py --quick --switch-interval, this 2-core machine).
GIL_SWITCH_SECONDS = 0.02
# Taking a message allocates thousands of short-lived objects; with Python's default threshold (700) the
# collector runs hundreds of times a second and every full pass walks everything loaded at start-up (the
# configuration, SQLAlchemy's metadata, templates, phone-number tables). Start-up objects are frozen out of
# its reach once the daemon listens, and young collections run a tenth as often.
GC_THRESHOLDS = (7000, 20, 20)


class Runtime:
    def __init__(self, config, engine):
        self.config, self.engine = config, engine
        workers = 1 if engine.dialect.name == "sqlite" else config.database.pool_size
        self.executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="mailbot-db")
        self.committer = Committer(self, workers)
        self.sender: Sender | None = None
        self.readers: list = []
        self.http = None  # the /healthz and /metrics server, when listen.http is on (mailbot.daemon.observe)
        self.inflight = 0
        self.drained = asyncio.Event()
        self.drained.set()
        # Set when the daemon stops: a scheduled job (in its own thread) ends at its next safe point, and the
        # daemon waits for it before it says "stopped" (jobs: the running ones, see mailbot.jobs.scheduler).
        self.stopping = threading.Event()
        self.jobs: set = set()

    async def db(self, fn, *args):
        return await asyncio.get_running_loop().run_in_executor(self.executor, fn, self.engine, *args)

    def hold(self, delta: int) -> None:
        """Count a message in flight (+1) or done (-1): a graceful stop waits until none is."""
        self.inflight += delta
        if self.inflight:
            self.drained.clear()
        else:
            self.drained.set()

    async def accept(self, raw: bytes, envelope: Envelope, retry_of: int | None = None):
        self.hold(1)
        started = time.perf_counter()
        try:
            outcome = await self.committer.submit(Job(raw, envelope, retry_of))
        except TempFail:
            observe.counted(self.config, envelope, None, time.perf_counter() - started)
            raise
        finally:
            self.hold(-1)
        observe.counted(self.config, envelope, outcome, time.perf_counter() - started)
        if self.sender is not None and outcome.status == Verdict.STORED:
            self.sender.wake.set()
        return outcome

    def close(self) -> None:
        self.committer.stop()
        self.executor.shutdown(wait=True)


class Committer:
    """Group commit: messages that arrive while the database is busy wait together and are committed in one
    transaction, so the cost of a durable commit is shared. An idle daemon
    commits a lone message at once."""

    MAX_BATCH = 32

    def __init__(self, runtime: Runtime, workers: int):
        self.runtime, self.workers = runtime, workers
        self.queue: asyncio.Queue | None = None
        self.tasks: list[asyncio.Task] = []

    async def submit(self, job: Job):
        if self.queue is None:  # created lazily: it belongs to the running loop
            self.queue = asyncio.Queue()
            self.tasks = [asyncio.create_task(self._work()) for _ in range(self.workers)]
        future = asyncio.get_running_loop().create_future()
        self.queue.put_nowait((job, future))
        result = await future
        if isinstance(result, TempFail):
            raise result
        return result

    async def _work(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            batch = [await self.queue.get()]
            while len(batch) < self.MAX_BATCH and not self.queue.empty():
                batch.append(self.queue.get_nowait())
            jobs = [job for job, _ in batch]
            try:
                results = await loop.run_in_executor(self.runtime.executor, accept_batch, jobs,
                                                     self.runtime.config, self.runtime.engine)
            except Exception as exc:  # accept_batch answers for every job; this is a last resort
                results = [TempFail(f"{type(exc).__name__}: {exc}")] * len(batch)
            for (_, future), result in zip(batch, results):
                if not future.done():
                    future.set_result(result)

    def stop(self) -> None:
        for task in self.tasks:
            task.cancel()


async def retry_parked(runtime: Runtime, stop: asyncio.Event) -> None:
    """Replay parked messages whose retry time has come, until they succeed or use up their attempts."""
    while not stop.is_set():
        try:
            for row in await runtime.db(parking.due):
                await runtime.accept(row.raw, parking.envelope_of(row), row.id)
        except TempFail:
            pass
        except Exception as exc:
            log.warning("parked retry pass failed: %s", type(exc).__name__)
        await nap(stop, min(PARKED_SCAN_SECONDS, runtime.config.parking.retry_seconds))


JOB_STOP_SECONDS = 30  # how long a stop waits for a scheduled job to reach its next safe point


async def serve(config, engine, ready=None, stop: asyncio.Event | None = None, worker=None) -> None:
    """Run until SIGTERM/SIGINT (or `stop` is set); `ready(runtime, servers)` is called once listening.

    `worker` (index, sockets, ready_fd, board) makes this one of the extra processes of `listen.workers`: it takes
    mail on the sockets it was given and sends, and leaves IMAP, the scheduler and parked mail to the first."""
    if sys.getswitchinterval() == 0.005:  # Python's default; a deliberate other setting stands
        sys.setswitchinterval(GIL_SWITCH_SECONDS)
    runtime = Runtime(config, engine)
    if worker is None:
        for line in startup_lines(config, engine):
            log.info("%s", line)
    loop = asyncio.get_running_loop()
    if stop is None:
        stop = asyncio.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
    primary = worker is None
    metrics_dir = observe.prepare(primary) if config.listen.http.enabled else None
    if primary:  # SQLite: one node; what an earlier process of it had claimed is free (mailbot.store.owners)
        await loop.run_in_executor(None, owners.release_all, engine)
    socks = worker[1] if worker else {}
    board = worker[3] if worker else None
    others = None
    if primary and config.listen.processes > 1:
        socks = workers.bind(config)
        board = workers.Board.create(config.listen.processes)
        others = workers.Workers(config, socks, config.listen.processes - 1, board)
        await others.start()
    servers = []
    for source in ("smtp", "lmtp"):
        listener = getattr(config.listen, source)
        if listener.enabled:
            servers.append(await smtp.start(runtime, listener, source, sock=socks.get(source), board=board))
    http = await observe.start(runtime, config.listen.http) if primary and config.listen.http.enabled else None
    tasks = []
    if primary:
        tasks.append(asyncio.create_task(retry_parked(runtime, stop)))
        readers = [MailboxReader(runtime, m) for m in config.mailboxes if m.imap is not None]
        runtime.readers = readers
        tasks += [asyncio.create_task(r.run(stop)) for r in readers]
        if others is not None:
            tasks.append(asyncio.create_task(others.watch(stop)))
    if config.outbound.enabled:
        runtime.sender = Sender(runtime)
        tasks.append(asyncio.create_task(runtime.sender.run(stop)))
    scheduler = scheduler_start(runtime) if config.jobs.enabled and primary else None
    if config.unknown_senders.policy == "accept":
        # The language model for strangers' mail (about 0.7 s, once per process) loads before the process takes
        # mail: loaded later it would hold the GIL while connections wait, and the first stranger would wait too.
        await loop.run_in_executor(None, language.warm)
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    if ready is not None:
        ready(runtime, servers)
    if worker:
        workers.signal_ready(worker[2])
        log.info("worker %s ready", worker[0])
    else:
        log.info("mailbot ready" + (f" ({config.listen.processes} processes)" if others else ""))
    await stop.wait()
    runtime.stopping.set()
    log.info("stopping: no new connections, finishing messages in flight")
    for server in servers + ([http] if http is not None else []):
        server.close()
    if others is not None:
        tasks.append(asyncio.create_task(others.stop()))
    try:
        await asyncio.wait_for(runtime.drained.wait(), DRAIN_SECONDS)
    except asyncio.TimeoutError:
        log.warning("messages still in flight after %ss", DRAIN_SECONDS)
    if scheduler is not None:
        scheduler.shutdown(wait=False)
        if runtime.jobs:  # a statement run or a check in progress ends at its next safe point
            done, running = await asyncio.wait(set(runtime.jobs), timeout=JOB_STOP_SECONDS)
            if running:
                log.warning("a scheduled job did not stop within %ss; what it committed stands", JOB_STOP_SECONDS)
    await asyncio.gather(*tasks, return_exceptions=True)
    if runtime.sender is not None:  # flush what is due, briefly
        try:
            await asyncio.wait_for(runtime.sender.pass_once(), 10)
        except Exception:
            pass
    runtime.close()
    engine.dispose()
    observe.forget(metrics_dir)
    log.info("stopped")
