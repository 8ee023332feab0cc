"""Where the configuration comes from (mailbot.config.file): --config, else $MAILBOT_CONFIG, else ./config.yaml in the
working directory, as the README says; a missing file is named."""
import pytest

from tests.helpers import run_cli

BROKEN = "mailboxes: [{name: help, address: help@support.test}]\nlisten: {smtp: {prot: 25}}\n"


@pytest.fixture
def config_dirs(make_config, tmp_path, monkeypatch):
    """A working directory whose ./config.yaml has a mistake, and a valid configuration elsewhere."""
    monkeypatch.delenv("MAILBOT_CONFIG", raising=False)
    workdir = tmp_path / "work"
    workdir.mkdir()
    (workdir / "config.yaml").write_text(BROKEN, encoding="utf-8")
    _, valid = make_config()  # 2 mailboxes, 1 agent, 3 clients, 2 plans
    return workdir, valid


def test_mailbot_config_names_the_file_to_use(config_dirs):
    workdir, valid = config_dirs
    r = run_cli("config", "check", cwd=workdir, env={"MAILBOT_CONFIG": str(valid)})
    assert r.returncode == 0, r.stderr
    out = r.stdout.decode()
    assert out.startswith(f"{valid}: OK (2 mailboxes") and "3 clients" in out


def test_without_config_or_mailbot_config_the_working_directory_config_yaml_is_read(config_dirs):
    workdir, valid = config_dirs
    r = run_cli("config", "check", cwd=workdir)
    assert r.returncode == 78, r.stdout  # EX_CONFIG
    err = r.stderr.decode()
    assert "config.yaml: invalid configuration" in err and "listen.smtp.prot: unknown key" in err
    (workdir / "config.yaml").write_text(valid.read_text(encoding="utf-8"), encoding="utf-8")
    r = run_cli("config", "check", cwd=workdir)
    assert r.returncode == 0 and r.stdout.decode().startswith("config.yaml: OK (2 mailboxes"), r.stderr


def test_config_option_wins_over_mailbot_config(config_dirs):
    workdir, valid = config_dirs
    r = run_cli("config", "check", config_path=valid, cwd=workdir, env={"MAILBOT_CONFIG": str(workdir / "nope.yaml")})
    assert r.returncode == 0 and r.stdout.decode().startswith(f"{valid}: OK"), r.stderr


def test_a_missing_configuration_file_is_named(config_dirs):
    workdir, _ = config_dirs
    missing = workdir / "etc" / "mailbot.yaml"
    r = run_cli("config", "check", cwd=workdir, env={"MAILBOT_CONFIG": str(missing)})
    assert r.returncode == 78 and r.stdout == b""
    assert f"{missing}: no such configuration file" in r.stderr.decode()
    (workdir / "config.yaml").unlink()
    r = run_cli("config", "check", cwd=workdir)
    assert r.returncode == 78
    assert " config.yaml: no such configuration file" in r.stderr.decode()
