"""Priority from impact and urgency (mailbot.tickets.priority, seed 003): the ITIL matrix, each medium unless said."""
import itertools

import pytest

from mailbot.tickets.priority import DEFAULT_LEVEL, LEVELS, priority_of


@pytest.mark.parametrize("impact, urgency, priority", [
    ("high", "high", "P1"),
    ("high", "medium", "P2"), ("medium", "high", "P2"),
    ("high", "low", "P3"), ("low", "high", "P3"), ("medium", "medium", "P3"),
    ("medium", "low", "P4"), ("low", "medium", "P4"), ("low", "low", "P4"),
])
def test_the_matrix(impact, urgency, priority):
    assert priority_of(impact, urgency) == priority


def test_what_is_not_said_is_medium():
    assert DEFAULT_LEVEL == "medium"
    assert priority_of(None, None) == priority_of("medium", "medium") == "P3"
    assert priority_of("high", None) == "P2" and priority_of(None, "low") == "P4"


def test_impact_and_urgency_weigh_alike_and_more_of_either_never_lowers_the_priority():
    rank = {"low": 0, "medium": 1, "high": 2}
    for impact, urgency in itertools.product(LEVELS, repeat=2):
        assert priority_of(impact, urgency) == priority_of(urgency, impact)
        for more in LEVELS:
            if rank[more] > rank[impact]:
                assert priority_of(more, urgency) <= priority_of(impact, urgency)  # "P1" < "P2" < ...
