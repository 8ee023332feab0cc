"""The `mailbot` command. Imports are lazy: `mailbot deliver` runs once per message and must start fast."""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys

EX_USAGE, EX_CONFIG, EX_SOFTWARE = 64, 78, 70


def _config(args):
    from mailbot.config import ConfigError, load
    try:
        return load(args.config)
    except ConfigError as exc:
        print(f"mailbot: {exc}", file=sys.stderr)
        raise SystemExit(EX_CONFIG) from None


def _engine(config, upgrade=True):
    from mailbot.store import db
    engine = db.make_engine(config.database)
    if upgrade:
        db.ensure_schema(engine, say=lambda m: print(f"mailbot: {m}", file=sys.stderr))
    return engine


def _logging(level="INFO"):
    logging.basicConfig(level=level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s[%(process)d] %(message)s")
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every address it sees
    logging.getLogger("alembic").setLevel(logging.WARNING)


def _print(data, as_json):
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return True
    return False


def cmd_run(args):
    import asyncio
    from mailbot.app import serve
    _logging(args.log_level)
    config = _config(args)
    worker = None
    if args.worker:  # one of the extra processes of listen.workers: index:parent:sockets:ready-fd:board-fd:n
        from mailbot import workers
        index, parent, spec, ready_fd, board_fd, processes = args.worker.split(":")
        workers.die_with_parent(int(parent))
        board = workers.Board(int(board_fd), int(processes), int(index) + 1)
        worker = (int(index) + 1, workers.inherited(spec), int(ready_fd), board)
        engine = _engine(config, upgrade=False)  # the first process brought the schema up to date
    else:
        engine = _engine(config)
    asyncio.run(serve(config, engine, worker=worker))
    return 0


def cmd_deliver(args):
    from mailbot.configfile import ConfigError
    from mailbot.ingress.pipe import EX_TEMPFAIL, deliver, handoff
    raw = sys.stdin.buffer.read()
    try:
        if not args.direct and raw.strip():
            code = handoff(args.config, args.recipient, args.sender, raw)
            if code is not None:
                return code
        config = _config(args)
        engine = _engine(config)
        return deliver(config, engine, args.recipient, args.sender, raw)
    except SystemExit as exc:  # a configuration error is something the operator fixes: let the MTA retry
        return EX_TEMPFAIL if exc.code == EX_CONFIG else exc.code
    except ConfigError as exc:
        print(f"mailbot deliver: {exc}", file=sys.stderr)
        return EX_TEMPFAIL
    except Exception as exc:  # never exit 1: an MTA bounces that to the client. Only the type: an error's
        print(f"mailbot deliver: temporary failure: {type(exc).__name__}", file=sys.stderr)  # text may quote the mail
        return EX_TEMPFAIL


def cmd_db(args):
    from mailbot.store import db
    config = _config(args)
    engine = _engine(config, upgrade=False)
    if args.action == "upgrade":
        before, after = db.upgrade(engine)
        print(f"database at {after}" + (" (no change)" if before == after else f" (was {before or 'empty'})"))
    else:
        print(db.current_revision(engine) or "empty")
    return 0


def cmd_tickets(args):
    from mailbot import views
    config = _config(args)
    engine = _engine(config)
    with engine.connect() as conn:
        if args.action == "list":
            rows = views.list_tickets(conn, config, status=args.status, limit=args.limit, client=args.client,
                                      assignee=args.agent, unassigned=args.unassigned)
            if not _print(rows, args.json):
                for t in rows:
                    who = t["client"]["id"] if t["client"] else "-"
                    print(f"{t['ref']:>7}  {t['status']:<9} {t['created_at'][:16]}  {who:<12} "
                          f"{(t['assignee'] or '-'):<24} {t['contact']:<30} {t['subject'][:50]}")
            return 0
        try:
            t = views.show_ticket(conn, config, args.ref)
        except ValueError as exc:
            print(f"mailbot: {exc}", file=sys.stderr)
            return EX_USAGE
        if t is None:
            print(f"mailbot: no ticket {args.ref}", file=sys.stderr)
            return 1
        if not _print(t, args.json):
            who = t["client"]["name"] if t["client"] else "(no client)"
            print(f"Ticket {t['ref']} [{t['status']}] {t['subject']}\nClient: {who}  Contact: {t['contact']}\n"
                  f"Assignee: {t['assignee'] or '-'}  Category: {t['category'] or '-'}  "
                  f"Priority: {t['priority'] or '-'}\nCreated: {t['created_at']}\n")
            for m in t["messages"]:
                arrow = "<-" if m["direction"] == "in" else "->"
                print(f"{arrow} {m['created_at'][:19]} {m['kind']} {m['sender']}: {m['subject']}")
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
    return 0


def cmd_parked(args):
    from mailbot import views
    from mailbot.pipeline.context import Envelope
    from mailbot.pipeline.runner import TempFail, accept
    from mailbot.store.models import parked
    from sqlalchemy import select
    config = _config(args)
    engine = _engine(config)
    if args.action == "list":
        with engine.connect() as conn:
            rows = views.list_parked(conn, include_done=args.all)
        if not _print(rows, args.json):
            for p in rows:
                print(f"{p['id']:>5} {p['status']:<7} {p['attempts']}x {p['created_at'][:19]} {p['mailbox']} "
                      f"from {p['mail_from'] or '-'}: {p['error']}")
        return 0
    if args.action == "show":
        with engine.connect() as conn:
            p = views.show_parked(conn, args.id)
        if p is None:
            print(f"mailbot: no parked message {args.id}", file=sys.stderr)
            return 1
        if not _print(p, args.json):
            for k, v in p.items():
                print(f"{k}: {v}")
        return 0
    with engine.connect() as conn:
        q = select(parked).where(parked.c.status != "done")
        if args.id is not None:
            q = q.where(parked.c.id == args.id)
        rows = list(conn.execute(q.order_by(parked.c.id)))
    if not rows:
        print("nothing to retry" if args.id is None else f"mailbot: no parked message {args.id} to retry",
              file=sys.stderr)
        return 0 if args.id is None else 1
    failed = 0
    for row in rows:
        try:
            outcome = accept(row.raw, Envelope(row.mailbox, row.source, row.mail_from or None), config, engine,
                             retry_of=row.id)
        except TempFail as exc:
            print(f"{row.id}: temporary failure: {exc}")
            failed += 1
            continue
        failed += outcome.status == "parked"
        print(f"{row.id}: {outcome.status}" + (f" ticket #{outcome.ticket_id}" if outcome.ticket_id else ""))
    return 1 if failed else 0


def cmd_config(args):
    config = _config(args)
    print(f"{config.source}: OK ({len(config.mailboxes)} mailboxes, {len(config.agents)} agents, "
          f"{len(config.clients)} clients, {len(config.plans)} plans)")
    return 0


def cmd_imap(args):
    import asyncio
    from mailbot.ingress.imap import check
    config = _config(args)
    boxes = [m for m in config.mailboxes if m.imap is not None]
    if not boxes:
        print("no mailbox has an imap block")
        return 0
    results = asyncio.run(_check_all(check, boxes))
    for m, (ok, found) in zip(boxes, results):
        print(f"{'ok  ' if ok else 'FAIL'} {m.name} <{m.address}> {m.imap.username}@{m.imap.host}: {found}")
    return 0 if all(ok for ok, _ in results) else 1


async def _check_all(check, boxes):
    import asyncio
    return await asyncio.gather(*(check(m) for m in boxes))


def cmd_health(args):
    """Exit 0 when the listener answers and no IMAP mailbox is failing (as the daemons record it)."""
    import smtplib
    config = _config(args)
    problems = []
    listener = config.listen.smtp if config.listen.smtp.enabled else config.listen.lmtp
    if listener.enabled:
        cls = smtplib.SMTP if listener is config.listen.smtp else smtplib.LMTP
        try:
            with cls(listener.host, listener.port, timeout=5) as s:
                code = s.noop()[0]
            if code != 250:
                problems.append(f"{listener.host}:{listener.port} answered NOOP with {code}")
        except OSError as exc:
            problems.append(f"{listener.host}:{listener.port}: {exc}")
    if any(m.imap for m in config.mailboxes):
        from mailbot.ingress.imap import health_problems
        with _engine(config, upgrade=False).connect() as conn:
            problems += health_problems(config, conn)
    for p in problems:
        print(f"unhealthy: {p}", file=sys.stderr)
    if not problems:
        print("healthy")
    return 1 if problems else 0


def cmd_privacy(args):
    if args.action == "purge":
        from mailbot.privacy.purge import purge_expired
        from mailbot.store.models import utcnow
        config = _config(args)
        now = utcnow()
        with _engine(config).begin() as conn:
            n = purge_expired(conn, config.today(now), now)
        print(f"purged {n} message(s)")
        return 0
    from mailbot.privacy.verdict import verdict
    if not args.file:
        print("mailbot privacy scan: give a message file (FILE.eml)", file=sys.stderr)
        return EX_USAGE
    try:
        with open(args.file, "rb") as f:
            raw = f.read()
    except OSError as exc:
        print(f"mailbot privacy scan: {exc}", file=sys.stderr)
        return 66  # EX_NOINPUT
    result = verdict(raw, _config(args), show_values=args.show_values)
    if not _print(result, args.json):
        print(f"decision: {result['decision']}" + (f" ({result['why']})" if result["why"] else ""))
        print(f"client: {result['client'] or '(unknown sender)'}")
        for f in result["findings"]:
            print(f"  {f['kind']:18} {f['where']}" + (f"  {f['value']}" if "value" in f else ""))
        for u in result["unscannable"]:
            print(f"  {'unscannable':18} {u['where']}  ({u['reason']})")
    return 0


def cmd_statement(args):
    from datetime import datetime
    from zoneinfo import ZoneInfo
    from sqlalchemy import select
    from mailbot.billing import periods
    from mailbot.billing.statements import StatementError, compute, issue, run_due
    from mailbot.store.models import statements, utcnow
    config = _config(args)
    engine = _engine(config)
    now = datetime.fromisoformat(args.now).astimezone(ZoneInfo("UTC")) if getattr(args, "now", None) else utcnow()
    if args.action == "list":
        with engine.connect() as conn:
            rows = conn.execute(select(statements.c.id, statements.c.client_id, statements.c.period,
                                       statements.c.version, statements.c.reason, statements.c.total,
                                       statements.c.currency, statements.c.created_at).order_by(statements.c.id))
            data = [dict(id=r.id, client=r.client_id, period=r.period, version=r.version, reason=r.reason,
                         total=r.total, currency=r.currency, created_at=r.created_at.isoformat()) for r in rows]
        if not _print(data, args.json):
            for d in data:
                print(f"{d['id']:>5} {d['client']:<15} {d['period']} v{d['version']} {d['reason']:<9} "
                      f"{d['total']:>12} {d['currency']}  {d['created_at'][:16]}")
        return 0
    if args.action == "run":  # what the schedule does; for cron or a catch-up by hand
        for client, period, outcome in run_due(engine, config, now, owner=f"cli-{os.getpid()}",
                                               workers=args.workers or config.statements.workers):
            print(f"{client} {period}: {outcome}")
        return 0
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
            doc = compute(conn, config, client, period, now)
        if not _print(doc, args.json):
            print(f"{client.name} ({client.id}), {period}: {len(doc['tickets'])} tickets, total {doc['total']} "
                  f"{doc['currency']}")
            for t in doc["tickets"]:
                print(f"  {t['ref']} {t['opened']} {t['contact']}: {t['subject']}")
                for ln in t["lines"]:
                    print(f"    {ln['work_date']} {ln['agent'][:20]:<20} {ln['category']:<12} "
                          f"{ln['entered']:>4} -> {ln['billed']:>4} min  {ln['amount']:>10}")
            for c in doc["categories"]:
                print(f"  {c['name']:<12} entered {c['entered']} billed {c['billed']} min, {c['amount']}")
            for f in doc["fees"]:
                print(f"  fee {f['name']} x{f['quantity']}: {f['amount']}")
        return 0
    try:
        with engine.begin() as conn:
            doc = issue(conn, config, client, period, "manual", now)
    except StatementError as exc:
        print(f"mailbot statement: {exc}", file=sys.stderr)
        return 1
    print(f"queued statement {client.id} {period} v{doc['version']}: {doc['total']} {doc['currency']} "
          f"to {', '.join(client.contacts)}")
    return 0


CONFIG_HELP = "configuration file (default ./config.yaml or $MAILBOT_CONFIG)"


class _Leaves:
    """add_parser() that gives every command the common options."""

    def __init__(self, action, common):
        self.action, self.common = action, common

    def add_parser(self, name, **kw):
        return self.action.add_parser(name, parents=[self.common], **kw)


def build_parser():
    p = argparse.ArgumentParser(prog="mailbot", description="E-mail-driven support desk daemon.")
    p.add_argument("--config", default=None, help=CONFIG_HELP)
    # --config is taken after the command too (`mailbot tickets list --config x.yaml`); given there it wins
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", default=argparse.SUPPRESS, help=CONFIG_HELP)
    sub = _Leaves(p.add_subparsers(dest="command", required=True), common)
    r = sub.add_parser("run", help="start the daemon")
    r.add_argument("--log-level", default=os.environ.get("MAILBOT_LOG_LEVEL", "INFO"))
    r.add_argument("--worker", help=argparse.SUPPRESS)  # set by the daemon for its own worker processes
    r.set_defaults(fn=cmd_run)
    d = sub.add_parser("deliver", help="take one message on stdin (MTA pipe); exits 0, 65 or 75")
    d.add_argument("--recipient", required=True, help="the mailbox address it was delivered to")
    d.add_argument("--sender", default=None, help="the envelope sender (Postfix: ${sender})")
    d.add_argument("--direct", action="store_true", help="run the pipeline here even if the daemon is up")
    d.set_defaults(fn=cmd_deliver)
    db = sub.add_parser("db", help="database schema")
    db.add_argument("action", choices=["upgrade", "current"])
    db.set_defaults(fn=cmd_db)
    t = sub.add_parser("tickets", help="inspect tickets")
    tsub = _Leaves(t.add_subparsers(dest="action", required=True), common)
    tl = tsub.add_parser("list")
    tl.add_argument("--json", action="store_true")
    tl.add_argument("--status")
    tl.add_argument("--limit", type=int, default=100)
    tl.add_argument("--client", help="a client id")
    tl.add_argument("--agent", help="assigned to this agent (address, name or local part)")
    tl.add_argument("--unassigned", action="store_true")
    ts = tsub.add_parser("show")
    ts.add_argument("ref")
    ts.add_argument("--json", action="store_true")
    t.set_defaults(fn=cmd_tickets)
    pk = sub.add_parser("parked", help="messages the pipeline could not take")
    psub = _Leaves(pk.add_subparsers(dest="action", required=True), common)
    pl = psub.add_parser("list")
    pl.add_argument("--json", action="store_true")
    pl.add_argument("--all", action="store_true", help="include messages already replayed")
    ps = psub.add_parser("show")
    ps.add_argument("id", type=int)
    ps.add_argument("--json", action="store_true")
    pr = psub.add_parser("retry")
    pr.add_argument("id", type=int, nargs="?", help="one parked message (default: all not yet done)")
    pk.set_defaults(fn=cmd_parked)
    c = sub.add_parser("config", help="validate the configuration")
    c.add_argument("action", choices=["check"])
    c.set_defaults(fn=cmd_config)
    im = sub.add_parser("imap", help="IMAP mailboxes")
    im.add_argument("action", choices=["check"])
    im.set_defaults(fn=cmd_imap)
    pv = sub.add_parser("privacy", help="the personal-data guard: what a message would trigger; purge expired data")
    pv.add_argument("action", choices=["scan", "purge"])
    pv.add_argument("file", nargs="?", help="scan: a message file (.eml); nothing is stored")
    pv.add_argument("--json", action="store_true")
    pv.add_argument("--show-values", action="store_true", help="print the values found (careful: personal data)")
    pv.set_defaults(fn=cmd_privacy)
    st = sub.add_parser("statement", help="clients' history and hours statements")
    ssub = _Leaves(st.add_subparsers(dest="action", required=True), common)
    for name, text in (("show", "compute without sending"), ("send", "queue the statement mail (a new version)")):
        s = ssub.add_parser(name, help=text)
        s.add_argument("client", help="a client id")
        s.add_argument("--period", help="YYYY-MM (default: the current month so far)")
        s.add_argument("--json", action="store_true")
        s.add_argument("--now", help=argparse.SUPPRESS)
    sl = ssub.add_parser("list", help="statements issued")
    sl.add_argument("--json", action="store_true")
    sr = ssub.add_parser("run", help="issue the scheduled statements that are due and not yet issued")
    sr.add_argument("--now", help="pretend it is this ISO time (catch-up by hand)")
    sr.add_argument("--workers", type=int, help="processes to share the clients among (default statements.workers)")
    st.set_defaults(fn=cmd_statement)
    h = sub.add_parser("health", help="is the listener answering, is every IMAP mailbox read? (health check)")
    h.set_defaults(fn=cmd_health)
    return p


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:
        if exc.code and _command(argv) == "deliver":  # a broken pipe line in the MTA's configuration is the
            from mailbot.ingress.pipe import EX_TEMPFAIL  # operator's to fix: exit 75 and the mail waits for it
            return EX_TEMPFAIL
        raise
    try:
        return args.fn(args)
    except KeyboardInterrupt:
        return 130


def _command(argv) -> str | None:
    """The command word of a command line (the first word that is not an option or --config's value)."""
    words = iter(argv)
    for word in words:
        if len(word) > 3 and "--config".startswith(word):  # argparse takes --conf for --config too
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


if __name__ == "__main__":
    sys.exit(main())
