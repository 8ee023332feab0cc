"""The sender task: outbox -> SMTP relay or maildir. Claims rows with a lease, sends outside any
transaction, marks them sent; failures back off exponentially and the last one is recorded on the ticket."""
from __future__ import annotations

import asyncio
import ctypes
import logging
import os
import random
import re
import socket
import sys
import time
import uuid
from pathlib import Path

from mailbot.base import metrics
from mailbot.store import owners
from mailbot.store.outbox import claim, mark_failed, mark_sent
from mailbot.tickets.vocabulary import EventKind
from mailbot.base.sleep import nap

log = logging.getLogger("mailbot.outbound")
BATCH = 50
LEASE_SECONDS = 300
# Under load the sender lets mail gather this long between passes: each pass is two short write transactions
# (lease, mark sent), and on SQLite every one of them queues behind, and holds up, the mail being taken in.
# 0.1 s gave 174 msg/s, 0.3 s 208 msg/s (bench/ingest.py, 4 alternating runs each); a receipt still leaves
# within half a second of its commit, and at once when the sender was idle.
GATHER_SECONDS = 0.3
_HOST = socket.gethostname().replace("/", "\\057").replace(":", "\\072")


class PermanentFailure(Exception):
    """The relay refused the mail for good (5xx)."""


def _libc_syncfs():
    """syncfs(2), where it reports write-back errors (Linux 5.8 and later); else None."""
    release = re.match(r"(\d+)\.(\d+)", os.uname().release) if sys.platform == "linux" else None
    if release is None or tuple(map(int, release.groups())) < (5, 8):
        return None
    try:
        fn = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return None
    fn.argtypes, fn.restype = [ctypes.c_int], ctypes.c_int

    def syncfs(fd: int) -> None:
        if fn(fd) != 0:
            err = ctypes.get_errno()
            raise OSError(err, os.strerror(err))
    return syncfs


SYNCFS = _libc_syncfs()
# From this many files in a batch, one flush of the whole file system beats a flush per file: 25 mails of
# 23 KB took 6-7 ms and 1.2-1.5 ms of CPU with an fsync each, 2.7 ms and 0.2 ms with one syncfs, and the fsync
# storm slowed SQLite's own commits on the same disk (tmpfs for the maildir gave 8% more intake).
SYNCFS_FROM = 4


class MaildirTransport:
    """Writes mail into a maildir: each file in tmp/, then all of them flushed to disk, then each moved into
    new/ (so readers never see half a file) and the directory flushed. A batch costs one executor hand-off and
    one flush of the file system for all its files (see SYNCFS_FROM), not one per file."""

    def __init__(self, path: str):
        self.path = Path(path)
        self.count = 0

    async def send_all(self, rows) -> list[Exception | None]:
        return await asyncio.get_running_loop().run_in_executor(None, self._write_all, [r.raw for r in rows])

    def _write_all(self, raws: list[bytes]) -> list[Exception | None]:
        try:
            for sub in ("tmp", "new", "cur"):
                (self.path / sub).mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # each mail backs off and the failure is recorded on its ticket
            return [exc] * len(raws)
        results: list[Exception | None] = [None] * len(raws)
        written = []
        for i, raw in enumerate(raws):
            name = self._name()
            tmp = self.path / "tmp" / name
            try:
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except OSError as exc:
                results[i] = exc
                continue
            try:
                view = memoryview(raw)
                while view:
                    view = view[os.write(fd, view):]
            except OSError as exc:
                os.close(fd)
                _unlink(tmp)
                results[i] = exc
                continue
            written.append((i, fd, tmp, name))
        flushed = False
        if written and len(written) >= SYNCFS_FROM and SYNCFS is not None:
            try:
                SYNCFS(written[0][1])
                flushed = True
            except OSError as exc:  # none of them is known to be on disk: each is tried again later
                for i, fd, tmp, _ in written:
                    results[i] = exc
                    os.close(fd)
                    _unlink(tmp)
                return results
        for i, fd, tmp, name in written:
            try:
                if not flushed:
                    os.fsync(fd)
                os.rename(tmp, self.path / "new" / name)
            except OSError as exc:
                results[i] = exc
                _unlink(tmp)
            finally:
                os.close(fd)
        if written:
            try:  # the new names on disk too; the files are delivered either way
                dir_fd = os.open(self.path / "new", os.O_RDONLY)
                try:
                    os.fsync(dir_fd)
                finally:
                    os.close(dir_fd)
            except OSError:
                pass
        return results

    def _name(self) -> str:
        """A unique maildir file name: time, microseconds, process, counter, host."""
        self.count += 1
        now = time.time()
        return f"{int(now)}.M{int(now % 1 * 1e6)}P{os.getpid()}Q{self.count}.{_HOST}"


def _unlink(path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


class SmtpTransport:
    def __init__(self, cfg):
        self.cfg = cfg

    async def send_all(self, rows) -> list[Exception | None]:
        """One connection per mail, one after the other: a refusal of one is that one's."""
        results: list[Exception | None] = []
        for row in rows:
            try:
                await self.send(row)
                results.append(None)
            except Exception as exc:
                results.append(exc)
        return results

    async def send(self, row) -> None:
        import aiosmtplib
        c = self.cfg
        try:
            await aiosmtplib.send(row.raw, sender=row.mail_from, recipients=row.recipients.split(","),
                                  hostname=c.host, port=c.port, start_tls=c.starttls, use_tls=c.tls,
                                  username=c.username, password=c.password, timeout=c.timeout)
        except aiosmtplib.SMTPRecipientsRefused as exc:
            codes = [r.code for r in exc.recipients]
            if all(code >= 500 for code in codes):
                raise PermanentFailure(str(exc)) from exc
            raise
        except aiosmtplib.SMTPResponseException as exc:
            if exc.code >= 500:
                raise PermanentFailure(f"{exc.code} {exc.message}") from exc
            raise


def transport_for(outbound):
    return MaildirTransport(outbound.maildir) if outbound.transport == "maildir" else SmtpTransport(outbound.smtp)


class Sender:
    def __init__(self, runtime):
        self.runtime = runtime
        self.cfg = runtime.config.outbound
        self.transport = transport_for(self.cfg)
        metrics.touch("sent", transport=self.cfg.transport)
        for kind in (EventKind.DELIVERY_RETRY, EventKind.DELIVERY_FAILED):
            metrics.touch("send_failures", transport=self.cfg.transport, kind=kind)
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.wake = asyncio.Event()
        # Alive as long as this session is (PostgreSQL): a surviving daemon takes our leased mail over at once
        # when we die, instead of after LEASE_SECONDS. Taken before our first claim.
        self.lock = None

    async def run(self, stop: asyncio.Event) -> None:
        try:
            await self._loop(stop)
        finally:
            if self.lock is not None:
                await asyncio.to_thread(self.lock.close)

    async def _loop(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                busy = await self.pass_once()
            except Exception as exc:  # the database may be away for a while; never die, never spin
                log.warning("outbox pass failed: %s", type(exc).__name__)
                busy = 0
            if busy >= BATCH:
                continue  # more are waiting
            if busy:  # under load, let a few more gather: one claim and one commit serve them all
                await nap(stop, GATHER_SECONDS)
                continue
            self.wake.clear()
            await nap(stop, self.cfg.poll_seconds, self.wake)

    async def pass_once(self) -> int:
        rows = await self.runtime.db(self._claim)
        if isinstance(self.transport, SmtpTransport):
            return await self._one_by_one(rows)
        sent = []
        results = await self.transport.send_all(rows) if rows else []
        for row, exc in zip(rows, results):
            if exc is not None:
                permanent = isinstance(exc, PermanentFailure)
                error = f"{type(exc).__name__}: {exc}"
                kind = await self.runtime.db(self._failed, row, error, permanent)
                log.warning("outbox #%s %s: %s", row.id, kind, type(exc).__name__,
                            extra={"outbox": row.id, "message_id": row.message_id, "ticket": row.ticket_id})
                metrics.count("send_failures", transport=self.cfg.transport, kind=kind)
            else:
                sent.append(row.id)
                log.info("outbox #%s sent %s", row.id, row.message_id,
                         extra={"outbox": row.id, "message_id": row.message_id, "ticket": row.ticket_id})
        if sent:  # one commit for the batch; a crash before it resends these, with the same Message-IDs
            await self.runtime.db(self._sent, sent)
            metrics.count("sent", len(sent), transport=self.cfg.transport)
        return len(rows)

    async def _one_by_one(self, rows) -> int:
        """Over SMTP each mail is marked sent the moment the relay took it: a crash can resend at most the one
        in hand (with the same Message-ID), never a batch."""
        for row in rows:
            try:
                await self.transport.send(row)
            except Exception as exc:
                error = f"{type(exc).__name__}: {exc}"
                kind = await self.runtime.db(self._failed, row, error, isinstance(exc, PermanentFailure))
                log.warning("outbox #%s %s: %s", row.id, kind, type(exc).__name__,
                            extra={"outbox": row.id, "message_id": row.message_id, "ticket": row.ticket_id})
                metrics.count("send_failures", transport=self.cfg.transport, kind=kind)
                continue
            await self.runtime.db(self._sent, [row.id])
            metrics.count("sent", transport=self.cfg.transport)
            log.info("outbox #%s sent %s", row.id, row.message_id,
                     extra={"outbox": row.id, "message_id": row.message_id, "ticket": row.ticket_id})
        return len(rows)

    def _claim(self, engine):
        if self.lock is None:
            self.lock = owners.hold(engine, self.owner)
        with engine.begin() as conn:
            return claim(conn, self.owner, BATCH, LEASE_SECONDS)

    def _sent(self, engine, row_ids):
        with engine.begin() as conn:
            mark_sent(conn, row_ids, self.owner)

    def _failed(self, engine, row, error, permanent):
        with engine.begin() as conn:
            return mark_failed(conn, row, self.owner, error, permanent=permanent, max_attempts=self.cfg.max_attempts,
                               base=self.cfg.retry_base_seconds, cap=self.cfg.retry_max_seconds,
                               jitter=random.uniform(0, 0.25))
