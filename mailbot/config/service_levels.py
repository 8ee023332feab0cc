"""Service levels as configured: business calendars, the targets a plan sells, and the warnings about them.

```yaml
calendars:
  - name: moneo
    timezone: Europe/Riga
    country: LV                        # its public holidays are closed days
    hours: {mon-thu: "09:00-17:00", fri: ["09:00-12:00", "13:00-16:00"]}
    closed: [2026-12-31]
    open: {2026-12-27: "10:00-14:00"}
    short_before_holiday: true         # LV, LT, RU labour law: one hour less before a public holiday
plans:
  - name: moneo-fast-4h
    calendar: moneo                    # default: 24/7 (real elapsed time)
    targets: {response: 4h, resolution: 2d, changes: 48h}
    priorities: {P1: {response: 30m, resolution: 4h}}
    emergencies: true                  # "urgent", "steidzami", "срочно" ... raise the urgency
sla: {warn_at: 0.75}
```

Durations: `30m`, `6h` (working hours of the plan's calendar), `15wd` (working days: the same time of day that
many working days later); `2d` is two days — working days on a business calendar, 48 hours on 24/7. The
calendar itself is built by `mailbot.sla.calendar` (pure); here it is only read and checked.
"""
from __future__ import annotations

import re
from datetime import date

from pydantic import Field, field_validator, model_validator

from mailbot.config.base import Strict, zone_name

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SPAN = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
_DURATION = re.compile(r"^\s*(\d+)\s*(m|min|h|d|wd)\s*$")
ALWAYS_NAME = "24/7"
LIMITS = {"m": 60 * 2000, "h": 2000, "d": 250, "wd": 250}  # about a working year
PRIORITIES = ("P1", "P2", "P3", "P4")


def intervals(value, where: str) -> tuple[tuple[int, int], ...]:
    """"09:00-17:00" or a list of them -> ((540, 1020), ...), minutes after midnight, in order, not overlapping."""
    spans = [value] if isinstance(value, str) else list(value or ())
    out = []
    for span in spans:
        m = _SPAN.match(str(span))
        if not m:
            raise ValueError(f"{where}: {span!r} is not a span of time like 09:00-17:00")
        start, end = int(m[1]) * 60 + int(m[2]), int(m[3]) * 60 + int(m[4])
        if not (0 <= start < end <= 24 * 60) or int(m[2]) > 59 or int(m[4]) > 59:
            raise ValueError(f"{where}: {span!r} must start before it ends, within one day (up to 24:00)")
        out.append((start, end))
    out.sort()
    if any(a[1] > b[0] for a, b in zip(out, out[1:])):
        raise ValueError(f"{where}: the spans overlap")
    return tuple(out)


def _days(key: str) -> list[int]:
    key = key.strip().lower()
    if key in ("all", "daily"):
        return list(range(7))
    if "-" in key:
        first, _, last = key.partition("-")
        if first in DAYS and last in DAYS and DAYS.index(first) <= DAYS.index(last):
            return list(range(DAYS.index(first), DAYS.index(last) + 1))
    if key in DAYS:
        return [DAYS.index(key)]
    raise ValueError(f"{key!r} is not a day (mon ... sun), a range (mon-fri) or all")


class CalendarSpec(Strict):
    name: str
    timezone: str = "UTC"
    country: str | None = Field(None, pattern=r"^[A-Z]{2}$")
    hours: dict[str, str | list[str]] = Field(default_factory=dict)
    closed: tuple[date, ...] = ()
    open: dict[date, str | list[str]] = Field(default_factory=dict)
    short_before_holiday: bool = False
    always: bool = False  # 24/7: every moment counts

    @field_validator("timezone")
    @classmethod
    def _zone(cls, v):
        return zone_name(v)

    @model_validator(mode="after")
    def _check(self):
        self.week()  # every key and span must read
        for day, spans in self.open.items():
            intervals(spans, f"open.{day}")
        if not self.always and not any(self.week()):
            raise ValueError(f"calendar {self.name} has no weekly working hours: give hours, or always: true")
        if self.country is not None:
            import holidays
            try:
                holidays.country_holidays(self.country, years=2026)
            except NotImplementedError as exc:
                raise ValueError(f"no public-holiday calendar for country {self.country!r}") from exc
        return self

    def week(self) -> tuple[tuple[tuple[int, int], ...], ...]:
        week: list[tuple] = [()] * 7
        for key, spans in self.hours.items():
            for day in _days(key):
                week[day] = intervals(spans, f"hours.{key}")
        return tuple(week)

    def opened(self) -> dict[date, tuple[tuple[int, int], ...]]:
        return {day: intervals(spans, f"open.{day}") for day, spans in self.open.items()}


class Targets(Strict):
    """What a plan promises, in working time of its calendar: first response, resolution, and for a category of
    changes (new functions, Platphorma's "modificări") the time to carry them out."""
    response: str | None = None  # default: the plan's reaction_time
    resolution: str | None = None
    changes: str | None = None
    changes_categories: tuple[str, ...] = ("changes", "programming")

    @field_validator("response", "resolution", "changes")
    @classmethod
    def _duration(cls, v):
        if v is not None and not _DURATION.match(str(v)):
            raise ValueError("use a number and a unit: 30m, 6h, 2d or 15wd (working days)")
        if v is not None:
            n, unit = duration(str(v))
            if n > LIMITS[unit]:
                raise ValueError(f"{v}: at most {LIMITS[unit]}{unit} (a target beyond a year is no promise)")
        return None if v is None else str(v).strip()


def duration(text: str) -> tuple[int, str]:
    """"30m" -> (30, "m"); "6h" -> (6, "h"); "15wd" -> (15, "wd"); "2d" -> (2, "d")."""
    n, unit = _DURATION.match(text).groups()
    return int(n), {"min": "m"}.get(unit, unit)


class ServiceLevels(Strict):
    """When the scheduled check warns: at this share of a target (the assignee, or the dispatchers), and at breach
    (the dispatchers and heads); a daily digest of what falls due that day; reminders to clients who keep a
    ticket waiting (off unless set)."""
    warn_at: float = Field(0.75, gt=0, lt=1)
    check_minutes: int = Field(5, ge=1, le=60)
    digest_hour: int | None = Field(8, ge=0, le=23)  # local time of the tickets' zone; None: no digest
    urgent_words: tuple[str, ...] = ("urgent", "steidzami", "steidzams", "skubu", "skubus", "skubiai", "urgentă",
                                     "naliehavé", "súrne", "срочно", "срочный")
    matrix: dict[str, dict[str, str]] | None = None  # impact -> urgency -> P1..P4 (default: mailbot.tickets.priority)
    # A ticket waiting for the client's answer: remind the client after this many days, close it after this many
    # (counted from when it began to wait; both off unless set).
    remind_waiting_days: int | None = Field(None, ge=1)
    close_waiting_days: int | None = Field(None, ge=1)

    @field_validator("matrix")
    @classmethod
    def _matrix(cls, v):
        if v is None:
            return v
        levels = ("high", "medium", "low")
        for impact, row in v.items():
            if impact not in levels or set(row) != set(levels) or any(p not in PRIORITIES for p in row.values()):
                raise ValueError("matrix: impact high|medium|low -> {high, medium, low: P1..P4}, every cell given")
        if set(v) != set(levels):
            raise ValueError("matrix: give the rows high, medium and low")
        return v
