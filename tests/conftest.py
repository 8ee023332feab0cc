"""Shared fixtures: configs written to disk, the daemon on a loopback port, a real SMTP relay sink."""
from __future__ import annotations

import asyncio
import copy
import os
import smtplib
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import psycopg
import pytest
import yaml
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from mailbot.config import load
from mailbot.store import db
from mailbot.store.models import messages, outbox, outbox_raw, tickets

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
PG_ADMIN = os.environ.get("MAILBOT_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")

BASE = {
    "jobs": {"enabled": False},  # scheduled statements have their own tests (tests/test_statements.py)
    "database": {"url": "sqlite:///{tmp}/mailbot.db", "sqlite_synchronous": "NORMAL"},
    "listen": {"smtp": {"host": "127.0.0.1", "port": 0}, "lmtp": {"enabled": False, "host": "127.0.0.1", "port": 0},
               "max_message_size": 2_000_000, "workers": 1},  # tests/test_workers.py runs several
    "outbound": {"transport": "maildir", "maildir": "{tmp}/outbox", "poll_seconds": 0.2,
                 "retry_base_seconds": 0.2, "retry_max_seconds": 1},
    "mailboxes": [
        {"name": "help", "address": "help@support.test", "role": "support", "display_name": "Vendor Support"},
        {"name": "iebildumi", "address": "iebildumi@support.test", "role": "objections"},
    ],
    # A plain agent and no dispatcher: core tests see only receipts (tests/test_agents.py staffs the desk).
    "agents": [{"email": "ilze@support.test", "name": "Ilze Bērziņa", "role": "agent"}],
    "plans": [{"name": "basic", "reaction_time": "4h"}, {"name": "tip0", "reaction_time": "15wd"}],
    "clients": [
        {"id": "acme", "name": "SIA Acme", "language": "lv", "domains": ["acme.lv"], "plan": "basic"},
        {"id": "stekas", "name": "UAB Stekas klientas", "language": "lt", "domains": ["klientas.lt"],
         "contacts": ["buhaltere@gmail.com"], "plan": "basic"},
        {"id": "krizhik", "name": "ООО Крыжик", "language": "ru", "domains": ["krizhik.ru"], "plan": "tip0"},
    ],
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def merge(base: dict, over: dict) -> dict:
    out = copy.deepcopy(base)
    for k, v in over.items():
        out[k] = merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


@pytest.fixture
def make_config(tmp_path):
    """make_config(outbound={...}, env={...}) -> (Config, path of the YAML file); `env` holds the
    MAILBOT_* variables (secrets) the configuration is loaded with."""
    def make(env=None, **over):
        data = merge(BASE, over)
        text = yaml.safe_dump(data, allow_unicode=True).replace("{tmp}", str(tmp_path))
        path = tmp_path / f"config-{uuid.uuid4().hex[:6]}.yaml"
        path.write_text(text, encoding="utf-8")
        return load(path, environ=env or {}), path
    return make


@pytest.fixture
def config(make_config):
    return make_config()[0]


@pytest.fixture
def engine(config):
    engine = db.make_engine(config.database)
    db.ensure_schema(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def pg_server():
    try:
        with psycopg.connect(PG_ADMIN, connect_timeout=3) as conn:
            conn.execute("select 1")
    except psycopg.OperationalError:
        subprocess.run("pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start", shell=True)
        time.sleep(2)
    return PG_ADMIN


@pytest.fixture
def pg_url(pg_server):
    """A fresh PostgreSQL database for one test, dropped afterwards."""
    name = f"mailbot_t_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield pg_server.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


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

    def wait(self, n: int, timeout: float = 10.0):
        deadline = time.monotonic() + timeout
        while len(self.received) < n and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.received


@pytest.fixture
def sink():
    s = Sink()
    s.controller.start()
    yield s
    s.controller.stop()


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


@pytest.fixture
def daemon_factory():
    started = []

    def start(config, engine):
        d = Daemon(config, engine)
        started.append(d)
        return d
    yield start
    for d in started:
        if d.thread.is_alive():
            d.stop()


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


def mail(subject="Rēķins neatveras", body="Labdien, rēķins neatveras.", sender="Jānis Bērziņš <janis@acme.lv>",
         to="help@support.test", message_id=None, headers=()) -> bytes:
    """A plain UTF-8 text message, built with the email package."""
    from email.message import EmailMessage
    from email.policy import SMTP
    m = EmailMessage(policy=SMTP)
    m["From"] = sender
    m["To"] = to
    m["Subject"] = subject
    m["Message-ID"] = message_id or f"<{uuid.uuid4().hex}@client.test>"
    for k, v in headers:
        m[k] = v
    m.set_content(body)
    return m.as_bytes()


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


def run_cli(*args, config_path=None, input=None, env=None, timeout=60, cwd=None, bootstrap=None):
    """`python -m mailbot [--config PATH] ARGS` in a subprocess (in `cwd`, default the project). `bootstrap`:
    Python code to run instead of `-m mailbot`, with the same arguments in sys.argv[1:] (to inject a fault
    before it calls mailbot.cli.main)."""
    run = ["-c", bootstrap] if bootstrap else ["-m", "mailbot"]
    cmd = [sys.executable, *run] + (["--config", str(config_path)] if config_path else []) + list(args)
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run(cmd, input=input, capture_output=True, env=full_env, timeout=timeout, cwd=cwd or ROOT)


__all__ = ["send", "mail", "count", "rows", "run_cli", "free_port", "messages", "outbox", "tickets", "CORPUS"]
