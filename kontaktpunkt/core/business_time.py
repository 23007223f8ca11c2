"""The business-time calendar: when a schedule is open, and deadlines counted in its open hours.

Everything here is pure and works on `ScheduleSpec`, a plain frozen value built from the ORM rows
by `kontaktpunkt.core.selectors.schedule_spec`. Opening times are local wall-clock times; every
computation across days turns each day's opening intervals into absolute (UTC) instants first, so
a day with a daylight-saving change counts the hours that really passed (23 or 25 hours for a
day that is open around the clock). A wall-clock time that does not exist on the day the clocks
go forward is read as `datetime` reads it, with the offset from before the change (02:30 becomes
03:30 summer time).

A spec memoises the intervals of the days it was asked about, so a deadline costs a few dict
look-ups per calendar day once a day has been seen.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from kontaktpunkt.core.holidays import check_state, is_public_holiday

Interval = tuple[time, time]
_Instants = tuple[tuple[datetime, datetime], ...]

# Give up looking for the next opening after this many days without any.
SEARCH_LIMIT_DAYS = 5 * 366
_ONE_DAY = timedelta(days=1)
_ONE_HOUR = timedelta(hours=1)
_CACHE_LIMIT = 4096


def _check_interval(opens: time, closes: time) -> None:
    if opens.tzinfo is not None or closes.tzinfo is not None:
        raise ValueError("Opening times are local wall-clock times and must not carry a tzinfo.")
    if not opens < closes:
        raise ValueError(f"An opening must close after it opens, got {opens}-{closes}.")


@dataclass(frozen=True, slots=True)
class WeeklyRule:
    """Open on `weekday` (0 = Monday) from `opens` to `closes`.

    Only in `months` (1-12; empty means all year) and between `valid_from` and `valid_until`
    (both inclusive, open-ended when None).
    """

    weekday: int
    opens: time
    closes: time
    months: frozenset[int] = frozenset()
    valid_from: date | None = None
    valid_until: date | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), got {self.weekday}.")
        _check_interval(self.opens, self.closes)
        if not isinstance(self.months, frozenset):
            object.__setattr__(self, "months", frozenset(self.months))
        if any(not 1 <= month <= 12 for month in self.months):
            raise ValueError(f"months must lie in 1-12, got {sorted(self.months)}.")

    def holds_on(self, day: date) -> bool:
        return (
            day.weekday() == self.weekday
            and (not self.months or day.month in self.months)
            and (self.valid_from is None or self.valid_from <= day)
            and (self.valid_until is None or day <= self.valid_until)
        )


@dataclass(frozen=True, slots=True)
class DatedOpening:
    """An extra opening on one day (a dialogue day at a market), in addition to the weekly rules."""

    day: date
    opens: time
    closes: time

    def __post_init__(self) -> None:
        _check_interval(self.opens, self.closes)


@dataclass(frozen=True, slots=True)
class DatedClosure:
    """Closed all day, whatever the rules and dated openings say."""

    day: date


@dataclass(frozen=True, kw_only=True)
class ScheduleSpec:
    """A schedule as a plain value: weekly rules, dated exceptions and the holiday calendar."""

    rules: tuple[WeeklyRule, ...]
    openings: tuple[DatedOpening, ...] = ()
    closures: tuple[DatedClosure, ...] = ()
    closed_on_public_holidays: bool = True
    state: str

    _by_weekday: tuple[tuple[WeeklyRule, ...], ...] = field(init=False, repr=False, compare=False)
    _closed: frozenset[date] = field(init=False, repr=False, compare=False)
    _extra: Mapping[date, tuple[Interval, ...]] = field(init=False, repr=False, compare=False)
    _local_cache: dict[date, tuple[Interval, ...]] = field(init=False, repr=False, compare=False)
    _instant_cache: dict[tuple[date, ZoneInfo], _Instants] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        check_state(self.state)
        for name in ("rules", "openings", "closures"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        by_weekday = tuple(
            tuple(rule for rule in self.rules if rule.weekday == weekday) for weekday in range(7)
        )
        extra: dict[date, tuple[Interval, ...]] = {}
        for opening in self.openings:
            extra[opening.day] = (*extra.get(opening.day, ()), (opening.opens, opening.closes))
        object.__setattr__(self, "_by_weekday", by_weekday)
        object.__setattr__(self, "_closed", frozenset(closure.day for closure in self.closures))
        object.__setattr__(self, "_extra", extra)
        object.__setattr__(self, "_local_cache", {})
        object.__setattr__(self, "_instant_cache", {})


def weekly_rules(
    weekdays: Iterable[int],
    opens: time,
    closes: time,
    *,
    months: Iterable[int] = (),
    valid_from: date | None = None,
    valid_until: date | None = None,
) -> tuple[WeeklyRule, ...]:
    """The same opening hours on several weekdays: ``weekly_rules(range(5), time(8), time(16))``."""
    month_set = frozenset(months)
    return tuple(
        WeeklyRule(weekday, opens, closes, month_set, valid_from, valid_until)
        for weekday in weekdays
    )


def _merge(intervals: list[Interval]) -> tuple[Interval, ...]:
    """Sort and merge overlapping or touching intervals."""
    if len(intervals) < 2:
        return tuple(intervals)
    intervals.sort()
    merged = [intervals[0]]
    for opens, closes in intervals[1:]:
        last_opens, last_closes = merged[-1]
        if opens <= last_closes:
            merged[-1] = (last_opens, max(last_closes, closes))
        else:
            merged.append((opens, closes))
    return tuple(merged)


def _compute_local(spec: ScheduleSpec, day: date) -> tuple[Interval, ...]:
    if day in spec._closed:
        return ()
    intervals: list[Interval] = []
    if not (spec.closed_on_public_holidays and is_public_holiday(day, spec.state)):
        intervals = [
            (rule.opens, rule.closes)
            for rule in spec._by_weekday[day.weekday()]
            if rule.holds_on(day)
        ]
    intervals.extend(spec._extra.get(day, ()))
    return _merge(intervals)


def _local_intervals(spec: ScheduleSpec, day: date) -> tuple[Interval, ...]:
    cache = spec._local_cache
    intervals = cache.get(day)
    if intervals is None:
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        intervals = cache[day] = _compute_local(spec, day)
    return intervals


def _compute_instants(spec: ScheduleSpec, day: date, tz: ZoneInfo) -> _Instants:
    instants: list[tuple[datetime, datetime]] = []
    for opens, closes in _local_intervals(spec, day):
        start = datetime.combine(day, opens, tzinfo=tz).astimezone(UTC)
        end = datetime.combine(day, closes, tzinfo=tz).astimezone(UTC)
        # Around a skipped hour two wall-clock intervals can map onto overlapping instants.
        if instants and start < instants[-1][1]:
            start = instants[-1][1]
        if start < end:
            instants.append((start, end))
    return tuple(instants)


def _instants(spec: ScheduleSpec, day: date, tz: ZoneInfo) -> _Instants:
    """The day's opening intervals as (start, end) UTC instants, in order and disjoint."""
    cache = spec._instant_cache
    key = (day, tz)
    instants = cache.get(key)
    if instants is None:
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        instants = cache[key] = _compute_instants(spec, day, tz)
    return instants


def _require_aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got {moment!r}.")


def opening_intervals(spec: ScheduleSpec, day: date) -> list[tuple[time, time]]:
    """The local opening hours on `day`, sorted, overlapping ones merged.

    A dated closure closes the day. On a public holiday a schedule closed on public holidays
    ignores its weekly rules, but a dated opening on that day still opens. Dated openings add to
    the weekly rules.
    """
    return list(_local_intervals(spec, day))


def is_operating_day(spec: ScheduleSpec, day: date) -> bool:
    """Whether the schedule opens at all on `day`."""
    return bool(_local_intervals(spec, day))


def operating_days(spec: ScheduleSpec, start: date, end: date) -> list[date]:
    """The days from `start` to `end` (both inclusive) on which the schedule opens."""
    days = []
    day = start
    while day <= end:
        if _local_intervals(spec, day):
            days.append(day)
        day += _ONE_DAY
    return days


def is_open_at(spec: ScheduleSpec, moment: datetime, tz: ZoneInfo) -> bool:
    """Whether the schedule is open at `moment` (opening time included, closing time excluded)."""
    _require_aware(moment, "moment")
    instant = moment.astimezone(UTC)
    day = moment.astimezone(tz).date()
    return any(start <= instant < end for start, end in _instants(spec, day, tz))


def business_hours_between(
    spec: ScheduleSpec, start: datetime, end: datetime, tz: ZoneInfo
) -> float:
    """The open hours between two aware moments; negative when `end` lies before `start`."""
    _require_aware(start, "start")
    _require_aware(end, "end")
    if end < start:
        return -business_hours_between(spec, end, start, tz)
    lower, upper = start.astimezone(UTC), end.astimezone(UTC)
    day, last = start.astimezone(tz).date(), end.astimezone(tz).date()
    total = timedelta()
    while day <= last:
        for opens, closes in _instants(spec, day, tz):
            overlap = min(closes, upper) - max(opens, lower)
            if overlap > timedelta():
                total += overlap
        day += _ONE_DAY
    return total / _ONE_HOUR


def add_business_hours(spec: ScheduleSpec, start: datetime, hours: float, tz: ZoneInfo) -> datetime:
    """The moment at which `hours` open hours have passed since `start`, as an aware time in `tz`.

    Zero hours give `start` itself; a deadline that ends exactly at a closing time is that closing
    time, not the next opening. Raises `ValueError` for negative hours and when the schedule does
    not open for `SEARCH_LIMIT_DAYS` days in a row.
    """
    _require_aware(start, "start")
    if not math.isfinite(hours) or hours < 0:
        raise ValueError(f"hours must be a finite number >= 0, got {hours!r}.")
    remaining = timedelta(hours=hours)
    if not remaining:
        return start.astimezone(tz)
    lower = start.astimezone(UTC)
    day = start.astimezone(tz).date()
    give_up = day + timedelta(days=SEARCH_LIMIT_DAYS)
    while day <= give_up:
        instants = _instants(spec, day, tz)
        for opens, closes in instants:
            if closes <= lower:
                continue
            begin = max(opens, lower)
            available = closes - begin
            if remaining <= available:
                return (begin + remaining).astimezone(tz)
            remaining -= available
        if instants:
            give_up = day + timedelta(days=SEARCH_LIMIT_DAYS)
        day += _ONE_DAY
    since = give_up - timedelta(days=SEARCH_LIMIT_DAYS)
    raise ValueError(f"The schedule does not open in the {SEARCH_LIMIT_DAYS} days after {since}.")
