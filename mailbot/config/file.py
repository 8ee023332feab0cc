"""The configuration file and its environment overrides, before validation (no pydantic here: the pipe
command's fast path reads the listener address from it in a few milliseconds).

``MAILBOT_<SECTION>__<KEY>`` overrides any setting (list items by index: ``MAILBOT_MAILBOXES__0__ADDRESS``);
secrets (``password``, ``secret``) are refused in the file and read only from the environment.
"""
from __future__ import annotations

import os
from pathlib import Path

import yaml

ENV_PREFIX = "MAILBOT_"
SECRET_KEYS = ("password", "secret")


class ConfigError(Exception):
    """A configuration problem; the message names the offending key."""


def default_path() -> Path:
    return Path(os.environ.get("MAILBOT_CONFIG", "config.yaml"))


def _apply_env(data: dict, environ) -> None:
    for name, value in environ.items():
        if not name.startswith(ENV_PREFIX) or "__" not in name:
            continue  # MAILBOT_CONFIG and friends are not settings
        path = [p.lower() for p in name[len(ENV_PREFIX):].split("__")]
        node = data
        for i, key in enumerate(path):
            last = i == len(path) - 1
            if isinstance(node, list):
                if not key.isdigit() or int(key) >= len(node):
                    raise ConfigError(f"{name}: no item {key} in {'.'.join(path[:i])}")
                key = int(key)
            if last:
                node[key] = value if path[-1] in SECRET_KEYS else yaml.safe_load(value)
            else:
                if isinstance(node, dict) and not isinstance(node.get(key), (dict, list)):
                    node[key] = {}
                node = node[key]


def _find_secrets(node, path=()):
    if isinstance(node, dict):
        for k, v in node.items():
            if str(k).lower() in SECRET_KEYS and v not in (None, ""):
                yield ".".join(map(str, path + (k,)))
            yield from _find_secrets(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _find_secrets(v, path + (i,))


def read(path: Path, environ=None) -> dict:
    environ = os.environ if environ is None else environ
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such configuration file (copy config.example.yaml)") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None
    data = data or {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the top level must be a mapping of sections")
    for key in _find_secrets(data):
        env = ENV_PREFIX + key.upper().replace(".", "__")
        raise ConfigError(f"{path}: {key}: secrets are not read from the file; set {env} instead")
    _apply_env(data, environ)
    return data
