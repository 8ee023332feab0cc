"""Business calendars: when the clock of a service level runs.

MONEO works 09:00-17:00 on Latvian working days and sells extended hours (08:00-20:00, 07:00-23:00) as other
calendars; Platphorma answers "within 15 working days, legal holidays excepted"; cloudempiere offers 24/7/365.
A calendar is a time zone, weekly hours (several intervals a day, days may differ), the public holidays of a
country (the `holidays` package), extra closed and open dates, and optionally the working day one hour shorter
before a public holiday that Latvian, Lithuanian and Russian labour law set. Intervals are local wall-clock
times; the moments they bound are computed in the zone, so working time is always real time inside them, and on
24/7 time is simply elapsed time (a summer-time change included).

`add` moves forward by working minutes, `add_days` by working days (the same time of day that many working days
later), `between` counts the working minutes in a span. A deadline from `add` is never inside closed time: it is
inside an interval or at its end.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

DAY = 24 * 60
MAX_DAYS = 3 * 366  # a calendar without a working day in three years is a mistake, not a wait
Interval = tuple[int, int]  # minutes after local midnight, start < end <= 1440


@lru_cache(maxsize=64)
def _public(country: str, year: int):
    try:
        return holidays.country_holidays(country, years=year)
    except NotImplementedError as exc:
        raise ValueError(f"no public-holiday calendar for country {country!r}") from exc


@dataclass(frozen=True)
class Calendar:
    name: str
    zone: str = "UTC"
    week: tuple[tuple[Interval, ...], ...] = ((),) * 7  # Monday .. Sunday
    country: str | None = None
    closed: frozenset[date] = frozenset()
    opened: dict[date, tuple[Interval, ...]] = field(default_factory=dict, hash=False, compare=False)
    short_before_holiday: bool = False
    always: bool = False  # 24/7: every moment counts

    def __post_init__(self) -> None:
        for day in self.week:
            for start, end in day:
                if not 0 <= start < end <= DAY:
                    raise ValueError(f"calendar {self.name}: an interval must be within a day, start before end")
        if not self.always and not any(self.week) and not self.opened:
            raise ValueError(f"calendar {self.name} has no working hours")

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.zone)

    def is_holiday(self, day: date) -> bool:
        return self.country is not None and day in _public(self.country, day.year)

    def is_workday_moved(self, day: date) -> bool:
        return self.country is not None and day in getattr(_public(self.country, day.year), "weekend_workdays", ())

    def hours(self, day: date) -> tuple[Interval, ...]:
        """The working intervals of a local date."""
        if self.always:
            return ((0, DAY),)
        if day in self.opened:
            return self.opened[day]
        if day in self.closed or self.is_holiday(day):
            return ()
        intervals = self.week[day.weekday()]
        if not intervals and self.is_workday_moved(day):  # a Saturday worked in place of a bridge day (LV, RU)
            intervals = next((hours for hours in self.week if hours), ())
        if intervals and self.short_before_holiday and self.is_holiday(day + timedelta(days=1)):
            start, end = intervals[-1]
            intervals = intervals[:-1] + (((start, max(start, end - 60)),) if end - 60 > start else ())
        return intervals

    def spans(self, day: date) -> list[tuple[datetime, datetime]]:
        """The day's working intervals as aware moments (UTC)."""
        return [(_at(day, s, self.tz), _at(day, e, self.tz)) for s, e in self.hours(day)]


def _at(day: date, minute: int, tz: ZoneInfo) -> datetime:
    local = datetime.combine(day, time()) if minute == DAY else datetime.combine(day, time(minute // 60, minute % 60))
    if minute == DAY:
        local += timedelta(days=1)
    return local.replace(tzinfo=tz).astimezone(timezone.utc)


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("a calendar works with aware datetimes only")
    return moment.astimezone(timezone.utc)


def add(cal: Calendar, start: datetime, minutes: float) -> datetime:
    """The moment `minutes` of working time after `start` (a start in closed time begins at the next opening)."""
    start = _aware(start)
    if minutes < 0:
        raise ValueError("working time to add cannot be negative")
    if cal.always:
        return start + timedelta(minutes=minutes)
    left = timedelta(minutes=minutes)
    day = start.astimezone(cal.tz).date()
    for _ in range(MAX_DAYS):
        for begin, end in cal.spans(day):
            if end <= start:
                continue
            begin = max(begin, start)
            if left <= end - begin:
                return begin + left
            left -= end - begin
        day += timedelta(days=1)
    raise ValueError(f"calendar {cal.name} has no working time in {MAX_DAYS} days")


def next_open(cal: Calendar, moment: datetime) -> datetime:
    """The moment itself when the calendar is open then, else the next opening."""
    moment = _aware(moment)
    if cal.always:
        return moment
    day = moment.astimezone(cal.tz).date()
    for _ in range(MAX_DAYS):
        for begin, end in cal.spans(day):
            if end > moment:
                return max(begin, moment)
        day += timedelta(days=1)
    raise ValueError(f"calendar {cal.name} has no working time in {MAX_DAYS} days")


def add_days(cal: Calendar, start: datetime, days: int) -> datetime:
    """`days` working days after `start`: the same local time of day on the `days`-th working day after the day the
    clock starts (at the next opening when `start` is closed); on a day with shorter hours, the end of the last
    interval that began before that time (or its first opening)."""
    if days < 0:
        raise ValueError("working days to add cannot be negative")
    start = next_open(cal, start)
    if cal.always:
        return start + timedelta(days=days)
    local = start.astimezone(cal.tz)
    minute = local.hour * 60 + local.minute
    day, left = local.date(), days
    for _ in range(MAX_DAYS):
        if not left:
            break
        day += timedelta(days=1)
        left -= bool(cal.hours(day))
    else:
        raise ValueError(f"calendar {cal.name} has no working day in {MAX_DAYS} days")
    hours = cal.hours(day)
    inside = [(s, e) for s, e in hours if s <= minute <= e]
    if inside:
        return _at(day, minute, cal.tz) + timedelta(seconds=local.second, microseconds=local.microsecond)
    earlier = [(s, e) for s, e in hours if s < minute]
    return _at(day, earlier[-1][1], cal.tz) if earlier else _at(day, hours[0][0], cal.tz)


def between(cal: Calendar, a: datetime, b: datetime) -> float:
    """Working minutes from `a` to `b` (0 when b <= a)."""
    a, b = _aware(a), _aware(b)
    if b <= a:
        return 0.0
    if cal.always:
        return (b - a).total_seconds() / 60
    total = timedelta()
    day, last = a.astimezone(cal.tz).date(), b.astimezone(cal.tz).date()
    while day <= last:
        for begin, end in cal.spans(day):
            lo, hi = max(begin, a), min(end, b)
            if hi > lo:
                total += hi - lo
        day += timedelta(days=1)
    return total.total_seconds() / 60


def is_open(cal: Calendar, moment: datetime) -> bool:
    """Whether the calendar is open at `moment` (an interval's end counts as open: a deadline may fall there)."""
    moment = _aware(moment)
    if cal.always:
        return True
    day = moment.astimezone(cal.tz).date()
    return any(begin <= moment <= end for d in (day - timedelta(days=1), day) for begin, end in cal.spans(d))


ALWAYS = Calendar("24/7", always=True)


def from_spec(spec) -> Calendar:
    """The calendar a configuration's `calendars[]` entry describes (None or the name "24/7": ALWAYS)."""
    if spec is None or spec.always:
        return ALWAYS
    return _built(spec.name, spec.timezone, spec.week(), spec.country, frozenset(spec.closed),
                  tuple(sorted(spec.opened().items())), spec.short_before_holiday)


@lru_cache(maxsize=64)
def _built(name, zone, week, country, closed, opened, short) -> Calendar:
    return Calendar(name, zone, week, country, closed, dict(opened), short)
