from __future__ import annotations

from dataclasses import replace
from datetime import time

from ortools.sat.python import cp_model

from kontaktpunkt.roster.domain import Instance, ShiftDemand, ShiftType
from kontaktpunkt.roster.model import (
    FixedAfter,
    PersonState,
    Weights,
    Window,
    WindowModel,
    cp_solver,
    window_model,
)
from kontaktpunkt.roster.tests.builders import tiny_instance

WEEK = range(7)


def _window(**changes) -> Window:
    base = Window(
        days=WEEK,
        committed=WEEK,
        states=tuple(PersonState() for _ in range(6)),
        free_sundays_min=(0,) * 6,
    )
    return replace(base, **changes)


def _solve(instance: Instance, window: Window) -> tuple[WindowModel, cp_model.CpSolver]:
    wm = window_model(instance, window, Weights())
    wm.minimize()
    solver = cp_solver(time_limit_s=10)
    assert solver.solve(wm.model) == cp_model.OPTIMAL
    return wm, solver


def test_a_carried_in_run_of_six_days_leaves_the_first_day_off():
    states = tuple(PersonState("E", 6) if p == 0 else PersonState() for p in range(6))

    wm, solver = _solve(tiny_instance(), _window(states=states))

    assert (0, 0) not in wm.grid(solver, WEEK)


def test_a_shift_longer_than_ten_hours_is_never_planned():
    long_shift = ShiftType("D", "Lang", time(6), time(17))
    base = tiny_instance()
    instance = replace(
        base,
        shift_types=(*base.shift_types, long_shift),
        demand=tuple((*day, ShiftDemand(minimum=1, target=1, team_leads=0)) for day in base.demand),
    )

    wm = window_model(instance, _window(), Weights())

    assert not [key for key in wm.x if key[2] == 2]


def test_a_late_shift_the_day_before_rules_out_an_early_shift_on_the_first_day():
    states = tuple(PersonState("L", 1) for _ in range(6))

    wm = window_model(tiny_instance(), _window(states=states), Weights())

    assert all(len(wm.shifts_of(p, 0)) == 1 for p in range(6))  # only the late shift is left


def test_a_fixed_early_shift_after_the_window_forbids_a_late_shift_on_its_last_day():
    after = tuple(FixedAfter("E", 1) for _ in range(6))
    window = _window(days=range(6), committed=range(6), after=after)

    wm, solver = _solve(tiny_instance(days=7), window)

    assert all(wm.grid(solver, range(6)).get((p, 5)) != "L" for p in range(6))


def test_the_free_sundays_still_owed_are_kept():
    wm, solver = _solve(tiny_instance(), _window(free_sundays_min=(1,) * 6))

    assert not [p for p in range(6) if (p, 6) in wm.grid(solver, WEEK)]
    assert solver.value(wm.shortfall[(6, 0)]) == 1  # nobody may work the Sunday early shift


def test_a_minimum_above_the_staff_becomes_a_named_shortfall_not_an_infeasible_model():
    base = tiny_instance()
    demand = list(base.demand)
    demand[0] = (ShiftDemand(minimum=7, target=7, team_leads=1), demand[0][1])

    wm, solver = _solve(replace(base, demand=tuple(demand)), _window())

    assert solver.value(wm.shortfall[(0, 0)]) == 2  # six people, one of them on the late shift


def test_the_optimum_of_the_hand_built_week_misses_only_one_hours_band():
    # 13 shifts need a team lead, but four leads at 3 shifts (24 h) make 12: one works a fourth.
    _, solver = _solve(tiny_instance(), _window())

    assert solver.objective_value == Weights().hours_band
