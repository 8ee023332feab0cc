"""The installation's reply-token secret: from the environment, or generated once and kept in the database, so
every daemon on a shared database signs alike and the quick start needs no setup (see mailbot.agents.auth)."""
from __future__ import annotations

import secrets as _secrets

from sqlalchemy import select

from mailbot.store.compiled import insert_ignore
from mailbot.store.models import settings

SECRET_SETTING = "reply_token_secret"
_STORED: dict[str, bytes] = {}  # database URL -> the installation's generated secret


def reply_secret(conn, configured: str | None) -> bytes:
    if configured:
        return configured.encode()
    database = conn.engine.url.render_as_string(hide_password=False)
    if database in _STORED:
        return _STORED[database]
    query = select(settings.c.value).where(settings.c.name == SECRET_SETTING)
    stored = conn.execute(query).scalar()
    if stored is not None:  # committed by someone, and never changed: read once per process
        _STORED[database] = stored.encode()
        return _STORED[database]
    insert_ignore(conn, settings, name=SECRET_SETTING, value=_secrets.token_hex(32))
    return conn.execute(query).scalar().encode()  # ours may yet be rolled back: not remembered
