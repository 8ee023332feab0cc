"""The IMAP client side: connecting (TLS, STARTTLS), selecting and creating folders, and reading the server's
answers (FETCH bodies, SEARCH results) that aioimaplib leaves as raw lines."""
from __future__ import annotations

import asyncio
import base64
import re
import ssl

BACKOFF_MAX = 300
_UIDVALIDITY = re.compile(rb"UIDVALIDITY (\d+)")
_FETCH_START = re.compile(rb"^\d+ FETCH \(")
_UID = re.compile(rb"UID (\d+)")
_SEARCH = re.compile(rb"(?:SEARCH\b)?[\d ]*", re.I)


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


def quoted(name: str) -> str:
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


def search_uids(response) -> list[int]:
    """The UIDs of the `* SEARCH` lines only. aioimaplib hands them over with the keyword cut off
    (b"4 5 7"); untagged data mixed into the reply (`3 EXISTS`, `1 FETCH (FLAGS ...)`, `2 EXPUNGE`) and the
    tagged status line hold numbers too, and reading those as UIDs would take or act on the wrong messages."""
    uids = []
    for line in response.lines[:-1]:  # the last line is the tagged status
        if isinstance(line, bytes) and _SEARCH.fullmatch(line):
            uids += [int(t) for t in line.split() if t.isdigit()]
    return sorted(set(uids))


def ok(response, what: str):
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
        r = ok(await client.login(cfg.username, cfg.password or ""), f"login as {cfg.username}")
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
    plain = getattr(client, "plain_transport", None)  # under STARTTLS: the TLS layer closes it only after its
    if plain is not None:                              # own shutdown, which a stopping loop may never finish
        plain.close()
    for task in (getattr(client, "_client_task", None), *getattr(client, "tasks", ())):
        if task is not None and not task.done():
            task.cancel()


async def _starttls(client, ctx, cfg) -> None:
    """aioimaplib has no STARTTLS of its own: send it, then upgrade the transport in place."""
    from aioimaplib import Command
    proto = client.protocol
    if "STARTTLS" not in proto.capabilities:
        raise ImapError("the server does not offer STARTTLS")
    ok(await asyncio.wait_for(proto.execute(Command("STARTTLS", proto.new_tag(), loop=proto.loop)), cfg.timeout),
        "STARTTLS")
    loop = asyncio.get_running_loop()
    client.plain_transport = proto.transport
    proto.transport = await loop.start_tls(proto.transport, proto, ctx, server_hostname=cfg.host)
    await asyncio.wait_for(proto.capability(), cfg.timeout)  # capabilities before TLS are not to be trusted


async def select_folder(client, folder: str, timeout: float) -> tuple[int, int]:
    """SELECT the folder; returns (UIDVALIDITY, EXISTS)."""
    r = ok(await client.select(quoted(folder)), f"SELECT {folder}")
    text = b"\n".join(line for line in r.lines if isinstance(line, bytes))
    m = _UIDVALIDITY.search(text)
    exists = re.search(rb"(\d+) EXISTS", text)
    if not m:
        raise ImapError(f"SELECT {folder}: the server gave no UIDVALIDITY")
    return int(m.group(1)), int(exists.group(1)) if exists else 0


async def ensure_folder(client, folder: str) -> None:
    r = await client.create(quoted(folder))
    if r.result != "OK" and b"ALREADYEXISTS" not in b" ".join(x for x in r.lines if isinstance(x, bytes)).upper():
        # Some servers say NO without the response code when it exists; a LIST tells for sure.
        listing = await client.list('""', quoted(folder))
        if not any(isinstance(x, bytes) and imap_utf7(folder).encode() in x for x in listing.lines):
            ok(r, f"CREATE {folder}")
