"""What the tests share besides their fixtures (those are in tests/conftest.py): plain functions and classes.

* `BASE`, `merge()`: the configuration the tests start from (conftest's make_config writes it to disk).
* `mail()`: THE mail builder (a client's plain message, with keyword options for everything else a test sends);
  `agent_reply()` answers a notification with it, as an agent's mail program would.
* `send()`: one real SMTP transaction; `take()`: accept() in this process; `run_cli()`: `python -m mailbot ...` in
  a subprocess; `run_daemon()` and `wait_listening()`: `mailbot run` as a real process.
* `count()`, `rows()`: what the database holds; `journal()`: a ticket with time entries, for billing; `engine_for()`, `schema_diff()`.
* `wait_until()`: THE polling loop (no test writes its own); `sent_mail()`, `mail_with()`: what the relay sink got.
* `Sink` (a real SMTP relay on loopback) and `Daemon` (`serve()` on its own loop in a thread), behind the `sink`,
  `daemon_factory` and `desk` fixtures.
"""
from __future__ import annotations

import asyncio
import copy
import email
import os
import smtplib
import socket
import subprocess
import sys
import threading
import time
import uuid
from email import policy
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, insert, select

from mailbot.pipeline.context import Envelope
from mailbot.pipeline.runner import accept
from mailbot.store import db
from mailbot.store.models import metadata, outbox, outbox_raw, tickets, time_entries, utcnow
from mailbot.store.plans import register

ROOT = Path(__file__).resolve().parent.parent

# The configuration every test starts from (the make_config fixture writes it, with the test's changes merged in).
BASE = {
    # scheduled statements have their own tests (tests/services/test_statements.py)
    "jobs": {"enabled": False},
    "database": {"url": "sqlite:///{tmp}/mailbot.db", "sqlite_synchronous": "NORMAL"},
    # one process: tests/daemon/test_workers.py runs several
    "listen": {"smtp": {"host": "127.0.0.1", "port": 0}, "lmtp": {"enabled": False, "host": "127.0.0.1", "port": 0},
               "max_message_size": 2_000_000, "workers": 1},
    "outbound": {"transport": "maildir", "maildir": "{tmp}/outbox", "poll_seconds": 0.2,
                 "retry_base_seconds": 0.2, "retry_max_seconds": 1},
    "mailboxes": [
        {"name": "help", "address": "help@support.test", "role": "support", "display_name": "Vendor Support"},
        {"name": "iebildumi", "address": "iebildumi@support.test", "role": "objections"},
    ],
    # A plain agent and no dispatcher: core tests see only receipts (the desk fixture staffs the desk).
    "agents": [{"email": "ilze@support.test", "name": "Ilze Bērziņa", "role": "agent"}],
    "plans": [{"name": "basic", "reaction_time": "4h"}, {"name": "tip0", "reaction_time": "15wd"}],
    "clients": [
        {"id": "acme", "name": "SIA Acme", "language": "lv", "domains": ["acme.lv"], "plan": "basic"},
        {"id": "stekas", "name": "UAB Stekas klientas", "language": "lt", "domains": ["klientas.lt"],
         "contacts": ["buhaltere@gmail.com"], "plan": "basic"},
        {"id": "krizhik", "name": "ООО Крыжик", "language": "ru", "domains": ["krizhik.ru"], "plan": "tip0"},
    ],
}


def merge(base: dict, over: dict) -> dict:
    """`base` with `over` laid on it: nested dicts merge, anything else replaces."""
    out = copy.deepcopy(base)
    for k, v in over.items():
        out[k] = merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


# The staffed desk the `desk` fixture starts by default: a dispatcher who reads Latvian, an agent who reads
# Lithuanian and the head of service, who reads Russian.
AGENTS = [
    {"email": "ilze@support.test", "name": "Ilze Bērziņa", "role": "dispatcher", "language": "lv"},
    {"email": "andrius@support.test", "name": "Andrius Kazlauskas", "role": "agent", "language": "lt"},
    {"email": "vadim@support.test", "name": "Vadim Petrov", "role": "head", "language": "ru"},
]


def journal(engine, config, client_id, work, final=None, subject="Algu aprēķins"):
    """A ticket of the client (status resolved, category `final`) with time entries [(date, minutes, category)],
    written as persist writes them; returns its id."""
    now = utcnow()
    with engine.begin() as conn:
        ticket = conn.execute(insert(tickets).values(
            mailbox="help@support.test", client_id=client_id, contact=config.client_by_id(client_id).contacts[0],
            contact_name="Anna", subject=subject, base_subject=subject.lower(), status="resolved",
            language=config.client_by_id(client_id).language, created_at=now, updated_at=now,
            category=final)).inserted_primary_key[0]
        version = register(conn, config.plan_for(config.client_by_id(client_id)), now)
        for day, minutes, category in work:
            conn.execute(insert(time_entries).values(
                ticket_id=ticket, agent="ilze@support.test", contact="anna@acme.lv", work_date=day, minutes=minutes,
                category=category, description=f"{minutes} min darbs", created_at=now, plan_version=version))
    return ticket


# --- waiting -------------------------------------------------------------------------------------------------

def wait_until(predicate, timeout: float = 10.0, interval: float = 0.05):
    """Ask `predicate()` every `interval` seconds until it answers something true, or until `timeout` seconds
    have passed (it is asked once more then). Returns its last answer: `assert wait_until(...)` fails when it
    never came true."""
    deadline = time.monotonic() + timeout
    while True:
        expired = time.monotonic() >= deadline
        value = predicate()
        if value or expired:
            return value
        time.sleep(interval)


def sent_mail(sink: "Sink", expected: int = 1, to: str | None = None, text: str | None = None,
              timeout: float = 10.0) -> list:
    """The mails the relay sink received, parsed, in the order they came: only those for `to` and whose plain
    text contains `text`, when given. Waits until there are `expected` of them, or `timeout` seconds: then it
    returns fewer (so `assert not sent_mail(sink, 1, to=x, timeout=0.3)` says none came)."""
    found: list = []

    def enough() -> bool:
        found[:] = [m for m in (email.message_from_bytes(e.original_content, policy=policy.default)
                                for e in list(sink.received) if to is None or to in e.rcpt_tos)
                    if text is None or text in text_of(m)]
        return len(found) >= expected
    wait_until(enough, timeout)
    return found


def mail_with(sink: "Sink", to: str, text: str, timeout: float = 10.0):
    """The first mail the relay got for `to` whose plain text contains `text` (waits for it), or None."""
    found = sent_mail(sink, 1, to=to, text=text, timeout=timeout)
    return found[0] if found else None


def text_of(m) -> str:
    """The plain-text body of a parsed mail."""
    return m.get_body(("plain",)).get_content()


# --- mail ----------------------------------------------------------------------------------------------------

def mail(subject="Rēķins neatveras", body="Labdien, rēķins neatveras.", sender="Jānis Bērziņš <janis@acme.lv>",
         to="help@support.test", message_id=None, headers=(), *, attachments=(), date=None, verbatim=False,
         content_type="text/plain; charset=utf-8", cte=None) -> bytes:
    """The one mail builder: by default a plain UTF-8 text message from a client of acme, built with the email
    package (headers encoded as a mail program encodes them).

    `message_id`: None gives a new unique one; False gives none at all. `headers`: (name, value) pairs added
    after the standard ones, names written as given. `attachments`: (file name, bytes, content type) triples.
    `date`: a Date header (none unless given).

    `verbatim=True` writes the message as given instead, for what the email package would not write (raw 8-bit or
    pre-encoded subjects, senders like ``MAILER-DAEMON <>``, header names in any case): From, To, Subject, Date,
    Message-ID, `headers` (pairs, or a block of "Name: value" lines), MIME-Version, Content-Type (`content_type`;
    None leaves it out) and Content-Transfer-Encoding (`cte`, when given), with CRLF line ends. A str `body` is
    text (its lines end in CRLF, the last one too); bytes are written as they are.
    """
    if message_id is None:
        message_id = f"<{uuid.uuid4().hex}@client.test>"
    if verbatim:
        lines = [f"From: {sender}", f"To: {to}", f"Subject: {subject}"]
        lines += [f"Date: {date}"] if date else []
        lines += [f"Message-ID: {message_id}"] if message_id else []
        if isinstance(headers, str):
            lines += [line for line in headers.replace("\r\n", "\n").split("\n") if line]
        else:
            lines += [f"{k}: {v}" for k, v in headers]
        lines.append("MIME-Version: 1.0")
        lines += [f"Content-Type: {content_type}"] if content_type is not None else []
        lines += [f"Content-Transfer-Encoding: {cte}"] if cte else []
        if attachments:
            raise ValueError("verbatim mail takes its parts in `body`")
        if isinstance(body, str):
            body = (body.replace("\r\n", "\n").replace("\n", "\r\n") + "\r\n").encode("utf-8")
        return "".join(line + "\r\n" for line in lines).encode("utf-8", "surrogateescape") + b"\r\n" + body
    m = EmailMessage(policy=policy.SMTP)
    m["From"] = sender
    m["To"] = to
    m["Subject"] = subject
    if date:
        m["Date"] = date
    if message_id:
        m["Message-ID"] = message_id
    for k, v in headers:
        m[k] = v
    m.set_content(body)
    for filename, data, content_type in attachments:
        maintype, subtype = content_type.split("/")
        m.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return m.as_bytes()


def agent_reply(notification, subject_tags: str, body: str, sender="Ilze Bērziņa <ilze@support.test>",
                to=None, headers=(), attachment=None) -> bytes:
    """What an agent's mail program sends when they answer a notification: to its Reply-To (our signed address)
    unless `to` says otherwise, the tags after the subject, their text above ours, quoted; no Message-ID.
    `attachment`: (file name, bytes), a PDF."""
    quoted = "\n".join("> " + line for line in text_of(notification).splitlines())
    return mail(subject=f"Re: {notification['Subject']} {subject_tags}".strip(), sender=sender,
                to=to or notification["Reply-To"], message_id=False,
                headers=[("In-Reply-To", notification["Message-ID"]), *headers],
                body=f"{body}\n\nOn Mon, 23 Nov 2026 at 10:00, Vendor Support <help@support.test> wrote:\n{quoted}\n",
                attachments=[(attachment[0], attachment[1], "application/pdf")] if attachment else ())


def open_ticket(d, subject="Rēķins neatveras", sender="Jānis Bērziņš <janis@acme.lv>", **kw):
    """A client's new request to the desk `d`; returns the dispatcher's notification of it."""
    from mailbot.store.models import tickets
    assert send(d.port, mail(subject=subject, sender=sender, **kw))[0] == 250
    ref = f"[#{rows(d.engine, tickets)[-1]['id']}]"
    found = wait_until(lambda: [m for m in sent_mail(d.sink, 0, to="ilze@support.test", timeout=0)
                                if m["Subject"].startswith(ref)])
    if not found:
        raise AssertionError(f"no notification for {ref}")
    return found[0]


# --- transports ----------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def send(port: int, raw: bytes, rcpt="help@support.test", mail_from="client@acme.lv"):
    """One SMTP transaction; returns (code, text) of the answer to DATA (or to RCPT when refused)."""
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as s:
        s.ehlo()
        code, text = s.mail(mail_from)
        if code != 250:
            return code, text
        for r in [rcpt] if isinstance(rcpt, str) else rcpt:
            code, text = s.rcpt(r)
            if code not in (250, 251):
                return code, text
        return s.data(raw)


def take(config, engine, raw: bytes, rcpt="help@support.test", mail_from="janis@acme.lv", retry_of=None):
    """accept() in this process, as the SMTP listener calls it for one recipient; returns the Outcome."""
    return accept(raw, Envelope(rcpt, "smtp", mail_from), config, engine, retry_of=retry_of)


def run_cli(*args, config_path=None, input=None, env=None, timeout=60, cwd=None, bootstrap=None):
    """`python -m mailbot [--config PATH] ARGS` in a subprocess (in `cwd`, default the project). `bootstrap`:
    Python code to run instead of `-m mailbot`, with the same arguments in sys.argv[1:] (to inject a fault
    before it calls mailbot.cli.main)."""
    run = ["-c", bootstrap] if bootstrap else ["-m", "mailbot"]
    cmd = [sys.executable, *run] + (["--config", str(config_path)] if config_path else []) + list(args)
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run(cmd, input=input, capture_output=True, env=full_env, timeout=timeout, cwd=cwd or ROOT)


def run_daemon(path, env=None) -> subprocess.Popen:
    """`mailbot --config PATH run` as a real process, its output appended to PATH with the suffix .log
    (`proc.log`)."""
    log = path.with_suffix(".log")
    with open(log, "ab") as out:
        proc = subprocess.Popen([sys.executable, "-m", "mailbot", "--config", str(path), "run"],
                                env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
                                stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    proc.log = log
    return proc


def wait_listening(port: int, proc: subprocess.Popen, timeout: float = 20) -> None:
    """Until the daemon process answers SMTP on `port`; raises with its log if it exits first."""
    def listening() -> bool:
        if proc.poll() is not None:
            raise RuntimeError(proc.log.read_text())
        try:
            with smtplib.SMTP("127.0.0.1", port, timeout=2) as s:
                s.noop()
            return True
        except OSError:
            return False
    if not wait_until(listening, timeout, interval=0.1):
        raise RuntimeError("daemon did not listen")


class Sink:
    """A real SMTP relay on loopback that keeps what it receives (or refuses it, when told to)."""

    def __init__(self):
        self.received: list = []
        self.answer: str | None = None  # e.g. "451 4.3.0 try later" to simulate a sick relay
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):
        if self.answer:
            return self.answer
        self.received.append(envelope)
        return "250 OK"


class Daemon:
    """`serve()` on its own loop in a thread: the real listeners, sender and retry tasks."""

    def __init__(self, config, engine):
        self.config, self.engine = config, engine
        self.ready = threading.Event()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.error = None
        self.thread.start()
        if not self.ready.wait(10):
            raise RuntimeError(f"daemon did not start: {self.error!r}")

    def _run(self):
        from mailbot.daemon.app import serve
        asyncio.set_event_loop(self.loop)
        self.stop_event = asyncio.Event()

        def ready(runtime, servers):
            self.runtime = runtime
            self.ports = [s.sockets[0].getsockname()[1] for s in servers]
            self.port = self.ports[0] if self.ports else None
            self.ready.set()
        try:
            self.loop.run_until_complete(serve(self.config, self.engine, ready=ready, stop=self.stop_event))
        except Exception as exc:  # surfaced by the constructor
            self.error = exc
            self.ready.set()
        finally:
            self.loop.close()

    def stop(self):
        self.loop.call_soon_threadsafe(self.stop_event.set)
        self.thread.join(30)


# --- the database --------------------------------------------------------------------------------------------

def engine_for(config):
    """An engine on the configured database, its schema made."""
    engine = db.make_engine(config.database)
    db.ensure_schema(engine)
    return engine


def count(engine, table, *where) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table).where(*where)).scalar()


def rows(engine, table, *where, order=None):
    """Rows as mappings; an outbox row comes with its mail (outbox_raw.raw)."""
    with engine.connect() as conn:
        q = select(table)
        if table is outbox:
            q = select(outbox, outbox_raw.c.raw).outerjoin(outbox_raw, outbox_raw.c.outbox_id == outbox.c.id)
        q = q.where(*where).order_by(order if order is not None else table.c.id)
        return list(conn.execute(q).mappings())


def schema_diff(engine) -> list:
    """How the database's schema differs from the models' (Alembic's autogenerate comparison); [] when alike."""
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    return [d for d in diff if not (isinstance(d, tuple) and d[0] == "remove_table" and d[1].name == "alembic_version")]
