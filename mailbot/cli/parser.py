"""The command line: every command, its options, and the module that carries it out."""
from __future__ import annotations

import argparse
import os

from mailbot import __version__
from mailbot.cli import (admin, deliver, objections, outbox, parked, privacy, retention, run, sla, statements,
                         tickets)
from mailbot.cli.common import CONFIG_HELP
from mailbot.tickets.vocabulary import OutboxStatus, Status


class _Leaves:
    """add_parser() that gives every command the common options."""

    def __init__(self, action, common):
        self.action, self.common = action, common

    def add_parser(self, name, **kw):
        return self.action.add_parser(name, parents=[self.common], **kw)


JSON_HELP = "print JSON (the shape is in docs/operations.md)"


def _months(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is no number of months (1 or more)")
    return int(value)


def build_parser():
    p = argparse.ArgumentParser(prog="mailbot", description="E-mail-driven support desk daemon.")
    p.add_argument("--version", action="version", version=f"mailbot {__version__}")
    p.add_argument("--config", default=None, help=CONFIG_HELP)
    # --config is taken after the command too (`mailbot tickets list --config x.yaml`); given there it wins
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", default=argparse.SUPPRESS, help=CONFIG_HELP)
    sub = _Leaves(p.add_subparsers(dest="command", required=True, metavar="COMMAND"), common)
    r = sub.add_parser("run", help="start the daemon")
    r.add_argument("--log-level", default=os.environ.get("MAILBOT_LOG_LEVEL", "INFO"),
                   help="DEBUG, INFO, WARNING or ERROR (default $MAILBOT_LOG_LEVEL or INFO)")
    r.add_argument("--worker", help=argparse.SUPPRESS)  # set by the daemon for its own worker processes
    r.set_defaults(fn=run.cmd_run)
    d = sub.add_parser("deliver", help="take one message on stdin (MTA pipe); exits 0, 65 or 75")
    d.add_argument("--recipient", required=True, help="the mailbox address it was delivered to")
    d.add_argument("--sender", default=None, help="the envelope sender (Postfix: ${sender})")
    d.add_argument("--direct", action="store_true", help="run the pipeline here even if the daemon is up")
    d.set_defaults(fn=deliver.cmd_deliver)
    db = sub.add_parser("db", help="database schema; copy the database into another (SQLite to PostgreSQL)")
    db.add_argument("action", choices=["upgrade", "current", "copy"], help="upgrade: bring the schema up to date; "
                    "current: print its revision; copy: copy every table into the empty database --to URL (stop "
                    "the daemon first)")
    db.add_argument("--to", metavar="URL", help="copy: the target database, e.g. postgresql://mailbot@db/mailbot "
                    "(its password, if the URL carries one, is never printed; or set PGPASSWORD)")
    db.add_argument("--json", action="store_true", help=JSON_HELP)
    db.set_defaults(fn=admin.cmd_db)
    t = sub.add_parser("tickets", help="inspect tickets")
    tsub = _Leaves(t.add_subparsers(dest="action", required=True, metavar="ACTION"), common)
    tl = tsub.add_parser("list", help="the newest tickets, one line each")
    tl.add_argument("--json", action="store_true", help=JSON_HELP)
    tl.add_argument("--status", choices=[s.value for s in Status], help="only tickets in this status")
    tl.add_argument("--limit", type=int, default=100, help="at most this many (default 100)")
    tl.add_argument("--client", help="a client id")
    tl.add_argument("--agent", help="assigned to this agent (address, name or local part)")
    tl.add_argument("--unassigned", action="store_true", help="only tickets nobody is assigned to")
    tl.add_argument("--sort", choices=["newest", "queue", "due"], default="newest",
                    help="newest first (default); queue: priority, then arrival; due: the nearest deadline first")
    tl.add_argument("--due-before", metavar="ISO", help="only tickets with a deadline before this time (e.g. "
                    "2026-12-08T17:00+02:00)")
    tl.add_argument("--overdue", action="store_true", help="only tickets past a deadline of a running clock")
    ts = tsub.add_parser("show", help="one ticket: its messages, time journal and events")
    ts.add_argument("ref", help="the ticket's number (12 or #12)")
    ts.add_argument("--json", action="store_true", help=JSON_HELP)
    t.set_defaults(fn=tickets.cmd_tickets)
    pk = sub.add_parser("parked", help="messages the pipeline could not take")
    psub = _Leaves(pk.add_subparsers(dest="action", required=True, metavar="ACTION"), common)
    pl = psub.add_parser("list", help="parked messages not yet replayed")
    pl.add_argument("--json", action="store_true", help=JSON_HELP)
    pl.add_argument("--all", action="store_true", help="include messages already replayed")
    ps = psub.add_parser("show", help="one parked message with its whole error")
    ps.add_argument("id", type=int, help="the parked message's number")
    ps.add_argument("--json", action="store_true", help=JSON_HELP)
    pr = psub.add_parser("retry", help="run parked messages through the pipeline again")
    pr.add_argument("id", type=int, nargs="?", help="one parked message (default: all not yet done)")
    pk.set_defaults(fn=parked.cmd_parked)
    ob = sub.add_parser("outbox", help="outgoing mail: what is queued, sent or given up; send failed mail again")
    osub = _Leaves(ob.add_subparsers(dest="action", required=True, metavar="ACTION"), common)
    ol = osub.add_parser("list", help="the newest outgoing mail, one line each")
    ol.add_argument("--status", choices=[s.value for s in OutboxStatus], help="only mail in this state")
    ol.add_argument("--limit", type=int, default=100, help="at most this many (default 100)")
    ol.add_argument("--json", action="store_true", help=JSON_HELP)
    os_ = osub.add_parser("show", help="one outgoing mail")
    os_.add_argument("id", type=int, help="the outgoing mail's number")
    os_.add_argument("--json", action="store_true", help=JSON_HELP)
    orr = osub.add_parser("retry", help="queue failed mail again, as it was (same Message-ID)")
    orr.add_argument("id", type=int, nargs="?", help="one outgoing mail (default: every failed one)")
    ob.set_defaults(fn=outbox.cmd_outbox)
    c = sub.add_parser("config", help="validate the configuration")
    c.add_argument("action", choices=["check"], help="check: read and validate it, and say what it holds")
    c.set_defaults(fn=admin.cmd_config)
    im = sub.add_parser("imap", help="IMAP mailboxes")
    im.add_argument("action", choices=["check"], help="check: log in to each and look at its folders")
    im.set_defaults(fn=admin.cmd_imap)
    pv = sub.add_parser("privacy", help="the personal-data guard: what a message would trigger; purge expired data")
    pv.add_argument("action", choices=["scan", "purge"], help="scan: what the guard finds in FILE; "
                    "purge: delete what expired [pd-allow] exemptions kept")
    pv.add_argument("file", nargs="?", help="scan: a message file (.eml); nothing is stored")
    pv.add_argument("--json", action="store_true", help=JSON_HELP)
    pv.add_argument("--show-values", action="store_true", help="print the values found (careful: personal data)")
    pv.set_defaults(fn=privacy.cmd_privacy)
    rt = sub.add_parser("retention", help="purge the text, raw copies and files of mail older than retention.months")
    rtsub = _Leaves(rt.add_subparsers(dest="action", required=True, metavar="ACTION"), common)
    rr = rtsub.add_parser("run", help="purge what is due now (the daemon does this once a day); tickets, the time "
                          "journal, statements and objections stay")
    rr.add_argument("--dry-run", action="store_true", help="only count what would be purged; change nothing")
    rr.add_argument("--months", type=_months, metavar="N", help="keep N months for this run (default retention.months)")
    rr.add_argument("--json", action="store_true", help=JSON_HELP)
    rt.set_defaults(fn=retention.cmd_retention)
    st = sub.add_parser("statement", help="clients' history and hours statements")
    ssub = _Leaves(st.add_subparsers(dest="action", required=True, metavar="ACTION"), common)
    for name, text in (("show", "compute without sending"), ("send", "queue the statement mail (a new version)")):
        s = ssub.add_parser(name, help=text)
        s.add_argument("client", help="a client id")
        s.add_argument("--period", help="YYYY-MM (default: the current month so far)")
        s.add_argument("--json", action="store_true", help=JSON_HELP)
        s.add_argument("--now", help=argparse.SUPPRESS)
    sl = ssub.add_parser("list", help="statements issued")
    sl.add_argument("--json", action="store_true", help=JSON_HELP)
    sr = ssub.add_parser("run", help="issue the scheduled statements that are due and not yet issued")
    sr.add_argument("--now", help="pretend it is this ISO time (catch-up by hand)")
    sr.add_argument("--workers", type=int, help="processes to share the clients among (default statements.workers)")
    sa = ssub.add_parser("amend", help="issue the amended statements the head's corrections made due (the schedule "
                         "does this every minute)")
    sa.add_argument("--now", help=argparse.SUPPRESS)
    st.set_defaults(fn=statements.cmd_statement)
    ob_ = sub.add_parser("objections", help="clients' objections to billed work (the objections mailbox)")
    obsub = _Leaves(ob_.add_subparsers(dest="action", required=True, metavar="ACTION"), common)
    obl = obsub.add_parser("list", help="objections, newest first")
    obl.add_argument("--open", action="store_true", help="only those the head has still to decide")
    obl.add_argument("--json", action="store_true", help=JSON_HELP)
    obs = obsub.add_parser("show", help="one objection: what it disputes, the decision, its mail")
    obs.add_argument("ref", help="its reference, O-7 (or 7)")
    obs.add_argument("--json", action="store_true", help=JSON_HELP)
    ob_.set_defaults(fn=objections.cmd_objections)
    sl_ = sub.add_parser("sla", help="service levels: check a plan's calendar (when is a target due?)")
    slsub = _Leaves(sl_.add_subparsers(dest="action", required=True, metavar="ACTION"), common)
    sd = slsub.add_parser("due", help="when a plan's target falls due for a request arriving at a given time")
    sd.add_argument("plan", help="a plan's name")
    sd.add_argument("--from", dest="start", required=True, metavar="ISO", help="when the request arrives, with its "
                    "offset (2026-12-07T16:30+02:00)")
    sd.add_argument("--target", choices=["response", "resolution"], default="response",
                    help="which clock: the first response (default) or the resolution")
    sd.add_argument("--priority", choices=["P1", "P2", "P3", "P4"], help="the plan's targets for that priority")
    sd.add_argument("--category", help="the request's category (a plan's category of changes has its own target)")
    sd.add_argument("--json", action="store_true", help=JSON_HELP)
    sr_ = slsub.add_parser("report", help="per plan and client, the share of targets met by the tickets of a month")
    sr_.add_argument("--period", required=True, metavar="YYYY-MM", help="the month the tickets arrived in")
    sr_.add_argument("--json", action="store_true", help=JSON_HELP)
    sr_.add_argument("--now", help=argparse.SUPPRESS)
    sc = slsub.add_parser("check", help="send the service-level warnings and the digest that are due (the daemon "
                          "does this every sla.check_minutes)")
    sc.add_argument("--now", help=argparse.SUPPRESS)
    sl_.set_defaults(fn=sla.cmd_sla)
    h = sub.add_parser("health", help="is the database, the listener, every IMAP mailbox and the outbox well? "
                       "(health check: exit 0 or 1)")
    h.set_defaults(fn=admin.cmd_health)
    return p
