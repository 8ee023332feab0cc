"""IMAP ingress: read existing mailboxes (IDLE, polling as the fallback) exactly once.

Per message: fetch with BODY.PEEK[] (nothing is marked seen before commit), accept() it — which records
(mailbox, folder, UIDVALIDITY, UID) and the action to take in the same transaction as the ticket — and only
then move, flag or expunge it on the server. A crash in between makes the next pass find the UID recorded
and do nothing but the action. After a UIDVALIDITY change the folder is read again; the messages' own
idempotency keys make that a series of no-ops. One daemon reads a mailbox at a time (a lease in imap_status);
renewing the lease also refreshes the row's updated_at, which is how `mailbot health` tells a live reader
from a dead one (mailbot.services.health).
"""
from __future__ import annotations

import asyncio
import logging
import os
import random
import re
import socket
import uuid

from mailbot.base import metrics
from mailbot.base.sleep import nap
from mailbot.ingress.imap_client import (BACKOFF_MAX, close, connect, ensure_folder, imap_utf7, ok,
                                         parse_fetch, quoted, search_uids, select_folder)
from mailbot.pipeline.context import Envelope, ImapRef
from mailbot.store import imap as bookkeeping
from mailbot.store import owners

log = logging.getLogger("mailbot.ingress")
TAKEOVER_SECONDS = 5  # how often a daemon asks whether a mailbox read by another is free again

_RETURN_PATH = re.compile(rb"^Return-Path:[ \t]*<([^>\r\n]*)>", re.I | re.M)


class MailboxReader:
    """Reads one configured mailbox for the life of the daemon; never dies, never spins."""

    def __init__(self, runtime, mailbox):
        self.runtime, self.mailbox, self.cfg = runtime, mailbox, mailbox.imap
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.lost = asyncio.Event()
        self.folder_ready = False
        self.backoff = 1.0  # seconds before the next reconnect; back to 1 once a session got in

    @property
    def name(self) -> str:
        return self.mailbox.address

    async def run(self, stop: asyncio.Event) -> None:
        # Alive as long as this session is (PostgreSQL): when we die, a waiting daemon takes the mailbox over
        # within seconds instead of waiting for our lease to run out (mailbot.store.owners).
        lock = await asyncio.to_thread(owners.hold, self.runtime.engine, self.owner)
        try:
            await self._read(stop)
        finally:
            if lock is not None:
                await asyncio.to_thread(lock.close)

    async def _read(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                if not await self.runtime.db(self._lease):
                    # another daemon reads this mailbox: ask again soon, to take over within seconds of its end
                    await nap(stop, min(self.cfg.lease_seconds / 3, TAKEOVER_SECONDS))
                    continue
                await self.session(stop)
            except (asyncio.CancelledError, KeyboardInterrupt):
                raise
            except Exception as exc:
                detail = f"{type(exc).__name__}: {exc}"[:500]
                log.warning("IMAP %s (%s:%s): %s; reconnecting in %.0f s", self.name, self.cfg.host,
                            self.cfg.effective_port, detail, self.backoff)
                await self._status("failing", detail)
                metrics.count("imap_errors", mailbox=self.mailbox.name)
                await nap(stop, self.backoff * random.uniform(0.5, 1.0))
                self.backoff = min(self.backoff * 2, BACKOFF_MAX)
        await self._release()

    async def session(self, stop: asyncio.Event) -> None:
        self.lost.clear()
        client = await connect(self.cfg, self.lost)
        try:
            uidvalidity, _ = await select_folder(client, self.cfg.folder, self.cfg.timeout)
            if self.cfg.after == "move" and not self.folder_ready:
                await ensure_folder(client, self.cfg.move_to)
                self.folder_ready = True
            await self._status("ok", f"{self.cfg.folder} UIDVALIDITY {uidvalidity}")
            # Reset here, not when a session ends (it ends by failing): after a long outage the backoff
            # stands at minutes, and a later brief drop must not wait that long.
            self.backoff = 1.0
            log.info("IMAP %s: reading %s (UIDVALIDITY %s%s)", self.name, self.cfg.folder, uidvalidity,
                     ", IDLE" if self._idle(client) else f", polling every {self.cfg.poll_seconds:g} s")
            last = 0
            while not stop.is_set():
                last = await self.catch_up(client, uidvalidity, last)
                if not await self.runtime.db(self._lease):
                    return  # the lease was lost (a long stall); let the loop re-claim it
                await self.wait_for_news(client, stop)
                if self.lost.is_set():
                    raise ConnectionError("connection lost")
        finally:
            await _quietly(client.logout(), 5)
            close(client)

    async def _cmd(self, aw):
        """A command, bounded: a server that went away mid-answer (a restart) must not hold the reader for ever;
        the timeout makes it reconnect like any other failure."""
        return await asyncio.wait_for(aw, 2 * self.cfg.timeout)

    def _idle(self, client) -> bool:
        return self.cfg.idle and client.has_capability("IDLE")

    async def catch_up(self, client, uidvalidity: int, last: int) -> int:
        """Take every message above `last` (the whole folder on a new session) until a search finds nothing
        new: mail that arrives while we work is announced in the answers to our own commands, not in IDLE."""
        while True:
            criteria = "ALL" if last == 0 else f"UID {last + 1}:*"
            r = ok(await self._cmd(client.uid_search(criteria, charset=None)), "UID SEARCH")
            uids = [u for u in search_uids(r) if u > last]
            metrics.set_gauge("imap_backlog", len(uids), mailbox=self.mailbox.name)
            if not uids:
                return last
            await self._take(client, uidvalidity, uids)
            last = uids[-1]

    async def _take(self, client, uidvalidity: int, uids: list[int]) -> None:
        seen = await self.runtime.db(self._seen, uidvalidity, uids)
        pending = {}  # action -> [uid] still to carry out on the server
        for uid, (action, done) in seen.items():
            if not done:
                pending.setdefault(action, []).append(uid)
        if pending:
            await self.apply(client, uidvalidity, pending)
        todo = [u for u in uids if u not in seen]
        for i in range(0, len(todo), self.cfg.batch):
            chunk = todo[i:i + self.cfg.batch]
            r = ok(await self._cmd(client.uid("fetch", ",".join(map(str, chunk)), "(UID BODY.PEEK[])")),
                   "UID FETCH")
            bodies = parse_fetch(r.lines)
            taken = [(uid, bodies[uid]) for uid in chunk if uid in bodies]  # others: expunged meanwhile
            # Submitted together, they are committed together (group commit), in order.
            outcomes = await asyncio.gather(*(self.runtime.accept(
                raw, Envelope(self.name, "imap", _return_path(raw), ImapRef(self.cfg.folder, uidvalidity, uid,
                                                                             self.cfg.after)))
                for uid, raw in taken), return_exceptions=True)
            actions: dict[str, list[int]] = {}
            failed = None
            for (uid, _), outcome in zip(taken, outcomes):
                if isinstance(outcome, BaseException):
                    failed = failed or outcome  # the database is away: leave it on the server for later
                else:
                    actions.setdefault(outcome.after or self.cfg.after, []).append(uid)
            await self.apply(client, uidvalidity, actions)
            metrics.count("imap_taken", sum(map(len, actions.values())), mailbox=self.mailbox.name)
            if failed is not None:
                raise ConnectionError(f"could not commit: {failed}") from failed
            # A long backlog is a healthy reader too: keep the lease and the status row fresh.
            await self.runtime.db(self._lease)

    async def apply(self, client, uidvalidity: int, actions: dict[str, list[int]]) -> None:
        """Carry out the recorded actions, then mark them done (a crash before that repeats only this)."""
        for action, uids in actions.items():
            if not uids:
                continue
            uid_set = ",".join(map(str, sorted(uids)))
            if action == "flag":
                ok(await self._cmd(client.uid("store", uid_set, "+FLAGS.SILENT (\\Seen)")), "UID STORE \\Seen")
            elif action == "move" and client.has_capability("MOVE"):
                ok(await self._cmd(client.uid("move", uid_set, quoted(self.cfg.move_to))),
                   f"UID MOVE {self.cfg.move_to}")
            else:
                if action == "move":  # no MOVE: COPY, then delete the original
                    ok(await self._cmd(client.uid("copy", uid_set, quoted(self.cfg.move_to))),
                       f"UID COPY {self.cfg.move_to}")
                ok(await self._cmd(client.uid("store", uid_set, "+FLAGS.SILENT (\\Deleted)")), "UID STORE \\Deleted")
                if client.has_capability("UIDPLUS"):
                    ok(await self._cmd(client.uid("expunge", uid_set)), "UID EXPUNGE")
                else:
                    ok(await self._cmd(client.expunge()), "EXPUNGE")
            await self.runtime.db(self._done, uidvalidity, uids)

    async def wait_for_news(self, client, stop: asyncio.Event) -> None:
        """Until new mail is announced, the IDLE window is over, the daemon stops or the connection drops.
        The window counts from the start of the IDLE: other pushes (Dovecot's "* OK Still here", flag
        changes, aioimaplib's stop marker) only shorten the wait for the next one, so a chatty server
        cannot keep one IDLE open past the lease or the 29-minute limit."""
        if not self._idle(client):
            await nap(stop, self.cfg.poll_seconds, self.lost)
            if not (stop.is_set() or self.lost.is_set()):
                # A selected folder shows mail from other sessions only once a command lets the server
                # announce it (Dovecot does so at the end of one): a bare SEARCH would miss it until the
                # next poll, doubling the delay.
                ok(await client.noop(), "NOOP")
            return
        loop = asyncio.get_running_loop()
        window = self.cfg.idle_window
        deadline = loop.time() + window
        idle = await asyncio.wait_for(client.idle_start(timeout=window + 30), self.cfg.timeout)
        others = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(self.lost.wait())]
        push = None
        try:
            while (left := deadline - loop.time()) > 0:
                push = asyncio.ensure_future(client.wait_server_push(timeout=left))
                done, _ = await asyncio.wait([push, *others], return_when=asyncio.FIRST_COMPLETED)
                if push not in done:
                    break  # stopping, or the connection went away
                try:
                    lines = push.result()
                except asyncio.TimeoutError:
                    break
                if any(isinstance(x, bytes) and (b"EXISTS" in x or b"RECENT" in x) for x in
                       (lines if isinstance(lines, list) else [lines])):
                    break
        finally:
            for w in (push, *others):
                if w is not None:
                    w.cancel()
            if not self.lost.is_set():
                client.idle_done()
                await _quietly(asyncio.wait_for(idle, self.cfg.timeout), self.cfg.timeout)

    # --- database side (run in the runtime's worker threads) ---

    def _seen(self, engine, uidvalidity, uids):
        return bookkeeping.seen(engine, self.name, self.cfg.folder, uidvalidity, uids)

    def _done(self, engine, uidvalidity, uids):
        bookkeeping.mark_done(engine, self.name, self.cfg.folder, uidvalidity, uids)

    def _lease(self, engine) -> bool:
        return bookkeeping.lease(engine, self.name, self.owner, self.cfg.lease_seconds)

    async def _status(self, state: str, detail: str) -> None:
        await _quietly(self.runtime.db(bookkeeping.set_state, self.name, state, detail), 10)

    async def _release(self) -> None:
        await _quietly(self.runtime.db(bookkeeping.release, self.name, self.owner), 10)


def _return_path(raw: bytes) -> str | None:
    head = raw[: raw.find(b"\r\n\r\n") if b"\r\n\r\n" in raw else 65536]
    m = _RETURN_PATH.search(head)
    return m.group(1).decode("ascii", "replace").strip().lower() if m else None


async def _quietly(aw, timeout: float) -> None:
    """For clean-up and bookkeeping that must not end a session (logout, status rows)."""
    try:
        await asyncio.wait_for(aw, timeout)
    except Exception as exc:
        log.debug("ignored during IMAP clean-up: %s: %s", type(exc).__name__, exc)


async def check(mailbox) -> tuple[bool, str]:
    """For `mailbot imap check`: connect, log in, look at the folder; (ok, what was found)."""
    cfg = mailbox.imap
    try:
        client = await connect(cfg)
    except Exception as exc:
        return False, f"cannot connect/log in to {cfg.host}:{cfg.effective_port} ({cfg.tls}): {type(exc).__name__}: {exc}"
    try:
        uidvalidity, exists = await select_folder(client, cfg.folder, cfg.timeout)
        caps = sorted(c for c in ("IDLE", "MOVE", "UIDPLUS") if client.has_capability(c))
        found = f"{cfg.folder}: {exists} messages, UIDVALIDITY {uidvalidity}; server has {', '.join(caps) or 'none of IDLE/MOVE/UIDPLUS'}"
        if cfg.after == "move":
            listing = await client.list('""', quoted(cfg.move_to))
            has = any(isinstance(x, bytes) and imap_utf7(cfg.move_to).encode() in x for x in listing.lines[:-1])
            found += f"; {cfg.move_to} {'exists' if has else 'will be created'}"
        return True, found
    except Exception as exc:
        return False, f"{type(exc).__name__}: {exc}"
    finally:
        await _quietly(client.logout(), 5)
        close(client)
