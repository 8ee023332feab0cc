"""Amended statements: a period whose billed time the head corrected gets its next statement version, mailed once.

A correction (mailbot.services.corrections) leaves a row that no statement carries yet. `run_due` is what the
schedule (and `mailbot statement amend`) does: for each such period it computes the statement again — the
issued version's lines, over which the corrections lie — and, in one transaction, stores the next version
with what changed (per line old -> new, old and new totals), queues its mail and marks the corrections as
carried. Two daemons doing it at once both try version N+1: the unique (client, period, version) lets one
commit and rolls the other back, mail and all, so the client gets it exactly once. Corrections that change
nothing a statement says (upheld, but already free) are carried by the version the client has, and no mail
goes out.
"""
from __future__ import annotations

import logging
from datetime import datetime

from mailbot.base.drills import failpoint
from mailbot.services.statements import StatementError, prepare, store
from mailbot.store import corrections
from mailbot.store.statements import VersionTaken

log = logging.getLogger("mailbot.jobs")


def run_due(engine, config, now: datetime) -> list[tuple[str, str, str]]:
    """Issue every amendment due; returns [(client, period, outcome)]."""
    with engine.connect() as conn:
        due = corrections.due(conn)
    done = []
    for client_id, period in due:
        client = config.client_by_id(client_id)
        if client is None:
            log.warning("amendment %s %s not sent: the client is no longer configured", client_id, period)
            continue
        try:
            outcome = _amend(engine, config, client, period, now)
        except VersionTaken:
            outcome = None  # another daemon issued it first: its transaction carried the corrections
        except StatementError as exc:
            log.warning("amendment %s %s not sent: %s", client_id, period, exc)
            continue
        except Exception:  # noqa: BLE001 - one client's fault must not hold up the others' amendments
            log.exception("amendment %s %s failed; it is tried again at the next run", client_id, period)
            continue
        if outcome is not None:
            done.append((client_id, period, outcome))
    return done


def _amend(engine, config, client, period: str, now: datetime) -> str | None:
    with engine.begin() as conn:
        waiting = corrections.pending(conn, client.id, period)
        if not waiting:
            return None
        doc, outgoing = prepared = prepare(conn, config, client, period, now)
        if "resend_of" in doc:  # the corrections change nothing the client was sent
            corrections.carried(conn, waiting, doc["resend_of"])
            return "unchanged"
        stored = store(conn, prepared, "amended", now)
        if corrections.carried(conn, waiting, stored["id"]) != len(waiting):
            raise VersionTaken(f"the corrections of {client.id} {period} were carried by another run")
        failpoint("amendment_before_commit")
        return f"amended v{stored['version']}: {doc['amends']['total']} -> {doc['total']} {doc['currency']}"
