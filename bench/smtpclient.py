"""A minimal SMTP client on asyncio streams, and the two load drivers the benchmark uses.

Why not aiosmtplib: timing `await client.data(...)` includes sending the body. Here the body is written and
flushed into the kernel first (write-buffer limits of 0, so drain() returns only when the transport's buffer
is empty); the clock starts just before the final ".\r\n" is written and stops when the reply line is read.
That interval is the server's: reading what is left of the body, committing, answering. The client also
costs little CPU, which matters on a 2-core machine where it shares the CPUs with the server under test.
"""
from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass

_TICKET = re.compile(rb"queued as #(\d+)")


class SMTPError(Exception):
    pass


class Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self.reader, self.writer = reader, writer
        self.sent = 0

    @classmethod
    async def open(cls, host: str, port: int, helo: str = "bench.client.example") -> "Connection":
        reader, writer = await asyncio.open_connection(host, port, limit=1 << 20)
        writer.transport.set_write_buffer_limits(high=0, low=0)
        conn = cls(reader, writer)
        code, text = await conn.reply()
        if code != 220:
            raise SMTPError(f"greeting: {code} {text!r}")
        code, text = await conn.command(b"EHLO " + helo.encode() + b"\r\n")
        if code != 250:
            raise SMTPError(f"EHLO: {code} {text!r}")
        return conn

    async def reply(self) -> tuple[int, bytes]:
        lines = []
        while True:
            line = await self.reader.readline()
            if not line:
                raise SMTPError("connection closed by the server")
            lines.append(line)
            if len(line) < 4 or line[3:4] != b"-":
                break
        return int(lines[0][:3]), b"\n".join(x[4:].rstrip(b"\r\n") for x in lines)

    async def command(self, line: bytes) -> tuple[int, bytes]:
        self.writer.write(line)
        return await self.reply()

    async def send(self, mail_from: str, rcpt: str, data: bytes):
        """One transaction. data is dot-stuffed and ends with CRLF. Returns (code, text, t_eod, t_reply);
        t_eod is None when the transaction ended before DATA."""
        code, text = await self.command(f"MAIL FROM:<{mail_from}> BODY=8BITMIME\r\n".encode())
        if code != 250:
            await self.command(b"RSET\r\n")
            return code, text, None, time.perf_counter()
        code, text = await self.command(f"RCPT TO:<{rcpt}>\r\n".encode())
        if code not in (250, 251):
            await self.command(b"RSET\r\n")
            return code, text, None, time.perf_counter()
        code, text = await self.command(b"DATA\r\n")
        if code != 354:
            return code, text, None, time.perf_counter()
        self.writer.write(data)
        await self.writer.drain()  # with limits of 0: everything is in the kernel's socket buffer
        t_eod = time.perf_counter()
        self.writer.write(b".\r\n")
        code, text = await self.reply()
        t_reply = time.perf_counter()
        self.sent += 1
        return code, text, t_eod, t_reply

    async def close(self) -> None:
        try:
            self.writer.write(b"QUIT\r\n")
            await asyncio.wait_for(self.reply(), 5)
        except Exception:
            pass
        self.writer.close()
        try:
            await self.writer.wait_closed()
        except Exception:
            pass


@dataclass
class Result:
    idx: int
    code: int
    text: bytes
    t_start: float  # MAIL FROM written
    t_eod: float | None  # just before the final "." was written
    t_reply: float  # the final reply read
    t_sched: float | None = None  # open loop: when it was due
    waited_for_ref: bool = False  # closed loop: had to wait for the answered message's 250
    ref_unacked: bool = False  # open loop: the answered message was not yet acknowledged when this was sent

    @property
    def ok(self) -> bool:
        return self.code == 250

    @property
    def latency(self) -> float | None:
        return None if self.t_eod is None else self.t_reply - self.t_eod


class Tracker:
    """What the server said about each message: its ticket number and when it was acknowledged."""

    def __init__(self):
        self.ticket_of: dict[int, int] = {}
        self.done: dict[int, asyncio.Event] = {}

    def event(self, idx: int) -> asyncio.Event:
        ev = self.done.get(idx)
        if ev is None:
            ev = self.done[idx] = asyncio.Event()
        return ev

    def is_done(self, idx: int) -> bool:
        ev = self.done.get(idx)
        return ev is not None and ev.is_set()

    def record(self, idx: int, code: int, text: bytes) -> None:
        if code == 250:
            m = _TICKET.search(text)
            if m:
                self.ticket_of[idx] = int(m.group(1))
        self.event(idx).set()


async def _transaction(conn: Connection, mail, tracker: Tracker, **extra) -> Result:
    data = mail.materialize(tracker.ticket_of)
    t_start = time.perf_counter()
    try:
        code, text, t_eod, t_reply = await conn.send(mail.mail_from, mail.rcpt, data)
    except (SMTPError, OSError) as exc:
        code, text, t_eod, t_reply = 0, repr(exc).encode(), None, time.perf_counter()
    tracker.record(mail.idx, code, text)
    return Result(mail.idx, code, text, t_start, t_eod, t_reply, **extra)


async def closed_loop(host: str, port: int, mails: list, concurrency: int, tracker: Tracker) -> list[Result]:
    """`concurrency` connections, each sending its next message as soon as the previous one is answered.
    A reply waits until the message it answers has been acknowledged (so that it can thread)."""
    for m in mails:
        tracker.event(m.idx)
    queue = iter(mails)
    results: list[Result] = []
    conns = await asyncio.gather(*(Connection.open(host, port) for _ in range(concurrency)))

    async def worker(conn: Connection):
        broken = False
        for mail in queue:
            if broken:
                conn = await Connection.open(host, port)
                broken = False
            waited = False
            if mail.reply_of is not None and not tracker.is_done(mail.reply_of):
                waited = True
                await tracker.event(mail.reply_of).wait()
            r = await _transaction(conn, mail, tracker, waited_for_ref=waited)
            broken = r.code == 0
            results.append(r)
        await conn.close()

    await asyncio.gather(*(worker(c) for c in conns))
    results.sort(key=lambda r: r.idx)
    return results


async def open_loop(host: str, port: int, mails: list, rate: float, tracker: Tracker, *, prewarm: int = 16,
                    max_connections: int = 256) -> tuple[list[Result], dict]:
    """Message k is due at t0 + k/rate whatever happened to the earlier ones. It takes an idle connection,
    opens a new one (up to max_connections), or else waits for one (that wait shows in the from-schedule
    latency, not in the end-of-DATA one)."""
    for m in mails:
        tracker.event(m.idx)
    idle: asyncio.Queue = asyncio.Queue()
    for c in await asyncio.gather(*(Connection.open(host, port) for _ in range(prewarm))):
        idle.put_nowait(c)
    stats = {"connections": prewarm, "max_in_flight": 0, "late_starts_over_5ms": 0}
    in_flight = 0
    results: list[Result] = []

    async def one(mail, t_sched, conn):
        nonlocal in_flight
        if conn is None:
            if stats["connections"] < max_connections:
                stats["connections"] += 1
                conn = await Connection.open(host, port)
            else:
                conn = await idle.get()
        if time.perf_counter() - t_sched > 0.005:
            stats["late_starts_over_5ms"] += 1
        unacked = mail.reply_of is not None and not tracker.is_done(mail.reply_of)
        r = await _transaction(conn, mail, tracker, t_sched=t_sched, ref_unacked=unacked)
        results.append(r)
        in_flight -= 1
        if r.code == 0:
            conn = await Connection.open(host, port)
        idle.put_nowait(conn)

    tasks = []
    t0 = time.perf_counter() + 0.05
    for k, mail in enumerate(mails):
        t_sched = t0 + k / rate
        delay = t_sched - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        try:
            conn = idle.get_nowait()
        except asyncio.QueueEmpty:
            conn = None
        in_flight += 1
        stats["max_in_flight"] = max(stats["max_in_flight"], in_flight)
        tasks.append(asyncio.create_task(one(mail, t_sched, conn)))
    await asyncio.gather(*tasks)
    stats["offered_duration_s"] = round(len(mails) / rate, 3)
    stats["actual_duration_s"] = round(max(r.t_reply for r in results) - t0, 3)
    while not idle.empty():
        await idle.get_nowait().close()
    results.sort(key=lambda r: r.idx)
    return results, stats
