"""The floor for the ingest benchmark: the least an SMTP listener that keeps its promise can do.

aiosmtpd with the same settings as mailbot's listener; DATA parses the message with the same parser
(mailbot.mime.message.parse), inserts one row (Message-ID, sender, subject, size and the raw bytes) into
SQLite in WAL mode and commits before answering 250. Everything runs inline on the event loop, one message
at a time: no thread pool, no ORM, no pipeline.

    python bench/floor_server.py --db /tmp/floor.db [--synchronous FULL|NORMAL] [--port 0]

Prints "PORT <n>" on stdout once it listens; stops on SIGTERM/SIGINT.
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sqlite3
import sys
from pathlib import Path

from aiosmtpd.smtp import SMTP

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from mailbot.config import Listen  # noqa: E402  (mailbot's listener settings: the same size limit)
from mailbot.mime.message import parse  # noqa: E402  (mailbot's own parser: "the same parser")

logging.getLogger("mail.log").setLevel(logging.WARNING)


class Handler:
    def __init__(self, db: sqlite3.Connection):
        self.db = db
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        msg = parse(raw)
        self.db.execute("INSERT INTO messages (message_id, mail_from, rcpt, subject, size, raw) "
                        "VALUES (?, ?, ?, ?, ?, ?)",
                        (msg.message_id, envelope.mail_from, ",".join(envelope.rcpt_tos), msg.subject, len(raw),
                         raw))
        self.db.commit()
        self.count += 1
        return "250 2.0.0 OK: queued"

    async def handle_exception(self, error):
        print(f"floor: {type(error).__name__}: {error}", file=sys.stderr)
        return "451 4.3.0 Temporary failure"


def open_db(path: str, synchronous: str) -> sqlite3.Connection:
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(f"PRAGMA synchronous={synchronous}")
    db.execute("CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY KEY, message_id TEXT, mail_from TEXT, "
               "rcpt TEXT, subject TEXT, size INTEGER, raw BLOB)")
    db.commit()
    return db


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--synchronous", choices=("FULL", "NORMAL"), default="FULL")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    args = ap.parse_args()
    handler = Handler(open_db(args.db, args.synchronous))
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    server = await loop.create_server(
        lambda: SMTP(handler, data_size_limit=Listen().max_message_size, enable_SMTPUTF8=True, decode_data=False,
                     hostname="floor.localhost", ident="floor", timeout=300),
        host=args.host, port=args.port)
    print(f"PORT {server.sockets[0].getsockname()[1]}", flush=True)
    await stop.wait()
    server.close()
    handler.db.close()
    print(f"floor: {handler.count} messages", file=sys.stderr)


if __name__ == "__main__":
    asyncio.run(main())
