"""The independent validator: checks any roster — solved, greedy, edited by hand, imported — against
every hard rule and lists each violation with a German message.

Deliberately separate from the solver: it shares only the data classes and the German texts, and
derives calendar, blocks, rest times, contract hours and prorated free Sundays again from the raw
instance data (dates, clock times, weekly hours), with exact fractions.

Rules checked: known people, shifts and days; one shift a day; at most `max_daily_minutes` a day; no
work on an absence day; at least `min_rest_minutes` between the end of a day's shift and the start of
the next day's (day -1 from the history); at most `max_consecutive_days` working days in a row (the
run carried in counts); free Sundays round(free_sundays_per_year x Sundays / sundays_per_year);
contract hours per aligned block (the remainder merged into the last block) within the tolerance,
absences credited (their own minutes, else a weekday's worth on weekdays); the minimum staff and the
team leads of every shift; patrols in pairs: the people on a shift beyond its special posts (its
team leads, desk and Mobile Wache) walk the patrol, and their number must be even - nobody walks
alone.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, time, timedelta
from enum import StrEnum
from fractions import Fraction

from kontaktpunkt.roster import messages
from kontaktpunkt.roster.domain import Instance, Post, Qualification, Roster, ShiftDemand, ShiftType

DAY_MINUTES = 1440


class Rule(StrEnum):
    UNKNOWN_ENTRY = "unknown_entry"
    ONE_SHIFT_A_DAY = "one_shift_a_day"
    DAILY_HOURS = "daily_hours"
    ABSENCE = "absence"
    REST_TIME = "rest_time"
    CONSECUTIVE_DAYS = "consecutive_days"
    FREE_SUNDAYS = "free_sundays"
    CONTRACT_HOURS = "contract_hours"
    MIN_STAFFING = "min_staffing"
    TEAM_LEAD = "team_lead"
    PATROL_PAIRS = "patrol_pairs"


@dataclass(frozen=True)
class Violation:
    rule: Rule
    message: str
    person: int | None = None
    day: int | None = None
    shift: str | None = None


Worked = dict[int, dict[int, list[ShiftType]]]  # person → day → shifts (normally one)


def roster_validate(instance: Instance, roster: Roster) -> tuple[Violation, ...]:
    """Every violation of a hard rule in the roster, ordered by day (whole-horizon ones first)."""
    violations: list[Violation] = []
    worked = _worked(instance, roster, violations)
    for person in range(len(instance.staff)):
        days = worked.get(person, {})
        violations += _day_rules(instance, person, days)
        violations += _rest(instance, person, days)
        violations += _consecutive(instance, person, days)
        violations += _free_sundays(instance, person, days)
        violations += _contract_hours(instance, person, days)
    violations += _staffing(instance, worked)
    order = list(Rule)
    return tuple(
        sorted(
            violations,
            key=lambda v: (
                -1 if v.day is None else v.day,
                order.index(v.rule),
                -1 if v.person is None else v.person,
                v.shift or "",
            ),
        )
    )


def _date(instance: Instance, day: int) -> date:
    return instance.start + timedelta(days=day)


def _name(instance: Instance, person: int) -> str:
    return instance.staff[person].name


def _minute(clock: time) -> int:
    return clock.hour * 60 + clock.minute


def _end_minute(shift: ShiftType) -> int:
    """End in minutes after the start of the shift's day (past midnight: above 1440)."""
    start, end = _minute(shift.start), _minute(shift.end)
    return end if end > start else end + DAY_MINUTES


def _length(shift: ShiftType) -> int:
    """Working minutes: start to end, less the unpaid gap of a split shift."""
    return _end_minute(shift) - _minute(shift.start) - shift.unpaid_minutes


def _worked(instance: Instance, roster: Roster, violations: list[Violation]) -> Worked:
    by_code = {s.code: s for s in instance.shift_types}
    worked: Worked = defaultdict(lambda: defaultdict(list))
    for a in roster.assignments:
        if not 0 <= a.person < len(instance.staff):
            violations.append(Violation(Rule.UNKNOWN_ENTRY, messages.unknown_person(a.person)))
        elif not 0 <= a.day < instance.n_days:
            text = messages.outside_horizon(_name(instance, a.person), a.day)
            violations.append(Violation(Rule.UNKNOWN_ENTRY, text, a.person, None, a.shift))
        elif a.shift not in by_code:
            text = messages.unknown_shift(
                _name(instance, a.person), a.shift, _date(instance, a.day)
            )
            violations.append(Violation(Rule.UNKNOWN_ENTRY, text, a.person, a.day, a.shift))
        else:
            worked[a.person][a.day].append(by_code[a.shift])
    return worked


def _day_rules(
    instance: Instance, person: int, days: dict[int, list[ShiftType]]
) -> list[Violation]:
    """One shift a day, the daily maximum, no work while absent."""
    name = _name(instance, person)
    limit = instance.rules.max_daily_minutes
    absences = {a.day: a.kind for a in instance.absences if a.person == person}
    found = []
    for day, shifts in sorted(days.items()):
        when = _date(instance, day)
        if len(shifts) > 1:
            text = messages.more_than_one_shift(name, when, [s.name for s in shifts])
            found.append(Violation(Rule.ONE_SHIFT_A_DAY, text, person, day))
        total = sum(_length(s) for s in shifts)
        if total > limit:
            text = messages.too_long_shift(name, shifts[-1].name, when, total, limit)
            found.append(Violation(Rule.DAILY_HOURS, text, person, day, shifts[-1].code))
        if day in absences:
            for s in shifts:
                text = messages.absent_but_planned(name, when, absences[day], s.name)
                found.append(Violation(Rule.ABSENCE, text, person, day, s.code))
    return found


def _rest(instance: Instance, person: int, days: dict[int, list[ShiftType]]) -> list[Violation]:
    """Rest between the last end of one day and the first start of the next, day -1 included."""
    by_code = {s.code: s for s in instance.shift_types}
    previous: dict[int, list[ShiftType]] = dict(days)
    if instance.history:
        last = instance.history[person].last_shift
        if last in by_code:
            previous[-1] = [by_code[last]]
    limit = instance.rules.min_rest_minutes
    found = []
    for day in sorted(d for d in days if d - 1 in previous):
        before = max(previous[day - 1], key=_end_minute)
        after = min(days[day], key=lambda s: _minute(s.start))
        rest = DAY_MINUTES + _minute(after.start) - _end_minute(before)
        if rest < limit:
            text = messages.rest_too_short(
                _name(instance, person),
                before.name,
                _date(instance, day - 1),
                after.name,
                _date(instance, day),
                rest,
                limit,
            )
            found.append(Violation(Rule.REST_TIME, text, person, day, after.code))
    return found


def _consecutive(
    instance: Instance, person: int, days: dict[int, list[ShiftType]]
) -> list[Violation]:
    """One violation per run of working days longer than the limit (reported on its first day
    over the limit)."""
    limit = instance.rules.max_consecutive_days
    run = instance.history[person].consecutive_days if instance.history else 0
    found = []
    for day in range(instance.n_days + 1):
        if day < instance.n_days and days.get(day):
            run += 1
            continue
        if run > limit:
            first_over = day - (run - limit)
            text = messages.too_many_consecutive_days(
                _name(instance, person), run, _date(instance, day - 1), limit
            )
            found.append(Violation(Rule.CONSECUTIVE_DAYS, text, person, max(first_over, 0)))
        run = 0
    return found


def _free_sundays(
    instance: Instance, person: int, days: dict[int, list[ShiftType]]
) -> list[Violation]:
    rules = instance.rules
    all_sundays = [d for d in range(instance.n_days) if _date(instance, d).isoweekday() == 7]
    exact = Fraction(rules.free_sundays_per_year * len(all_sundays), rules.sundays_per_year)
    required = int(exact + Fraction(1, 2))  # round half up; exact ≥ 0
    free = sum(1 for d in all_sundays if not days.get(d))
    if free >= required:
        return []
    text = messages.too_few_free_sundays(_name(instance, person), free, required)
    return [Violation(Rule.FREE_SUNDAYS, text, person)]


def _blocks(instance: Instance) -> list[tuple[int, int]]:
    """[first, end) of each aligned block; the remainder belongs to the last block."""
    size = instance.rules.block_days
    count = max(1, instance.n_days // size)
    return [(k * size, instance.n_days if k == count - 1 else (k + 1) * size) for k in range(count)]


def _contract_hours(
    instance: Instance, person: int, days: dict[int, list[ShiftType]]
) -> list[Violation]:
    rules = instance.rules
    member = instance.staff[person]
    per_weekday = Fraction(member.weekly_minutes, rules.workdays_per_week)
    absent: dict[int, int | None] = {}
    for a in instance.absences:
        if a.person == person:
            absent.setdefault(a.day, a.credit_minutes)
    found = []
    for first, end in _blocks(instance):
        weekdays = [d for d in range(first, end) if _date(instance, d).isoweekday() <= 5]
        contract = per_weekday * len(weekdays)
        credit = sum(
            (per_weekday if d in weekdays else Fraction(0))
            if minutes is None
            else Fraction(minutes)
            for d, minutes in absent.items()
            if first <= d < end
        )
        worked = sum(_length(s) for d in range(first, end) for s in days.get(d, []))
        actual = worked + credit
        if abs(actual - contract) > rules.hours_tolerance_minutes:
            text = messages.contract_hours_missed(
                member.name,
                _date(instance, first),
                _date(instance, end - 1),
                round(actual),
                round(contract),
                rules.hours_tolerance_minutes,
            )
            found.append(Violation(Rule.CONTRACT_HOURS, text, person, first))
    return found


def _staffing(instance: Instance, worked: Worked) -> list[Violation]:
    on_shift: dict[tuple[int, str], set[int]] = defaultdict(set)
    for person, days in worked.items():
        for day, shifts in days.items():
            for s in shifts:
                on_shift[(day, s.code)].add(person)
    found = []
    for day in range(instance.n_days):
        when = _date(instance, day)
        for shift, demand in zip(instance.shift_types, instance.demand[day], strict=True):
            people = on_shift.get((day, shift.code), set())
            if len(people) < demand.minimum:
                text = messages.understaffed(shift.name, when, len(people), demand.minimum)
                found.append(Violation(Rule.MIN_STAFFING, text, None, day, shift.code))
            leads = sum(
                1 for p in people if Qualification.TEAM_LEAD in instance.staff[p].qualifications
            )
            if leads < demand.team_leads:
                text = messages.team_lead_missing(shift.name, when, leads, demand.team_leads)
                found.append(Violation(Rule.TEAM_LEAD, text, None, day, shift.code))
            walkers = len(people) - _special_posts(demand)
            if walkers > 0 and walkers % 2:
                text = messages.patrol_alone(shift.name, when, walkers)
                found.append(Violation(Rule.PATROL_PAIRS, text, None, day, shift.code))
    return found


def _special_posts(demand: ShiftDemand) -> int:
    """People the shift's demand puts on a post other than the patrol: its team leads, the desk and
    the Mobile Wache. Everybody else on the shift walks the patrol."""
    others = sum(n for post, n in demand.posts if post in (Post.DESK, Post.MOBILE))
    return demand.team_leads + others
