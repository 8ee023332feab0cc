"""`mailbot parked list|show|retry`: the messages the pipeline could not take, and replaying them by hand."""
from __future__ import annotations

import sys

from mailbot.base.exits import EX_FAILED, EX_OK
from mailbot.cli.common import load_config, open_engine, print_json, show_record


def cmd_parked(args):
    from mailbot.store import parking
    config = load_config(args)
    engine = open_engine(config)
    if args.action == "list":
        with engine.connect() as conn:
            rows = parking.list_parked(conn, include_done=args.all)
        if not print_json(rows, args.json):
            for p in rows:
                print(f"{p['id']:>5} {p['status']:<7} {p['attempts']}x {p['created_at'][:19]} {p['mailbox']} "
                      f"from {p['mail_from'] or '-'}: {p['error']}")
        return EX_OK
    if args.action == "show":
        with engine.connect() as conn:
            return show_record(parking.show_parked(conn, args.id), args.json, f"no parked message {args.id}")
    return _retry(args, config, engine)


def _retry(args, config, engine) -> int:
    from mailbot.pipeline import parking
    from mailbot.pipeline.context import Verdict
    from mailbot.pipeline.runner import TempFail, accept
    rows = parking.not_done(engine, args.id)
    if not rows:
        print("nothing to retry" if args.id is None else f"mailbot: no parked message {args.id} to retry",
              file=sys.stderr)
        return EX_OK if args.id is None else EX_FAILED
    failed = 0
    for row in rows:
        try:
            outcome = accept(row.raw, parking.envelope_of(row), config, engine, retry_of=row.id)
        except TempFail as exc:
            print(f"{row.id}: temporary failure: {exc}")
            failed += 1
            continue
        failed += outcome.status == Verdict.PARKED
        print(f"{row.id}: {outcome.status}" + (f" ticket #{outcome.ticket_id}" if outcome.ticket_id else ""))
    return EX_FAILED if failed else EX_OK
