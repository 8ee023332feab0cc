"""The layers hold (docs/architecture.md): each imports only the layers below it, pure rules do no I/O, only the
store speaks SQL, and no module grows past what one reader can hold without saying why."""
import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MAX_LINES = 400
# A module may be longer when its docstring says why, in these words.
LONGER_BECAUSE = re.compile(r"longer than 400 lines because", re.I)


def test_import_contracts_are_kept():
    """`lint-imports` (import-linter) checks the contracts in pyproject.toml; a back-up import fails here."""
    exe = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    r = subprocess.run([exe, "--config", str(ROOT / "pyproject.toml")], cwd=ROOT, capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
    assert "0 broken" in r.stdout


def _modules():
    return sorted((ROOT / "mailbot").rglob("*.py"))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_module_is_short_or_says_why(path):
    lines = path.read_text(encoding="utf-8").count("\n")
    if lines <= MAX_LINES:
        return
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    assert LONGER_BECAUSE.search(doc), f"{path.relative_to(ROOT)} has {lines} lines and no reason in its docstring"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_module_says_what_it_is_for(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    if path.name == "__main__.py":
        return
    assert ast.get_docstring(tree), f"{path.relative_to(ROOT)} has no docstring"


def test_no_bare_status_strings_are_compared():
    """Statuses are compared by name (mailbot.tickets.vocabulary.Status), never as bare strings."""
    statuses = "new|open|waiting|resolved|closed"
    bare = re.compile(rf"""(==|!=|\bin)\s*\(?\s*["'](?:{statuses})["']""")
    found = [f"{p.relative_to(ROOT)}:{n}" for p in _modules()
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if bare.search(line)]
    assert not found, found
