"""`mailbot objections list|show`: clients' objections to billed work, as the head of service decided them."""
from __future__ import annotations

import re
import sys

from mailbot.base.exits import EX_FAILED, EX_OK, EX_USAGE
from mailbot.cli.common import load_config, open_engine, print_json

_REF = re.compile(r"^\s*(?:o-?)?(\d{1,12})\s*$", re.I)


def cmd_objections(args):
    from mailbot.store import objections
    config = load_config(args)
    engine = open_engine(config)
    with engine.connect() as conn:
        if args.action == "list":
            rows = objections.listing(conn, open_only=args.open)
            if not print_json(rows, args.json):
                for o in rows:
                    tickets = " ".join(f"#{t}" for t in o["tickets"]) or "-"
                    print(f"{o['ref']:>7}  {o['status']:<8} {'late' if o['late'] else '':<4} {o['received_at'][:16]}  "
                          f"{(o['client'] or '-'):<12} {o['contact']:<30} {tickets}")
            return EX_OK
        m = _REF.match(args.ref)
        if m is None:
            print(f"mailbot: {args.ref!r} is not an objection reference (O-7)", file=sys.stderr)
            return EX_USAGE
        o = objections.show(conn, int(m[1]))
    if o is None:
        print(f"mailbot: no objection {args.ref}", file=sys.stderr)
        return EX_FAILED
    if not print_json(o, args.json):
        print(f"Objection {o['ref']} [{o['status']}{', late' if o['late'] else ''}] {o['subject']}\n"
              f"Client: {o['client'] or '-'}  Contact: {o['contact']}  Received: {o['received_at']}\n"
              f"Window ended: {o['deadline'] or '-'}" + (f"  Refused: {o['refusal']}" if o["refusal"] else "") + "\n")
        print("   " + (o["reasoning"] or "").replace("\n", "\n   ") + "\n")
        for i in o["items"]:
            decided = f" -> {i['outcome']}" + (f" ({i['new_category']})" if i["new_category"] else "") + (
                f" by {i['decided_by']} {i['decided_at'][:16]}" if i["decided_by"] else "")
            print(f"  #{i['ticket']} {i['period'] or '(not billed)'} billed as {i['category'] or '-'}{decided}")
            if i["explanation"]:
                print("     " + i["explanation"].replace("\n", "\n     "))
        for msg in o["messages"]:
            print(f"  <- {msg['at'][:19]} {msg['disposition']} {msg['sender']}: {msg['subject']}")
    return EX_OK
