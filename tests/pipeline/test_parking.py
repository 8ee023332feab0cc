"""Park, don't drop (invariant 8): a message a stage fails on is kept with its error, visible and
replayable from the CLI, and never blocks the messages after it."""
import json

import pytest

from mailbot.pipeline import runner
from mailbot.pipeline.context import Envelope
from mailbot.store.models import messages, parked, tickets
from tests.helpers import count, engine_for, mail, run_cli, send, wait_until


@pytest.fixture
def failing_stage(monkeypatch):
    """A stage that fails on subjects containing BOOM, as a bug in a stage would."""
    def boom(ctx):
        if "BOOM" in ctx.msg.subject:
            raise RuntimeError("stage exploded")
    stages = list(runner._STAGES)
    stages.insert(3, boom)
    monkeypatch.setattr(runner, "_STAGES", tuple(stages))


def test_failing_message_is_parked_and_others_flow(failing_stage, engine, config, daemon_factory):
    d = daemon_factory(config, engine)
    assert send(d.port, mail(subject="BOOM 1", message_id="<b1@acme.lv>"))[0] == 250  # kept, so acknowledged
    assert send(d.port, mail(subject="fine", message_id="<f1@acme.lv>"))[0] == 250
    assert send(d.port, mail(subject="BOOM 1", message_id="<b1@acme.lv>"))[0] == 250  # redelivery: no 2nd row
    assert count(engine, tickets) == 1
    assert count(engine, parked) == 1
    d.stop()


def test_parked_cli_list_show_retry(failing_stage, engine, config, make_config, monkeypatch):
    config, path = make_config()
    engine = engine_for(config)
    out = runner.accept(mail(subject="BOOM", message_id="<p@acme.lv>"),
                        Envelope("help@support.test", "smtp", "janis@acme.lv"), config, engine)
    assert out.status == "parked" and "stage exploded" in out.reason
    r = run_cli("parked", "list", "--json", config_path=path)
    [row] = json.loads(r.stdout)
    assert row["status"] == "parked" and "stage exploded" in row["error"] and row["mailbox"] == "help@support.test"
    r = run_cli("parked", "show", str(row["id"]), config_path=path)
    assert b"RuntimeError: stage exploded" in r.stdout
    # The CLI replays it with the real pipeline (the fault lives only in this test process): it now succeeds.
    r = run_cli("parked", "retry", str(row["id"]), config_path=path)
    assert r.returncode == 0 and b"stored ticket #1" in r.stdout
    assert count(engine, tickets) == 1
    assert json.loads(run_cli("parked", "list", "--json", config_path=path).stdout) == []


def test_retries_give_up_after_max_attempts(failing_stage, make_config):
    config, _ = make_config(parking={"max_attempts": 3, "retry_seconds": 1})
    engine = engine_for(config)
    env = Envelope("help@support.test", "smtp", "janis@acme.lv")
    runner.accept(mail(subject="BOOM"), env, config, engine)
    with engine.connect() as conn:
        [(p, raw)] = [(r.id, r.raw) for r in conn.execute(parked.select())]
    for _ in range(2):
        assert runner.accept(raw, env, config, engine, retry_of=p).status == "parked"
    with engine.connect() as conn:
        row = conn.execute(parked.select()).first()
    assert row.status == "failed" and row.attempts == 3 and row.next_retry_at is None
    assert count(engine, messages) == 0


def test_daemon_retries_parked_messages_by_itself(monkeypatch, make_config, daemon_factory):
    """A transient bug (here: the first attempt fails) heals without an operator."""
    attempts = []

    def flaky(ctx):
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("first attempt fails")
    stages = list(runner._STAGES)
    stages.insert(3, flaky)
    monkeypatch.setattr(runner, "_STAGES", tuple(stages))
    config, _ = make_config(parking={"retry_seconds": 0.2})
    engine = engine_for(config)
    d = daemon_factory(config, engine)
    assert send(d.port, mail(message_id="<flaky@acme.lv>"))[0] == 250
    wait_until(lambda: count(engine, tickets) != 0)
    assert count(engine, tickets) == 1
    with engine.connect() as conn:
        assert [r.status for r in conn.execute(parked.select())] == ["done"]
    d.stop()


@pytest.mark.parametrize("where", ["before the transaction", "after its writes"])
def test_group_commit_one_bad_message_does_not_spoil_the_batch(where, monkeypatch, engine, config):
    """Messages committed together: the failing one is parked alone and the others are stored once — whether
    it failed before writing anything or after persist wrote its ticket (then the batch is undone and taken
    again message by message)."""
    def boom(ctx):
        if "BOOM" in ctx.msg.subject:
            raise RuntimeError("stage exploded")
    stages = list(runner._STAGES)
    stages.insert(3 if where == "before the transaction" else len(stages), boom)
    monkeypatch.setattr(runner, "_STAGES", tuple(stages))
    env = Envelope("help@support.test", "smtp", "janis@acme.lv")
    jobs = [runner.Job(mail(subject=s, message_id=f"<g{i}@acme.lv>"), env)
            for i, s in enumerate(["one", "BOOM", "three", "one again"])]
    jobs.append(runner.Job(jobs[0].raw, env))  # the same message twice in one batch: one effect
    results = runner.accept_batch(jobs, config, engine)
    assert [r.status for r in results] == ["stored", "parked", "stored", "stored", "duplicate"]
    assert count(engine, tickets) == 3 and count(engine, parked) == 1
    assert count(engine, messages, messages.c.direction == "in") == 3


def test_a_batch_that_fails_as_a_whole_is_retaken_message_by_message(monkeypatch, engine, config):
    """A deadlock (PostgreSQL's 40P01) undoes the whole group commit: nothing of it may be reported stored
    unless it is, so every message is taken again on its own."""
    from sqlalchemy.exc import OperationalError

    class Deadlock(Exception):
        sqlstate = "40P01"
    calls = []

    def deadlock_once(ctx):
        calls.append(ctx.msg.subject)
        if len(calls) == 2:  # the second message of the first batch
            raise OperationalError("UPDATE tickets", {}, Deadlock("deadlock detected"))
    stages = list(runner._STAGES)
    stages.insert(stages.index(runner._DEDUPE) + 1, deadlock_once)  # database work, in the transaction
    monkeypatch.setattr(runner, "_STAGES", tuple(stages))
    env = Envelope("help@support.test", "smtp", "janis@acme.lv")
    jobs = [runner.Job(mail(subject=f"d{i}", message_id=f"<d{i}@acme.lv>"), env) for i in range(3)]
    results = runner.accept_batch(jobs, config, engine)
    assert [r.status for r in results] == ["stored"] * 3
    assert count(engine, tickets) == 3 and count(engine, parked) == 0
    assert calls[:2] == ["d0", "d1"] and sorted(calls[2:]) == ["d0", "d1", "d2"]


def test_the_log_line_of_a_parked_message_never_quotes_it(engine, config, monkeypatch, caplog):
    """An error's text may quote the mail ("invalid literal for int(): '<the client's line>'"): the parked row
    keeps it for the operator, the log line names only the error's type."""
    def quoting(ctx):
        int(ctx.msg.text.strip())
    monkeypatch.setattr(runner, "_STAGES", (*runner._STAGES[:3], quoting, *runner._STAGES[3:]))
    body = "Anna Ozola, personas kods 010180-12345"
    with caplog.at_level("INFO", logger="mailbot"):
        out = runner.accept(mail(subject="Algas", body=body, message_id="<q@acme.lv>"),
                            Envelope("help@support.test", "smtp", "janis@acme.lv"), config, engine)
    assert out.status == "parked" and body in out.reason
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "parked as #1: ValueError" in logged
    assert "Anna" not in logged and "010180" not in logged
