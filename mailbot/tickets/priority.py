"""Priority from impact and urgency (seed 003, cloudempiere: "priority is set from impact and urgency").

The matrix is the usual ITIL one: P1 is high impact and high urgency, P4 low and low. An agent may state the
priority outright ([P2]); otherwise it follows from the two, each `medium` unless said.
"""
from __future__ import annotations

import re

LEVELS = ("high", "medium", "low")
DEFAULT_LEVEL = "medium"
MATRIX = {("high", "high"): "P1", ("high", "medium"): "P2", ("medium", "high"): "P2", ("high", "low"): "P3",
          ("low", "high"): "P3", ("medium", "medium"): "P3", ("medium", "low"): "P4", ("low", "medium"): "P4",
          ("low", "low"): "P4"}


def priority_of(impact: str | None, urgency: str | None, matrix: dict | None = None) -> str:
    """The priority of impact x urgency, by `matrix` (impact -> urgency -> P1..P4, the configuration's `sla.matrix`)
    or the default ITIL one."""
    impact, urgency = impact or DEFAULT_LEVEL, urgency or DEFAULT_LEVEL
    return matrix[impact][urgency] if matrix else MATRIX[(impact, urgency)]


def urgent(text: str, words) -> bool:
    """Whether a client calls the request urgent ("urgent", "steidzami", "срочно" ...), as a word of its own."""
    folded = text.casefold()
    return any(re.search(rf"(?<!\w){re.escape(w.casefold())}(?!\w)", folded) for w in words)
