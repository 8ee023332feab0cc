"""`mailbot privacy scan|purge`: what the personal-data guard would do with a message; purge expired exemptions."""
from __future__ import annotations

import sys

from mailbot.base.exits import EX_NOINPUT, EX_OK, EX_USAGE
from mailbot.cli.common import load_config, open_engine, print_json


def cmd_privacy(args):
    if args.action == "purge":
        from mailbot.services.purge import purge_expired
        from mailbot.store.models import utcnow
        config = load_config(args)
        now = utcnow()
        with open_engine(config).begin() as conn:
            n = purge_expired(conn, config.today(now), now)
        print(f"purged {n} message(s)")
        return EX_OK
    from mailbot.privacy.verdict import verdict
    if not args.file:
        print("mailbot privacy scan: give a message file (FILE.eml)", file=sys.stderr)
        return EX_USAGE
    try:
        with open(args.file, "rb") as f:
            raw = f.read()
    except OSError as exc:
        print(f"mailbot privacy scan: {exc}", file=sys.stderr)
        return EX_NOINPUT
    result = verdict(raw, load_config(args), show_values=args.show_values)
    if not print_json(result, args.json):
        print(f"decision: {result['decision']}" + (f" ({result['why']})" if result["why"] else ""))
        print(f"client: {result['client'] or '(unknown sender)'}")
        for f in result["findings"]:
            print(f"  {f['kind']:18} {f['where']}" + (f"  {f['value']}" if "value" in f else ""))
        for u in result["unscannable"]:
            print(f"  {'unscannable':18} {u['where']}  ({u['reason']})")
    return EX_OK
