"""Billing periods (calendar months) and the morning each month's statement is due."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailbot.billing.periods import (
    first_working_day, next_period, period_bounds, period_of, previous_period, statement_due,
)

SETTINGS = settings(database=None, deadline=None, max_examples=100)
COUNTRIES = ("LV", "LT", "RO", "SK", "RU", "EE", "PL")


def test_period_of_and_bounds():
    assert period_of(date(2027, 1, 31)) == "2027-01"
    assert period_bounds("2027-02") == (date(2027, 2, 1), date(2027, 3, 1))
    assert period_bounds("2026-12") == (date(2026, 12, 1), date(2027, 1, 1))
    assert previous_period("2027-01") == "2026-12" and previous_period("2027-03") == "2027-02"
    assert next_period("2026-12") == "2027-01"


@pytest.mark.parametrize("bad", ["2027-13", "2027-00", "27-01", "2027-1", "2027/01", "2027-01-01", " 2027-01", "",
                                 "２０２７-01", "0000-05", None, 202701])
def test_bad_period_is_a_clear_error(bad):
    with pytest.raises(ValueError, match="expected 'YYYY-MM'"):
        period_bounds(bad)
    with pytest.raises(ValueError):
        previous_period(bad)


def test_periods_at_the_ends_of_the_calendar():
    with pytest.raises(ValueError, match="no previous"):
        previous_period("0001-01")
    with pytest.raises(ValueError, match="out of range"):
        period_bounds("9999-12")


@SETTINGS
@given(st.dates(min_value=date(1, 2, 1), max_value=date(9999, 10, 31)))
def test_every_day_lies_in_its_period(d):
    p = period_of(d)
    start, end = period_bounds(p)
    assert start <= d < end and start.day == end.day == 1 and period_of(end - timedelta(days=1)) == p
    assert previous_period(next_period(p)) == p == next_period(previous_period(p))


@pytest.mark.parametrize("country,year,month,expected", [
    ("LV", 2027, 1, date(2027, 1, 4)),    # 1 Jan holiday, 2-3 weekend
    ("LV", 2025, 5, date(2025, 5, 6)),    # 1-2 May off, 4 May Sunday moved to Monday 5
    ("LT", 2024, 4, date(2024, 4, 2)),    # Easter Monday
    ("LT", 2025, 1, date(2025, 1, 2)),
    ("RO", 2025, 1, date(2025, 1, 3)),    # 1 and 2 January are both public holidays
    ("RO", 2027, 1, date(2027, 1, 4)),
    ("RU", 2025, 1, date(2025, 1, 9)),    # New Year holidays 1-8 January
    ("RU", 2026, 1, date(2026, 1, 12)),   # ... and 9 January 2026 moved from a Saturday
    ("RU", 2025, 5, date(2025, 5, 5)),
    ("RU", 2025, 11, date(2025, 11, 1)),  # a working Saturday (its day off moved to 3 November)
    ("PL", 2024, 11, date(2024, 11, 4)),  # All Saints' Day on a Friday
    ("SK", 2026, 1, date(2026, 1, 2)),
    ("EE", 2025, 1, date(2025, 1, 2)),
])
def test_first_working_day(country, year, month, expected):
    assert first_working_day(year, month, country) == expected


def test_country_codes():
    assert first_working_day(2027, 1, "lv") == date(2027, 1, 4)
    with pytest.raises(ValueError, match="'XX'"):
        first_working_day(2027, 1, "XX")


@SETTINGS
@given(st.integers(2020, 2030), st.integers(1, 12), st.sampled_from(COUNTRIES))
def test_first_working_day_skips_only_weekends_and_holidays(year, month, country):
    d = first_working_day(year, month, country)
    calendar = holidays.country_holidays(country, years=year)
    assert (d.year, d.month) == (year, month) and d not in calendar
    assert d.weekday() < 5 or d in calendar.weekend_workdays
    for n in range(1, d.day):
        before = date(year, month, n)
        assert before.weekday() >= 5 or before in calendar


def test_statement_due_is_seven_in_the_morning_local_time():
    riga = ZoneInfo("Europe/Riga")
    due = statement_due("2026-12", "LV", riga)
    assert due == datetime(2027, 1, 4, 7, tzinfo=riga) and due.tzinfo is riga
    assert due.utcoffset() == timedelta(hours=2) and due.astimezone(timezone.utc).hour == 5
    summer = statement_due("2025-04", "LT", ZoneInfo("Europe/Vilnius"))           # 1 May holiday
    assert (summer.date(), summer.hour, summer.utcoffset()) == (date(2025, 5, 2), 7, timedelta(hours=3))
    moscow = statement_due("2024-12", "RU", ZoneInfo("Europe/Moscow"), hour=9)
    assert moscow.isoformat() == "2025-01-09T09:00:00+03:00"


@SETTINGS
@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 11, 30)), st.sampled_from(COUNTRIES))
def test_statement_due_follows_its_period(d, country):
    tz = ZoneInfo("Europe/Bucharest")
    due = statement_due(period_of(d), country, tz)
    assert due.utcoffset() is not None and (due.hour, due.minute) == (7, 0)
    assert period_of(due.date()) == next_period(period_of(d)) and due.date().day <= 12
