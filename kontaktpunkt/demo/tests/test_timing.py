"""Time tables of the demo world (kontaktpunkt/demo/timing.py)."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from kontaktpunkt.core.business_time import ScheduleSpec, is_open_at, weekly_rules
from kontaktpunkt.demo import patterns
from kontaktpunkt.demo.timing import clock_chunks, schedule_chunks, snow_days, table_build

TZ = ZoneInfo("Europe/Berlin")
START = datetime(2025, 1, 1, tzinfo=TZ)
END = datetime(2026, 1, 1, tzinfo=TZ)
DESK = ScheduleSpec(
    rules=weekly_rules(range(5), time(10), time(20)) + weekly_rules([5], time(10), time(18)),
    state="NW",
)


def test_samples_from_a_schedule_lie_in_its_opening_hours() -> None:
    table = table_build(
        schedule_chunks(DESK, START, END, TZ),
        hours=patterns.HOURS_DESK,
        weekdays=patterns.WEEK_DESK,
        months=patterns.SEASON_BASE,
    )
    rng = random.Random(1)
    for _ in range(2000):
        moment = table.sample(rng)
        assert START <= moment < END
        assert is_open_at(DESK, moment, TZ)


def test_a_desk_takes_nothing_on_sundays_and_public_holidays() -> None:
    chunks = schedule_chunks(DESK, START, END, TZ)
    days = {chunk.day for chunk in chunks}
    assert not any(day.weekday() == 6 for day in days)
    assert date(2025, 12, 25) not in days
    assert date(2025, 10, 3) not in days


def test_clock_chunks_cover_the_year_hour_by_hour_across_daylight_saving() -> None:
    chunks = clock_chunks(START, END, TZ)
    assert len(chunks) == 365 * 24
    assert sum((c.end - c.start).total_seconds() for c in chunks) == 365 * 24 * 3600


def test_evening_patterns_put_more_concerns_on_summer_weekend_evenings() -> None:
    hours, weekdays, months = patterns.PROFILES["evening"]
    table = table_build(clock_chunks(START, END, TZ), hours=hours, weekdays=weekdays, months=months)
    rng = random.Random(2)
    samples = [table.sample(rng).astimezone(TZ) for _ in range(5000)]
    by_month = Counter(s.month for s in samples)
    by_hour = Counter(s.hour for s in samples)
    by_day = Counter(s.weekday() for s in samples)
    assert by_month[7] > 2 * by_month[1]
    assert by_hour[21] > 3 * by_hour[5]
    assert by_day[5] > by_day[1]


def test_snow_falls_only_in_winter_months() -> None:
    days = snow_days(random.Random(3), 2025, 10)
    assert len(days) == 10
    assert {day.month for day in days} <= {1, 2, 12}
