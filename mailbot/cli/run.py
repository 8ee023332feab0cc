"""`mailbot run`: start the daemon (or, with --worker, one of its extra processes)."""
from __future__ import annotations

from mailbot.base.exits import EX_OK
from mailbot.cli.common import load_config, open_engine, setup_logging


def cmd_run(args):
    import asyncio

    from mailbot.daemon.app import serve
    setup_logging(args.log_level)
    config = load_config(args)
    worker = None
    if args.worker:  # one of the extra processes of listen.workers: index:parent:sockets:ready-fd:board-fd:n
        from mailbot.daemon import workers
        index, parent, spec, ready_fd, board_fd, processes = args.worker.split(":")
        workers.die_with_parent(int(parent))
        board = workers.Board(int(board_fd), int(processes), int(index) + 1)
        worker = (int(index) + 1, workers.inherited(spec), int(ready_fd), board)
        engine = open_engine(config, upgrade=False)  # the first process brought the schema up to date
    else:
        engine = open_engine(config)
    asyncio.run(serve(config, engine, worker=worker))
    return EX_OK
