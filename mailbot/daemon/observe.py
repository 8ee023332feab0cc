"""The operators' HTTP endpoint (`listen.http`): GET /healthz and GET /metrics, served by the daemon's first process.

/healthz is `mailbot health` over HTTP — the same check (mailbot.services.health), 200 when every component is
well, 503 with each component's problems otherwise, as JSON. /metrics is Prometheus's text format: the events every
process of this daemon counted (summed from prometheus_client's multiprocess files) and the states read from the
database at the scrape (mailbot.services.gauges). Both run their checks in a thread, so the loop keeps taking mail.

A small HTTP/1.1 server on asyncio's streams: two read-only pages need no web framework, and one request per
connection keeps it simple for load balancers and Prometheus alike.
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
import shutil
import tempfile

from mailbot.base import metrics
from mailbot.ingress.smtp import ListenError
from mailbot.pipeline.context import Verdict
from mailbot.services import gauges, health
from mailbot.store.models import utcnow
from mailbot.tickets.vocabulary import Disposition

log = logging.getLogger("mailbot")
REQUEST_SECONDS = 10  # a client that does not finish its request in this long is dropped
MAX_REQUEST_BYTES = 8192
OPENED = (Disposition.TICKET, Disposition.AGENT_OPENED)


def counted(config, envelope, outcome, seconds: float) -> None:
    """Count one message the pipeline answered (`outcome` None: it answered "try later")."""
    if not metrics.enabled():
        return
    box = config.mailbox_for(envelope.recipient) if "@" in envelope.recipient else None
    mailbox = box.name if box is not None else envelope.recipient if envelope.source == "imap" else "other"
    if outcome is None:
        verdict, disposition = "tempfail", ""
    else:
        verdict = outcome.status.value
        disposition = str(outcome.reason or "").partition(":")[0] \
            if outcome.status in (Verdict.STORED, Verdict.DISCARDED) else ""
    metrics.count("messages", mailbox=mailbox, source=envelope.source, verdict=verdict, disposition=disposition)
    if outcome is not None and outcome.status == Verdict.STORED and disposition in OPENED:
        metrics.count("tickets", mailbox=mailbox)
    metrics.observe("accept", seconds, source=envelope.source)


def prepare(primary: bool) -> str | None:
    """Switch metrics on for this process. The first process makes the directory its workers will share (it
    passes to them in the environment) and empties it: files of an earlier run would be summed in; a worker
    joins its parent's. Returns the directory the first process made (it removes it when it stops)."""
    made = None
    directory = os.environ.get(metrics.DIR_VARIABLE)
    if primary:
        if directory:  # the operator's choice: emptied, not removed
            for name in os.listdir(directory):
                if name.endswith(".db"):
                    os.unlink(os.path.join(directory, name))
        else:
            directory = made = tempfile.mkdtemp(prefix="mailbot-metrics-")
    if directory:
        metrics.enable(directory)
    return made


def forget(made: str | None) -> None:
    if made:
        shutil.rmtree(made, ignore_errors=True)


async def start(runtime, cfg) -> asyncio.AbstractServer:
    try:
        server = await asyncio.start_server(lambda r, w: _serve(runtime, r, w), cfg.host, cfg.port,
                                            limit=MAX_REQUEST_BYTES)
    except OSError as exc:
        raise ListenError("http", cfg, exc) from exc
    runtime.http = server
    port = server.sockets[0].getsockname()[1]
    log.info("HTTP endpoint on %s:%s (/healthz, /metrics)", cfg.host, port)
    return server


async def _serve(runtime, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), REQUEST_SECONDS)
        method, path, _ = (head.split(b"\r\n", 1)[0].decode("latin-1").split(" ") + ["", ""])[:3]
        path = path.split("?", 1)[0]
        if method not in ("GET", "HEAD"):
            status, ctype, body = 405, "text/plain", b"GET only\n"
        elif path == "/healthz":
            report = await asyncio.to_thread(health.check, runtime.config, runtime.engine)
            status, ctype = (200 if report.healthy else 503), "application/json"
            body = json.dumps(report.as_dict(), ensure_ascii=False, indent=1).encode() + b"\n"
        elif path == "/metrics":
            status, ctype, body = 200, _CONTENT_TYPE, await asyncio.to_thread(exposition, runtime)
        else:
            status, ctype, body = 404, "text/plain", b"not found: /healthz or /metrics\n"
        writer.write(f"HTTP/1.1 {status} {_REASONS[status]}\r\nContent-Type: {ctype}\r\n"
                     f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
                     + (body if method == "GET" else b""))
        await writer.drain()
    except (asyncio.TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
        pass
    except Exception as exc:  # noqa: BLE001 - one bad request must not stop the endpoint
        log.warning("HTTP request failed: %s", type(exc).__name__)
    finally:
        writer.close()


_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
_REASONS = {200: "OK", 404: "Not Found", 405: "Method Not Allowed", 503: "Service Unavailable"}


def exposition(runtime) -> bytes:
    """The page Prometheus scrapes: every process's counters, and the database's states now."""
    from prometheus_client import CollectorRegistry, generate_latest, multiprocess
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, os.environ[metrics.DIR_VARIABLE])
    registry.register(_States(runtime))
    return generate_latest(registry)


class _States:
    """A prometheus_client collector of what gauges.read finds at each scrape."""

    def __init__(self, runtime):
        self.runtime = runtime

    def collect(self):
        from prometheus_client.core import GaugeMetricFamily as Gauge
        found = gauges.read(self.runtime.config, self.runtime.engine, utcnow())
        yield _family(Gauge("mailbot_component_healthy", "1 when the component is well (as mailbot health "
                            "says), else 0", labels=["component"]), found["healthy"])
        if "outbox_queued" not in found:
            return  # the database is away: the states below are unknown, not zero
        for name, text in (("outbox_queued", "Mails waiting in the outbox"),
                           ("outbox_oldest_age", "Seconds the oldest waiting mail has waited"),
                           ("outbox_failed_recent", "Mails given up within health.failed_hours")):
            metric = f"mailbot_{name}" + ("_seconds" if name.endswith("age") else "")
            yield Gauge(metric, text, value=found[name])
        yield _family(Gauge("mailbot_parked_messages", "Parked messages not yet stored, by status (parked: "
                            "waiting for a replay; failed: given up)", labels=["status"]), found["parked"])
        yield _family(Gauge("mailbot_imap_up", "1 when the mailbox's reader reports it well", labels=["mailbox"]),
                      found["imap_up"])
        yield _family(Gauge("mailbot_imap_report_age_seconds", "Seconds since the mailbox's reader last reported "
                            "(a live one does so within its idle window; -1: never)", labels=["mailbox"]),
                      found["imap_report_age"])
        yield _family(Gauge("mailbot_job_last_run_age_seconds", "Seconds since the scheduled job last ran on "
                            "any daemon", labels=["job"]), found["job_age"])


def _family(family, values: dict):
    for label, value in values.items():
        family.add_metric([str(label)], value)
    return family
