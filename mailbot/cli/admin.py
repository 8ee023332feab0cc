"""The operator's commands: `mailbot config check`, `db upgrade|current`, `imap check` and `health`."""
from __future__ import annotations

import sys

from mailbot.base.exits import EX_FAILED, EX_OK
from mailbot.cli.common import load_config, open_engine


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
    engine = open_engine(config, upgrade=False)
    if args.action == "upgrade":
        before, after = db.upgrade(engine)
        print(f"database at {after}" + (" (no change)" if before == after else f" (was {before or 'empty'})"))
    else:
        print(db.current_revision(engine) or "empty")
    return EX_OK
