"""A stop during a scheduled job: the job ends at its next safe point, the daemon says nothing after "stopped",
no traceback is logged, and the next run issues the rest exactly once."""
import signal

from mailbot.store.models import statement_runs, statements
from tests.helpers import count, engine_for, free_port, run_cli, run_daemon, wait_listening, wait_until

CLIENTS = 300


def test_sigterm_during_the_statement_run_is_quiet_and_loses_nothing(make_config):
    port = free_port()
    clients = [{"id": f"c{i}", "name": f"Client {i}", "language": "lv", "contacts": [f"buh{i}@client{i}.lv"],
                "statements": {"since": "2020-01"}} for i in range(CLIENTS)]
    config, path = make_config(listen={"smtp": {"port": port}}, jobs={"enabled": True}, clients=clients)
    proc = run_daemon(path)
    wait_listening(port, proc)
    engine = engine_for(config)
    assert wait_until(lambda: 0 < count(engine, statement_runs), timeout=60), proc.log.read_text()
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(60) == 0
    log = proc.log.read_text()
    assert "Traceback" not in log and "CancelledError" not in log
    assert "stopped" in log and "statement" not in log.rsplit("stopped", 1)[1]
    issued = count(engine, statements)
    # the next run goes on where this one stopped: every client once
    assert run_cli("statement", "run", config_path=path).returncode == 0
    assert count(engine, statements) == count(engine, statement_runs) == CLIENTS and issued <= CLIENTS
    engine.dispose()
