"""Business calendars: worked examples from the seeds' terms in the five countries, 24/7 across summer time, and
the properties every deadline has (never in closed time, monotonic, a target split in two sums to the whole)."""
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailbot.sla.calendar import ALWAYS, Calendar, add, add_days, between, is_open, next_open

H = 60
OFFICE = (((9 * H, 17 * H),),) * 5 + ((), ())  # MONEO: 09:00-17:00 on working days


def cal(country, zone, week=OFFICE, **kw) -> Calendar:
    return Calendar(f"office-{country}", zone, week, country, **kw)


def at(zone, *args) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(zone))


@pytest.mark.parametrize("country,zone,start,hours,due", [
    # Latvia: Tuesday 17 Nov 2026 15:00 + 4 h; the 18th is Proclamation Day -> Thursday 11:00
    ("LV", "Europe/Riga", (2026, 11, 17, 15, 0), 4, (2026, 11, 19, 11, 0)),
    # Lithuania: Wednesday 23 Dec 15:00 + 4 h; 24, 25, 26 Dec are holidays, then the weekend -> Monday 28th 11:00
    ("LT", "Europe/Vilnius", (2026, 12, 23, 15, 0), 4, (2026, 12, 28, 11, 0)),
    # Romania: Friday 27 Nov 16:00 + 2 h; 30 Nov (St Andrew) and 1 Dec (National Day) -> Wednesday 2 Dec 10:00
    ("RO", "Europe/Bucharest", (2026, 11, 27, 16, 0), 2, (2026, 12, 2, 10, 0)),
    # Slovakia: Friday 28 Aug 16:30 + 1 h; Saturday 29 Aug is a holiday anyway -> Monday 31 Aug 09:30
    ("SK", "Europe/Bratislava", (2026, 8, 28, 16, 30), 1, (2026, 8, 31, 9, 30)),
    # Russia: Friday 1 May 2026 is a holiday: Thursday 30 April 16:00 + 6 h = 1 h, then Monday 4 May 09:00 + 5 h
    ("RU", "Europe/Moscow", (2026, 4, 30, 16, 0), 6, (2026, 5, 4, 14, 0)),
])
def test_targets_cross_weekends_and_public_holidays(country, zone, start, hours, due):
    assert add(cal(country, zone), at(zone, *start), hours * H) == at(zone, *due)


def test_a_request_after_hours_starts_the_clock_at_the_next_opening():
    lv = cal("LV", "Europe/Riga")
    # Saturday evening: 30 minutes of working time end at Monday 09:30
    assert add(lv, at("Europe/Riga", 2026, 12, 5, 20, 0), 30) == at("Europe/Riga", 2026, 12, 7, 9, 30)
    assert next_open(lv, at("Europe/Riga", 2026, 12, 5, 20, 0)) == at("Europe/Riga", 2026, 12, 7, 9, 0)


def test_working_days_keep_the_time_of_day():
    # Platphorma "Tip 0": 15 working days; Romania's 30 Nov and 1 Dec are holidays
    ro = cal("RO", "Europe/Bucharest", week=(((8 * H + 30, 16 * H + 30),),) * 5 + ((), ()))
    assert add_days(ro, at("Europe/Bucharest", 2026, 11, 20, 10, 15), 15) == at("Europe/Bucharest", 2026, 12, 15, 10, 15)


def test_days_may_differ_and_a_day_may_have_several_intervals():
    week = (((8 * H, 12 * H), (13 * H, 17 * H)),) * 4 + (((8 * H, 14 * H),), (), ())  # lunch break; short Friday
    lv = cal("LV", "Europe/Riga", week=week)
    # Friday 4 Dec 13:00 + 3 h: one hour on Friday, then Monday 08:00 + 2 h
    assert add(lv, at("Europe/Riga", 2026, 12, 4, 13, 0), 3 * H) == at("Europe/Riga", 2026, 12, 7, 10, 0)
    # Monday 11:30 + 1 h: half an hour before lunch, half after
    assert add(lv, at("Europe/Riga", 2026, 12, 7, 11, 30), H) == at("Europe/Riga", 2026, 12, 7, 13, 30)
    # 15 working days from a Monday 15:00 end on a Friday: the end of that Friday's hours
    assert add_days(lv, at("Europe/Riga", 2026, 12, 7, 15, 0), 4) == at("Europe/Riga", 2026, 12, 11, 14, 0)


def test_the_shorter_day_before_a_public_holiday():
    lv = cal("LV", "Europe/Riga", short_before_holiday=True)
    # Tuesday 17 Nov (before Proclamation Day) ends at 16:00 instead of 17:00
    assert add(lv, at("Europe/Riga", 2026, 11, 17, 15, 0), H) == at("Europe/Riga", 2026, 11, 17, 16, 0)
    assert add(lv, at("Europe/Riga", 2026, 11, 17, 15, 0), 2 * H) == at("Europe/Riga", 2026, 11, 19, 10, 0)
    assert add(cal("LV", "Europe/Riga"), at("Europe/Riga", 2026, 11, 17, 15, 0), 2 * H) == \
        at("Europe/Riga", 2026, 11, 17, 17, 0)


def test_extra_closed_and_open_dates():
    lv = cal("LV", "Europe/Riga", closed=frozenset({date(2026, 12, 7)}),
             opened={date(2026, 12, 5): ((10 * H, 14 * H),)})
    # Friday 16:00 + 2 h: one hour Friday, Saturday opened 10:00-14:00 -> Saturday 11:00; Monday is closed
    assert add(lv, at("Europe/Riga", 2026, 12, 4, 16, 0), 2 * H) == at("Europe/Riga", 2026, 12, 5, 11, 0)
    assert add(lv, at("Europe/Riga", 2026, 12, 5, 13, 0), 2 * H) == at("Europe/Riga", 2026, 12, 8, 10, 0)


def test_24_7_is_real_elapsed_time_across_summer_time():
    # Europe/Riga goes from 04:00 back to 03:00 on 25 October 2026: 4 hours from 01:00 is 04:00 local, not 05:00
    start = at("Europe/Riga", 2026, 10, 25, 1, 0)
    due = add(ALWAYS, start, 4 * H)
    assert due - start == timedelta(hours=4)
    assert due.astimezone(ZoneInfo("Europe/Riga")).hour == 4
    # and a business calendar's hours stay wall-clock hours on that day's Monday
    lv = cal("LV", "Europe/Riga")
    assert add(lv, at("Europe/Riga", 2026, 10, 23, 16, 0), 2 * H) == at("Europe/Riga", 2026, 10, 26, 10, 0)


def test_a_calendar_without_hours_is_refused():
    with pytest.raises(ValueError, match="no working hours"):
        Calendar("empty", "Europe/Riga", ((),) * 7)


CALENDARS = [ALWAYS, cal("LV", "Europe/Riga"), cal("RU", "Europe/Moscow", short_before_holiday=True),
             cal("LT", "Europe/Vilnius", week=(((8 * H, 12 * H), (13 * H, 17 * H)),) * 4 + (((8 * H, 14 * H),), (), ()))]
moments = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31),
                       timezones=st.just(timezone.utc))
spans = st.integers(1, 60 * 24 * 10)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(CALENDARS), moments, spans)
def test_a_deadline_is_never_in_closed_time(c, start, minutes):
    assert is_open(c, add(c, start, minutes))


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(CALENDARS), moments, spans, spans, st.integers(0, 60 * 24 * 5))
def test_adding_time_is_monotonic(c, start, a, b, later):
    assert add(c, start, min(a, b)) <= add(c, start, max(a, b))
    assert add(c, start, a) <= add(c, start + timedelta(minutes=later), a)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(CALENDARS), moments, spans, spans)
def test_a_target_split_in_two_sums_to_the_whole(c, start, a, b):
    assert add(c, add(c, start, a), b) == add(c, start, a + b)
    assert round(between(c, start, add(c, start, a + b))) == a + b


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(CALENDARS), moments, st.integers(0, 25))
def test_working_days_land_in_open_time(c, start, days):
    assert is_open(c, add_days(c, start, days))


def test_reopening_resumes_the_resolution_clock_and_waiting_pauses_it():
    from mailbot.sla.clocks import PAUSED, RUNNING, STOPPED, resolution
    lv = cal("LV", "Europe/Riga")
    t = lambda *a: at("Europe/Riga", 2026, 12, *a)  # noqa: E731 - Monday 7 December 2026 onwards
    created = t(7, 9, 0)
    # 2 h of work, resolved Monday 11:00; reopened Tuesday 09:00; waiting from 10:00 to Wednesday 09:00; 4 h target
    history = [(t(7, 11, 0), "resolved"), (t(8, 9, 0), "open"), (t(8, 10, 0), "waiting"), (t(9, 9, 0), "open")]
    clock = resolution(lv, "4h", created, history[:1], t(7, 12, 0))
    assert (clock.state, clock.met, round(clock.used)) == (STOPPED, True, 120)
    clock = resolution(lv, "4h", created, history[:2], t(8, 9, 30))
    assert (clock.state, clock.due, round(clock.used)) == (RUNNING, t(8, 11, 0), 150)  # reopened: 2 h left
    clock = resolution(lv, "4h", created, history[:3], t(8, 15, 0))
    assert (clock.state, clock.due, round(clock.used)) == (PAUSED, None, 180)  # waiting: it does not move
    clock = resolution(lv, "4h", created, history, t(9, 9, 0))
    assert (clock.state, clock.due) == (RUNNING, t(9, 10, 0))  # the hour left, from Wednesday's answer
