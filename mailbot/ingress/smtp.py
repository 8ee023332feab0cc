"""SMTP and LMTP listeners (aiosmtpd). RCPT is checked against our mailboxes; DATA is answered only after
the message's effects are committed (invariant 1).

aiosmtpd answers a handler exception with a permanent 500, which would make the client's MTA bounce good
mail; handle_exception turns every unexpected failure into a 451 so the MTA retries instead.
"""
from __future__ import annotations

import asyncio
import logging

from aiosmtpd.lmtp import LMTP

from mailbot.ingress.data import BulkData
from mailbot.ingress.replies import REPLY_NO_MAILBOX, REPLY_OK, REPLY_RCPT_OK, REPLY_TEMPFAIL, reply_for
from mailbot.pipeline.context import Envelope
from mailbot.pipeline.runner import TempFail

log = logging.getLogger("mailbot.ingress")

# RFC 5321 caps lines at 1,000 bytes, but real mail breaks it (the corpus has 200 KB Subject lines); a 500
# here would bounce a client's request, so accept long lines as Postfix does.
LINE_LIMIT = 1 << 20


class ListenError(Exception):
    """A listener could not take its address (in use, not ours, not allowed): the daemon cannot start."""

    def __init__(self, source: str, listener, exc: OSError):
        why = exc.strerror or type(exc).__name__
        super().__init__(f"cannot listen for {source.upper()} on {listener.host}:{listener.port}: {why}")


class Handler:
    def __init__(self, runtime, source: str):
        self.runtime, self.source = runtime, source

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.runtime.config.mailbox_for(address) is None:
            return REPLY_NO_MAILBOX.format(addr=address)
        envelope.rcpt_tos.append(address)
        return REPLY_RCPT_OK

    def receiving(self, delta: int) -> None:
        """A client is sending a message's DATA (+1) or has had its answer (-1): on SIGTERM the daemon stops
        taking connections but lets such a message finish (mailbot.ingress.data.BulkData.smtp_DATA)."""
        self.runtime.hold(delta)

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        mail_from = "" if envelope.mail_from in ("<>", None) else envelope.mail_from.lower()  # '' = null path
        replies = []
        for rcpt in envelope.rcpt_tos:
            try:
                outcome = await self.runtime.accept(raw, Envelope(rcpt.lower(), self.source, mail_from))
                replies.append(reply_for(outcome))
            except TempFail:
                replies.append(REPLY_TEMPFAIL)
            except Exception as exc:  # here, not in handle_exception: LMTP owes an answer for each recipient
                log.error("%s message to %s not taken: %s", self.source, rcpt, type(exc).__name__)
                replies.append(REPLY_TEMPFAIL)
        if self.source == "lmtp":  # one answer per recipient (RFC 2033)
            return "\r\n".join(replies)
        if REPLY_TEMPFAIL in replies:  # the MTA retries; what was already committed is a no-op next time
            return REPLY_TEMPFAIL
        accepted = [r for r in replies if r.startswith(REPLY_OK[:3])]
        return accepted[0] if accepted else replies[0]

    async def handle_exception(self, error):
        log.error("%s session error: %s", self.source, type(error).__name__)
        return REPLY_TEMPFAIL


class _Counted:
    """The listener's protocol, counting the connections it holds open (see SharedAcceptor)."""
    open_connections = 0
    on_change = None

    @classmethod
    def adjust(cls, delta: int) -> None:
        cls.open_connections += delta
        if cls.on_change:
            cls.on_change(cls.open_connections)

    def connection_made(self, transport):
        self.adjust(1)
        super().connection_made(transport)

    def connection_lost(self, exc):
        self.adjust(-1)
        super().connection_lost(exc)


class SharedAcceptor:
    """Accepts on a listening socket that the daemon's worker processes share, least-loaded first.

    Left to the kernel, whichever process wakes first takes a connection: an MTA's long-lived connections
    can all land on one process, which then works while the others idle. Each process posts how many
    connections it holds on the shared board (mailbot.daemon.workers.Board); one holding more than the least-loaded
    leaves a new connection to the others for DEFER_SECONDS and takes it only if it is still waiting then
    (the least-loaded process may be busy). Quacks like asyncio's Server where the daemon needs it."""

    DEFER_SECONDS = 0.005

    def __init__(self, sock, factory, counted, board, listener: str):
        self.sockets, self._sock, self._factory, self._counted = [sock], sock, factory, counted
        self._board, self._listener = board, listener
        self._loop = asyncio.get_running_loop()
        self._armed = self._closed = self._deferred = False
        if board is not None:
            counted.on_change = lambda held: board.set(listener, held)
            board.set(listener, 0)
        self._arm()

    def _arm(self) -> None:
        if not self._closed and not self._armed:
            self._loop.add_reader(self._sock.fileno(), self._ready)
            self._armed = True

    def _disarm(self, seconds: float) -> None:
        self._loop.remove_reader(self._sock.fileno())
        self._armed = False
        self._loop.call_later(seconds, self._arm)

    def _ready(self) -> None:
        board = self._board
        if not self._deferred and board is not None and \
                self._counted.open_connections > board.least(self._listener):
            self._deferred = True  # someone holds fewer: theirs, unless it is still here after a moment
            self._disarm(self.DEFER_SECONDS)
            return
        self._deferred = False
        try:
            conn, _ = self._sock.accept()
        except (BlockingIOError, InterruptedError):
            return  # another process took it
        except OSError as exc:  # e.g. out of file descriptors: say so, try again in a second (as asyncio does)
            log.warning("accept failed: %s", type(exc).__name__)
            self._disarm(1.0)
            return
        conn.setblocking(False)
        self._counted.adjust(1)  # counted now, so that the board is right before it is served
        self._loop.create_task(self._serve(conn))

    async def _serve(self, conn) -> None:
        self._counted.adjust(-1)  # connection_made counts it again
        try:
            await self._loop.connect_accepted_socket(self._factory, conn)
        except Exception as exc:
            log.warning("could not take a connection: %s", type(exc).__name__)
            conn.close()

    def close(self) -> None:
        self._closed = True
        if self._armed:
            self._loop.remove_reader(self._sock.fileno())
            self._armed = False


async def start(runtime, listener, source: str, sock=None, board=None):
    """Start one listener; returns the asyncio server (port 0 binds a free port: see server.sockets).
    `sock`: an already bound listening socket, shared by the daemon's worker processes; `board`: theirs
    (mailbot.daemon.workers.Board)."""
    bases = (_Counted, BulkData, LMTP) if source == "lmtp" else (_Counted, BulkData)
    cls = type("Listener", bases, {"line_length_limit": LINE_LIMIT, "open_connections": 0, "on_change": None})
    cfg = runtime.config.listen
    handler = Handler(runtime, source)
    loop = asyncio.get_running_loop()

    def factory():
        return cls(handler, data_size_limit=cfg.max_message_size, enable_SMTPUTF8=True, decode_data=False,
                   hostname=cfg.hostname, ident="mailbot", timeout=300)

    if sock is not None:
        server = SharedAcceptor(sock, factory, cls, board, source)
    else:
        try:
            server = await loop.create_server(factory, host=listener.host, port=listener.port)
        except OSError as exc:
            raise ListenError(source, listener, exc) from exc
    port = server.sockets[0].getsockname()[1]
    log.info("%s listener on %s:%s", source.upper(), listener.host, port)
    return server
