"""Solve a roster with OR-Tools CP-SAT: the whole horizon at once, or a year as a rolling horizon.

`roster_solve(instance)` builds one model over all days (model.py). With `window_days` set (e.g. 35)
it solves block by block: each window holds one aligned hours block (committed) and looks ahead into
the next one up to `window_days`; the next window starts with the committed days' state — the last
shift (rest time), the run of working days, the Sundays off so far and the hours balance.

A `progress` callable receives a Progress (its str() is a German line) on every improving solution,
with the objective and the best bound. When the minimum staff cannot be met, the result names each
short shift and by how much (German), and still carries the roster with the gaps.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum

from ortools.sat.python import cp_model

from kontaktpunkt.roster import messages
from kontaktpunkt.roster.domain import (
    Instance,
    Roster,
    ShiftDemand,
    absence_credit_minutes,
    block_ranges,
    contract_minutes,
    free_sundays_required,
    is_sunday,
    sundays,
)
from kontaktpunkt.roster.greedy import roster_greedy
from kontaktpunkt.roster.model import (
    SEED,
    SUBSOLVERS,
    PersonState,
    Weights,
    Window,
    WindowModel,
    cp_solver,
    window_model,
)

MIN_WINDOW_SECONDS = 0.5


class Status(StrEnum):
    OPTIMAL = "optimal"  # proven optimal (one window over the whole horizon)
    FEASIBLE = "feasible"  # every hard rule met, optimality not proven
    SHORT = "short"  # the minimum staff cannot be met: see `explanation`
    NO_SOLUTION = "no_solution"  # nothing found within the time limit


@dataclass(frozen=True)
class SolverOptions:
    time_limit_s: float = 60.0
    workers: int = 2
    seed: int = SEED
    window_days: int | None = None  # None: one model; else rolling windows of one block + lookahead
    hint_greedy: bool = True  # start each window from the greedy rota
    window_gap: float = 2.0  # rolling windows stop this close to the bound (hours-band units)
    subsolvers: tuple[str, ...] = SUBSOLVERS  # CP-SAT's full-problem workers; () = its default
    weights: Weights = field(default_factory=Weights)


@dataclass(frozen=True)
class Progress:
    window: int
    windows: int
    seconds: float
    solutions: int
    objective: float
    bound: float

    def __str__(self) -> str:
        return messages.progress_line(
            self.window, self.windows, self.seconds, self.solutions, self.objective, self.bound
        )


@dataclass(frozen=True)
class Shortfall:
    day: int
    shift: str
    missing: int
    team_lead: bool
    message: str


@dataclass(frozen=True)
class SolveResult:
    status: Status
    roster: Roster | None
    objective: float
    bound: float
    seconds: float
    windows: int
    windows_optimal: int  # windows solved to their bound (rolling: within `window_gap`)
    shortfalls: tuple[Shortfall, ...] = ()
    explanation: tuple[str, ...] = ()


ProgressFn = Callable[[Progress], None]


class _Callback(cp_model.CpSolverSolutionCallback):
    def __init__(self, report: ProgressFn, window: int, windows: int, started: float) -> None:
        super().__init__()
        self._report = report
        self._window = window
        self._windows = windows
        self._started = started
        self.solutions = 0

    def on_solution_callback(self) -> None:
        self.solutions += 1
        self._report(
            Progress(
                window=self._window,
                windows=self._windows,
                seconds=time.perf_counter() - self._started,
                solutions=self.solutions,
                objective=self.objective_value,
                bound=self.best_objective_bound,
            )
        )


@dataclass
class _WindowOutcome:
    status: cp_model.CpSolverStatus
    grid: dict[tuple[int, int], str]
    objective: float
    bound: float
    shortfalls: list[Shortfall]


@dataclass
class _Run:
    """What the committed windows have produced so far."""

    states: tuple[PersonState, ...]
    free_sundays: list[int]
    grid: dict[tuple[int, int], str] = field(default_factory=dict)
    shortfalls: list[Shortfall] = field(default_factory=list)
    objective: float = 0.0
    bound: float = 0.0
    optimal: int = 0


def roster_solve(
    instance: Instance,
    *,
    options: SolverOptions | None = None,
    progress: ProgressFn | None = None,
) -> SolveResult:
    options = options or SolverOptions()
    started = time.perf_counter()
    windows = _windows(instance, options.window_days)
    run = _Run(states=_initial_states(instance), free_sundays=[0] * len(instance.staff))
    hint = roster_greedy(instance).grid if options.hint_greedy else {}
    for number, (days, committed) in enumerate(windows, start=1):
        window = Window(
            days=days,
            committed=committed,
            states=run.states,
            free_sundays_min=_free_sundays_min(instance, days, run.free_sundays),
        )
        limit = _time_share(options, started, len(windows) - number + 1)
        callback = _callback(progress, number, len(windows), started)
        gap = options.window_gap if len(windows) > 1 else 0.0
        outcome = _solve_window(instance, window, options, (limit, gap), hint, callback)
        if outcome.status == cp_model.INFEASIBLE:
            return _failed(started, len(windows), run, _conflicts(instance, window))
        if not outcome.grid:
            return _failed(started, len(windows), run, [messages.no_solution(limit)])
        _commit(instance, run, outcome, committed)
    return _result(run, time.perf_counter() - started, len(windows))


def _initial_states(instance: Instance) -> tuple[PersonState, ...]:
    carried = (instance.carry_in(p) for p in range(len(instance.staff)))
    return tuple(PersonState(c.last_shift, c.consecutive_days) for c in carried)


def _time_share(options: SolverOptions, started: float, windows_left: int) -> float:
    remaining = options.time_limit_s - (time.perf_counter() - started)
    return max(remaining / windows_left, MIN_WINDOW_SECONDS)


def _commit(instance: Instance, run: _Run, outcome: _WindowOutcome, committed: range) -> None:
    run.grid.update({k: v for k, v in outcome.grid.items() if k[1] in committed})
    run.shortfalls += [s for s in outcome.shortfalls if s.day in committed]
    run.objective += outcome.objective
    run.bound += outcome.bound
    run.optimal += outcome.status == cp_model.OPTIMAL
    run.states = _carry(instance, run.grid, committed, run.states)
    run.free_sundays = _free_sundays_count(instance, run.grid, committed, run.free_sundays)


def _windows(instance: Instance, window_days: int | None) -> list[tuple[range, range]]:
    """(days, committed) of each window: one hours block committed, the rest of the window ahead."""
    every = range(instance.n_days)
    if window_days is None:
        return [(every, every)]
    result = []
    for block in block_ranges(instance.n_days, instance.rules.block_days):
        end = min(instance.n_days, max(block.stop, block.start + window_days))
        result.append((range(block.start, end), block))
    return result


def _free_sundays_min(instance: Instance, days: range, free_so_far: list[int]) -> tuple[int, ...]:
    """Sundays off still needed in the window: the prorated count up to its end minus those had."""
    due = free_sundays_required(instance.rules, len(sundays(instance, range(days.stop))))
    return tuple(max(0, due - had) for had in free_so_far)


def _callback(
    progress: ProgressFn | None, window: int, windows: int, started: float
) -> _Callback | None:
    return None if progress is None else _Callback(progress, window, windows, started)


def _solve_window(
    instance: Instance,
    window: Window,
    options: SolverOptions,
    limit_gap: tuple[float, float],
    hint: dict[tuple[int, int], str],
    callback: _Callback | None,
) -> _WindowOutcome:
    """Solve one window within a time limit, stopping once within `gap` of the bound."""
    limit, gap = limit_gap
    wm = window_model(instance, window, options.weights)
    if hint:
        wm.hint(hint)
    wm.minimize()
    solver = cp_solver(
        time_limit_s=limit,
        workers=options.workers,
        seed=options.seed,
        subsolvers=options.subsolvers,
    )
    solver.parameters.absolute_gap_limit = gap
    status = solver.solve(wm.model, callback)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return _WindowOutcome(status, {}, 0.0, 0.0, [])
    return _WindowOutcome(
        status=status,
        grid=wm.grid(solver, window.days),
        objective=solver.objective_value,
        bound=solver.best_objective_bound,
        shortfalls=window_shortfalls(wm, solver),
    )


def window_shortfalls(wm: WindowModel, solver: cp_model.CpSolver) -> list[Shortfall]:
    """The shifts whose minimum staff, patrol pairs or team leads the solution leaves short,
    explained."""
    instance = wm.instance
    found = []
    for (day, s), var in sorted(wm.shortfall.items()):
        missing = solver.value(var)
        if missing:
            planned = sum(
                solver.value(v)
                for p in range(len(instance.staff))
                if (v := wm.x.get((p, day, s))) is not None
            )
            found.append(_shortfall(instance, day, s, (missing, planned), team_lead=False))
    for (day, s), var in sorted(wm.lead_shortfall.items()):
        missing = solver.value(var)
        if missing:
            found.append(_shortfall(instance, day, s, (missing, 0), team_lead=True))
    return found


def _shortfall(
    instance: Instance, day: int, s: int, missing_planned: tuple[int, int], *, team_lead: bool
) -> Shortfall:
    missing, planned = missing_planned
    shift = instance.shift_types[s]
    demand = instance.demand[day][s]
    when = instance.date_of(day)
    absent = sum(1 for p in range(len(instance.staff)) if (p, day) in instance.absent)
    if team_lead:
        leads = sum(1 for p in instance.team_leads if (p, day) not in instance.absent)
        text = messages.team_lead_shortfall(shift.name, when, missing, leads)
    elif planned >= demand.minimum:
        text = messages.patrol_partner_shortfall(shift.name, when, planned - demand.special_posts)
    else:
        minimum = demand.special_posts + 2 * demand.pairs_minimum
        available = len(instance.staff) - absent
        text = messages.shortfall(shift.name, when, missing, minimum, available, absent)
    return Shortfall(day, shift.code, missing, team_lead, text)


def _carry(
    instance: Instance,
    grid: dict[tuple[int, int], str],
    committed: range,
    states: tuple[PersonState, ...],
) -> tuple[PersonState, ...]:
    """The state of each person on the day after the committed days."""
    result = []
    for p, state in enumerate(states):
        run = 0
        for d in reversed(committed):
            if (p, d) not in grid:
                break
            run += 1
        if run == len(committed):
            run += state.run
        worked = sum(instance.shift(grid[(p, d)]).minutes for d in committed if (p, d) in grid)
        due = contract_minutes(instance, p, committed) - absence_credit_minutes(
            instance, p, committed
        )
        result.append(
            PersonState(
                last_shift=grid.get((p, committed.stop - 1)),
                run=run,
                balance=state.balance + worked - due,
            )
        )
    return tuple(result)


def _free_sundays_count(
    instance: Instance, grid: dict[tuple[int, int], str], committed: range, so_far: list[int]
) -> list[int]:
    return [
        had + sum(1 for d in committed if is_sunday(instance, d) and (p, d) not in grid)
        for p, had in enumerate(so_far)
    ]


def _failed(started: float, windows: int, run: _Run, explanation: list[str]) -> SolveResult:
    return SolveResult(
        status=Status.NO_SOLUTION,
        roster=None,
        objective=0.0,
        bound=0.0,
        seconds=time.perf_counter() - started,
        windows=windows,
        windows_optimal=run.optimal,
        explanation=tuple(explanation),
    )


def _conflicts(instance: Instance, window: Window) -> list[str]:
    """Why a window has no roster even with gaps in the staffing: the people whose own rules
    (hours, absences, rest, days in a row, free Sundays) contradict each other."""
    first, last = instance.date_of(window.days.start), instance.date_of(window.days.stop - 1)
    names = [
        instance.staff[p].name
        for p in range(len(instance.staff))
        if _alone_infeasible(instance, window, p)
    ]
    return [messages.rules_conflict(name, first, last) for name in names] or [
        messages.rules_conflict_unknown(first, last)
    ]


def _alone_infeasible(instance: Instance, window: Window, person: int) -> bool:
    """The person's own rules, without any demand, have no solution."""
    alone = replace(
        instance,
        staff=(instance.staff[person],),
        absences=tuple(replace(a, person=0) for a in instance.absences if a.person == person),
        wishes=(),
        history=(instance.carry_in(person),),
        demand=tuple(
            tuple(ShiftDemand(0, 0, 0) for _ in instance.shift_types) for _ in instance.demand
        ),
    )
    sub = Window(
        days=window.days,
        committed=window.committed,
        states=(window.states[person],),
        free_sundays_min=(window.free_sundays_min[person],),
        after=(window.after[person],) if window.after else (),
        soft=False,
    )
    wm = window_model(alone, sub, Weights())
    solver = cp_solver(time_limit_s=MIN_WINDOW_SECONDS, workers=1)
    return bool(solver.solve(wm.model) == cp_model.INFEASIBLE)


def _result(run: _Run, seconds: float, windows: int) -> SolveResult:
    shortfalls = run.shortfalls
    if shortfalls:
        status = Status.SHORT
        people = sum(s.missing for s in shortfalls)
        shifts = len({(s.day, s.shift) for s in shortfalls})
        explanation: tuple[str, ...] = (
            messages.demand_not_met(shifts, people),
            *(s.message for s in shortfalls),
        )
    else:
        status = Status.OPTIMAL if windows == run.optimal == 1 else Status.FEASIBLE
        explanation = ()
    return SolveResult(
        status=status,
        roster=Roster.from_grid(run.grid),
        objective=run.objective,
        bound=run.bound,
        seconds=seconds,
        windows=windows,
        windows_optimal=run.optimal,
        shortfalls=tuple(shortfalls),
        explanation=explanation,
    )
