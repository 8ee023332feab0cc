"""`mailbot retention run [--dry-run] [--months N] [--json]`: purge old mail's text, raw copies and files by hand,
or see first what would go (docs/retention.md). The daemon does the same once a day when retention.months is set.
"""
from __future__ import annotations

import sys

from mailbot.base.exits import EX_CONFIG, EX_OK
from mailbot.cli.common import load_config, open_engine, print_json


def cmd_retention(args):
    from mailbot.services import retention
    from mailbot.store.models import utcnow
    config = load_config(args)
    if args.months is None and config.retention.months is None:
        print("mailbot retention: retention.months is not set (mail is kept for ever); set it, or give --months N",
              file=sys.stderr)
        return EX_CONFIG
    done = retention.run(open_engine(config), config, utcnow(), months=args.months, dry_run=args.dry_run)
    if not print_json(done.as_data(), args.json):
        what = "would purge" if done.dry_run else "purged"
        print(f"cut-off: {done.cutoff.isoformat()} ({done.months} months kept; tickets open or changed since "
              f"are kept whole)")
        print(f"{what}: {done.line()}")
    return EX_OK
