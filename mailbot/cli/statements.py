"""`mailbot statement show|send|list|run`: clients' history and hours statements by hand, and the schedule's run."""
from __future__ import annotations

import os
import sys

from mailbot.base.exits import EX_FAILED, EX_OK, EX_USAGE
from mailbot.cli.common import load_config, open_engine, print_json


def cmd_statement(args):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from mailbot.billing import periods
    from mailbot.services.statements import StatementError, issue, run_due, show
    from mailbot.store import statements
    from mailbot.store.models import utcnow
    config = load_config(args)
    engine = open_engine(config)
    now = datetime.fromisoformat(args.now).astimezone(ZoneInfo("UTC")) if getattr(args, "now", None) else utcnow()
    if args.action == "list":
        with engine.connect() as conn:
            data = statements.listing(conn)
        if not print_json(data, args.json):
            for d in data:
                print(f"{d['id']:>5} {d['client']:<15} {d['period']} v{d['version']} {d['reason']:<9} "
                      f"{d['total']:>12} {d['currency']}  {d['created_at'][:16]}")
        return EX_OK
    if args.action == "amend":  # what the schedule does every minute
        from mailbot.services import amendments
        for client, period, outcome in amendments.run_due(engine, config, now):
            print(f"{client} {period}: {outcome}")
        return EX_OK
    if args.action == "run":  # what the schedule does; for cron or a catch-up by hand
        for client, period, outcome in run_due(engine, config, now, owner=f"cli-{os.getpid()}",
                                               workers=args.workers or config.statements.workers):
            print(f"{client} {period}: {outcome}")
        return EX_OK
    client = config.client_by_id(args.client)
    if client is None:
        print(f"mailbot statement: unknown client {args.client!r} (clients: "
              f"{', '.join(c.id for c in config.clients) or 'none'})", file=sys.stderr)
        return EX_USAGE
    try:
        period = args.period or periods.period_of(now.astimezone(ZoneInfo(config.client_zone(client)[1])).date())
        periods.period_bounds(period)
    except ValueError as exc:
        print(f"mailbot statement: --period: {exc}", file=sys.stderr)
        return EX_USAGE
    if args.action == "show":
        with engine.begin() as conn:
            doc = show(conn, config, client, period, now)
        if not print_json(doc, args.json):
            _print(doc, client)
            if doc["pending"] is not None:
                print(f"\nPending amendment (the journal changed since v{doc['version']} was sent): "
                      f"{doc['pending']['amends']['total']} -> {doc['pending']['total']} {doc['pending']['currency']}")
                for c in doc["pending"]["amends"]["changes"]:
                    old, new = c["old"] or {}, c["new"] or {}
                    print(f"  {c['ref']} {c['work_date']} {old.get('category', '-')} {old.get('amount', '-')} -> "
                          f"{new.get('category', '-')} {new.get('amount', '-')}")
        return EX_OK
    try:
        with engine.begin() as conn:
            doc = issue(conn, config, client, period, "manual", now)
    except StatementError as exc:
        print(f"mailbot statement: {exc}", file=sys.stderr)
        return EX_FAILED
    print(f"queued statement {client.id} {period} v{doc['version']}: {doc['total']} {doc['currency']} "
          f"to {', '.join(client.contacts)}")
    return EX_OK


def _print(doc: dict, client) -> None:
    print(f"{client.name} ({client.id}), {doc['period']}" + (f", {doc['number']} as sent {doc['issued_at']}"
                                                              if doc.get("number") else " (not sent)") +
          f": {len(doc['tickets'])} tickets, total {doc['total']} {doc['currency']}")
    for t in doc["tickets"]:
        print(f"  {t['ref']} {t['opened']} {t['contact']}: {t['subject']}")
        for ln in t["lines"]:
            print(f"    {ln['work_date']} {ln['agent'][:20]:<20} {ln['category']:<12} "
                  f"{ln['entered']:>4} -> {ln['billed']:>4} min  {ln['amount']:>10}")
    for c in doc["categories"]:
        print(f"  {c['name']:<12} entered {c['entered']} billed {c['billed']} min, {c['amount']}")
    for f in doc["fees"]:
        print(f"  fee {f['name']} x{f['quantity']}: {f['amount']}")
