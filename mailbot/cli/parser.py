"""The command line: every command, its options, and the module that carries it out."""
from __future__ import annotations

import argparse
import os

from mailbot.cli import admin, deliver, parked, privacy, run, statements, tickets
from mailbot.cli.common import CONFIG_HELP


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
    r.set_defaults(fn=run.cmd_run)
    d = sub.add_parser("deliver", help="take one message on stdin (MTA pipe); exits 0, 65 or 75")
    d.add_argument("--recipient", required=True, help="the mailbox address it was delivered to")
    d.add_argument("--sender", default=None, help="the envelope sender (Postfix: ${sender})")
    d.add_argument("--direct", action="store_true", help="run the pipeline here even if the daemon is up")
    d.set_defaults(fn=deliver.cmd_deliver)
    db = sub.add_parser("db", help="database schema")
    db.add_argument("action", choices=["upgrade", "current"])
    db.set_defaults(fn=admin.cmd_db)
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
    t.set_defaults(fn=tickets.cmd_tickets)
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
    pk.set_defaults(fn=parked.cmd_parked)
    c = sub.add_parser("config", help="validate the configuration")
    c.add_argument("action", choices=["check"])
    c.set_defaults(fn=admin.cmd_config)
    im = sub.add_parser("imap", help="IMAP mailboxes")
    im.add_argument("action", choices=["check"])
    im.set_defaults(fn=admin.cmd_imap)
    pv = sub.add_parser("privacy", help="the personal-data guard: what a message would trigger; purge expired data")
    pv.add_argument("action", choices=["scan", "purge"])
    pv.add_argument("file", nargs="?", help="scan: a message file (.eml); nothing is stored")
    pv.add_argument("--json", action="store_true")
    pv.add_argument("--show-values", action="store_true", help="print the values found (careful: personal data)")
    pv.set_defaults(fn=privacy.cmd_privacy)
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
    st.set_defaults(fn=statements.cmd_statement)
    h = sub.add_parser("health", help="is the listener answering, is every IMAP mailbox read? (health check)")
    h.set_defaults(fn=admin.cmd_health)
    return p
