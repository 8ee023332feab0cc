"""command: an agent's mail — authenticated, read for tags, applied all or nothing (mailbot.agents.commands)."""
from mailbot.agents.commands import run  # noqa: F401  (the stage is that module's run)
