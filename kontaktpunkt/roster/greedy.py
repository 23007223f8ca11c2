"""A simple greedy rota, day by day — the baseline the solver is measured against.

For each day and shift it takes, among the people who may work (not absent, rest time kept, fewer
than the maximum days in a row, hours room left in the block, enough free Sundays left), first the
team leads needed and then others up to the target, preferring those who must work today to reach
their contract hours in the block, then those without a wish for the day, then those with the least
slack in their hours, then those with fewer weekend resp. late shifts in the block. Who must work
is added even above the target, on a shift where it completes a patrol pair if it can. Patrols walk
in pairs: a shift left with an odd number beyond its special posts takes one more person, or else
gives one back. It never looks back and never repairs: what it cannot fill stays short, and its
first block can miss the hours of people who carried in a long run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from kontaktpunkt.roster.domain import (
    Instance,
    Roster,
    ShiftType,
    absence_credit_minutes,
    block_ranges,
    contract_minutes,
    free_sundays_required,
    is_sunday,
    is_weekend,
    rest_conflicts,
    sundays,
)

URGENT = 0  # slack in days at or below which a person must work today


@dataclass
class _Person:
    index: int
    last: str | None
    run: int
    free_sundays: int = 0
    worked: int = 0  # minutes in the current block
    low: int = 0
    high: int = 0
    weekends: int = 0
    lates: int = 0
    wishes: set[int] = field(default_factory=set)


@dataclass
class _Day:
    day: int
    weekend: bool
    sunday: bool
    sundays_after: int
    staffed: dict[str, list[int]] = field(default_factory=dict)


def roster_greedy(instance: Instance) -> Roster:
    people = _people(instance)
    conflicts = rest_conflicts(instance)
    grid: dict[tuple[int, int], str] = {}
    all_sundays = sundays(instance, range(instance.n_days))
    required_sundays = free_sundays_required(instance.rules, len(all_sundays))
    for block in block_ranges(instance.n_days, instance.rules.block_days):
        _block_start(instance, people, block)
        for day in block:
            state = _Day(
                day=day,
                weekend=is_weekend(instance, day),
                sunday=is_sunday(instance, day),
                sundays_after=sum(1 for s in all_sundays if s > day),
            )
            free = [
                p
                for p in people
                if _may_work(instance, p, state, required_sundays)
                and (p.index, day) not in instance.absent
            ]
            _fill_day(instance, free, state, conflicts, block)
            for code, chosen in state.staffed.items():
                for index in chosen:
                    grid[(index, day)] = code
            _day_end(instance, people, state, grid)
    return Roster.from_grid(grid)


def _people(instance: Instance) -> list[_Person]:
    people = []
    for p in range(len(instance.staff)):
        carry = instance.carry_in(p)
        people.append(_Person(p, carry.last_shift, carry.consecutive_days))
    for wish in instance.wishes:
        people[wish.person].wishes.add(wish.day)
    return people


def _block_start(instance: Instance, people: Sequence[_Person], block: range) -> None:
    tolerance = instance.rules.hours_tolerance_minutes
    for p in people:
        target = contract_minutes(instance, p.index, block) - absence_credit_minutes(
            instance, p.index, block
        )
        p.worked, p.weekends, p.lates = 0, 0, 0
        p.low, p.high = target - tolerance, target + tolerance


def _may_work(instance: Instance, p: _Person, state: _Day, required_sundays: int) -> bool:
    if p.run >= instance.rules.max_consecutive_days:
        return False
    return not (state.sunday and p.free_sundays + state.sundays_after < required_sundays)


def _slack(instance: Instance, p: _Person, day: int, block: range) -> int:
    """Days a person can still work in the block minus the shifts needed to reach the lower hours
    bound (at most `max_consecutive_days` in every run of one more day)."""
    minutes = max(s.minutes for s in instance.shift_types)
    days_left = sum(1 for d in range(day, block.stop) if (p.index, d) not in instance.absent)
    capacity = days_left - days_left // (instance.rules.max_consecutive_days + 1)
    needed = max(0, -(-(p.low - p.worked) // minutes))
    return capacity - needed


def _fill_day(
    instance: Instance,
    free: list[_Person],
    state: _Day,
    conflicts: frozenset[tuple[str, str]],
    block: range,
) -> None:
    slack = {p.index: _slack(instance, p, state.day, block) for p in free}
    taken: set[int] = set()
    for s, shift in enumerate(instance.shift_types):
        if shift.minutes > instance.rules.max_daily_minutes:
            state.staffed[shift.code] = []
            continue
        demand = instance.demand[state.day][s]
        candidates = [
            p
            for p in free
            if (p.last, shift.code) not in conflicts and p.worked + shift.minutes <= p.high
        ]
        candidates.sort(key=lambda p: _rank(p, shift, state, slack[p.index]))
        leads = [p for p in candidates if instance.staff[p.index].is_team_lead]
        chosen = [p.index for p in leads if p.index not in taken][: demand.team_leads]
        for p in candidates:
            if len(chosen) >= demand.target:
                break
            if p.index not in taken and p.index not in chosen:
                chosen.append(p.index)
        taken.update(chosen)
        state.staffed[shift.code] = chosen
    _add_urgent(instance, free, state, conflicts, slack, taken)
    _pair_up(instance, free, state, (conflicts, slack), taken)


def _add_urgent(
    instance: Instance,
    free: list[_Person],
    state: _Day,
    conflicts: frozenset[tuple[str, str]],
    slack: dict[int, int],
    taken: set[int],
) -> None:
    """People who cannot reach their hours otherwise work today, on the least staffed shift."""
    for p in free:
        if p.index in taken or slack[p.index] > URGENT:
            continue
        options = [
            (
                _unpaired(instance, state, i, len(state.staffed[s.code]) + 1),
                len(state.staffed[s.code]) - instance.demand[state.day][i].target,
                i,
            )
            for i, s in enumerate(instance.shift_types)
            if (p.last, s.code) not in conflicts
            and p.worked + s.minutes <= p.high
            and s.minutes <= instance.rules.max_daily_minutes
        ]
        if options:
            shift = instance.shift_types[min(options)[2]]
            state.staffed[shift.code].append(p.index)
            taken.add(p.index)


def _unpaired(instance: Instance, state: _Day, shift: int, people: int) -> bool:
    """With `people` on the shift, one of its patrol walkers would walk alone."""
    walkers = people - instance.demand[state.day][shift].special_posts
    return walkers > 0 and walkers % 2 == 1


def _pair_up(
    instance: Instance,
    free: list[_Person],
    state: _Day,
    conflicts_slack: tuple[frozenset[tuple[str, str]], dict[int, int]],
    taken: set[int],
) -> None:
    """Patrols walk in pairs: a shift with an odd number of people beyond its special posts takes
    one more who may work, or else gives back the one with the most slack above its minimum (never
    someone who must work today)."""
    conflicts, slack = conflicts_slack
    for s, shift in enumerate(instance.shift_types):
        chosen = state.staffed.get(shift.code, [])
        demand = instance.demand[state.day][s]
        if not _unpaired(instance, state, s, len(chosen)):
            continue
        extra = [
            p
            for p in free
            if p.index not in taken
            and (p.last, shift.code) not in conflicts
            and p.worked + shift.minutes <= p.high
        ]
        if extra:
            best = min(extra, key=lambda p: _rank(p, shift, state, slack[p.index]))
            chosen.append(best.index)
            taken.add(best.index)
            continue
        leads = [p for p in chosen if instance.staff[p].is_team_lead]
        spare = [
            p
            for p in chosen
            if slack[p] > URGENT and (p not in leads or len(leads) > demand.team_leads)
        ]
        if spare and len(chosen) > demand.minimum:
            drop = max(spare, key=lambda p: slack[p])
            chosen.remove(drop)
            taken.discard(drop)


def _rank(p: _Person, shift: ShiftType, state: _Day, slack: int) -> tuple[int, ...]:
    return (
        slack > URGENT,
        state.day in p.wishes,
        slack,
        p.weekends if state.weekend else 0,
        p.lates if shift.late else 0,
        p.worked,
        p.index,
    )


def _day_end(
    instance: Instance, people: Sequence[_Person], state: _Day, grid: dict[tuple[int, int], str]
) -> None:
    for p in people:
        code = grid.get((p.index, state.day))
        p.last = code
        if code is None:
            p.run = 0
            p.free_sundays += state.sunday
            continue
        shift = instance.shift(code)
        p.run += 1
        p.worked += shift.minutes
        p.weekends += state.weekend
        p.lates += shift.late
