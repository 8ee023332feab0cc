"""`mailbot tickets list|show`: tickets as a table or as JSON (the shape is in docs/operations.md)."""
from __future__ import annotations

import sys
from datetime import datetime

from mailbot.base.exits import EX_FAILED, EX_OK, EX_USAGE
from mailbot.cli.common import load_config, open_engine, print_json


def cmd_tickets(args):
    from mailbot.services import service_levels
    from mailbot.store import tickets as ticket_rows
    from mailbot.store import views
    from mailbot.store.models import utcnow
    config = load_config(args)
    engine = open_engine(config)
    now = utcnow()
    with engine.connect() as conn:
        if args.action == "list":
            try:
                before = datetime.fromisoformat(args.due_before) if args.due_before else None
            except ValueError:
                print(f"mailbot: --due-before: {args.due_before!r} is not an ISO 8601 time", file=sys.stderr)
                return EX_USAGE
            if before is not None and before.tzinfo is None:
                print("mailbot: --due-before needs a time with its offset (2026-12-08T17:00+02:00)", file=sys.stderr)
                return EX_USAGE
            whole = args.sort != "newest" or before is not None or args.overdue  # these look at every ticket
            found = views.list_tickets(conn, config, status=args.status, limit=None if whole else args.limit,
                                       client=args.client, assignee=args.agent, unassigned=args.unassigned, rows=True)
            levels = service_levels.of_tickets(conn, config, found, now)
            rows = [dict(views.ticket_summary(r, config), **levels[r["id"]].as_data(),
                         _due=levels[r["id"]].next_due) for r in found]
            if before is not None:
                rows = [t for t in rows if t["_due"] is not None and t["_due"] < before]
            if args.overdue:
                rows = [t for t in rows if t["_due"] is not None and t["_due"] < now]
            if args.sort == "queue":
                rows.sort(key=lambda t: (t["priority"] or "P3", t["created_at"]))
            elif args.sort == "due":
                rows.sort(key=lambda t: (t["_due"] is None, t["_due"] or now, t["created_at"]))
            rows = [{k: v for k, v in t.items() if k != "_due"} for t in rows[:args.limit]]
            if not print_json(rows, args.json):
                for t in rows:
                    who = t["client"]["id"] if t["client"] else "-"
                    due = (t["response_due"] if t["response_met"] is None and t["response_due"] else
                           t["resolution_due"]) or ""
                    print(f"{t['ref']:>7}  {t['status']:<9} {(t['priority'] or '-'):<3} {t['created_at'][:16]}  "
                          f"{due[:16]:<16}  {who:<12} {(t['assignee'] or '-'):<24} {t['contact']:<30} "
                          f"{t['subject'][:50]}")
            return EX_OK
        try:
            t = views.show_ticket(conn, config, args.ref)
        except ValueError as exc:
            print(f"mailbot: {exc}", file=sys.stderr)
            return EX_USAGE
        if t is None:
            print(f"mailbot: no ticket {args.ref}", file=sys.stderr)
            return EX_FAILED
        row = ticket_rows.by_id(conn, t["id"])
        t.update(service_levels.of_tickets(conn, config, [row], now)[t["id"]].as_data())
        if not print_json(t, args.json):
            who = t["client"]["name"] if t["client"] else "(no client)"
            print(f"Ticket {t['ref']} [{t['status']}] {t['subject']}\nClient: {who}  Contact: {t['contact']}\n"
                  f"Assignee: {t['assignee'] or '-'}  Category: {t['category'] or '-'}  "
                  f"Priority: {t['priority'] or '-'}\nCreated: {t['created_at']}\n"
                  f"Response due: {t['response_due'] or '-'}{_met(t['response_met'])}  "
                  f"Resolution due: {t['resolution_due'] or '-'}{_met(t['resolution_met'])}"
                  f"{'  (paused: waiting for the client)' if t['paused'] else ''}\n")
            for m in t["messages"]:
                arrow = "<-" if m["direction"] == "in" else "->"
                who = m["sender"] if m["direction"] == "in" else f"to {m['recipients']}"
                print(f"{arrow} {m['created_at'][:19]} {m['kind']} {who}: {m['subject']}")
                for a in m["attachments"]:
                    print(f"   [{a['filename']}, {a['content_type']}, {a['size']} bytes]")
                if m["purged_at"]:  # retention (docs/retention.md)
                    print(f"   (purged {m['purged_at'][:10]}: its text, raw copy and files are deleted)\n")
                else:
                    print("   " + (m["text"] or "").strip().replace("\n", "\n   ") + "\n")
            if t["time_entries"]:
                print("Time journal:")
                for te in t["time_entries"]:
                    print(f"  {te['work_date']} {te['agent']:<24} {te['minutes']:>4} min {te['category']:<10} "
                          f"{te['description']}")
            for e in t["events"]:
                print(f"  * {e['at'][:19]} {e['kind']}: {e['detail']}" + (f" ({e['actor']})" if e["actor"] else ""))
    return EX_OK


def _met(met) -> str:
    return "" if met is None else " (met)" if met else " (missed)"
