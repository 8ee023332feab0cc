"""Configuration: one YAML file, validated at start-up, overridable from the environment.

`file` reads the YAML and the environment overrides without pydantic, so that `mailbot deliver`'s fast path
(which needs only the listener's address) starts in milliseconds; the schema is imported only when one of its
names is asked for here (PEP 562), e.g. ``from mailbot.config import load, Config``.
"""
from __future__ import annotations

from mailbot.config.file import ConfigError, default_path

_SCHEMA = {"load": "schema", "Config": "schema"}
_SECTIONS = ("Agent", "MailboxRole", "Role", "Commands", "Database", "Health", "Imap", "Jobs", "Listen", "Listener", "Mailbox", "Outbound",
             "Parking", "Retention", "SmtpRelay", "Tickets", "UnknownSenders", "AUTO_WORKERS_MAX")
_TERMS = ("Allowance", "Category", "Client", "Fee", "Money", "Plan", "Privacy", "PrivacyOverride", "Rounding",
          "Statements", "StatementsOverride")
_BASE = ("LANGUAGES", "Language", "Strict")
_WHERE = {**_SCHEMA, **dict.fromkeys(_SECTIONS, "sections"), **dict.fromkeys(_TERMS, "terms"),
          **dict.fromkeys(_BASE, "base")}
__all__ = ["ConfigError", "default_path", *_WHERE]


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module 'mailbot.config' has no attribute {name!r}")
    import importlib
    return getattr(importlib.import_module(f"mailbot.config.{_WHERE[name]}"), name)
