"""IMAP ingress: read existing mailboxes (IDLE, polling as the fallback) exactly once.

Per message: fetch with BODY.PEEK[] (nothing is marked seen before commit), accept() it — which records
(mailbox, folder, UIDVALIDITY, UID) and the action to take in the same transaction as the ticket — and only
then move, flag or expunge it on the server. A crash in between makes the next pass find the UID recorded
and do nothing but the action. After a UIDVALIDITY change the folder is read again; the messages' own
idempotency keys make that a series of no-ops. One daemon reads a mailbox at a time (a lease in imap_status);
renewing the lease also refreshes the row's updated_at, which is how `mailbot health` tells a live reader
from a dead one (health_problems).
"""
from __future__ import annotations

import asyncio
import base64
import logging
import os
import random
import re
import socket
import ssl
import uuid
from datetime import datetime, timedelta

from sqlalchemy import and_, select, update

from mailbot.pipeline.context import Envelope, ImapRef
from mailbot.store.models import imap_seen, imap_status, utcnow
from mailbot.store.queries import insert_ignore
from mailbot.waiting import nap

log = logging.getLogger("mailbot.ingress")

BACKOFF_MAX = 300
_UIDVALIDITY = re.compile(rb"UIDVALIDITY (\d+)")
_FETCH_START = re.compile(rb"^\d+ FETCH \(")
_UID = re.compile(rb"UID (\d+)")
_SEARCH = re.compile(rb"(?:SEARCH\b)?[\d ]*", re.I)
_RETURN_PATH = re.compile(rb"^Return-Path:[ \t]*<([^>\r\n]*)>", re.I | re.M)


class ImapError(Exception):
    """The server said no (login, SELECT, a command); the message says what was asked."""


def imap_utf7(name: str) -> str:
    """Folder names on the wire are modified UTF-7 (RFC 3501 §5.1.3): 'Apstrādāti' -> 'Apstr&AOE-d&AOE-ti'."""
    out, run = [], []

    def flush():
        if run:
            b64 = base64.b64encode("".join(run).encode("utf-16-be")).decode().rstrip("=").replace("/", ",")
            out.append(f"&{b64}-")
            run.clear()
    for ch in name:
        if 0x20 <= ord(ch) <= 0x7E:
            flush()
            out.append("&-" if ch == "&" else ch)
        else:
            run.append(ch)
    flush()
    return "".join(out)


def _q(name: str) -> str:
    return '"' + imap_utf7(name).replace("\\", "\\\\").replace('"', '\\"') + '"'


def parse_fetch(lines) -> dict[int, bytes]:
    """UID -> message bytes from a FETCH response (the UID may come before or after the literal)."""
    found: dict[int, bytes] = {}
    uid = body = None
    for line in lines:
        if isinstance(line, (bytearray, memoryview)):
            body = bytes(line)
            continue
        if _FETCH_START.match(line):
            if uid is not None and body is not None:
                found[uid] = body
            uid = body = None
        m = _UID.search(line)
        if m and uid is None:
            uid = int(m.group(1))
    if uid is not None and body is not None:
        found[uid] = body
    return found


def _search_uids(response) -> list[int]:
    """The UIDs of the `* SEARCH` lines only. aioimaplib hands them over with the keyword cut off
    (b"4 5 7"); untagged data mixed into the reply (`3 EXISTS`, `1 FETCH (FLAGS ...)`, `2 EXPUNGE`) and the
    tagged status line hold numbers too, and reading those as UIDs would take or act on the wrong messages."""
    uids = []
    for line in response.lines[:-1]:  # the last line is the tagged status
        if isinstance(line, bytes) and _SEARCH.fullmatch(line):
            uids += [int(t) for t in line.split() if t.isdigit()]
    return sorted(set(uids))


def _ok(response, what: str):
    if response.result != "OK":
        detail = b" ".join(line for line in response.lines if isinstance(line, bytes)).decode("utf-8", "replace")
        raise ImapError(f"{what}: {response.result} {detail[:200]}")
    return response


def _ssl_context(cfg) -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=cfg.ca_file)
    if not cfg.verify:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    return ctx


async def connect(cfg, lost: asyncio.Event | None = None):
    """A logged-in aioimaplib client (TLS per the mailbox's `tls`)."""
    import aioimaplib
    ctx = _ssl_context(cfg) if cfg.tls != "none" else None
    if cfg.tls == "ssl":
        client = aioimaplib.IMAP4_SSL(cfg.host, cfg.effective_port, timeout=cfg.timeout, ssl_context=ctx)
    else:
        client = aioimaplib.IMAP4(cfg.host, cfg.effective_port, timeout=cfg.timeout)
    if lost is not None:
        client.protocol.conn_lost_cb = lambda exc: lost.set()
    try:
        await client.wait_hello_from_server()
        if cfg.tls == "starttls":
            await _starttls(client, ctx, cfg)
        r = _ok(await client.login(cfg.username, cfg.password or ""), f"login as {cfg.username}")
        # What the server offers after login replaces what its banner said (RFC 3501 §6.2.3): aioimaplib
        # adds the two up, and Dovecot's banner lists IDLE even where the logged-in session has none.
        caps = next((x for x in r.lines if isinstance(x, bytes) and x.upper().startswith(b"CAPABILITY ")), None)
        if caps is not None:
            client.protocol.capabilities = set(caps.decode("ascii", "replace").split()[1:])
        else:
            await asyncio.wait_for(client.protocol.capability(), cfg.timeout)
    except BaseException:
        close(client)
        raise
    return client


def close(client) -> None:
    """aioimaplib leaves the socket open after LOGOUT or a failed start, and an IDLE whose connection
    dropped pending for ever; close and cancel them ourselves."""
    transport = getattr(client.protocol, "transport", None)
    if transport is not None:
        transport.close()
    for task in (getattr(client, "_client_task", None), *getattr(client, "tasks", ())):
        if task is not None and not task.done():
            task.cancel()


async def _starttls(client, ctx, cfg) -> None:
    """aioimaplib has no STARTTLS of its own: send it, then upgrade the transport in place."""
    from aioimaplib import Command
    proto = client.protocol
    if "STARTTLS" not in proto.capabilities:
        raise ImapError("the server does not offer STARTTLS")
    _ok(await asyncio.wait_for(proto.execute(Command("STARTTLS", proto.new_tag(), loop=proto.loop)), cfg.timeout),
        "STARTTLS")
    loop = asyncio.get_running_loop()
    proto.transport = await loop.start_tls(proto.transport, proto, ctx, server_hostname=cfg.host)
    await asyncio.wait_for(proto.capability(), cfg.timeout)  # capabilities before TLS are not to be trusted


async def select_folder(client, folder: str, timeout: float) -> tuple[int, int]:
    """SELECT the folder; returns (UIDVALIDITY, EXISTS)."""
    r = _ok(await client.select(_q(folder)), f"SELECT {folder}")
    text = b"\n".join(line for line in r.lines if isinstance(line, bytes))
    m = _UIDVALIDITY.search(text)
    exists = re.search(rb"(\d+) EXISTS", text)
    if not m:
        raise ImapError(f"SELECT {folder}: the server gave no UIDVALIDITY")
    return int(m.group(1)), int(exists.group(1)) if exists else 0


async def ensure_folder(client, folder: str) -> None:
    r = await client.create(_q(folder))
    if r.result != "OK" and b"ALREADYEXISTS" not in b" ".join(x for x in r.lines if isinstance(x, bytes)).upper():
        # Some servers say NO without the response code when it exists; a LIST tells for sure.
        listing = await client.list('""', _q(folder))
        if not any(isinstance(x, bytes) and imap_utf7(folder).encode() in x for x in listing.lines):
            _ok(r, f"CREATE {folder}")


def idle_window(cfg) -> float:
    """How long one IDLE lasts at most, counted from its start: re-issued well inside the 29-minute limit
    of RFC 2177 and often enough to renew the lease (each renewal also refreshes the status row)."""
    return min(cfg.idle_seconds, cfg.lease_seconds / 3)


def stale_after(cfg) -> float:
    """Seconds after which a mailbox's status row counts as stale. A healthy reader refreshes it at least
    once per IDLE window or poll interval (whichever it uses; without IDLE on the server it polls), plus
    the time to end the IDLE and look for mail, each bounded by the command timeout; twice that leaves
    room for one slow round, and a killed or hung daemon shows within a few minutes."""
    interval = max(idle_window(cfg), cfg.poll_seconds) if cfg.idle else cfg.poll_seconds
    return 2 * (interval + cfg.timeout)


def health_problems(config, conn, now: datetime | None = None) -> list[str]:
    """For `mailbot health`: one line per configured IMAP mailbox that is failing, not read yet, or
    whose reader has gone quiet. A SIGKILLed or hung daemon cannot write "failing": its row stays "ok",
    so the age of the row is what gives it away."""
    now = now or utcnow()
    status = {r.mailbox: r for r in conn.execute(select(imap_status))}
    problems = []
    for m in config.mailboxes:
        if m.imap is None:
            continue
        row, who = status.get(m.address), f"IMAP {m.name} <{m.address}>: "
        if row is None:
            problems.append(who + "not read yet")
        elif row.state != "ok":
            problems.append(who + f"{row.state} since {row.since:%Y-%m-%d %H:%M:%S}Z: {row.detail}")
        elif (age := (now - row.updated_at).total_seconds()) > stale_after(m.imap):
            problems.append(who + f"no word from its reader since {row.updated_at:%Y-%m-%d %H:%M:%S}Z "
                            f"({age:.0f} s; a live one reports within {stale_after(m.imap):.0f} s): "
                            "is the daemon running?")
    return problems


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
        while not stop.is_set():
            try:
                if not await self.runtime.db(self._lease):
                    await nap(stop, self.cfg.lease_seconds / 3)  # another daemon reads this mailbox
                    continue
                await self.session(stop)
            except (asyncio.CancelledError, KeyboardInterrupt):
                raise
            except Exception as exc:
                detail = f"{type(exc).__name__}: {exc}"[:500]
                log.warning("IMAP %s (%s:%s): %s; reconnecting in %.0f s", self.name, self.cfg.host,
                            self.cfg.effective_port, detail, self.backoff)
                await self._status("failing", detail)
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

    def _idle(self, client) -> bool:
        return self.cfg.idle and client.has_capability("IDLE")

    async def catch_up(self, client, uidvalidity: int, last: int) -> int:
        """Take every message above `last` (the whole folder on a new session) until a search finds nothing
        new: mail that arrives while we work is announced in the answers to our own commands, not in IDLE."""
        while True:
            criteria = "ALL" if last == 0 else f"UID {last + 1}:*"
            r = _ok(await client.uid_search(criteria, charset=None), "UID SEARCH")
            uids = [u for u in _search_uids(r) if u > last]
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
            r = _ok(await client.uid("fetch", ",".join(map(str, chunk)), "(UID BODY.PEEK[])"), "UID FETCH")
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
                _ok(await client.uid("store", uid_set, "+FLAGS.SILENT (\\Seen)"), "UID STORE \\Seen")
            elif action == "move" and client.has_capability("MOVE"):
                _ok(await client.uid("move", uid_set, _q(self.cfg.move_to)), f"UID MOVE {self.cfg.move_to}")
            else:
                if action == "move":  # no MOVE: COPY, then delete the original
                    _ok(await client.uid("copy", uid_set, _q(self.cfg.move_to)), f"UID COPY {self.cfg.move_to}")
                _ok(await client.uid("store", uid_set, "+FLAGS.SILENT (\\Deleted)"), "UID STORE \\Deleted")
                if client.has_capability("UIDPLUS"):
                    _ok(await client.uid("expunge", uid_set), "UID EXPUNGE")
                else:
                    _ok(await client.expunge(), "EXPUNGE")
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
                _ok(await client.noop(), "NOOP")
            return
        loop = asyncio.get_running_loop()
        window = idle_window(self.cfg)
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
        out = {}
        with engine.connect() as conn:
            for i in range(0, len(uids), 500):
                q = select(imap_seen.c.uid, imap_seen.c.action, imap_seen.c.done).where(
                    imap_seen.c.mailbox == self.name, imap_seen.c.folder == self.cfg.folder,
                    imap_seen.c.uidvalidity == uidvalidity, imap_seen.c.uid.in_(uids[i:i + 500]))
                out.update({r.uid: (r.action, r.done) for r in conn.execute(q)})
        return out

    def _done(self, engine, uidvalidity, uids):
        with engine.begin() as conn:
            conn.execute(update(imap_seen).where(
                imap_seen.c.mailbox == self.name, imap_seen.c.folder == self.cfg.folder,
                imap_seen.c.uidvalidity == uidvalidity, imap_seen.c.uid.in_(uids)).values(done=True))

    def _lease(self, engine) -> bool:
        now = utcnow()
        with engine.begin() as conn:
            insert_ignore(conn, imap_status, mailbox=self.name, owner=None, lease_until=None, state="starting",
                          detail="", since=now, updated_at=now)
            taken = conn.execute(update(imap_status).where(
                imap_status.c.mailbox == self.name,
                (imap_status.c.owner == self.owner) | imap_status.c.owner.is_(None)
                | (imap_status.c.lease_until < now)).values(
                owner=self.owner, lease_until=now + timedelta(seconds=self.cfg.lease_seconds), updated_at=now)).rowcount
        return taken == 1

    async def _status(self, state: str, detail: str) -> None:
        def write(engine):
            now = utcnow()
            with engine.begin() as conn:
                row = conn.execute(select(imap_status.c.state).where(imap_status.c.mailbox == self.name)).first()
                values = dict(state=state, detail=detail, updated_at=now)
                if row is None or row.state != state:
                    values["since"] = now
                conn.execute(update(imap_status).where(imap_status.c.mailbox == self.name).values(**values))
        await _quietly(self.runtime.db(write), 10)

    async def _release(self) -> None:
        def release(engine):
            with engine.begin() as conn:
                conn.execute(update(imap_status).where(and_(
                    imap_status.c.mailbox == self.name, imap_status.c.owner == self.owner)).values(
                    owner=None, lease_until=None, state="stopped", detail="daemon stopped", updated_at=utcnow()))
        await _quietly(self.runtime.db(release), 10)


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
            listing = await client.list('""', _q(cfg.move_to))
            has = any(isinstance(x, bytes) and imap_utf7(cfg.move_to).encode() in x for x in listing.lines[:-1])
            found += f"; {cfg.move_to} {'exists' if has else 'will be created'}"
        return True, found
    except Exception as exc:
        return False, f"{type(exc).__name__}: {exc}"
    finally:
        await _quietly(client.logout(), 5)
        close(client)
