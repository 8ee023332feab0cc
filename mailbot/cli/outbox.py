"""`mailbot outbox list|show|retry`: outgoing mail, and sending again what was given up on (same bytes, same
Message-ID, so a mail that did arrive after all is recognisably the same mail)."""
from __future__ import annotations

import sys

from mailbot.base.exits import EX_FAILED, EX_OK
from mailbot.cli.common import load_config, open_engine, print_json, show_record


def cmd_outbox(args):
    from mailbot.store import outbox
    from mailbot.store.models import utcnow
    config = load_config(args)
    engine = open_engine(config)
    if args.action == "list":
        with engine.connect() as conn:
            rows = outbox.listing(conn, status=args.status, limit=args.limit)
        if not print_json(rows, args.json):
            for r in rows:
                when = r["sent_at"] or r["failed_at"] or r["created_at"]
                print(f"{r['id']:>6} {r['status']:<8} {when[:19]} {r['kind']:<15} {r['ticket'] or '-':>7} "
                      f"{r['recipients']}" + (f"  ({r['last_error'][:80]})" if r["status"] == "failed" else ""))
        return EX_OK
    if args.action == "show":
        with engine.connect() as conn:
            return show_record(outbox.show(conn, args.id), args.json, f"no outgoing mail {args.id}")
    with engine.begin() as conn:
        ids = outbox.requeue(conn, args.id, utcnow())
    if not ids:
        print("nothing to retry" if args.id is None else f"mailbot: outgoing mail {args.id} has not failed",
              file=sys.stderr)
        return EX_OK if args.id is None else EX_FAILED
    print(f"queued again: {', '.join(map(str, ids))} (the running daemon sends them)")
    return EX_OK
