"""Configuration: validated at start-up, errors name the key, the environment overrides, secrets stay out."""
import pytest

from mailbot.config import ConfigError, load
from tests.helpers import ROOT, run_cli


def _write(tmp_path, text):
    p = tmp_path / "c.yaml"
    p.write_text(text, encoding="utf-8")
    return p


MIN = "mailboxes:\n  - {name: help, address: help@vendor.lv}\n"


def test_example_config_is_valid_as_shipped():
    config = load(ROOT / "config.example.yaml", environ={})
    assert config.database.url.startswith("sqlite:///")
    assert (config.listen.smtp.host, config.listen.smtp.port) == ("127.0.0.1", 2525)
    assert config.outbound.transport == "maildir"
    assert {p.name for p in config.plans} >= {"standard"}
    assert config.listen.workers == "auto" and 1 <= config.listen.processes <= 4  # one per core


def test_workers_auto_is_one_per_available_core_at_most_four(tmp_path):
    import os
    config = load(_write(tmp_path, MIN), environ={})
    assert config.listen.processes == min(len(os.sched_getaffinity(0)), 4)
    assert load(_write(tmp_path, MIN), environ={"MAILBOT_LISTEN__WORKERS": "3"}).listen.processes == 3


@pytest.mark.parametrize("text, key", [
    (MIN + "listen: {smtp: {prot: 25}}\n", "listen.smtp.prot"),
    (MIN + "listen: {smtp: {port: many}}\n", "listen.smtp.port"),
    (MIN + "clients: [{id: a, name: A, language: de}]\n", "clients.0.language"),
    (MIN + "clients: [{id: a, name: A, plan: gold}]\n", "clients.0.plan"),
    (MIN + "outbound: {transport: pigeon}\n", "outbound.transport"),
    ("mailboxes: [{name: help, address: not-an-address}]\n", "mailboxes.0.address"),
    (MIN + "plans: [{name: p, reaction_time: soon}]\n", "plans.0.reaction_time"),
    ("database: {url: x}\n", "mailboxes"),
    (MIN + "listen: {workers: lots}\n", "listen.workers: Input should be a valid integer"),
    (MIN + "listen: {workers: 0}\n", "listen.workers: Input should be greater than or equal to 1"),
])
def test_errors_name_the_key(tmp_path, text, key):
    with pytest.raises(ConfigError) as err:
        load(_write(tmp_path, text), environ={})
    assert key in str(err.value)


def test_environment_overrides_file(tmp_path):
    path = _write(tmp_path, MIN)
    config = load(path, environ={"MAILBOT_DATABASE__URL": "postgresql://db/x", "MAILBOT_LISTEN__SMTP__PORT": "25",
                                 "MAILBOT_MAILBOXES__0__ADDRESS": "suport@vendor.ro",
                                 "MAILBOT_OUTBOUND__SMTP__PASSWORD": "s3cret", "MAILBOT_CONFIG": "ignored"})
    assert config.database.url == "postgresql://db/x"
    assert config.listen.smtp.port == 25
    assert config.mailboxes[0].address == "suport@vendor.ro"
    assert config.outbound.smtp.password == "s3cret"
    with pytest.raises(ConfigError, match="MAILBOT_MAILBOXES__5__ADDRESS"):
        load(path, environ={"MAILBOT_MAILBOXES__5__ADDRESS": "x@y.z"})


def test_password_in_file_is_refused(tmp_path):
    path = _write(tmp_path, MIN + "outbound: {smtp: {password: hunter2}}\n")
    with pytest.raises(ConfigError) as err:
        load(path, environ={})
    assert "outbound.smtp.password" in str(err.value) and "MAILBOT_OUTBOUND__SMTP__PASSWORD" in str(err.value)
    assert "hunter2" not in str(err.value)


def test_daemon_refuses_to_start_with_bad_config(tmp_path):
    path = _write(tmp_path, MIN + "listen: {smtp: {prot: 25}}\n")
    r = run_cli("run", config_path=path, timeout=30)
    assert r.returncode == 78 and b"listen.smtp.prot: unknown key" in r.stderr
    r = run_cli("config", "check", config_path=tmp_path / "missing.yaml")
    assert r.returncode == 78 and b"no such configuration file" in r.stderr
