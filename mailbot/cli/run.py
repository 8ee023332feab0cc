"""`mailbot run`: start the daemon (or, with --worker, one of its extra processes)."""
from __future__ import annotations

import logging
import sys

from mailbot.base.exits import EX_OK, EX_UNAVAILABLE
from mailbot.cli.common import load_config, open_engine, setup_logging


def cmd_run(args):
    import asyncio

    from mailbot.daemon.app import serve
    from mailbot.ingress.smtp import ListenError
    setup_logging(args.log_level)
    config = load_config(args)
    if config.logging.format != "text":
        setup_logging(args.log_level, config.logging.format)
    worker = None
    if args.worker:  # one of the extra processes of listen.workers: index:parent:sockets:ready-fd:board-fd:n
        from mailbot.daemon import workers
        index, parent, spec, ready_fd, board_fd, processes = args.worker.split(":")
        workers.die_with_parent(int(parent))
        board = workers.Board(int(board_fd), int(processes), int(index) + 1)
        worker = (int(index) + 1, workers.inherited(spec), int(ready_fd), board)
        engine = open_engine(config, upgrade=False)  # the first process brought the schema up to date
    else:
        engine = open_engine(config, say=logging.getLogger("mailbot").info)
    try:
        asyncio.run(serve(config, engine, worker=worker))
    except ListenError as exc:  # one clear line for the operator, not a traceback
        print(f"mailbot: {exc}", file=sys.stderr)
        return EX_UNAVAILABLE
    return EX_OK
