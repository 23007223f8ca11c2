"""When demo concerns arrive: weighted tables of time slots, sampled with a seeded random.Random.

A table is built from the hours a channel is open (an intake point's schedule, the order service's
service hours, or around the clock) and a pattern of hour of day, weekday and month. Sampling picks a
slot by weight and a second inside it, so a walk-in is always taken while its intake point is open.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from kontaktpunkt.core.business_time import ScheduleSpec, opening_intervals


@dataclass(frozen=True)
class Chunk:
    """An open stretch of at most one local hour: [start, end) as UTC instants."""

    start: datetime
    end: datetime
    day: date
    hour: int


class TimeTable:
    """Chunks with weights; `sample` draws an instant, weighted, uniform inside its chunk."""

    def __init__(self, chunks: Sequence[Chunk], weights: Sequence[float]) -> None:
        pairs = [(c, w) for c, w in zip(chunks, weights, strict=True) if w > 0]
        self.chunks = [c for c, _ in pairs]
        self.cumulative: list[float] = []
        total = 0.0
        for _, weight in pairs:
            total += weight
            self.cumulative.append(total)
        self.total = total

    def __bool__(self) -> bool:
        return self.total > 0

    def sample(self, rng: random.Random) -> datetime:
        if not self:
            raise ValueError("The time table is empty: nothing is open in the period.")
        i = min(bisect_right(self.cumulative, rng.random() * self.total), len(self.chunks) - 1)
        chunk = self.chunks[i]
        seconds = int((chunk.end - chunk.start).total_seconds())
        return chunk.start + timedelta(seconds=int(rng.random() * seconds))


def _days(start: date, end: date) -> Iterable[date]:
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


def clock_chunks(start: datetime, end: datetime, tz: ZoneInfo) -> list[Chunk]:
    """Hour-long chunks around the clock from `start` to `end` (aware), labelled in local time."""
    chunks = []
    moment = start.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    while moment < end:
        upper = min(moment + timedelta(hours=1), end)
        lower = max(moment, start)
        if lower < upper:
            local = lower.astimezone(tz)
            chunks.append(Chunk(lower, upper, local.date(), local.hour))
        moment += timedelta(hours=1)
    return chunks


def schedule_chunks(
    spec: ScheduleSpec, start: datetime, end: datetime, tz: ZoneInfo
) -> list[Chunk]:
    """The schedule's opening hours from `start` to `end`, cut at local full hours."""
    chunks = []
    for day in _days(start.astimezone(tz).date(), end.astimezone(tz).date()):
        for opens, closes in opening_intervals(spec, day):
            hour = opens.hour
            while hour < 24:
                lower_t = max(opens, time(hour))
                upper_t = closes if hour == 23 else min(closes, time(hour + 1))
                if lower_t >= upper_t:
                    break
                lower = max(datetime.combine(day, lower_t, tzinfo=tz).astimezone(UTC), start)
                upper = min(datetime.combine(day, upper_t, tzinfo=tz).astimezone(UTC), end)
                if lower < upper:
                    chunks.append(Chunk(lower, upper, day, hour))
                hour += 1
    return chunks


def table_build(
    chunks: Sequence[Chunk],
    *,
    hours: Sequence[float],
    weekdays: Sequence[float],
    months: Sequence[float],
    only_days: frozenset[date] | None = None,
) -> TimeTable:
    """Weight each chunk by its length and the hour, weekday and month patterns."""
    weights = []
    for chunk in chunks:
        if only_days is not None and chunk.day not in only_days:
            weights.append(0.0)
            continue
        length_h = (chunk.end - chunk.start).total_seconds() / 3600
        weights.append(
            length_h
            * hours[chunk.hour]
            * weekdays[chunk.day.weekday()]
            * months[chunk.day.month - 1]
        )
    return TimeTable(chunks, weights)


def snow_days(rng: random.Random, year: int, count: int) -> frozenset[date]:
    """A few spells of snow and ice in January, February and December."""
    days: set[date] = set()
    spells = [(1, 5), (2, 20), (12, 10)]
    rng.shuffle(spells)
    attempt = 0
    while len(days) < count and attempt < 100:
        month, around = spells[attempt % len(spells)]
        first = date(year, month, max(1, min(25, around + rng.randint(-4, 4))))
        for offset in range(rng.randint(2, 4)):
            if len(days) < count:
                days.add(first + timedelta(days=offset))
        attempt += 1
    return frozenset(days)
