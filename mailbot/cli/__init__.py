"""The `mailbot` command: one module per command group; the parser in `parser`.

Imports are lazy in every command: `mailbot deliver` runs once per message and must start fast.
"""
from __future__ import annotations

import os
import sys

from mailbot.base.exits import EX_INTERRUPTED, EX_OK, EX_TEMPFAIL
from mailbot.cli.parser import build_parser


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:
        # A broken pipe line in the MTA's configuration is the operator's to fix: exit 75 and the mail waits.
        if exc.code and _command(argv) == "deliver":
            return EX_TEMPFAIL
        raise
    try:
        return args.fn(args)
    except KeyboardInterrupt:
        return EX_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`mailbot tickets list | head`): end quietly, as other Unix tools do, instead of
        # a traceback when Python flushes stdout at exit (the Python docs' recipe for SIGPIPE).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EX_OK


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
