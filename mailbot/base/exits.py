"""Exit codes (sysexits, `os.EX_*`): what an MTA reads from `mailbot deliver`, and what the CLI's commands end with.

Postfix's pipe(8) retries only on EX_TEMPFAIL (75) or 71; every other code, even Python's 1 for an uncaught
exception, bounces the mail to its sender. So the pipe command exits EX_TEMPFAIL for anything an operator can
fix, and EX_DATAERR only for input that can never succeed.
"""
import os

EX_OK = os.EX_OK  # 0
EX_FAILED = 1  # a command ran and reports a failure (no such ticket, a parked message still failing)
EX_USAGE = os.EX_USAGE  # 64: a wrong argument
EX_DATAERR = os.EX_DATAERR  # 65: a message that can never be taken (refused, empty, too big)
EX_NOINPUT = os.EX_NOINPUT  # 66: an input file that cannot be read
EX_UNAVAILABLE = os.EX_UNAVAILABLE  # 69: a service it needs is not there (the listening port is taken)
EX_SOFTWARE = os.EX_SOFTWARE  # 70
EX_CANTCREAT = os.EX_CANTCREAT  # 73: the output cannot be made (`db copy` into a database holding data)
EX_TEMPFAIL = os.EX_TEMPFAIL  # 75: try again later
EX_CONFIG = os.EX_CONFIG  # 78: the configuration is wrong
EX_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT), as shells report it
