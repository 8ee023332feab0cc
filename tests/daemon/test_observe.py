"""The operators' HTTP endpoint and logs: /metrics summed over the worker processes, /healthz with the same truth as
`mailbot health` (200, then 503 when the relay goes away), the scheduler's silence and failures, JSON log lines
with our ids and without the mail's words. Real `mailbot run` processes, real SMTP, a real relay."""
import json
import re
import urllib.error
import urllib.request
from datetime import timedelta

import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families

from mailbot.store import job_runs
from mailbot.store.models import utcnow
from tests.helpers import ROOT, Sink, engine_for, free_port, mail, run_cli, run_daemon, send, wait_listening, wait_until


def _get(port: int, path: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _samples(port: int) -> dict:
    """(name, frozenset(labels)) -> value, from /metrics."""
    status, body = _get(port, "/metrics")
    assert status == 200
    return {(s.name, frozenset(s.labels.items())): s.value
            for family in text_string_to_metric_families(body.decode()) for s in family.samples}


def _total(samples: dict, name: str, **labels) -> float:
    return sum(v for (n, ls), v in samples.items() if n == name and set(labels.items()) <= ls)


@pytest.fixture
def relay():
    """A relay of the test's own (the test may stop it)."""
    s = Sink()
    s.controller.start()
    yield s
    if s.controller._thread is not None:
        s.controller.stop()


@pytest.fixture
def observed(make_config, relay):
    """observed(**over) -> (config, path, smtp port, http port, process): a daemon of two processes with the
    endpoint on, sending to `relay`."""
    procs = []

    def start(**over):
        smtp, http = free_port(), free_port()
        listen = {"smtp": {"port": smtp}, "http": {"enabled": True, "port": http}, "workers": 2}
        config, path = make_config(listen=listen, outbound={"transport": "smtp", "poll_seconds": 0.1,
                                                            "smtp": {"host": "127.0.0.1", "port": relay.port}}, **over)
        proc = run_daemon(path)
        procs.append(proc)
        wait_listening(smtp, proc)
        assert wait_until(lambda: "mailbot ready" in proc.log.read_text(), timeout=60), proc.log.read_text()
        return config, path, smtp, http, proc
    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(60)


def test_metrics_count_every_process_and_health_tells_the_truth(observed, relay):
    sink = relay
    config, path, smtp, http, proc = observed()
    for i in range(8):  # eight connections: the two processes share them
        assert send(smtp, mail(subject=f"Rēķins {i}", message_id=f"<m{i}@acme.lv>"), mail_from="janis@acme.lv")[0] == 250
    assert send(smtp, mail(subject="Rēķins 0", message_id="<m0@acme.lv>"), mail_from="janis@acme.lv")[0] == 250
    assert wait_until(lambda: len(sink.received) >= 8, timeout=30)

    def counted():
        s = _samples(http)
        return _total(s, "mailbot_mail_sent_total") >= 8 and s
    samples = wait_until(counted, timeout=30)
    assert samples, "the receipts sent were not counted"
    assert _total(samples, "mailbot_messages_total", mailbox="help", verdict="stored", disposition="ticket") == 8
    assert _total(samples, "mailbot_messages_total", verdict="duplicate") == 1
    assert _total(samples, "mailbot_tickets_opened_total", mailbox="help") == 8
    assert _total(samples, "mailbot_accept_seconds_count", source="smtp") == 9
    assert _total(samples, "mailbot_send_failures_total") == 0
    assert _total(samples, "mailbot_outbox_queued") == 0
    assert _total(samples, "mailbot_component_healthy", component="relay") == 1
    pids = {line.split("[", 1)[1].split("]", 1)[0] for line in proc.log.read_text().splitlines()
            if " message m" in line}
    assert len(pids) == 2, "both processes took mail: the sum above spans them"

    _alerts_name_what_is_served(http)
    status, body = _get(http, "/healthz")
    report = json.loads(body)
    assert status == 200 and report["healthy"], report
    assert {"database", "listener", "outbox", "relay"} <= set(report["components"])
    assert _get(http, "/nothing")[0] == 404

    sink.controller.stop()  # the relay goes away
    status, body = _get(http, "/healthz")
    report = json.loads(body)
    assert status == 503 and not report["components"]["relay"]["healthy"], report
    assert report["components"]["database"]["healthy"]
    cli = run_cli("health", config_path=path)
    assert cli.returncode == 1 and report["components"]["relay"]["problems"][0].encode() in cli.stderr
    assert _total(_samples(http), "mailbot_component_healthy", component="relay") == 0


def _alerts_name_what_is_served(http: int) -> None:
    """Every metric the example alert rules (docs/prometheus-alerts.yml) use is one /metrics serves: a renamed
    metric would leave an alert that never fires."""
    rules = yaml.safe_load((ROOT / "docs" / "prometheus-alerts.yml").read_text(encoding="utf-8"))
    used = {name for group in rules["groups"] for rule in group["rules"]
            for name in re.findall(r"\bmailbot_[a-z_]+", rule["expr"])}
    status, body = _get(http, "/metrics")
    served = {name for family in text_string_to_metric_families(body.decode())
              for name in [family.name] + [s.name for s in family.samples]}
    # served once a reader has searched a mailbox (this daemon reads none): the IMAP drills' daemons do
    assert used - served <= {"mailbot_imap_backlog"}, used - served
    assert len(used) >= 8


def test_health_sees_the_scheduler_silent_or_failing(make_config, sink):
    config, path = make_config(jobs={"enabled": True}, listen={"smtp": {"enabled": False}},
                               outbound={"enabled": False})
    engine = engine_for(config)
    out = run_cli("health", config_path=path)
    assert out.returncode == 1 and b"scheduler: no scheduled job has run yet" in out.stderr
    now = utcnow()
    with engine.begin() as conn:
        job_runs.record(conn, "amendments", "host-1", now - timedelta(minutes=30), now - timedelta(minutes=30), True)
    out = run_cli("health", config_path=path)
    assert out.returncode == 1 and b"scheduler: no scheduled job has run since" in out.stderr
    with engine.begin() as conn:
        job_runs.record(conn, "amendments", "host-1", now, now, True)
    assert run_cli("health", config_path=path).returncode == 0
    with engine.begin() as conn:
        job_runs.record(conn, "statements", "host-2", now, now, False, "OperationalError")
    out = run_cli("health", config_path=path)
    assert out.returncode == 1 and b"scheduler: statements failed at" in out.stderr
    assert b"on host-2: OperationalError; never succeeded" in out.stderr


def test_a_running_scheduler_records_its_runs(make_config, sink):
    """A daemon with jobs on: its runs make the scheduler healthy (and counted), no hand-written rows."""
    port, http = free_port(), free_port()
    config, path = make_config(jobs={"enabled": True}, listen={"smtp": {"port": port},
                                                                "http": {"enabled": True, "port": http}},
                               outbound={"transport": "smtp", "smtp": {"host": "127.0.0.1", "port": sink.port}})
    proc = run_daemon(path)
    try:
        wait_listening(port, proc)
        assert wait_until(lambda: _total(_samples(http), "mailbot_job_runs_total", job="amendments",
                                         result="ok") >= 1, timeout=30), proc.log.read_text()
        status, body = _get(http, "/healthz")
        assert status == 200, body
        assert json.loads(body)["components"]["scheduler"] == {"healthy": True, "problems": []}
    finally:
        proc.terminate()
        proc.wait(60)


def test_json_logs_carry_our_ids_and_never_the_mail(make_config, sink):
    port = free_port()
    config, path = make_config(listen={"smtp": {"port": port}}, logging={"format": "json"},
                               outbound={"transport": "smtp", "smtp": {"host": "127.0.0.1", "port": sink.port}})
    proc = run_daemon(path)
    try:
        wait_listening(port, proc)
        body = "Labdien, mana personas kods ir 010190-12345, rēķins neatveras."
        assert send(port, mail(body=body, message_id="<json-1@acme.lv>"), mail_from="janis@acme.lv")[0] == 250
        assert wait_until(lambda: '"outbox"' in proc.log.read_text(), timeout=30)
    finally:
        proc.terminate()
        proc.wait(60)
    lines = [json.loads(line) for line in proc.log.read_text().splitlines() if line.strip()]
    taken = [x for x in lines if x.get("message_id") == "json-1@acme.lv" and "row" in x]
    assert taken and taken[0]["ticket"] == 1 and taken[0]["verdict"] == "stored", lines
    assert {"time", "level", "logger", "pid", "message"} <= set(taken[0])
    assert any(x.get("outbox") and x.get("ticket") == 1 for x in lines)
    text = proc.log.read_text()
    assert "010190-12345" not in text and "neatveras" not in text and "janis@acme.lv" not in text
