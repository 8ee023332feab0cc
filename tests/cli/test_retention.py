"""`mailbot retention run [--dry-run] [--months N] [--json]` as an operator runs it, `mailbot tickets show` of a purged
ticket, and `retention.months` refused by `mailbot config check` unless it is a number of months."""
import json
from datetime import datetime, time

import pytest
import yaml

from mailbot.config import ConfigError, load
from mailbot.store.models import attachments, messages, outbox_raw, raw_messages
from tests.helpers import count, engine_for, mail, run_cli, take
from tests.services.test_retention import CLIENTS, PDF, backdate, resolve, send_all


def _desk(make_config, **over):
    """A resolved ticket with a file and its sent receipt, taken 400 days ago; (config path, engine)."""
    config, path = make_config(clients=CLIENTS, **over)
    engine = engine_for(config)
    ticket = take(config, engine, mail(subject="Algas", body="Pielikumā saraksts.",
                                       attachments=[("alga.pdf", PDF, "application/pdf")])).ticket_id
    resolve(engine, ticket)
    send_all(engine)
    backdate(engine, 400)
    return path, engine


def _held(engine) -> tuple:
    return (count(engine, messages, messages.c.body_text.is_not(None)), count(engine, raw_messages),
            count(engine, attachments, attachments.c.data.is_not(None)), count(engine, outbox_raw))


def test_dry_run_then_run_then_show_the_purged_ticket(make_config):
    path, engine = _desk(make_config, retention={"months": 12})
    before = _held(engine)
    dry = run_cli("retention", "run", "--dry-run", "--json", config_path=path)
    assert dry.returncode == 0, dry.stderr
    figures = json.loads(dry.stdout)
    assert figures["dry_run"] is True and figures["months"] == 12
    assert (figures["tickets"], figures["messages"], figures["files"], figures["mails"]) == (1, 2, 1, 1)
    assert figures["bytes"] > len(PDF) and datetime.fromisoformat(figures["cutoff"]).time() == time(0)  # local
    assert _held(engine) == before  # nothing changed
    text = run_cli("retention", "run", "--dry-run", config_path=path).stdout.decode()
    assert "would purge: 2 message(s) (1 ticket(s) touched)" in text
    assert "(12 months kept; tickets open or changed since are kept whole)" in text

    done = run_cli("retention", "run", config_path=path)
    assert done.returncode == 0, done.stderr
    assert b"purged: 2 message(s) (1 ticket(s) touched), 1 file(s), 1 sent mail(s)" in done.stdout
    assert _held(engine) == (0, 0, 0, 0)

    shown = json.loads(run_cli("tickets", "show", "1", "--json", config_path=path).stdout)
    first = shown["messages"][0]
    assert first["text"] is None and first["purged_at"] and first["subject"] == "Algas"
    assert first["attachments"] == [{"filename": "alga.pdf", "content_type": "application/pdf", "size": len(PDF)}]
    assert [e["kind"] for e in shown["events"]][-1] == "retention"
    text = run_cli("tickets", "show", "#1", config_path=path).stdout.decode()
    assert f"(purged {first['purged_at'][:10]}: its text, raw copy and files are deleted)" in text
    assert "alga.pdf" in text and "Pielikumā" not in text
    sent = json.loads(run_cli("outbox", "show", "1", "--json", config_path=path).stdout)
    assert sent["status"] == "sent" and sent["size"] is None  # the row stays, its bytes are gone

    again = json.loads(run_cli("retention", "run", "--json", config_path=path).stdout)
    assert again["messages"] == 0 and again["dry_run"] is False


def test_months_given_for_one_run_and_none_configured(make_config):
    path, engine = _desk(make_config)
    off = run_cli("retention", "run", config_path=path)
    assert off.returncode == 78 and b"retention.months is not set" in off.stderr
    assert run_cli("retention", "run", "--months", "0", config_path=path).returncode == 2
    kept = json.loads(run_cli("retention", "run", "--months", "14", "--json", config_path=path).stdout)
    assert kept["months"] == 14 and kept["messages"] == 0  # 400 days is not 14 months
    purged = json.loads(run_cli("retention", "run", "--months", "13", "--json", config_path=path).stdout)
    assert purged["messages"] == 2 and count(engine, raw_messages) == 0


@pytest.mark.parametrize("months", [0, -3, True, "twelve", 1.5])
def test_retention_months_must_be_a_number_of_months(make_config, months):
    _, path = make_config()
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    path.write_text(yaml.safe_dump({**data, "retention": {"months": months}}, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"retention\.months: "):
        load(path, environ={})
    if months == 0:
        checked = run_cli("config", "check", config_path=path)
        assert checked.returncode == 78 and b"retention.months: 0 is no number of months" in checked.stderr


def test_retention_is_off_by_default_and_takes_an_hour(make_config):
    config, _ = make_config()
    assert config.retention.months is None and config.retention.hour == 3
    config, _ = make_config(retention={"months": 24, "hour": 22})
    assert (config.retention.months, config.retention.hour) == (24, 22)
    with pytest.raises(ConfigError, match=r"retention\.hour: "):
        make_config(retention={"hour": 24})
