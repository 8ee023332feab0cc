"""Billing periods and when their statements are due.

All five vendors bill by calendar month (MONEO: "at month end, an invoice with a detailed report";
Platphorma: tickets included "monthly"), so a period is a month written "YYYY-MM", and the entries of
one period are billed alone. The statement of a month goes out in the morning of the first working
day of the next month, in the client's country: weekends and that country's public holidays (from
the `holidays` package, including Russia's transferred days off and working Saturdays) are skipped,
so a client in Riga gets the statement of 2026-12 on Monday 4 January 2027, not on New Year's Day.
"""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, tzinfo
from functools import lru_cache

import holidays

_PERIOD = re.compile(r"([0-9]{4})-([0-9]{2})")


def period_of(d: date) -> str:
    """The period ("YYYY-MM") a day belongs to."""
    return f"{d.year:04d}-{d.month:02d}"


def period_bounds(period: str) -> tuple[date, date]:
    """(first day, first day of the next month): the period is start <= day < end."""
    m = _PERIOD.fullmatch(period) if isinstance(period, str) else None
    if m is None or not 1 <= int(m[2]) <= 12 or int(m[1]) < 1:
        raise ValueError(f"bad billing period {period!r}: expected 'YYYY-MM' with month 01-12, e.g. '2027-01'")
    year, month = int(m[1]), int(m[2])
    if (year, month) == (9999, 12):
        raise ValueError(f"billing period {period!r} is out of range")
    return date(year, month, 1), date(year + month // 12, month % 12 + 1, 1)


def previous_period(period: str) -> str:
    start, _ = period_bounds(period)
    if start == date.min:
        raise ValueError(f"billing period {period!r} has no previous period")
    return period_of(start - timedelta(days=1))


def next_period(period: str) -> str:
    return period_of(period_bounds(period)[1])


@lru_cache(maxsize=128)
def working_calendar(country: str, year: int) -> holidays.HolidayBase:
    try:
        return holidays.country_holidays(country, years=year, expand=False)
    except NotImplementedError as exc:
        raise ValueError(f"no public-holiday calendar for country {country!r}") from exc


def first_working_day(year: int, month: int, country: str) -> date:
    """The first day of the month that is neither a weekend nor a public holiday in `country`
    (ISO 3166 code: LV, LT, RO, SK, RU, EE, PL, ...)."""
    calendar = working_calendar(country.upper(), year)
    day = date(year, month, 1)
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
        if day.month != month:
            raise ValueError(f"{year:04d}-{month:02d} has no working day in {country}")
    return day


def statement_due(period: str, country: str, tz: tzinfo, hour: int = 7) -> datetime:
    """When the statement of `period` is due: `hour`:00 local time (aware, in `tz`) on the first
    working day of the following month."""
    nxt = period_bounds(period)[1]
    return datetime.combine(first_working_day(nxt.year, nxt.month, country), time(hour), tzinfo=tz)
