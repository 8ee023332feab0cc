"""What every command needs: the configuration, the database, logging and JSON output.

Imports are lazy throughout the CLI: `mailbot deliver` runs once per message and must start fast.
"""
from __future__ import annotations

import json
import logging
import sys
import time

from mailbot.base.exits import EX_CONFIG

CONFIG_HELP = "configuration file (default ./config.yaml or $MAILBOT_CONFIG)"


def load_config(args):
    """The validated configuration, or exit EX_CONFIG with the message naming the key."""
    from mailbot.config import ConfigError, load
    try:
        return load(args.config)
    except ConfigError as exc:
        print(f"mailbot: {exc}", file=sys.stderr)
        raise SystemExit(EX_CONFIG) from None


def open_engine(config, upgrade=True, say=None):
    """The database engine; with `upgrade`, the schema brought up to date first (and said so: on stderr, or to
    `say`)."""
    from mailbot.store import db
    engine = db.make_engine(config.database)
    if upgrade:
        db.ensure_schema(engine, say=say or (lambda m: print(f"mailbot: {m}", file=sys.stderr)))
    return engine


def setup_logging(level="INFO", fmt="text"):
    """One line per event on stderr; `fmt` json: one JSON object a line (logging.format in the configuration)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLines() if fmt == "json" else
                         logging.Formatter("%(asctime)s %(levelname)s %(name)s[%(process)d] %(message)s"))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every address it sees
    logging.getLogger("alembic").setLevel(logging.WARNING)
    # APScheduler's routine lines ("Added job ...", "Running job ...") every minute are not news for an operator.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


class JsonLines(logging.Formatter):
    """time, level, logger, pid and the message, plus the ids a line carries as `extra` (message_id, ticket,
    row, outbox, mailbox): what a log collector indexes. The message is the same text the plain format prints."""

    IDS = ("message_id", "ticket", "row", "outbox", "mailbox", "verdict")

    def format(self, record: logging.LogRecord) -> str:
        line = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
                "level": record.levelname, "logger": record.name, "pid": record.process,
                "message": record.getMessage()}
        for key in self.IDS:
            if getattr(record, key, None) is not None:
                line[key] = getattr(record, key)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)

    converter = time.gmtime


def print_json(data, as_json) -> bool:
    """Print `data` as JSON when asked (and say so); False: the caller prints text."""
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return True
    return False


def show_record(record: dict | None, as_json: bool, missing: str) -> int:
    """One record (`parked show`, `outbox show`): as JSON, or a line per field; `missing` when there is none."""
    from mailbot.base.exits import EX_FAILED, EX_OK
    if record is None:
        print(f"mailbot: {missing}", file=sys.stderr)
        return EX_FAILED
    if not print_json(record, as_json):
        for k, v in record.items():
            print(f"{k}: {v}")
    return EX_OK
