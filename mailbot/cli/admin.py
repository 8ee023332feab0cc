"""The operator's commands: `mailbot config check`, `db upgrade|current|copy`, `imap check` and `health`."""
from __future__ import annotations

import sys

from mailbot.base.exits import (EX_CANTCREAT, EX_DATAERR, EX_FAILED, EX_NOINPUT, EX_OK, EX_TEMPFAIL,
                                EX_UNAVAILABLE, EX_USAGE)
from mailbot.cli.common import load_config, open_engine, print_json


def cmd_config(args):
    config = load_config(args)
    from mailbot.daemon.banner import warnings
    print(f"{config.source}: OK ({len(config.mailboxes)} mailboxes, {len(config.agents)} agents, "
          f"{len(config.clients)} clients, {len(config.plans)} plans)")
    for line in warnings(config):
        print(line)
    return EX_OK


def cmd_imap(args):
    import asyncio
    from mailbot.ingress.imap import check
    config = load_config(args)
    boxes = [m for m in config.mailboxes if m.imap is not None]
    if not boxes:
        print("no mailbox has an imap block")
        return EX_OK
    results = asyncio.run(_check_all(check, boxes))
    for m, (ok, found) in zip(boxes, results):
        print(f"{'ok  ' if ok else 'FAIL'} {m.name} <{m.address}> {m.imap.username}@{m.imap.host}: {found}")
    return EX_OK if all(ok for ok, _ in results) else EX_FAILED


async def _check_all(check, boxes):
    import asyncio
    return await asyncio.gather(*(check(m) for m in boxes))


def cmd_health(args):
    """Exit 0 when the database answers, the listener answers, every IMAP mailbox is read and the outbox
    delivers (mailbot.services.health); each problem is one line on stderr."""
    from mailbot.services.health import check
    config = load_config(args)
    report = check(config, open_engine(config, upgrade=False))
    for fact in report.facts:
        print(fact)
    for p in report.problems:
        print(f"unhealthy: {p}", file=sys.stderr)
    if report.healthy:
        print("healthy")
    return EX_OK if report.healthy else EX_FAILED


def cmd_db(args):
    from mailbot.store import db
    config = load_config(args)
    if args.action == "copy":
        return _copy(args, config)
    if args.to:
        print("mailbot: --to is for `mailbot db copy`", file=sys.stderr)
        return EX_USAGE
    engine = open_engine(config, upgrade=False)
    if args.action == "upgrade":
        before, after = db.upgrade(engine)
        print(f"database at {after}" + (" (no change)" if before == after else f" (was {before or 'empty'})"))
    else:
        print(db.current_revision(engine) or "empty")
    return EX_OK


def _copy(args, config) -> int:
    """`mailbot db copy --to URL` (mailbot.store.copy): the configured database into a new, empty one."""
    from mailbot.store import copy
    if not args.to:
        print("mailbot: db copy needs --to URL, the new and empty database (postgresql://user@host/name)",
              file=sys.stderr)
        return EX_USAGE
    running = _daemon_listening(config)
    if running:
        print(f"mailbot: the daemon is running (its {running} answers): stop it first, so that nothing changes "
              "the database while it is copied", file=sys.stderr)
        return EX_TEMPFAIL
    exits = {copy.BadTarget: EX_USAGE, copy.SourceNotReady: EX_NOINPUT, copy.Unreachable: EX_UNAVAILABLE,
             copy.TargetNotEmpty: EX_CANTCREAT, copy.CopyFailed: EX_DATAERR}
    source = target = None
    try:
        target = copy.target_engine(config.database.model_copy(update={"url": args.to}))
        source = open_engine(config, upgrade=False)
        done = copy.copy(source, target, say=lambda line: print(f"mailbot: {line}", file=sys.stderr))
    except copy.CopyError as exc:
        print(f"mailbot: {exc}", file=sys.stderr)
        if getattr(exc, "committed", False):
            print("mailbot: the target holds a copy that does not match: drop it before you copy again",
                  file=sys.stderr)
        return exits.get(type(exc), EX_FAILED)
    finally:
        for engine in (source, target):
            if engine is not None:
                engine.dispose()
    if not print_json(done.as_dict(), args.json):
        print(f"copied {done.source} to {done.target} (schema {done.schema}) in {done.seconds:.1f} s")
        for t in done.tables:
            print(f"  {t.table:<16} {t.target_rows:>12,} {'row' if t.target_rows == 1 else 'rows'}")
        print(f"verified: each of the {len(done.tables)} tables holds as many rows as in the source "
              f"({done.rows:,} in all)")
        print("next: set database.url to the new database and start the daemon")
    return EX_OK


def _daemon_listening(config) -> str | None:
    """The daemon's listener that answers on this machine ("SMTP listener on 127.0.0.1:2525"), or None."""
    import smtplib
    for name, listener, kind in (("SMTP", config.listen.smtp, smtplib.SMTP), ("LMTP", config.listen.lmtp,
                                                                              smtplib.LMTP)):
        if not listener.enabled or not listener.port:
            continue
        try:
            with kind(listener.host, listener.port, timeout=3) as s:
                s.noop()
        except OSError:
            continue
        return f"{name} listener on {listener.host}:{listener.port}"
    return None
