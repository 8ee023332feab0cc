"""`mailbot sla due|report|check`: check a plan's calendar, see how often targets were met, send due warnings."""
from __future__ import annotations

import sys
from datetime import datetime
from zoneinfo import ZoneInfo

from mailbot.base.exits import EX_OK, EX_USAGE
from mailbot.cli.common import load_config, open_engine, print_json


def cmd_sla(args):
    from mailbot.services import service_levels
    from mailbot.sla import clocks
    config = load_config(args)
    if args.action == "check":
        from mailbot.services import sla_watch
        from mailbot.store.models import utcnow
        now = datetime.fromisoformat(args.now).astimezone(ZoneInfo("UTC")) if args.now else utcnow()
        for line in sla_watch.check(open_engine(config), config, now):
            print(line)
        return EX_OK
    if args.action == "report":
        from mailbot.billing.periods import period_bounds
        from mailbot.store.models import utcnow
        try:
            period_bounds(args.period)
        except ValueError as exc:
            print(f"mailbot sla: --period: {exc}", file=sys.stderr)
            return EX_USAGE
        now = datetime.fromisoformat(args.now).astimezone(ZoneInfo("UTC")) if args.now else utcnow()
        with open_engine(config).connect() as conn:
            data = service_levels.report(conn, config, args.period, now)
        if not print_json(data, args.json):
            for g in data:
                shares = "  ".join(f"{c} {g[c + '_met']} met, {g[c + '_missed']} missed, {g[c + '_running']} running"
                                   + (f" ({g[c + '_share_met']:.0%})" if g[c + "_share_met"] is not None else "")
                                   for c in ("response", "resolution"))
                print(f"{g['plan'] or '(no plan)':<20} {g['client'] or '-':<12} {g['tickets']:>4} tickets  {shares}")
        return EX_OK
    plan = next((p for p in config.plans if p.name == args.plan), None)
    if plan is None:
        print(f"mailbot sla: unknown plan {args.plan!r} (plans: {', '.join(p.name for p in config.plans) or 'none'})",
              file=sys.stderr)
        return EX_USAGE
    try:
        start = datetime.fromisoformat(args.start)
    except ValueError:
        print(f"mailbot sla: --from: {args.start!r} is not an ISO 8601 time", file=sys.stderr)
        return EX_USAGE
    if start.tzinfo is None:
        print("mailbot sla: --from needs its offset (2026-12-07T16:30+02:00)", file=sys.stderr)
        return EX_USAGE
    target = plan.target(args.target, args.priority, args.category)
    if target is None:
        print(f"mailbot sla: plan {plan.name} has no {args.target} target" +
              (f" for {args.priority}" if args.priority else ""), file=sys.stderr)
        return EX_USAGE
    cal = service_levels.calendar_of(config, plan)
    zone = service_levels.zone_of(config, plan)
    due = clocks.deadline(cal, start, target).astimezone(ZoneInfo(zone))
    data = dict(plan=plan.name, calendar=plan.calendar, target=args.target, priority=args.priority, duration=target,
                **{"from": start.isoformat(), "due": due.isoformat()})
    if not print_json(data, args.json):
        print(f"{plan.name} ({plan.calendar}): {args.target} {target} from {start.isoformat()} -> due {due.isoformat()}")
    return EX_OK
