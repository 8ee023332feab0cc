"""The sender task: outbox -> SMTP relay or maildir. Claims rows with a lease, sends outside any
transaction, marks them sent; failures back off exponentially and the last one is recorded on the ticket."""
from __future__ import annotations

import asyncio
import logging
import mailbox
import os
import random
import socket
import uuid
from pathlib import Path

from mailbot.outbound.outbox import claim, mark_failed, mark_sent
from mailbot.waiting import nap

log = logging.getLogger("mailbot.outbound")
BATCH = 50
LEASE_SECONDS = 300
GATHER_SECONDS = 0.1


class PermanentFailure(Exception):
    """The relay refused the mail for good (5xx)."""


class MaildirTransport:
    """Writes each mail into a maildir (tmp/ then new/, so readers never see half a file)."""

    def __init__(self, path: str):
        self.path = Path(path)
        self.box = None

    async def send(self, row) -> None:
        await asyncio.get_running_loop().run_in_executor(None, self._write, row.raw)

    def _write(self, raw: bytes) -> None:
        if self.box is None:
            self.box = mailbox.Maildir(str(self.path), create=True)
        self.box.add(raw)


class SmtpTransport:
    def __init__(self, cfg):
        self.cfg = cfg

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
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.wake = asyncio.Event()

    async def run(self, stop: asyncio.Event) -> None:
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
        sent = []
        for row in rows:
            try:
                await self.transport.send(row)
            except Exception as exc:
                permanent = isinstance(exc, PermanentFailure)
                error = f"{type(exc).__name__}: {exc}"
                kind = await self.runtime.db(self._failed, row, error, permanent)
                log.warning("outbox #%s %s: %s", row.id, kind, type(exc).__name__)
            else:
                sent.append(row.id)
                log.info("outbox #%s sent %s", row.id, row.message_id)
        if sent:  # one commit for the batch; a crash before it resends these, with the same Message-IDs
            await self.runtime.db(self._sent, sent)
        return len(rows)

    def _claim(self, engine):
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
