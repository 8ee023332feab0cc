"""The fixtures (and only those: the helpers they use are in tests/helpers.py): configurations written to disk, the
databases (SQLite in the test's directory, a fresh PostgreSQL database), the real SMTP relay sink, the real Dovecot,
the daemon on a loopback port, and the desk (a running daemon whose mail goes to the sink)."""
from __future__ import annotations

import os
import subprocess
import uuid

import psycopg
import pytest
import yaml

from mailbot.config import load
from mailbot.store import db
from tests.dovecot import DEFAULT_USERS, Dovecot, dovecot_factory  # noqa: F401 (dovecot_factory: a fixture)
from tests.helpers import AGENTS, BASE, Daemon, Sink, engine_for, free_port, merge, wait_until

PG_ADMIN = os.environ.get("MAILBOT_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


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
    """The configuration every test starts from (tests.helpers.BASE), loaded."""
    return make_config()[0]


@pytest.fixture
def engine(config):
    """Its SQLite database, the schema made."""
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
        wait_until(_pg_answers, timeout=30, interval=0.2)
    return PG_ADMIN


def _pg_answers() -> bool:
    try:
        with psycopg.connect(PG_ADMIN, connect_timeout=3) as conn:
            conn.execute("select 1")
        return True
    except psycopg.OperationalError:
        return False


@pytest.fixture
def pg_url(pg_server):
    """A fresh PostgreSQL database for one test, dropped afterwards."""
    name = f"mailbot_t_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield pg_server.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sink():
    """The relay (tests.helpers.Sink), listening; what reached it: `sink.received`, or tests.helpers.sent_mail."""
    s = Sink()
    s.controller.start()
    yield s
    s.controller.stop()


@pytest.fixture
def dovecot(tmp_path):
    """A real Dovecot IMAP server (tests/dovecot.py) with the users DEFAULT_USERS, started; more, or other kinds:
    the dovecot_factory fixture."""
    d = Dovecot(tmp_path / "dovecot", DEFAULT_USERS)
    d.start()
    yield d
    d.stop()


@pytest.fixture
def daemon_factory():
    """daemon_factory(config, engine) -> tests.helpers.Daemon, started; every one still running is stopped at the
    end of the test."""
    started = []

    def start(config, engine):
        d = Daemon(config, engine)
        started.append(d)
        return d
    yield start
    for d in started:
        if d.thread.is_alive():
            d.stop()


@pytest.fixture
def desk(make_config, daemon_factory, sink):
    """desk(staffed=True, **over) -> a running daemon (the real listeners on a loopback port) whose outgoing mail
    goes to the relay sink: `d.port`, and `d.engine`, `d.sink`, `d.config`, `d.path` (its configuration file).
    Staffed with tests.helpers.AGENTS unless `agents=` says otherwise; staffed=False keeps BASE's one plain agent
    (no dispatcher: the relay gets only what clients get). The rest of `over` as for make_config (`outbound=` is
    merged into the relay's settings)."""
    def start(staffed=True, **over):
        if staffed:
            over.setdefault("agents", AGENTS)
        over["outbound"] = merge({"transport": "smtp", "smtp": {"host": "127.0.0.1", "port": sink.port},
                                  "poll_seconds": 0.1}, over.get("outbound", {}))
        config, path = make_config(**over)
        engine = engine_for(config)
        d = daemon_factory(config, engine)
        d.engine, d.sink, d.path = engine, sink, path
        return d
    return start


@pytest.fixture
def daemon_config(make_config, tmp_path):
    """For `mailbot run` as a process (tests.helpers.run_daemon): (config, its path, its SMTP port, its outbox
    maildir)."""
    port = free_port()
    config, path = make_config(listen={"smtp": {"port": port}})
    return config, path, port, tmp_path / "outbox"
