"""The objection window (seed 000 §8: within 2 days): calendar days, or working days of the client's country."""
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from mailbot.billing.objections import is_late, last_day, working_days_after
from mailbot.billing.periods import working_calendar


def test_two_calendar_days_from_the_day_the_statement_was_sent():
    assert last_day(date(2026, 12, 4), 2) == date(2026, 12, 6)
    assert not is_late(date(2026, 12, 6), date(2026, 12, 4), 2) and is_late(date(2026, 12, 7), date(2026, 12, 4), 2)


def test_working_days_skip_the_weekend_and_latvias_independence_day():
    # Friday 13 November 2026: Monday and Tuesday count.
    assert last_day(date(2026, 11, 13), 2, "working", "LV") == date(2026, 11, 17)
    # Tuesday 17 November: Wednesday 18 November is Proclamation Day in Latvia, a public holiday.
    assert last_day(date(2026, 11, 17), 2, "working", "LV") == date(2026, 11, 20)
    # ... and not in Lithuania, where 18 November is a working day.
    assert last_day(date(2026, 11, 17), 2, "working", "LT") == date(2026, 11, 19)
    # Thursday 31 December: New Year's Day, then the weekend.
    assert last_day(date(2026, 12, 31), 2, "working", "LV") == date(2027, 1, 5)


def test_no_window_means_the_same_day_and_a_negative_one_is_refused():
    assert last_day(date(2026, 12, 4), 0, "working", "LV") == date(2026, 12, 4)
    try:
        last_day(date(2026, 12, 4), -1)
    except ValueError as exc:
        assert "negative" in str(exc)
    else:
        raise AssertionError("a negative window was accepted")


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)), st.integers(0, 20),
       st.sampled_from(["LV", "LT", "RO", "SK", "RU"]))
def test_working_days_are_counted_exactly(sent, days, country):
    end = working_days_after(sent, days, country)
    between = [sent + timedelta(n) for n in range(1, (end - sent).days + 1)]
    counted = [d for d in between if working_calendar(country, d.year).is_working_day(d)]
    assert len(counted) == days and (days == 0 or counted[-1] == end)
    assert last_day(sent, days, "working", country) >= last_day(sent, days, "calendar", country)
