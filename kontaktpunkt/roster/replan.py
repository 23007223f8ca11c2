"""Re-plan after a sick call: the fewest changed assignments that restore every hard rule.

The sick days become absences (kind sickness) that credit the planned shift, so that the sick
person's hours stay as published. Only the hours blocks that hold a
sick day are re-planned; everything else stays as published and bounds the window: the shift and
the run of working days before it, the first shift and the run after it, and the Sundays off
outside it. The objective counts changed cells (person x day) against the published roster; the
published roster is the search's starting point.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from kontaktpunkt.roster import messages
from kontaktpunkt.roster.domain import (
    Absence,
    AbsenceKind,
    Instance,
    Roster,
    block_ranges,
    free_sundays_required,
    is_sunday,
)
from kontaktpunkt.roster.instance import instance_with_absences
from kontaktpunkt.roster.model import (
    SEED,
    FixedAfter,
    PersonState,
    Weights,
    Window,
    cp_solver,
    window_model,
)
from kontaktpunkt.roster.solver import Shortfall, Status, window_shortfalls

Grid = dict[tuple[int, int], str]


@dataclass(frozen=True)
class Change:
    person: int
    day: int
    before: str | None
    after: str | None


@dataclass(frozen=True)
class ReplanResult:
    status: Status
    instance: Instance  # the instance with the sick days as absences
    roster: Roster | None
    changes: tuple[Change, ...]
    seconds: float
    shortfalls: tuple[Shortfall, ...] = ()
    explanation: tuple[str, ...] = ()


def roster_replan_sick(
    instance: Instance,
    published: Roster,
    *,
    person: int,
    days: Sequence[int],
    time_limit_s: float = 1.0,
    workers: int = 2,
    seed: int = SEED,
) -> ReplanResult:
    started = time.perf_counter()
    grid = published.grid
    sick = instance_with_absences(instance, _sick_days(instance, grid, person, days))
    window = _window(sick, grid, _days(sick, days))
    wm = window_model(sick, window, Weights())
    changed: list[cp_model.LinearExprT] = []
    for p in range(len(sick.staff)):
        for d in window.days:
            before = grid.get((p, d))
            shifts = wm.shifts_of(p, d)
            if before is None:
                changed += shifts
                continue
            var = wm.x.get((p, d, sick.shift_codes.index(before)))
            changed.append(1 if var is None else 1 - var)
    wm.hint(grid)
    wm.minimize(changed)
    solver = cp_solver(time_limit_s=time_limit_s, workers=workers, seed=seed)
    status = solver.solve(wm.model)
    seconds = time.perf_counter() - started
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return ReplanResult(
            Status.NO_SOLUTION, sick, None, (), seconds, (), (messages.no_solution(time_limit_s),)
        )
    new = {k: v for k, v in grid.items() if k[1] not in window.days}
    new.update(wm.grid(solver, window.days))
    shortfalls = tuple(window_shortfalls(wm, solver))
    return ReplanResult(
        status=_status(status, shortfalls),
        instance=sick,
        roster=Roster.from_grid(new),
        changes=_changes(grid, new, window.days, len(sick.staff)),
        seconds=seconds,
        shortfalls=shortfalls,
        explanation=tuple(s.message for s in shortfalls),
    )


def _sick_days(instance: Instance, grid: Grid, person: int, days: Sequence[int]) -> list[Absence]:
    """Sickness absences crediting the planned shift (nothing on a day off)."""
    return [
        Absence(
            person,
            d,
            AbsenceKind.SICKNESS,
            credit_minutes=instance.shift(code).minutes if (code := grid.get((person, d))) else 0,
        )
        for d in days
    ]


def _status(status: cp_model.CpSolverStatus, shortfalls: tuple[Shortfall, ...]) -> Status:
    if shortfalls:
        return Status.SHORT
    return Status.OPTIMAL if status == cp_model.OPTIMAL else Status.FEASIBLE


def _days(instance: Instance, sick_days: Sequence[int]) -> range:
    """The hours blocks that hold a sick day (a contiguous range of whole blocks)."""
    blocks = [
        b
        for b in block_ranges(instance.n_days, instance.rules.block_days)
        if any(d in b for d in sick_days)
    ]
    return range(blocks[0].start, blocks[-1].stop)


def _window(instance: Instance, grid: Grid, days: range) -> Window:
    staff = range(len(instance.staff))
    return Window(
        days=days,
        committed=days,
        states=tuple(_state_before(instance, grid, p, days.start) for p in staff),
        free_sundays_min=tuple(_free_sundays_min(instance, grid, p, days) for p in staff),
        after=tuple(_fixed_after(instance, grid, p, days.stop) for p in staff),
        soft=False,
    )


def _state_before(instance: Instance, grid: Grid, person: int, start: int) -> PersonState:
    carry = instance.carry_in(person)
    if start == 0:
        return PersonState(carry.last_shift, carry.consecutive_days)
    run = 0
    for d in range(start - 1, -1, -1):
        if (person, d) not in grid:
            break
        run += 1
    else:
        run += carry.consecutive_days
    return PersonState(grid.get((person, start - 1)), run)


def _fixed_after(instance: Instance, grid: Grid, person: int, stop: int) -> FixedAfter:
    run = 0
    for d in range(stop, instance.n_days):
        if (person, d) not in grid:
            break
        run += 1
    return FixedAfter(grid.get((person, stop)), run)


def _free_sundays_min(instance: Instance, grid: Grid, person: int, days: range) -> int:
    all_sundays = [d for d in range(instance.n_days) if is_sunday(instance, d)]
    due = free_sundays_required(instance.rules, len(all_sundays))
    outside = sum(1 for d in all_sundays if d not in days and (person, d) not in grid)
    return max(0, due - outside)


def _changes(before: Grid, after: Grid, days: range, staff: int) -> tuple[Change, ...]:
    return tuple(
        Change(p, d, before.get((p, d)), after.get((p, d)))
        for d in days
        for p in range(staff)
        if before.get((p, d)) != after.get((p, d))
    )
