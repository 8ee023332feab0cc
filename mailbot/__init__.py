"""mailbot: an e-mail-driven support desk daemon."""
from pathlib import Path

__version__ = "0.1.0"


def resource(name: str) -> Path:
    """Where a shipped folder (templates, migrations) lives: inside the installed package, or at the
    checkout's root when running from source."""
    here = Path(__file__).resolve().parent
    installed = here / name
    return installed if installed.is_dir() else here.parent / name
