"""What `pip install .` ships: every package of mailbot/ is listed in pyproject.toml (a folder left out would be
missing from a non-editable install, as CI's `pip install '.[test]'` and the Docker image are)."""
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_package_is_listed():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "mailbot").rglob("__init__.py")}
    assert found - listed == set(), f"packages missing from pyproject.toml: {sorted(found - listed)}"
    shipped = {"mailbot.templates", "mailbot.migrations", "mailbot.migrations.versions"}
    assert listed - found - shipped == set(), f"listed but not in the tree: {sorted(listed - found - shipped)}"
