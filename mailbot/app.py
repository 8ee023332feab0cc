"""The daemon: listeners, the sender task and the parked-message retries, wired on one asyncio loop.

Database work runs in a small thread pool (one thread for SQLite, whose writers queue anyway), so the loop
keeps answering SMTP while a commit waits for the disk.
"""
from __future__ import annotations

import asyncio
import logging
import signal
from concurrent.futures import ThreadPoolExecutor
from sqlalchemy import select

from mailbot.ingress import smtp
from mailbot.ingress.imap import MailboxReader
from mailbot.outbound.sender import Sender
from mailbot.pipeline.context import Envelope
from mailbot.pipeline.runner import TempFail, accept
from mailbot.store.models import parked, utcnow

log = logging.getLogger("mailbot")
DRAIN_SECONDS = 30
PARKED_SCAN_SECONDS = 60


class Runtime:
    def __init__(self, config, engine):
        self.config, self.engine = config, engine
        workers = 1 if engine.dialect.name == "sqlite" else config.database.pool_size
        self.executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="mailbot-db")
        self.sender: Sender | None = None
        self.readers: list = []
        self.inflight = 0
        self.drained = asyncio.Event()
        self.drained.set()

    async def db(self, fn, *args):
        return await asyncio.get_running_loop().run_in_executor(self.executor, fn, self.engine, *args)

    async def accept(self, raw: bytes, envelope: Envelope, retry_of: int | None = None):
        self.inflight += 1
        self.drained.clear()
        try:
            outcome = await asyncio.get_running_loop().run_in_executor(
                self.executor, lambda: accept(raw, envelope, self.config, self.engine, retry_of=retry_of))
        finally:
            self.inflight -= 1
            if not self.inflight:
                self.drained.set()
        if self.sender is not None and outcome.status == "stored":
            self.sender.wake.set()
        return outcome


async def retry_parked(runtime: Runtime, stop: asyncio.Event) -> None:
    """Replay parked messages whose retry time has come, until they succeed or use up their attempts."""
    while not stop.is_set():
        try:
            rows = await runtime.db(_due_parked)
            for row in rows:
                await runtime.accept(row.raw, Envelope(row.mailbox, row.source, row.mail_from or None), row.id)
        except TempFail:
            pass
        except Exception as exc:
            log.warning("parked retry pass failed: %s", type(exc).__name__)
        try:
            await asyncio.wait_for(stop.wait(), min(PARKED_SCAN_SECONDS, runtime.config.parking.retry_seconds))
        except asyncio.TimeoutError:
            pass


def _due_parked(engine):
    with engine.connect() as conn:
        return list(conn.execute(select(parked).where(
            parked.c.status == "parked", parked.c.next_retry_at <= utcnow()).order_by(parked.c.id).limit(20)))


async def serve(config, engine, ready=None, stop: asyncio.Event | None = None) -> None:
    """Run until SIGTERM/SIGINT (or `stop` is set); `ready(runtime, servers)` is called once listening."""
    runtime = Runtime(config, engine)
    loop = asyncio.get_running_loop()
    if stop is None:
        stop = asyncio.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
    servers = []
    for source in ("smtp", "lmtp"):
        listener = getattr(config.listen, source)
        if listener.enabled:
            servers.append(await smtp.start(runtime, listener, source))
    tasks = [asyncio.create_task(retry_parked(runtime, stop))]
    readers = [MailboxReader(runtime, m) for m in config.mailboxes if m.imap is not None]
    runtime.readers = readers
    tasks += [asyncio.create_task(r.run(stop)) for r in readers]
    if config.outbound.enabled:
        runtime.sender = Sender(runtime)
        tasks.append(asyncio.create_task(runtime.sender.run(stop)))
    if ready is not None:
        ready(runtime, servers)
    log.info("mailbot ready")
    await stop.wait()
    log.info("stopping: no new connections, finishing messages in flight")
    for server in servers:
        server.close()
    try:
        await asyncio.wait_for(runtime.drained.wait(), DRAIN_SECONDS)
    except asyncio.TimeoutError:
        log.warning("%s messages still in flight after %ss", runtime.inflight, DRAIN_SECONDS)
    await asyncio.gather(*tasks, return_exceptions=True)
    if runtime.sender is not None:  # flush what is due, briefly
        try:
            await asyncio.wait_for(runtime.sender.pass_once(), 10)
        except Exception:
            pass
    runtime.executor.shutdown(wait=True)
    engine.dispose()
    log.info("stopped")
