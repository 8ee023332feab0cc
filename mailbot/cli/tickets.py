"""`mailbot tickets list|show`: tickets as a table or as JSON (the shape is in docs/operations.md)."""
from __future__ import annotations

import sys

from mailbot.base.exits import EX_FAILED, EX_OK, EX_USAGE
from mailbot.cli.common import load_config, open_engine, print_json


def cmd_tickets(args):
    from mailbot.store import views
    config = load_config(args)
    engine = open_engine(config)
    with engine.connect() as conn:
        if args.action == "list":
            rows = views.list_tickets(conn, config, status=args.status, limit=args.limit, client=args.client,
                                      assignee=args.agent, unassigned=args.unassigned)
            if not print_json(rows, args.json):
                for t in rows:
                    who = t["client"]["id"] if t["client"] else "-"
                    print(f"{t['ref']:>7}  {t['status']:<9} {t['created_at'][:16]}  {who:<12} "
                          f"{(t['assignee'] or '-'):<24} {t['contact']:<30} {t['subject'][:50]}")
            return EX_OK
        try:
            t = views.show_ticket(conn, config, args.ref)
        except ValueError as exc:
            print(f"mailbot: {exc}", file=sys.stderr)
            return EX_USAGE
        if t is None:
            print(f"mailbot: no ticket {args.ref}", file=sys.stderr)
            return EX_FAILED
        if not print_json(t, args.json):
            who = t["client"]["name"] if t["client"] else "(no client)"
            print(f"Ticket {t['ref']} [{t['status']}] {t['subject']}\nClient: {who}  Contact: {t['contact']}\n"
                  f"Assignee: {t['assignee'] or '-'}  Category: {t['category'] or '-'}  "
                  f"Priority: {t['priority'] or '-'}\nCreated: {t['created_at']}\n")
            for m in t["messages"]:
                arrow = "<-" if m["direction"] == "in" else "->"
                who = m["sender"] if m["direction"] == "in" else f"to {m['recipients']}"
                print(f"{arrow} {m['created_at'][:19]} {m['kind']} {who}: {m['subject']}")
                for a in m["attachments"]:
                    print(f"   [{a['filename']}, {a['content_type']}, {a['size']} bytes]")
                print("   " + (m["text"] or "").strip().replace("\n", "\n   ") + "\n")
            if t["time_entries"]:
                print("Time journal:")
                for te in t["time_entries"]:
                    print(f"  {te['work_date']} {te['agent']:<24} {te['minutes']:>4} min {te['category']:<10} "
                          f"{te['description']}")
            for e in t["events"]:
                print(f"  * {e['at'][:19]} {e['kind']}: {e['detail']}" + (f" ({e['actor']})" if e["actor"] else ""))
    return EX_OK
