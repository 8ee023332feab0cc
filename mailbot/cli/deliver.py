"""`mailbot deliver`: one message on stdin from an MTA; exits 0, 65 or 75 and never 1 (see mailbot.ingress.pipe)."""
from __future__ import annotations

import sys

from mailbot.base.exits import EX_CONFIG, EX_TEMPFAIL
from mailbot.cli.common import load_config, open_engine


def cmd_deliver(args):
    from mailbot.config.file import ConfigError
    from mailbot.ingress.pipe import deliver, handoff
    raw = sys.stdin.buffer.read()
    config = None
    try:
        if not args.direct and raw.strip():
            code = handoff(args.config, args.recipient, args.sender, raw)
            if code is not None:
                return code
        config = load_config(args)
        engine = open_engine(config)
        return deliver(config, engine, args.recipient, args.sender, raw)
    except SystemExit as exc:  # a configuration error is something the operator fixes: let the MTA retry
        return EX_TEMPFAIL if exc.code == EX_CONFIG else exc.code
    except ConfigError as exc:
        print(f"mailbot deliver: {exc}", file=sys.stderr)
        return EX_TEMPFAIL
    except Exception as exc:  # never exit 1: an MTA bounces that to the client. Only the type: an error's
        print(f"mailbot deliver: temporary failure: {type(exc).__name__}{_where(exc, config)}", file=sys.stderr)
        return EX_TEMPFAIL  # (its text may quote the mail); the path or database it concerns, for the operator


def _where(exc: Exception, config) -> str:
    """The file or database an error concerns (" on /var/lib/mailbot/mailbot.db"): what the operator must fix,
    typically the pipe's user lacking the right to read the configuration or to write the data."""
    for e in (exc, exc.__cause__, exc.__context__, getattr(exc, "orig", None)):
        if isinstance(e, OSError) and e.filename:
            return f" on {e.filename}"
    if config is not None and type(exc).__module__.startswith("sqlalchemy"):
        from mailbot.store.db import shown_url
        return f" on {shown_url(config.database.url)}"
    return ""
