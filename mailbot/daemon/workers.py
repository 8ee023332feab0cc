"""Worker processes on the same listening sockets (`listen.workers`).

One Python process uses one core at a time (the GIL), and taking a message is CPU work: parsing, the guard's
scan, rendering mail. With `listen.workers: N` the daemon binds its SMTP/LMTP sockets once and starts N - 1
more processes (`mailbot run` with the sockets passed as inherited file descriptors); each accepts on the same
sockets, takes its messages through the pipeline in its own transactions and runs its own sender. Only the
first process reads IMAP, runs the scheduler and retries parked mail. Nothing needs to happen once per
process: the database already makes every claim (invariant 9), and SQLite's write lock is shared by them all.

A worker dies with its parent (PR_SET_PDEATHSIG), so a killed daemon never leaves a process holding its port;
a worker that exits on its own is restarted, with a pause that doubles while it keeps failing.
"""
from __future__ import annotations

import asyncio
import ctypes
import logging
import mmap
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

from mailbot.ingress.smtp import ListenError

log = logging.getLogger("mailbot")
READY_SECONDS = 30  # how long the first process waits for its workers before it listens alone
STOP_SECONDS = 40  # a worker finishing its messages in flight (app.DRAIN_SECONDS) and flushing
PR_SET_PDEATHSIG = 1


class Board:
    """How many connections each process holds open, per listener: a few integers in memory the processes
    share (an inherited memfd), so that the least-loaded one takes the next connection (see
    mailbot.ingress.smtp.SharedAcceptor). A stale or torn reading only makes a connection go elsewhere."""

    LISTENERS = ("smtp", "lmtp")

    def __init__(self, fd: int, processes: int, index: int):
        self.fd, self.processes, self.index = fd, processes, index
        self._map = mmap.mmap(fd, 8 * processes * len(self.LISTENERS))
        self._slots = memoryview(self._map).cast("q")

    @classmethod
    def create(cls, processes: int) -> "Board":
        try:
            fd = os.memfd_create("mailbot-connections", 0)  # inherited by the workers, never on disk
        except (AttributeError, OSError):  # not Linux: an unlinked temporary file does the same
            with tempfile.TemporaryFile() as f:
                fd = os.dup(f.fileno())
        os.ftruncate(fd, 8 * processes * len(cls.LISTENERS))
        return cls(fd, processes, 0)

    def set(self, listener: str, held: int) -> None:
        self._slots[self.LISTENERS.index(listener) * self.processes + self.index] = held

    def least(self, listener: str) -> int:
        start = self.LISTENERS.index(listener) * self.processes
        return min(self._slots[start:start + self.processes])


def bind(config) -> dict[str, socket.socket]:
    """Listening sockets for every enabled listener, bound once for all processes."""
    socks = {}
    for source in ("smtp", "lmtp"):
        listener = getattr(config.listen, source)
        if listener.enabled:
            family = socket.AF_INET6 if ":" in listener.host else socket.AF_INET
            try:
                sock = socket.create_server((listener.host, listener.port), family=family, backlog=512)
            except OSError as exc:
                raise ListenError(source, listener, exc) from exc
            sock.setblocking(False)
            socks[source] = sock
    return socks


def inherited(spec: str) -> dict[str, socket.socket]:
    """The sockets a worker was given: `smtp=3,lmtp=4`."""
    socks = {}
    for item in filter(None, spec.split(",")):
        source, _, fd = item.partition("=")
        sock = socket.socket(fileno=int(fd))
        sock.setblocking(False)
        socks[source] = sock
    return socks


def die_with_parent(parent: int) -> None:
    """Ask the kernel to stop this worker when the first process goes, however it goes (Linux)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # it went before we asked
        os.kill(os.getpid(), signal.SIGTERM)


class Workers:
    """The first process's view of the others: start them, wait until they listen, restart, stop."""

    def __init__(self, config, socks: dict[str, socket.socket], count: int, board: Board):
        self.config, self.socks, self.count, self.board = config, socks, count, board
        self.procs: list[subprocess.Popen | None] = [None] * count
        self.failures = [0] * count

    def _spawn(self, index: int) -> subprocess.Popen:
        read_fd, write_fd = os.pipe()
        spec = ",".join(f"{source}={sock.fileno()}" for source, sock in self.socks.items())
        cmd = [sys.executable, "-m", "mailbot", "--config", self.config.source, "run",
               "--worker", f"{index}:{os.getpid()}:{spec}:{write_fd}:{self.board.fd}:{self.board.processes}"]
        fds = [sock.fileno() for sock in self.socks.values()] + [write_fd, self.board.fd]
        proc = subprocess.Popen(cmd, pass_fds=fds, stdin=subprocess.DEVNULL)
        os.close(write_fd)
        proc.ready_fd = read_fd
        return proc

    async def start(self) -> None:
        """Start them all and wait (at most READY_SECONDS) until each listens: connections opened before
        then would all land on the first process and stay there."""
        for i in range(self.count):
            self.procs[i] = self._spawn(i)
        deadline = time.monotonic() + READY_SECONDS
        for i, proc in enumerate(self.procs):
            ok = await _wait_ready(proc.ready_fd, deadline)
            log.info("worker %s (pid %s) %s", i + 1, proc.pid, "ready" if ok else "not ready in time")

    async def watch(self, stop: asyncio.Event) -> None:
        """Restart a worker that exited while the daemon runs."""
        from mailbot.base.sleep import nap
        while not stop.is_set():
            for i, proc in enumerate(self.procs):
                if proc is None or proc.poll() is None:
                    continue
                self.failures[i] += 1
                delay = min(60, 2 ** (self.failures[i] - 1))
                log.warning("worker %s (pid %s) exited with %s; restarting in %ss", i + 1, proc.pid,
                            proc.returncode, delay)
                os.close(proc.ready_fd)
                self.procs[i] = None
                asyncio.get_running_loop().call_later(delay, self._restart, i)
            await nap(stop, 1.0)

    def _restart(self, index: int) -> None:
        if self.procs[index] is None:
            self.procs[index] = self._spawn(index)

    async def stop(self) -> None:
        """SIGTERM each: it stops accepting, finishes what it holds, flushes; SIGKILL only if it hangs."""
        live = [p for p in self.procs if p is not None and p.poll() is None]
        for proc in live:
            proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS
        for proc in live:
            while proc.poll() is None and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            if proc.poll() is None:
                log.warning("worker pid %s did not stop in %ss; killing it", proc.pid, STOP_SECONDS)
                proc.kill()
                proc.wait()
        for proc in self.procs:
            if proc is not None:
                os.close(proc.ready_fd)


async def _wait_ready(fd: int, deadline: float) -> bool:
    loop = asyncio.get_running_loop()
    ready = loop.create_future()
    loop.add_reader(fd, lambda: ready.done() or ready.set_result(os.read(fd, 1) == b"1"))
    try:
        return await asyncio.wait_for(ready, max(0.0, deadline - time.monotonic()))
    except asyncio.TimeoutError:
        return False
    finally:
        loop.remove_reader(fd)


def signal_ready(fd: int) -> None:
    """A worker tells the first process that it listens."""
    try:
        os.write(fd, b"1")
        os.close(fd)
    except OSError:
        pass
