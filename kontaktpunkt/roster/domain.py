"""The duty-roster domain as plain, typed, frozen dataclasses — no Django, no I/O.

People are referred to by their position in `Instance.staff` (0 … n-1) and days by their offset from
`Instance.start` (0 … n_days-1); `StaffMember.id` keeps the external id (personnel number, JSON id).
All durations are whole minutes.

A few calendar helpers live here too (blocks, weekdays, prorated free Sundays, rest conflicts,
contract minutes); the solver, the greedy rota and the metrics use them. The validator deliberately
does not: it derives every rule again from the raw instance data.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from enum import StrEnum
from functools import cached_property

MINUTES_PER_DAY = 24 * 60
SATURDAY = 5
SUNDAY = 6


class Qualification(StrEnum):
    TEAM_LEAD = "team_lead"
    DESK = "desk"
    DRIVER = "driver"


class Post(StrEnum):
    PATROL_PAIR = "patrol_pair"
    TEAM_LEAD = "team_lead"
    DESK = "desk"
    MOBILE = "mobile"


class AbsenceKind(StrEnum):
    LEAVE = "leave"
    SICKNESS = "sickness"
    TRAINING = "training"


class WishKind(StrEnum):
    DAY_OFF = "day_off"
    SHIFT = "shift"


@dataclass(frozen=True)
class ShiftType:
    """A shift of the day, e.g. early 06:00-14:00. An end at or before the start crosses midnight.

    A split shift (e.g. 08:00-12:00 and 16:00-20:00) runs from its first start to its last end with
    `unpaid_minutes` off in between: they count towards neither the hours nor the daily maximum.
    """

    code: str
    name: str
    start: time
    end: time
    late: bool = False
    unpaid_minutes: int = 0

    @property
    def start_minute(self) -> int:
        return self.start.hour * 60 + self.start.minute

    @property
    def end_minute(self) -> int:
        """Minutes after the start of the shift's day; above 1440 when the shift crosses midnight."""
        end = self.end.hour * 60 + self.end.minute
        return end if end > self.start_minute else end + MINUTES_PER_DAY

    @property
    def minutes(self) -> int:
        """Working minutes: from start to end, less the unpaid gap of a split shift."""
        return self.end_minute - self.start_minute - self.unpaid_minutes


@dataclass(frozen=True)
class StaffMember:
    id: str
    name: str
    weekly_minutes: int
    qualifications: frozenset[Qualification] = frozenset()

    @property
    def is_team_lead(self) -> bool:
        return Qualification.TEAM_LEAD in self.qualifications


@dataclass(frozen=True)
class ShiftDemand:
    """Staff wanted on one shift of one day: a hard minimum, a soft target, team leads among them.

    `posts` says what the minimum is made of (patrol pairs, desk, Mobile Wache, team lead); posts are
    filled from the people on the shift after the solve. Everybody beyond the special posts walks
    the patrol, in pairs: the people on a shift minus `special_posts` must be even.
    """

    minimum: int
    target: int
    team_leads: int = 1
    posts: tuple[tuple[Post, int], ...] = ()

    def wanted(self, post: Post) -> int:
        """How many people the post needs; the team-lead posts are `team_leads`."""
        if post is Post.TEAM_LEAD:
            return self.team_leads
        return dict(self.posts).get(post, 0)

    @property
    def special_posts(self) -> int:
        """People on the posts other than the patrol: team leads, desk, Mobile Wache."""
        return sum(self.wanted(post) for post in (Post.TEAM_LEAD, Post.DESK, Post.MOBILE))

    @property
    def pairs_minimum(self) -> int:
        """Patrol pairs at least: the people of the minimum beyond the special posts, rounded up
        to whole pairs."""
        return max(0, -(-(self.minimum - self.special_posts) // 2))


@dataclass(frozen=True)
class Absence:
    """A day away. It is credited `credit_minutes` towards the contract hours; without them a
    weekday is credited what it is worth (weekly minutes / workdays per week) and a weekend day
    nothing. A sick call on a planned day credits the planned shift (continued-pay principle)."""

    person: int
    day: int
    kind: AbsenceKind = AbsenceKind.LEAVE
    credit_minutes: int | None = None


@dataclass(frozen=True)
class Wish:
    """A day off, or (kind SHIFT) no other shift than `shift` on that day."""

    person: int
    day: int
    kind: WishKind = WishKind.DAY_OFF
    shift: str | None = None


@dataclass(frozen=True)
class CarryIn:
    """A person's state on the day before the horizon: the last shift and the run of working days."""

    last_shift: str | None = None
    consecutive_days: int = 0


@dataclass(frozen=True)
class Rules:
    """Working-time rules. Contract minutes of a block are the person's weekly minutes divided by
    `workdays_per_week` for every weekday (Monday-Friday) of the block; absences are credited (see
    Absence)."""

    block_days: int = 28
    hours_tolerance_minutes: int = 480
    max_consecutive_days: int = 6
    free_sundays_per_year: int = 15
    sundays_per_year: int = 52
    min_rest_minutes: int = 11 * 60
    max_daily_minutes: int = 10 * 60
    workdays_per_week: int = 5
    full_time_weekly_minutes: int = 39 * 60


@dataclass(frozen=True)
class Instance:
    """A roster problem: who, which shifts, how many on each, who is away, who wishes what and who
    would rather walk the patrol with whom."""

    name: str
    start: date
    n_days: int
    staff: tuple[StaffMember, ...]
    shift_types: tuple[ShiftType, ...]
    demand: tuple[tuple[ShiftDemand, ...], ...]  # [day][index into shift_types]
    absences: tuple[Absence, ...] = ()
    wishes: tuple[Wish, ...] = ()
    history: tuple[CarryIn, ...] = ()  # per person; empty means nobody worked before day 0
    rules: Rules = field(default_factory=Rules)
    partners: tuple[tuple[int, int], ...] = ()  # (person, preferred patrol partner): a soft goal

    def date_of(self, day: int) -> date:
        return self.start + timedelta(days=day)

    def shift(self, code: str) -> ShiftType:
        return self.shift_types[self.shift_codes.index(code)]

    @cached_property
    def shift_codes(self) -> tuple[str, ...]:
        return tuple(s.code for s in self.shift_types)

    def carry_in(self, person: int) -> CarryIn:
        return self.history[person] if self.history else CarryIn()

    @cached_property
    def absent(self) -> dict[tuple[int, int], Absence]:
        """(person, day) → the absence (the first one given for that day)."""
        found: dict[tuple[int, int], Absence] = {}
        for a in self.absences:
            found.setdefault((a.person, a.day), a)
        return found

    @cached_property
    def team_leads(self) -> tuple[int, ...]:
        return tuple(p for p, s in enumerate(self.staff) if s.is_team_lead)


@dataclass(frozen=True, order=True)
class Assignment:
    person: int
    day: int
    shift: str


@dataclass(frozen=True)
class Roster:
    """Assignments of people to shifts. It may break rules (edited by hand, imported): the validator
    says which."""

    assignments: tuple[Assignment, ...]

    @classmethod
    def from_grid(cls, grid: Mapping[tuple[int, int], str]) -> Roster:
        return cls(tuple(sorted(Assignment(p, d, s) for (p, d), s in grid.items())))

    @cached_property
    def grid(self) -> dict[tuple[int, int], str]:
        """(person, day) → shift code; with two shifts on a day the later one in the tuple wins."""
        return {(a.person, a.day): a.shift for a in self.assignments}

    def shift_of(self, person: int, day: int) -> str | None:
        return self.grid.get((person, day))


# Calendar helpers ---------------------------------------------------------------------------------


def block_ranges(n_days: int, block_days: int) -> tuple[range, ...]:
    """Aligned blocks of `block_days` from day 0; a shorter remainder is merged into the last block."""
    if n_days <= block_days:
        return (range(n_days),)
    starts = list(range(0, n_days - block_days + 1, block_days))
    ends = [*starts[1:], n_days]
    return tuple(range(a, b) for a, b in zip(starts, ends, strict=True))


def weekday(instance: Instance, day: int) -> int:
    """0 = Monday … 6 = Sunday."""
    return instance.date_of(day).weekday()


def is_sunday(instance: Instance, day: int) -> bool:
    return weekday(instance, day) == SUNDAY


def is_weekend(instance: Instance, day: int) -> bool:
    return weekday(instance, day) >= SATURDAY


def is_workday(instance: Instance, day: int) -> bool:
    return weekday(instance, day) < SATURDAY


def sundays(instance: Instance, days: Iterable[int]) -> list[int]:
    return [d for d in days if is_sunday(instance, d)]


def free_sundays_required(rules: Rules, sunday_count: int) -> int:
    """round(free_sundays_per_year x Sundays / Sundays per year), halves rounded up."""
    return math.floor(rules.free_sundays_per_year * sunday_count / rules.sundays_per_year + 0.5)


def weekday_minutes(instance: Instance, person: int) -> int:
    """What one weekday is worth for the person (39 h a week: 468 minutes)."""
    return instance.staff[person].weekly_minutes // instance.rules.workdays_per_week


def contract_minutes(instance: Instance, person: int, days: Iterable[int]) -> int:
    return weekday_minutes(instance, person) * sum(1 for d in days if is_workday(instance, d))


def absence_credit_minutes(instance: Instance, person: int, days: Iterable[int]) -> int:
    """Minutes credited for absences on the days (see Absence)."""
    per_weekday = weekday_minutes(instance, person)
    total = 0
    for d in days:
        absence = instance.absent.get((person, d))
        if absence is None:
            continue
        if absence.credit_minutes is not None:
            total += absence.credit_minutes
        elif is_workday(instance, d):
            total += per_weekday
    return total


def rest_conflicts(instance: Instance) -> frozenset[tuple[str, str]]:
    """(first, second) shift codes that may not follow each other on consecutive days."""
    rest = instance.rules.min_rest_minutes
    return frozenset(
        (a.code, b.code)
        for a in instance.shift_types
        for b in instance.shift_types
        if b.start_minute + MINUTES_PER_DAY - a.end_minute < rest
    )


def fully_available(instance: Instance, days: range) -> tuple[int, ...]:
    """Full-time people with no absence on any of the days: they are compared for fairness."""
    absent = instance.absent
    full = instance.rules.full_time_weekly_minutes
    return tuple(
        p
        for p, member in enumerate(instance.staff)
        if member.weekly_minutes >= full and not any((p, d) in absent for d in days)
    )
