"""Crash drills: MAILBOT_FAILPOINT=<name> kills the process at that point, to prove nothing is lost or doubled.

after_commit — between a message's commit and its acknowledgement (pipeline runner);
after_statement — after the first batch of a statement run is committed (statements.run_due);
statement_before_commit — a statement run, after its first statement is written but before the commit.
"""
import os
import signal


def failpoint(name: str) -> None:
    if os.environ.get("MAILBOT_FAILPOINT") == name:
        os.kill(os.getpid(), signal.SIGKILL)
